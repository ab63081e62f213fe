/* http_test_util.h: the few assertion macros of the HTTP unit tests (count failures, print where and what,
 * exit nonzero at the end). Header-only on purpose. */
#ifndef HTTP_TEST_UTIL_H
#define HTTP_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

static int t_failures, t_checks;

#define CHECK(cond, ...)                                                                   \
	do {                                                                               \
		t_checks++;                                                                \
		if (!(cond)) {                                                             \
			t_failures++;                                                      \
			fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                      \
			fputc('\n', stderr);                                               \
		}                                                                          \
	} while (0)

#define CHECK_STR(got, want, ctx)                                                              \
	do {                                                                                   \
		const char *g_ = (got), *w_ = (want);                                          \
		CHECK(g_ && w_ && !strcmp(g_, w_), "%s: got \"%s\", want \"%s\"", (ctx), g_ ? g_ : "(null)", \
		      w_ ? w_ : "(null)");                                                     \
	} while (0)

#define CHECK_INT(got, want, ctx)                                                                        \
	do {                                                                                             \
		long long g_ = (long long)(got), w_ = (long long)(want);                                 \
		CHECK(g_ == w_, "%s: got %lld, want %lld", (ctx), g_, w_);                               \
	} while (0)

static inline int t_done(const char *name)
{
	if (t_failures)
		fprintf(stderr, "%s: %d of %d checks failed\n", name, t_failures, t_checks);
	else
		printf("%s: all %d checks passed\n", name, t_checks);
	return t_failures ? 1 : 0;
}

#endif
