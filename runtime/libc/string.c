/* string.c: the str* functions of string.h and the ASCII case-insensitive compares of strings.h, bytewise
 * (they never read past a terminator). Not the mem* functions (mem.c) nor strerror (misc.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#if defined(__clang__)
#define LIBC_NO_BUILTIN __attribute__((no_builtin))
#else
#define LIBC_NO_BUILTIN
#endif

LIBC_NO_BUILTIN size_t strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

LIBC_NO_BUILTIN size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p && *p == *q)
        p++, q++;
    return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    for (; n; n--, p++, q++)
        if (*p != *q || !*p)
            return *p - *q;
    return 0;
}

LIBC_NO_BUILTIN char *strcpy(char *restrict dst, const char *restrict src)
{
    char *d = dst;
    while ((*d++ = *src++))
        ;
    return dst;
}

LIBC_NO_BUILTIN char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
    size_t i = 0;
    for (; i < n && src[i]; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = 0;
    return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
    strcpy(dst + strlen(dst), src);
    return dst;
}

char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
    char *d = dst + strlen(dst);
    while (n-- && *src)
        *d++ = *src++;
    *d = 0;
    return dst;
}

char *strchr(const char *s, int c)
{
    const char ch = (char)c;
    for (;; s++) {
        if (*s == ch)
            return (char *)(uintptr_t)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char ch = (char)c;
    const char *last = NULL;
    for (;; s++) {
        if (*s == ch)
            last = s;
        if (!*s)
            return (char *)(uintptr_t)last;
    }
}

/* Naive search: O(len(haystack) * len(needle)); our needles are short literals (header names, keys). */
char *strstr(const char *haystack, const char *needle)
{
    if (!*needle)
        return (char *)(uintptr_t)haystack;
    for (; *haystack; haystack++) {
        size_t i = 0;
        while (needle[i] && haystack[i] == needle[i])
            i++;
        if (!needle[i])
            return (char *)(uintptr_t)haystack;
    }
    return NULL;
}

/* Sets bit c of set for every byte c of chars. */
static void byteset(uint64_t set[4], const char *chars)
{
    set[0] = set[1] = set[2] = set[3] = 0;
    for (const unsigned char *p = (const unsigned char *)chars; *p; p++)
        set[*p >> 6] |= (uint64_t)1 << (*p & 63);
}

#define IN_SET(set, c) (((set)[(c) >> 6] >> ((c) & 63)) & 1)

size_t strspn(const char *s, const char *accept)
{
    uint64_t set[4];
    byteset(set, accept);
    const unsigned char *p = (const unsigned char *)s;
    while (*p && IN_SET(set, *p))
        p++;
    return (size_t)(p - (const unsigned char *)s);
}

size_t strcspn(const char *s, const char *reject)
{
    uint64_t set[4];
    byteset(set, reject);
    const unsigned char *p = (const unsigned char *)s;
    while (*p && !IN_SET(set, *p))
        p++;
    return (size_t)(p - (const unsigned char *)s);
}

char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

char *strndup(const char *s, size_t n)
{
    n = strnlen(s, n);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

char *strtok_r(char *restrict s, const char *restrict delim, char **restrict save)
{
    if (!s)
        s = *save;
    if (!s)
        return NULL;
    s += strspn(s, delim);
    if (!*s) {
        *save = NULL;
        return NULL;
    }
    char *end = s + strcspn(s, delim);
    if (*end)
        *end++ = 0;
    else
        end = NULL;
    *save = end;
    return s;
}

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
    size_t len = strlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = 0;
    }
    return len;
}

static int ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int strcasecmp(const char *a, const char *b)
{
    return strncasecmp(a, b, (size_t)-1);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    for (; n; n--, p++, q++) {
        int x = ascii_lower(*p), y = ascii_lower(*q);
        if (x != y || !x)
            return x - y;
    }
    return 0;
}
