/* libc_strconv_test.c: strtol, strtoul, strtoll, strtoull, atoi and atol against the host libc for a table of
 * inputs x bases: value, errno and where endptr points. */
#include "libc_test.h"

static const char *const inputs[] = {
    "", " ", "0", "-0", "+0", "1", "-1", "+1", "++1", "+-1", "- 1", "42abc", "   \t\n\v\f\r-17xyz", "  +0x1fz",
    "  -0x1fz", "0x", "0X", "0xg", "-0x", "0x10", "0X1A", "0x1a", "0x0x1", "010", "-010", "08", "09", "0b101",
    "0B11", "z", "Z", "zz", "-zz", "1z", "777", "0777", "0x7fffffff", "0xffffffff", "2147483647",
    "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
    "18446744073709551616", "-18446744073709551615", "-18446744073709551616", "99999999999999999999999999",
    "-99999999999999999999999999", "0x7fffffffffffffff", "0x8000000000000000", "-0x8000000000000000",
    "0xffffffffffffffff", "0x10000000000000000", "0x10000000000000000z",
    "1111111111111111111111111111111111111111111111111111111111111111",
    "11111111111111111111111111111111111111111111111111111111111111111", "1777777777777777777777",
    "2000000000000000000000", "3w5e11264sgsf", "3w5e11264sgsg", "-3w5e11264sgsg", "\2001", "1\x80",
    "12 34", "\t\t", "  -", "  +", "0x+1", "0x-1", "00x1", "0000000000000000000000000000000000000042",
};

static const int bases[] = {0, 2, 8, 10, 16, 36, 3, 7, 35, -1, 1, 37, 100};

#define COMPARE(fn, fmt)                                                                               \
    do {                                                                                               \
        char *hend = (char *)s, *gend = unset;                                                          \
        errno = 0;                                                                                     \
        cb_errno = 0;                                                                                  \
        __typeof__(fn(s, &hend, base)) hv = fn(s, &hend, base);                                        \
        int herr = errno;                                                                              \
        if (base < 0 || base == 1 || base > 36)                                                        \
            hend = (char *)s; /* glibc leaves it alone, ASan's interceptor garbles it; we set s */     \
        __typeof__(hv) gv = cb_##fn(s, &gend, base);                                                   \
        CHECK(gv == hv && cb_errno == herr && gend == hend,                                            \
              #fn "(\"%s\", %d): " fmt " errno %d end +%td, host " fmt " errno %d end +%td", s, base, gv, \
              cb_errno, gend - s, hv, herr, hend - s);                                                 \
        cb_errno = 0;                                                                                  \
        gv = cb_##fn(s, NULL, base); /* endptr may be NULL */                                          \
        CHECK(gv == hv && cb_errno == herr, #fn "(\"%s\", %d, NULL end) differs", s, base);            \
        n++;                                                                                           \
    } while (0)

static char unset[] = "endptr not set";

int main(void)
{
    long n = 0;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *s = inputs[i];
        for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            int base = bases[b];
            COMPARE(strtol, "%ld");
            COMPARE(strtoul, "%lu");
            COMPARE(strtoll, "%lld");
            COMPARE(strtoull, "%llu");
        }
        CHECK(cb_atoi(s) == atoi(s), "atoi(\"%s\") = %d, host %d", s, cb_atoi(s), atoi(s));
        CHECK(cb_atol(s) == atol(s), "atol(\"%s\") = %ld, host %ld", s, cb_atol(s), atol(s));
    }

    /* A few stated outright, so the table above is not the only witness. */
    char *end;
    const char *s = "  -0x1fz";
    cb_errno = 0;
    CHECK(cb_strtol(s, &end, 0) == -31 && end == s + 7 && cb_errno == 0, "strtol(\"  -0x1fz\", 0)");
    s = "0x";
    CHECK(cb_strtoul(s, &end, 16) == 0 && end == s + 1, "strtoul(\"0x\", 16) must stop after the 0");
    s = "  +";
    CHECK(cb_strtol(s, &end, 10) == 0 && end == s, "no digits: endptr must be the start");
    s = "9223372036854775808";
    cb_errno = 0;
    CHECK(cb_strtol(s, &end, 10) == LONG_MAX && cb_errno == ERANGE && end == s + 19, "strtol overflow");
    s = "-9223372036854775809";
    cb_errno = 0;
    CHECK(cb_strtoll(s, &end, 10) == LLONG_MIN && cb_errno == ERANGE, "strtoll underflow");
    s = "-1";
    cb_errno = 0;
    CHECK(cb_strtoul(s, &end, 10) == ULONG_MAX && cb_errno == 0, "strtoul(\"-1\") wraps without ERANGE");
    s = "0755";
    CHECK(cb_strtol(s, NULL, 0) == 0755, "base 0 octal");
    s = "12";
    cb_errno = 0;
    CHECK(cb_strtol(s, &end, 1) == 0 && cb_errno == EINVAL && end == s, "base 1 is invalid");

    printf("compared %ld (input, base) pairs with the host\n", n);
    return test_summary("libc_strconv");
}
