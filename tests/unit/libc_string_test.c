/* libc_string_test.c: string.h/strings.h against the host libc: mem* over every source/destination alignment
 * 0..15 x length 0..67 (and longer runs), memmove overlaps both ways, str* edge cases, strerror. */
#include "libc_test.h"

#define BUF 5000

static unsigned char src[BUF], want[BUF + 64], got[BUF + 64];
static unsigned seed = 12345;

static unsigned rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static const size_t long_lengths[] = {68, 95, 100, 127, 128, 129, 255, 256, 257, 1000, 4093, 4099};

static void each_length(void (*fn)(size_t a, size_t b, size_t n))
{
    for (size_t a = 0; a < 16; a++)
        for (size_t b = 0; b < 16; b++) {
            for (size_t n = 0; n <= 67; n++)
                fn(a, b, n);
            for (size_t i = 0; i < sizeof long_lengths / sizeof long_lengths[0]; i++)
                fn(a, b, long_lengths[i]);
        }
}

static void fill_dst(void)
{
    for (size_t i = 0; i < sizeof want; i++)
        want[i] = got[i] = (unsigned char)(0xc0 ^ i);
}

static void one_memcpy(size_t sa, size_t da, size_t n)
{
    fill_dst();
    memcpy(want + da, src + sa, n);
    void *r = cb_memcpy(got + da, src + sa, n);
    CHECK(r == got + da && memcmp(want, got, sizeof got) == 0, "memcpy src+%zu dst+%zu n=%zu", sa, da, n);
}

static void one_memset(size_t da, size_t cidx, size_t n)
{
    static const int cs[] = {0, 0xff, 0x5a, 0x1a5, -1, 0x80, 1, 0x7f, 0xfe, 0x100, 0x33, 0xcc, 0x11, 0xee, 2, 3};
    fill_dst();
    memset(want + da, cs[cidx], n);
    void *r = cb_memset(got + da, cs[cidx], n);
    CHECK(r == got + da && memcmp(want, got, sizeof got) == 0, "memset dst+%zu c=%#x n=%zu", da, cs[cidx], n);
}

static void one_memmove_disjoint(size_t sa, size_t da, size_t n)
{
    fill_dst();
    memmove(want + da, src + sa, n);
    void *r = cb_memmove(got + da, src + sa, n);
    CHECK(r == got + da && memcmp(want, got, sizeof got) == 0, "memmove (disjoint) src+%zu dst+%zu n=%zu", sa, da, n);
}

static void one_memcmp(size_t aa, size_t ba, size_t n)
{
    unsigned char *a = want + aa, *b = got + ba;
    memcpy(a, src, n);
    memcpy(b, src, n);
    CHECK(cb_memcmp(a, b, n) == 0, "memcmp equal +%zu +%zu n=%zu", aa, ba, n);
    /* One differing byte, at a few positions, both ways; bytes >= 0x80 must compare as unsigned. */
    for (size_t k = 0; k < n; k += 1 + n / 5) {
        unsigned char save = b[k];
        b[k] = (unsigned char)(a[k] ^ 0x80);
        CHECK(sign(cb_memcmp(a, b, n)) == sign(memcmp(a, b, n)), "memcmp +%zu +%zu n=%zu diff at %zu", aa, ba, n, k);
        CHECK(sign(cb_memcmp(b, a, n)) == sign(memcmp(b, a, n)), "memcmp reversed n=%zu diff at %zu", n, k);
        CHECK(cb_memcmp(a, b, k) == 0, "memcmp must stop before the difference (n=%zu)", k);
        b[k] = save;
    }
}

static void one_memchr(size_t aa, size_t b, size_t n)
{
    unsigned char *p = got + aa;
    size_t pos = b * (n + 1) / 15; /* from the start to past the end (absent) */
    memset(p, 'a', n + 1);
    if (pos < n)
        p[pos] = 0xab;
    void *w = memchr(p, 0xab, n);
    CHECK(cb_memchr(p, 0xab, n) == w, "memchr +%zu n=%zu pos=%zu", aa, n, pos);
    CHECK(cb_memchr(p, 0x1ab, n) == w, "memchr must compare (unsigned char)c");
}

/* Buffers allocated to the exact byte, so that AddressSanitizer sees any read or write past either end. */
static void one_tight(size_t sa, size_t da, size_t n)
{
    unsigned char *s = malloc(sa + n + 1), *d = malloc(da + n + 1);
    memcpy(s, src, sa + n);
    s[sa + n] = 0;
    CHECK(cb_memcpy(d + da, s + sa, n) == d + da && memcmp(d + da, s + sa, n) == 0, "tight memcpy n=%zu", n);
    CHECK(cb_memcmp(d + da, s + sa, n) == 0, "tight memcmp n=%zu", n);
    CHECK(cb_memmove(d + da, s + sa, n) == d + da && memcmp(d + da, s + sa, n) == 0, "tight memmove n=%zu", n);
    CHECK(cb_memset(d + da, 0x3c, n) == d + da && (n == 0 || memchr(d + da, 0x3c, n) == d + da),
          "tight memset n=%zu", n);
    CHECK(cb_memchr(s + sa, 0x100, n) == memchr(s + sa, 0, n), "tight memchr n=%zu", n);
    CHECK(cb_strlen((char *)s + sa) == strlen((char *)s + sa), "tight strlen");
    /* overlapping, within one exact buffer */
    if (n > 3) {
        cb_memmove(s + sa, s + sa + 3, n - 3);
        cb_memmove(s + sa + 3, s + sa, n - 3);
    }
    free(s);
    free(d);
}

/* memmove with overlapping ranges: every offset between -40 and +40, in both directions. */
static void overlaps(void)
{
    static const size_t lens[] = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 40, 47, 63, 64, 65, 67,
                                  100, 257, 1000};
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++)
        for (size_t base = 1100; base < 1116; base++)
            for (int delta = -40; delta <= 40; delta++) {
                size_t n = lens[li];
                size_t d = (size_t)((long)base + delta);
                memcpy(want, src, BUF);
                memcpy(got, src, BUF);
                memmove(want + d, want + base, n);
                void *r = cb_memmove(got + d, got + base, n);
                CHECK(r == got + d && memcmp(want, got, BUF) == 0, "memmove overlap src=%zu dst=%zu n=%zu", base, d,
                      n);
            }
}

static void strings(void)
{
    char buf[128];
    static const char *const strs[] = {"", "a", "ab", "abc", "hello world", "\x80\xff", "A", "b", "abd", "ab\x90",
                                       "HELLO world", "hello WORLD!", "hello", "Zebra[", "zebra{", "ZEBRA",
                                       "@`", "`@"};
    const size_t ns = sizeof strs / sizeof strs[0];
    for (size_t i = 0; i < ns; i++) {
        const char *a = strs[i];
        CHECK(cb_strlen(a) == strlen(a), "strlen(\"%s\")", a);
        for (size_t m = 0; m < 14; m++)
            CHECK(cb_strnlen(a, m) == strnlen(a, m), "strnlen(\"%s\", %zu)", a, m);
        for (size_t j = 0; j < ns; j++) {
            const char *b = strs[j];
            CHECK(sign(cb_strcmp(a, b)) == sign(strcmp(a, b)), "strcmp(\"%s\", \"%s\")", a, b);
            CHECK(sign(cb_strcasecmp(a, b)) == sign(strcasecmp(a, b)), "strcasecmp(\"%s\", \"%s\")", a, b);
            for (size_t m = 0; m < 14; m++) {
                CHECK(sign(cb_strncmp(a, b, m)) == sign(strncmp(a, b, m)), "strncmp(\"%s\", \"%s\", %zu)", a, b, m);
                CHECK(sign(cb_strncasecmp(a, b, m)) == sign(strncasecmp(a, b, m)), "strncasecmp(\"%s\", \"%s\", %zu)",
                      a, b, m);
            }
            CHECK(cb_strstr(a, b) == strstr(a, b), "strstr(\"%s\", \"%s\")", a, b);
            CHECK(cb_strspn(a, b) == strspn(a, b), "strspn(\"%s\", \"%s\")", a, b);
            CHECK(cb_strcspn(a, b) == strcspn(a, b), "strcspn(\"%s\", \"%s\")", a, b);
            char w[64], g[64];
            strcpy(w, a);
            strcpy(g, a);
            CHECK(cb_strcat(g, b) == g && strcmp(strcat(w, b), g) == 0, "strcat(\"%s\", \"%s\")", a, b);
            for (size_t m = 0; m < 14; m++) {
                memset(w, 'Q', sizeof w);
                memset(g, 'Q', sizeof g);
                strcpy(w, a);
                strcpy(g, a);
                CHECK(cb_strncat(g, b, m) == g && memcmp(strncat(w, b, m), g, sizeof g) == 0,
                      "strncat(\"%s\", \"%s\", %zu)", a, b, m);
            }
        }
        for (int c = -1; c < 260; c++) {
            CHECK(cb_strchr(a, c) == strchr(a, c), "strchr(\"%s\", %d)", a, c);
            CHECK(cb_strrchr(a, c) == strrchr(a, c), "strrchr(\"%s\", %d)", a, c);
        }
        memset(buf, 'Q', sizeof buf);
        CHECK(cb_strcpy(buf, a) == buf && strcmp(buf, a) == 0 && buf[strlen(a) + 1] == 'Q', "strcpy(\"%s\")", a);
        for (size_t m = 0; m < 16; m++) {
            char w[32], g[32];
            memset(w, 'Q', sizeof w);
            memset(g, 'Q', sizeof g);
            CHECK(cb_strncpy(g, a, m) == g && memcmp(strncpy(w, a, m), g, sizeof g) == 0, "strncpy(\"%s\", %zu)", a,
                  m);
            memset(g, 'Q', sizeof g);
            size_t r = cb_strlcpy(g, a, m);
            size_t keep = m ? (strlen(a) < m - 1 ? strlen(a) : m - 1) : 0;
            CHECK(r == strlen(a) && (m == 0 ? g[0] == 'Q' : memcmp(g, a, keep) == 0 && g[keep] == 0) &&
                      g[m ? keep + 1 : 0] == 'Q',
                  "strlcpy(\"%s\", %zu)", a, m);
        }
        char *d = cb_strdup(a);
        CHECK(d && strcmp(d, a) == 0 && d != a, "strdup(\"%s\")", a);
        cb_free(d);
        for (size_t m = 0; m < 14; m++) {
            d = cb_strndup(a, m);
            char *h = strndup(a, m);
            CHECK(d && strcmp(d, h) == 0, "strndup(\"%s\", %zu)", a, m);
            cb_free(d);
            free(h);
        }
    }

    /* Needles that almost match, repeated prefixes. */
    static const char *const hay[][2] = {
        {"aaaaaaaaab", "aaab"}, {"abababac", "ababac"}, {"mississippi", "issip"}, {"mississippi", "issipi"},
        {"abc", "abcd"},        {"abc", "c"},           {"abc", ""},              {"", ""},
        {"", "a"},              {"xyzxyz", "zx"},
    };
    for (size_t i = 0; i < sizeof hay / sizeof hay[0]; i++)
        CHECK(cb_strstr(hay[i][0], hay[i][1]) == strstr(hay[i][0], hay[i][1]), "strstr(\"%s\", \"%s\")", hay[i][0],
              hay[i][1]);

    /* strtok_r: tokens and what is left for the next call. */
    static const char *const tok[][2] = {
        {"a,b,,c", ","}, {",,,", ","}, {"", ","}, {"  lead and trail  ", " "}, {"k=v; k2 = v2;", "; ="},
        {"no delims", ""}, {"x", "x"}, {"one", ","},
    };
    for (size_t i = 0; i < sizeof tok / sizeof tok[0]; i++) {
        char w[64], g[64];
        strcpy(w, tok[i][0]);
        strcpy(g, tok[i][0]);
        char *ws = NULL, *gs = NULL;
        char *wt = strtok_r(w, tok[i][1], &ws), *gt = cb_strtok_r(g, tok[i][1], &gs);
        for (int k = 0; k < 10; k++) {
            CHECK((wt == NULL) == (gt == NULL) && (!wt || (wt - w == gt - g && strcmp(wt, gt) == 0)),
                  "strtok_r(\"%s\", \"%s\") token %d", tok[i][0], tok[i][1], k);
            if (!wt || !gt)
                break;
            wt = strtok_r(NULL, tok[i][1], &ws);
            gt = cb_strtok_r(NULL, tok[i][1], &gs);
        }
        CHECK(memcmp(w, g, strlen(tok[i][0])) == 0, "strtok_r(\"%s\") left different bytes", tok[i][0]);
    }
}

static void errors(void)
{
    static const int codes[] = {0, EPERM, ENOENT, EIO, E2BIG, EBADF, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST,
                                ENODEV, ENOTDIR, EISDIR, EINVAL, ENOSPC, ERANGE, ENOSYS, ENAMETOOLONG, ELOOP,
                                ENOTSUP, EOPNOTSUPP, EADDRINUSE, ECONNABORTED, ECONNRESET, ENOBUFS, EISCONN,
                                ENOTCONN, ETIMEDOUT, ECONNREFUSED, EHOSTUNREACH, EALREADY, EINPROGRESS,
                                EWOULDBLOCK};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        CHECK(strcmp(cb_strerror(codes[i]), strerror(codes[i])) == 0, "strerror(%d) = \"%s\", host \"%s\"", codes[i],
              cb_strerror(codes[i]), strerror(codes[i]));
    static const int unknown[] = {-1, 3, 4, 116, 999, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CHECK(strcmp(cb_strerror(unknown[i]), "Unknown error") == 0, "strerror(%d) = \"%s\"", unknown[i],
              cb_strerror(unknown[i]));
}

int main(void)
{
    for (size_t i = 0; i < BUF; i++)
        src[i] = (unsigned char)rnd();
    each_length(one_memcpy);
    each_length(one_memmove_disjoint);
    each_length(one_memset);
    each_length(one_memcmp);
    each_length(one_memchr);
    each_length(one_tight);
    overlaps();
    strings();
    errors();
    return test_summary("libc_string");
}
