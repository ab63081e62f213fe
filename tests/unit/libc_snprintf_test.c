/* libc_snprintf_test.c: our snprintf/vsnprintf/printf against the host libc's: a hand table of edge cases and
 * every flag x width x precision x length x integer conversion, each with its return value and truncation. */
#include "libc_test.h"

typedef int (*snp_fn)(char *restrict, size_t, const char *restrict, ...);

/* How a table row passes its arguments. */
enum kind { K_NONE, K_INT, K_UINT, K_LONG, K_ULONG, K_LL, K_ULL, K_SIZE, K_SSIZE, K_IMAX, K_UMAX, K_PTRDIFF,
            K_CHAR, K_STR, K_PTR, K_STAR_INT, K_STAR2_INT, K_STAR_STR, K_INT_STR_INT };

struct tc {
    const char *fmt;
    enum kind k;
    long long i;          /* integer argument (signed kinds, K_CHAR) */
    unsigned long long u; /* unsigned kinds, K_PTR */
    const char *s;
    int w, p;             /* '*' arguments */
};

static int call(snp_fn f, char *buf, size_t n, const struct tc *t)
{
    switch (t->k) {
    case K_NONE: return f(buf, n, t->fmt);
    case K_INT: return f(buf, n, t->fmt, (int)t->i);
    case K_UINT: return f(buf, n, t->fmt, (unsigned)t->u);
    case K_LONG: return f(buf, n, t->fmt, (long)t->i);
    case K_ULONG: return f(buf, n, t->fmt, (unsigned long)t->u);
    case K_LL: return f(buf, n, t->fmt, (long long)t->i);
    case K_ULL: return f(buf, n, t->fmt, (unsigned long long)t->u);
    case K_SIZE: return f(buf, n, t->fmt, (size_t)t->u);
    case K_SSIZE: return f(buf, n, t->fmt, (ptrdiff_t)t->i);
    case K_IMAX: return f(buf, n, t->fmt, (intmax_t)t->i);
    case K_UMAX: return f(buf, n, t->fmt, (uintmax_t)t->u);
    case K_PTRDIFF: return f(buf, n, t->fmt, (ptrdiff_t)t->i);
    case K_CHAR: return f(buf, n, t->fmt, (int)t->i);
    case K_STR: return f(buf, n, t->fmt, t->s);
    case K_PTR: return f(buf, n, t->fmt, (void *)(uintptr_t)t->u);
    case K_STAR_INT: return f(buf, n, t->fmt, t->w, (int)t->i);
    case K_STAR2_INT: return f(buf, n, t->fmt, t->w, t->p, (int)t->i);
    case K_STAR_STR: return f(buf, n, t->fmt, t->w, t->s);
    case K_INT_STR_INT: return f(buf, n, t->fmt, (int)t->i, t->s, (int)t->u);
    }
    return -999;
}

static long compared;

/* Compares ours with the host for buffer sizes big, 0 (also with a NULL buffer), 1, 2, 5. */
static void compare(const struct tc *t, int with_truncation)
{
    char want[1024], got[1024 + 16];
    int wr = call(snprintf, want, sizeof want, t);
    memset(got, 'Z', sizeof got);
    int gr = call(cb_snprintf, got, 1024, t);
    compared++;
    CHECK(gr == wr, "\"%s\" (arg %lld/%llu/%s): returned %d, host %d", t->fmt, t->i, t->u, t->s ? t->s : "-", gr,
          wr);
    if (wr < 0 || wr >= (int)sizeof want)
        return;
    CHECK(memcmp(got, want, (size_t)wr + 1) == 0, "\"%s\" (arg %lld/%llu): got \"%s\", host \"%s\"", t->fmt, t->i,
          t->u, got, want);
    CHECK(got[1024] == 'Z', "\"%s\": wrote past size", t->fmt);
    if (!with_truncation)
        return;

    CHECK(call(cb_snprintf, NULL, 0, t) == wr, "\"%s\": NULL buffer, size 0: wrong length", t->fmt);
    static const size_t sizes[] = {0, 1, 2, 5};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        memset(got, 'Z', sizeof got);
        gr = call(cb_snprintf, got, n, t);
        CHECK(gr == wr, "\"%s\" size %zu: returned %d, want %d", t->fmt, n, gr, wr);
        if (n == 0) {
            CHECK(got[0] == 'Z', "\"%s\" size 0: buffer touched", t->fmt);
            continue;
        }
        size_t keep = (size_t)wr < n - 1 ? (size_t)wr : n - 1;
        CHECK(memcmp(got, want, keep) == 0 && got[keep] == 0, "\"%s\" size %zu: got \"%.*s\", want a prefix of \"%s\"",
              t->fmt, n, (int)keep, got, want);
        for (size_t j = keep + 1; j < sizeof got; j++)
            if (got[j] != 'Z') {
                CHECK(0, "\"%s\" size %zu: byte %zu written", t->fmt, n, j);
                break;
            }
    }
}

static const struct tc table[] = {
    {"", K_NONE, 0, 0, NULL, 0, 0},
    {"plain text", K_NONE, 0, 0, NULL, 0, 0},
    {"%%", K_NONE, 0, 0, NULL, 0, 0},
    {"100%% sure, %%d", K_NONE, 0, 0, NULL, 0, 0},
    {"%d", K_INT, INT_MIN, 0, NULL, 0, 0},
    {"%d", K_INT, INT_MAX, 0, NULL, 0, 0},
    {"%i", K_INT, -1, 0, NULL, 0, 0},
    {"%.0d", K_INT, 0, 0, NULL, 0, 0},
    {"[%5.0d]", K_INT, 0, 0, NULL, 0, 0},
    {"[%+.0d]", K_INT, 0, 0, NULL, 0, 0},
    {"%#o", K_UINT, 0, 0, NULL, 0, 0},
    {"%#.0o", K_UINT, 0, 0, NULL, 0, 0},
    {"%#o", K_UINT, 0, 8, NULL, 0, 0},
    {"%#.3o", K_UINT, 0, 8, NULL, 0, 0},
    {"%#.3o", K_UINT, 0, 01234, NULL, 0, 0},
    {"%#x", K_UINT, 0, 0, NULL, 0, 0},
    {"%#x", K_UINT, 0, 0xbeef, NULL, 0, 0},
    {"%#X", K_UINT, 0, 0xbeef, NULL, 0, 0},
    {"%#010x", K_UINT, 0, 0xbeef, NULL, 0, 0},
    {"%#.0x", K_UINT, 0, 0, NULL, 0, 0},
    {"[%-08d]", K_INT, -42, 0, NULL, 0, 0},
    {"[%08d]", K_INT, -42, 0, NULL, 0, 0},
    {"[%08.3d]", K_INT, -42, 0, NULL, 0, 0},
    {"[% 05d]", K_INT, 42, 0, NULL, 0, 0},
    {"[%+ d]", K_INT, 42, 0, NULL, 0, 0},
    {"[% +d]", K_INT, 0, 0, NULL, 0, 0},
    {"%lld", K_LL, LLONG_MIN, 0, NULL, 0, 0},
    {"%lld", K_LL, LLONG_MAX, 0, NULL, 0, 0},
    {"%llu", K_ULL, 0, ULLONG_MAX, NULL, 0, 0},
    {"%llx", K_ULL, 0, ULLONG_MAX, NULL, 0, 0},
    {"%#llo", K_ULL, 0, ULLONG_MAX, NULL, 0, 0},
    {"%ld", K_LONG, LONG_MIN, 0, NULL, 0, 0},
    {"%lu", K_ULONG, 0, ULONG_MAX, NULL, 0, 0},
    {"%zu", K_SIZE, 0, SIZE_MAX, NULL, 0, 0},
    {"%zd", K_SSIZE, -5, 0, NULL, 0, 0},
    {"%zx", K_SIZE, 0, 0x123456789abcdefULL, NULL, 0, 0},
    {"%jd", K_IMAX, INTMAX_MIN, 0, NULL, 0, 0},
    {"%ju", K_UMAX, 0, UINTMAX_MAX, NULL, 0, 0},
    {"%td", K_PTRDIFF, PTRDIFF_MIN, 0, NULL, 0, 0},
    {"%tx", K_PTRDIFF, -1, 0, NULL, 0, 0},
    {"%hhd", K_INT, 300, 0, NULL, 0, 0},
    {"%hhd", K_INT, -129, 0, NULL, 0, 0},
    {"%hhu", K_UINT, 0, 0x1ff, NULL, 0, 0},
    {"%hd", K_INT, 70000, 0, NULL, 0, 0},
    {"%hu", K_UINT, 0, 0x1ffff, NULL, 0, 0},
    {"%hx", K_UINT, 0, 0xabcdef, NULL, 0, 0},
    {"%c", K_CHAR, 'A', 0, NULL, 0, 0},
    {"[%5c]", K_CHAR, 'A', 0, NULL, 0, 0},
    {"[%-5c]", K_CHAR, 'A', 0, NULL, 0, 0},
    {"[%05c]", K_CHAR, 'A', 0, NULL, 0, 0},
    {"a%cb", K_CHAR, 0, 0, NULL, 0, 0},
    {"%c", K_CHAR, 0x141, 0, NULL, 0, 0},
    {"%c", K_CHAR, 0xe9, 0, NULL, 0, 0},
    {"%s", K_STR, 0, 0, "", 0, 0},
    {"%s", K_STR, 0, 0, "hello", 0, 0},
    {"[%10s]", K_STR, 0, 0, "hello", 0, 0},
    {"[%-10s]", K_STR, 0, 0, "hello", 0, 0},
    {"[%010s]", K_STR, 0, 0, "hello", 0, 0},
    {"[%.0s]", K_STR, 0, 0, "hello", 0, 0},
    {"[%.2s]", K_STR, 0, 0, "hello", 0, 0},
    {"[%8.2s]", K_STR, 0, 0, "hello", 0, 0},
    {"[%-8.2s]", K_STR, 0, 0, "hello", 0, 0},
    {"[%.20s]", K_STR, 0, 0, "hello", 0, 0},
    {"%s", K_STR, 0, 0, NULL, 0, 0},
    {"[%10s]", K_STR, 0, 0, NULL, 0, 0},
    {"[%-10s]", K_STR, 0, 0, NULL, 0, 0},
    {"[%.3s]", K_STR, 0, 0, NULL, 0, 0},
    {"[%.6s]", K_STR, 0, 0, NULL, 0, 0},
    {"[%8.5s]", K_STR, 0, 0, NULL, 0, 0},
    {"%s", K_STR, 0, 0, "\xc3\xa9t\xc3\xa9 \x7f\x01", 0, 0},
    {"%p", K_PTR, 0, 0, NULL, 0, 0},
    {"[%10p]", K_PTR, 0, 0, NULL, 0, 0},
    {"[%-10p]", K_PTR, 0, 0, NULL, 0, 0},
    {"%p", K_PTR, 0, 1, NULL, 0, 0},
    {"%p", K_PTR, 0, 0xdeadbeef, NULL, 0, 0},
    {"%p", K_PTR, 0, UINTPTR_MAX, NULL, 0, 0},
    {"[%20p]", K_PTR, 0, 0x1234, NULL, 0, 0},
    {"[%-20p]", K_PTR, 0, 0x1234, NULL, 0, 0},
    {"[%020p]", K_PTR, 0, 0x1234, NULL, 0, 0},
    {"[%.8p]", K_PTR, 0, 0x1234, NULL, 0, 0},
    {"[%+p]", K_PTR, 0, 0x1234, NULL, 0, 0},
    {"[% p]", K_PTR, 0, 0x1234, NULL, 0, 0},
    {"[%#p]", K_PTR, 0, 0x1234, NULL, 0, 0},
    {"[%*d]", K_STAR_INT, 42, 0, NULL, 6, 0},
    {"[%*d]", K_STAR_INT, 42, 0, NULL, -6, 0},
    {"[%-*d]", K_STAR_INT, 42, 0, NULL, -6, 0},
    {"[%*d]", K_STAR_INT, 42, 0, NULL, -1, 0},
    {"[%*d]", K_STAR_INT, 42, 0, NULL, 0, 0},
    {"[%0*d]", K_STAR_INT, -42, 0, NULL, 6, 0},
    {"[%.*d]", K_STAR_INT, 42, 0, NULL, 5, 0},
    {"[%.*d]", K_STAR_INT, 42, 0, NULL, -5, 0},
    {"[%.*d]", K_STAR_INT, 0, 0, NULL, 0, 0},
    {"[%0.*d]", K_STAR_INT, 42, 0, NULL, -1, 0},
    {"[%*.*d]", K_STAR2_INT, -7, 0, NULL, 8, 3},
    {"[%*.*d]", K_STAR2_INT, -7, 0, NULL, -8, 3},
    {"[%0*.*d]", K_STAR2_INT, -7, 0, NULL, 8, -3},
    {"[%*.*d]", K_STAR2_INT, 0, 0, NULL, 0, 0},
    {"[%*s]", K_STAR_STR, 0, 0, "ab", 5, 0},
    {"[%*s]", K_STAR_STR, 0, 0, "ab", -5, 0},
    {"[%.*s]", K_STAR_STR, 0, 0, "abcdef", 3, 0},
    {"[%.*s]", K_STAR_STR, 0, 0, "abcdef", -3, 0},
    {"%d:%s:%u", K_INT_STR_INT, -3, 7, "mid", 0, 0},
    {"%5d%-5s%05u|", K_INT_STR_INT, -3, 7, "mid", 0, 0},
    {"%600d", K_INT, 1, 0, NULL, 0, 0},
    {"%-700s|", K_STR, 0, 0, "left", 0, 0},
    {"%.900d", K_INT, -5, 0, NULL, 0, 0},
    {"%.800s", K_STR, 0, 0, "short", 0, 0},
    {"%#.40llo", K_ULL, 0, 0777, NULL, 0, 0},
};

/* Every flag set x width x precision x length x conversion, with values that probe each type's limits. */
static void combinations(void)
{
    static const char *const flagsets[] = {"-", "+", " ", "#", "0"};
    static const char *const widths[] = {"", "1", "7", "25"};
    static const char *const precs[] = {"", ".", ".0", ".3", ".21"};
    static const struct { const char *mod; enum kind s, u; } lens[] = {
        {"", K_INT, K_UINT}, {"hh", K_INT, K_UINT}, {"h", K_INT, K_UINT}, {"l", K_LONG, K_ULONG},
        {"ll", K_LL, K_ULL}, {"z", K_SSIZE, K_SIZE}, {"j", K_IMAX, K_UMAX}, {"t", K_PTRDIFF, K_PTRDIFF},
    };
    static const char convs[] = "diuxXo";
    static const long long values[] = {0, 1, -1, 9, -10, 127, -128, 200, 255, 256, 300, -129, 32767, -32768,
                                       65535, 65536, 123456789, INT_MAX, INT_MIN, (long long)UINT_MAX,
                                       1000000000000LL, -1000000000000LL, LLONG_MAX, LLONG_MIN};
    long n = 0;
    for (unsigned fl = 0; fl < 32; fl++)
        for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
            for (size_t p = 0; p < sizeof precs / sizeof precs[0]; p++)
                for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++)
                    for (const char *c = convs; *c; c++) {
                        char fmt[64] = "[%";
                        for (int b = 0; b < 5; b++)
                            if (fl & (1u << b))
                                strcat(fmt, flagsets[b]);
                        strcat(fmt, widths[w]);
                        strcat(fmt, precs[p]);
                        strcat(fmt, lens[l].mod);
                        size_t len = strlen(fmt);
                        fmt[len] = *c;
                        fmt[len + 1] = ']';
                        fmt[len + 2] = 0;
                        int is_signed = *c == 'd' || *c == 'i';
                        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
                            struct tc t = {fmt, is_signed ? lens[l].s : lens[l].u, values[v],
                                           (unsigned long long)values[v], NULL, 0, 0};
                            compare(&t, ++n % 97 == 0);
                        }
                    }
}

/* What we deliberately do not format: a "?" and the end of formatting. */
static void unsupported(void)
{
    static const struct { const char *fmt, *want; } rows[] = {
        {"a%fb%d", "a?"}, {"x%e", "x?"}, {"%g", "?"}, {"%a|", "?"}, {"%5.2f", "?"}, {"%n%d", "?"},
        {"%ls", "?"}, {"%lc", "?"}, {"%Lf", "?"}, {"%q", "?"}, {"%y%d", "?"}, {"end %", "end ?"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *fmt = rows[i].fmt; /* not a literal: the host compiler must not check these */
        char buf[64];
        int r = cb_snprintf(buf, sizeof buf, fmt, 1.5, 7);
        CHECK(strcmp(buf, rows[i].want) == 0 && r == (int)strlen(rows[i].want), "\"%s\": got \"%s\" (%d), want \"%s\"",
              fmt, buf, r, rows[i].want);
    }
}

static int via_vsnprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = cb_vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

static void printf_output(void)
{
    char buf[128];
    CHECK(via_vsnprintf(buf, sizeof buf, "%s=%d", "x", 5) == 3 && strcmp(buf, "x=5") == 0, "vsnprintf: \"%s\"", buf);

    shim_out_reset();
    int r = cb_printf("hello %s, %d%%\n", "world", 42);
    CHECK(r == 17 && strcmp(shim_out, "hello world, 42%\n") == 0, "printf wrote \"%s\" (%d)", shim_out, r);

    /* Longer than printf's 512-byte buffer: cut, with a marker, keeping the final newline. */
    char big[700];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    shim_out_reset();
    r = cb_printf("%s\n", big);
    CHECK(r == 511 && shim_out_len == 511, "long printf: %d bytes written, want 511", r);
    CHECK(strspn(shim_out, "x") == 505 && strcmp(shim_out + 505, "[...]\n") == 0, "long printf ends \"%s\"",
          shim_out + 500);
    shim_out_reset();
    r = cb_printf("%s", big);
    CHECK(r == 511 && strcmp(shim_out + 506, "[...]") == 0, "long printf without newline ends \"%s\"",
          shim_out + 500);
    shim_out_reset();
    r = cb_printf("%.511s", big); /* exactly fits: no marker */
    CHECK(r == 511 && strspn(shim_out, "x") == 511, "511-byte printf was changed");
}

int main(void)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        compare(&table[i], 1);
    combinations();
    unsupported();
    printf_output();
    printf("compared %ld formats with the host\n", compared);
    return test_summary("libc_snprintf");
}
