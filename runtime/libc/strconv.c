/* strconv.c: strtol, strtoul, strtoll, strtoull, atoi and atol as C11 specifies them (bases 0 and 2..36,
 * 0x/0 prefixes, ERANGE clamping, endptr rules). No locale, no C23 "0b" prefix. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

static int digit_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

static int is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Parses the subject sequence of s: *neg gets the sign, the return value the magnitude (saturated at
 * ULLONG_MAX with *overflow set). *end is set as C requires; an invalid base sets errno = EINVAL, returns 0
 * and *end = s. */
static unsigned long long parse(const char *s, char **end, int base, int *neg, int *overflow)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned long long v = 0;
    *neg = 0;
    *overflow = 0;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)(uintptr_t)s;
        return 0;
    }
    while (is_space(*p))
        p++;
    if (*p == '+' || *p == '-')
        *neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 0x20) == 'x' && digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    const unsigned char *digits = p;
    const unsigned long long cutoff = ULLONG_MAX / (unsigned)base;
    const unsigned cutlim = (unsigned)(ULLONG_MAX % (unsigned)base);
    for (int d; (d = digit_value(*p)) < base; p++) {
        if (v > cutoff || (v == cutoff && (unsigned)d > cutlim))
            *overflow = 1;
        else
            v = v * (unsigned)base + (unsigned)d;
    }
    if (end)
        *end = (char *)(uintptr_t)(p == digits ? (const unsigned char *)s : p);
    return *overflow ? ULLONG_MAX : v;
}

/* Signed result in [-(max + 1), max]. */
static long long to_signed(unsigned long long mag, int neg, int overflow, long long max)
{
    unsigned long long limit = (unsigned long long)max + neg;
    if (overflow || mag > limit) {
        errno = ERANGE;
        return neg ? -max - 1 : max;
    }
    return neg ? (long long)(0 - mag) : (long long)mag;
}

/* Unsigned result: a negative subject is negated in the unsigned type, as C says. */
static unsigned long long to_unsigned(unsigned long long mag, int neg, int overflow, unsigned long long max)
{
    if (overflow || mag > max) {
        errno = ERANGE;
        return max;
    }
    return neg ? (0 - mag) & max : mag;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    int neg, ovf;
    unsigned long long mag = parse(s, end, base, &neg, &ovf);
    return (long)to_signed(mag, neg, ovf, LONG_MAX);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    int neg, ovf;
    unsigned long long mag = parse(s, end, base, &neg, &ovf);
    return to_signed(mag, neg, ovf, LLONG_MAX);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    int neg, ovf;
    unsigned long long mag = parse(s, end, base, &neg, &ovf);
    return (unsigned long)to_unsigned(mag, neg, ovf, ULONG_MAX);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
    int neg, ovf;
    unsigned long long mag = parse(s, end, base, &neg, &ovf);
    return to_unsigned(mag, neg, ovf, ULLONG_MAX);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}
