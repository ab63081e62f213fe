/* http_test_util.h: the value assertions of the HTTP and OCI unit tests (CHECK_STR, CHECK_INT) over check.h's
 * CHECK and check_summary. Header-only on purpose. */
#ifndef HTTP_TEST_UTIL_H
#define HTTP_TEST_UTIL_H

#include <string.h>

#include "check.h"

#define CHECK_STR(got, want, ctx)                                                              \
	do {                                                                                   \
		const char *g_ = (got), *w_ = (want);                                          \
		CHECK(g_ && w_ && !strcmp(g_, w_), "%s: got \"%s\", want \"%s\"", (ctx), S(g_), S(w_)); \
	} while (0)

#define CHECK_INT(got, want, ctx)                                                                        \
	do {                                                                                             \
		long long g_ = (long long)(got), w_ = (long long)(want);                                 \
		CHECK(g_ == w_, "%s: got %lld, want %lld", (ctx), g_, w_);                               \
	} while (0)

#endif
