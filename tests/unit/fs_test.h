/* fs_test.h: the few check macros the fs_* unit tests share (counting failures, printing what differed).
 * Tests are table-driven; each binary exits 1 if any check failed. */
#ifndef FS_TEST_H
#define FS_TEST_H

#include <stdio.h>
#include <string.h>

static int fs_test_failures, fs_test_checks;

#define CHECK(cond, ...)                                                                                   \
	do {                                                                                               \
		fs_test_checks++;                                                                          \
		if (!(cond)) {                                                                             \
			fs_test_failures++;                                                                \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                            \
			printf(__VA_ARGS__);                                                               \
			printf("\n");                                                                      \
		}                                                                                          \
	} while (0)

#define CHECK_INT(got, want, ctx)                                                                          \
	CHECK((long long)(got) == (long long)(want), "%s: got %lld, want %lld", ctx, (long long)(got),     \
	      (long long)(want))
#define CHECK_STR(got, want, ctx)                                                                          \
	CHECK(strcmp((got), (want)) == 0, "%s: got '%s', want '%s'", ctx, (got), (want))
#define CHECK_HAS(got, needle, ctx)                                                                        \
	CHECK(strstr((got), (needle)) != NULL, "%s: '%s' does not contain '%s'", ctx, (got), (needle))

static inline int fs_test_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, fs_test_checks, fs_test_failures);
	return fs_test_failures ? 1 : 0;
}

#endif
