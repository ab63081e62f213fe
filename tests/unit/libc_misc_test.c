/* libc_misc_test.c: abs/labs/llabs, abort() and failed assertions reaching libc_env_abort with their message,
 * and errno being a plain global that our functions set. */
#include "libc_test.h"

int main(void)
{
    static const int ints[] = {0, 1, -1, 42, -42, INT_MAX, INT_MIN + 1};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        CHECK(cb_abs(ints[i]) == abs(ints[i]), "abs(%d) = %d", ints[i], cb_abs(ints[i]));
    CHECK(cb_abs(INT_MIN) == INT_MIN, "abs(INT_MIN) must stay INT_MIN (defined here, UB in C)");
    CHECK(cb_labs(LONG_MIN + 1) == LONG_MAX && cb_labs(-5) == 5 && cb_labs(LONG_MIN) == LONG_MIN, "labs");
    CHECK(cb_llabs(LLONG_MIN + 1) == LLONG_MAX && cb_llabs(-7) == 7 && cb_llabs(0) == 0, "llabs");

    EXPECT_ABORT(cb_abort(), "abort() called");
    EXPECT_ABORT(cb___assert_fail("x > 0", "boot/main.c", 12, "efi_main"),
                 "assertion failed: x > 0 (boot/main.c:12, efi_main)");

    cb_errno = 0;
    cb_strtol("99999999999999999999", NULL, 10);
    CHECK(cb_errno == ERANGE, "strtol overflow must set our errno, got %d", cb_errno);
    cb_errno = 0;
    CHECK(cb_malloc((size_t)-1) == NULL && cb_errno == ENOMEM, "malloc(SIZE_MAX) must fail with ENOMEM");
    return test_summary("libc_misc");
}
