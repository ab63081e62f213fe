/* mem.c: memcpy, memmove, memset, memcmp, memchr of the freestanding libc, a machine word at a time where
 * alignment allows (they move whole downloads). Not the str* functions (string.c); no SIMD, no asm. */
#include <stdint.h>
#include <string.h>

/* Built with -fno-builtin (meson); clang also gets the attribute so that no loop below can be turned back
 * into a call to the function it sits in. */
#if defined(__clang__)
#define LIBC_NO_BUILTIN __attribute__((no_builtin))
#else
#define LIBC_NO_BUILTIN
#endif

typedef size_t __attribute__((may_alias)) word_t; /* only ever accessed at word-aligned addresses */
#define WS sizeof(word_t)
#define WMASK (WS - 1)
#define ALIGNED(p) (((uintptr_t)(p) & WMASK) == 0)

/* Forward copy, also correct for overlapping buffers with d < s: every word is read before the word that
 * overlaps it is written. */
LIBC_NO_BUILTIN static inline __attribute__((always_inline)) void copy_fwd(unsigned char *d, const unsigned char *s, size_t n)
{
    if (n >= 3 * WS) {
        while (!ALIGNED(d)) {
            *d++ = *s++;
            n--;
        }
        word_t *dw = (word_t *)(void *)d;
        size_t k = (uintptr_t)s & WMASK;
        if (k == 0) {
            const word_t *sw = (const word_t *)(const void *)s;
            for (; n >= 4 * WS; n -= 4 * WS, sw += 4, dw += 4) {
                word_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];
                dw[0] = a;
                dw[1] = b;
                dw[2] = c;
                dw[3] = e;
            }
            for (; n >= WS; n -= WS)
                *dw++ = *sw++;
            s = (const unsigned char *)sw;
        }
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        else {
            /* Source misaligned by k: read aligned source words and merge neighbours with shifts. The first
             * partial word is assembled bytewise so nothing before s is read, and the loop stops before an
             * aligned word would reach past s + n. */
            const word_t *sw = (const word_t *)(const void *)(s - k);
            const unsigned ls = (unsigned)(8 * k), rs = (unsigned)(8 * (WS - k));
            word_t cur = 0;
            for (size_t i = 0; i < WS - k; i++)
                cur |= (word_t)s[i] << (8 * (k + i));
            for (; n >= 2 * WS - k; n -= WS, s += WS) {
                word_t next = *++sw;
                *dw++ = (cur >> ls) | (next << rs);
                cur = next;
            }
        }
#endif
        d = (unsigned char *)dw;
    }
    while (n--)
        *d++ = *s++;
}

/* Backward copy for overlapping buffers with d > s; whole words only when both ends share an alignment. */
LIBC_NO_BUILTIN static inline __attribute__((always_inline)) void copy_bwd(unsigned char *d, const unsigned char *s, size_t n)
{
    d += n;
    s += n;
    if (n >= 3 * WS && (((uintptr_t)d ^ (uintptr_t)s) & WMASK) == 0) {
        while (!ALIGNED(d)) {
            *--d = *--s;
            n--;
        }
        word_t *dw = (word_t *)(void *)d;
        const word_t *sw = (const word_t *)(const void *)s;
        for (; n >= 4 * WS; n -= 4 * WS) {
            dw -= 4;
            sw -= 4;
            word_t a = sw[3], b = sw[2], c = sw[1], e = sw[0];
            dw[3] = a;
            dw[2] = b;
            dw[1] = c;
            dw[0] = e;
        }
        for (; n >= WS; n -= WS)
            *--dw = *--sw;
        d = (unsigned char *)dw;
        s = (const unsigned char *)sw;
    }
    while (n--)
        *--d = *--s;
}

LIBC_NO_BUILTIN void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    copy_fwd(dst, src, n);
    return dst;
}

LIBC_NO_BUILTIN void *memmove(void *dst, const void *src, size_t n)
{
    uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;
    if (d == s || n == 0)
        return dst;
    if (d < s || d - s >= n)
        copy_fwd(dst, src, n);
    else
        copy_bwd(dst, src, n);
    return dst;
}

LIBC_NO_BUILTIN void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    const unsigned char b = (unsigned char)c;
    if (n >= 3 * WS) {
        while (!ALIGNED(d)) {
            *d++ = b;
            n--;
        }
        const word_t w = (word_t)b * ((word_t)-1 / 0xff);
        word_t *dw = (word_t *)(void *)d;
        for (; n >= 4 * WS; n -= 4 * WS, dw += 4) {
            dw[0] = w;
            dw[1] = w;
            dw[2] = w;
            dw[3] = w;
        }
        for (; n >= WS; n -= WS)
            *dw++ = w;
        d = (unsigned char *)dw;
    }
    while (n--)
        *d++ = b;
    return dst;
}

LIBC_NO_BUILTIN int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    if (n >= 3 * WS && (((uintptr_t)p ^ (uintptr_t)q) & WMASK) == 0) {
        for (; !ALIGNED(p); p++, q++, n--)
            if (*p != *q)
                return *p - *q;
        /* Skip equal words; the first differing word is settled bytewise below. */
        for (; n >= WS; n -= WS, p += WS, q += WS)
            if (*(const word_t *)(const void *)p != *(const word_t *)(const void *)q)
                break;
    }
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

LIBC_NO_BUILTIN void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    const unsigned char b = (unsigned char)c;
    for (; n; n--, p++)
        if (*p == b)
            return (void *)(uintptr_t)p;
    return NULL;
}
