/* libc_ctype_test.c: every ctype.h function over EOF and 0..255 against the host's "C" locale, and arguments
 * far outside that range (which must be in no class, map to themselves, and read nothing out of bounds). */
#include "libc_test.h"

struct fn {
    const char *name;
    int (*ours)(int), (*host)(int);
    int exact; /* tolower/toupper: the value itself, not just truth */
};

/* Host functions through wrappers: glibc defines macros for some of them. */
#define HOST(f) static int host_##f(int c) { return (f)(c); }
HOST(isalnum) HOST(isalpha) HOST(iscntrl) HOST(isdigit) HOST(isgraph) HOST(islower) HOST(isprint) HOST(ispunct)
HOST(isspace) HOST(isupper) HOST(isxdigit) HOST(tolower) HOST(toupper)

#define FN(f, exact) {#f, cb_##f, host_##f, exact}
static const struct fn fns[] = {
    FN(isalnum, 0), FN(isalpha, 0), FN(iscntrl, 0), FN(isdigit, 0), FN(isgraph, 0), FN(islower, 0), FN(isprint, 0),
    FN(ispunct, 0), FN(isspace, 0), FN(isupper, 0), FN(isxdigit, 0), FN(tolower, 1), FN(toupper, 1),
};

int main(void)
{
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        const struct fn *f = &fns[i];
        for (int c = EOF; c <= 255; c++) {
            int g = f->ours(c), h = f->host(c);
            CHECK(f->exact ? g == h : !g == !h, "%s(%d) = %d, host %d", f->name, c, g, h);
        }
        static const int far[] = {INT_MIN, INT_MIN + 1, -1000, -256, -129, -128, -2, 256, 300, 1000, 65535,
                                  INT_MAX};
        for (size_t k = 0; k < sizeof far / sizeof far[0]; k++) {
            int c = far[k], g = f->ours(c);
            CHECK(f->exact ? g == c : g == 0, "%s(%d) = %d", f->name, c, g);
        }
    }
    /* Spot checks that do not depend on the host agreeing. */
    CHECK(cb_isspace('\v') && cb_isspace(' ') && !cb_isspace('\0') && !cb_isspace(0xa0), "isspace");
    CHECK(cb_isprint(' ') && !cb_isgraph(' ') && !cb_isprint(0x7f) && !cb_isalpha(0xe9), "isprint/isgraph");
    CHECK(cb_tolower('Q') == 'q' && cb_toupper('q') == 'Q' && cb_tolower('[') == '[' && cb_toupper(0xe9) == 0xe9,
          "tolower/toupper");
    return test_summary("libc_ctype");
}
