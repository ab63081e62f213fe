/* printf.c: vsnprintf, snprintf and printf: flags "-+ #0", width and precision (also '*'), lengths hh h l ll
 * z j t, conversions d i u x X o c s p %. No floating point (the loader is built without FP registers). */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libc_env.h"

/* What the format support does not cover: %f %F %e %E %g %G %a %A (a double cannot be fetched without FP
 * registers, and skipping it portably is impossible), %n, %lc/%ls, the L modifier and unknown conversions.
 * Each of them prints "?" and formatting stops there: the remaining arguments can no longer be located
 * safely. The compiler's -Wformat catches such formats in our own code. */
#define UNSUPPORTED_MARK "?"

struct out {
    char *buf;
    size_t size; /* capacity of buf including the NUL */
    size_t len;  /* characters produced so far, also those that did not fit */
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->len < o->size) {
        size_t room = o->size - 1 - o->len; /* o->size >= 1 here */
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void put_rep(struct out *o, char c, size_t n)
{
    if (o->len < o->size) {
        size_t room = o->size - 1 - o->len;
        memset(o->buf + o->len, c, n < room ? n : room);
    }
    o->len += n;
}

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };

/* Pads s (n bytes) to width; '0' does not apply to strings and characters (as glibc). */
static void put_padded(struct out *o, const char *s, size_t n, int flags, size_t width)
{
    size_t pad = width > n ? width - n : 0;
    if (!(flags & F_LEFT))
        put_rep(o, ' ', pad);
    put(o, s, n);
    if (flags & F_LEFT)
        put_rep(o, ' ', pad);
}

/* One integer: sign or ' '/'+', then prefix ("0x"/"0X" or ""), zeros, digits, with space padding to width.
 * prec < 0 means "not given". */
static void put_int(struct out *o, uintmax_t v, int neg, int is_signed, unsigned base, int upper,
                    const char *prefix, int flags, size_t width, int prec)
{
    static const char lower_digits[] = "0123456789abcdef", upper_digits[] = "0123456789ABCDEF";
    const char *dig = upper ? upper_digits : lower_digits;
    char tmp[sizeof(uintmax_t) * 3 + 1]; /* octal of 64 bits: 22 digits */
    size_t nd = 0;
    if (!(v == 0 && prec == 0)) {
        do {
            tmp[sizeof tmp - 1 - nd++] = dig[v % base];
            v /= base;
        } while (v);
    }
    const char *digits = tmp + sizeof tmp - nd;

    size_t zeros = prec > 0 && (size_t)prec > nd ? (size_t)prec - nd : 0;
    if (base == 8 && (flags & F_ALT) && zeros == 0 && (nd == 0 || digits[0] != '0'))
        zeros = 1;
    char sign = 0;
    if (neg)
        sign = '-';
    else if (is_signed && (flags & F_PLUS))
        sign = '+';
    else if (is_signed && (flags & F_SPACE))
        sign = ' ';
    size_t plen = strlen(prefix);
    size_t body = (sign != 0) + plen + zeros + nd;
    if ((flags & (F_ZERO | F_LEFT)) == F_ZERO && prec < 0 && width > body) {
        zeros += width - body;
        body = width;
    }
    size_t pad = width > body ? width - body : 0;
    if (!(flags & F_LEFT))
        put_rep(o, ' ', pad);
    if (sign)
        put(o, &sign, 1);
    put(o, prefix, plen);
    put_rep(o, '0', zeros);
    put(o, digits, nd);
    if (flags & F_LEFT)
        put_rep(o, ' ', pad);
}

/* Reads a decimal number, saturating at INT_MAX. */
static int read_num(const char **fmt)
{
    int n = 0;
    for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++)
        n = n > (INT_MAX - 9) / 10 ? INT_MAX : n * 10 + (**fmt - '0');
    return n;
}

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

int vsnprintf(char *restrict buf, size_t size, const char *restrict format, va_list ap)
{
    const char *fmt = format;
    struct out o = {buf, size, 0};
    while (*fmt) {
        if (*fmt != '%') {
            const char *start = fmt;
            while (*fmt && *fmt != '%')
                fmt++;
            put(&o, start, (size_t)(fmt - start));
            continue;
        }
        fmt++;

        int flags = 0;
        for (;; fmt++) {
            int f = *fmt == '-' ? F_LEFT : *fmt == '+' ? F_PLUS : *fmt == ' ' ? F_SPACE
                  : *fmt == '#' ? F_ALT : *fmt == '0' ? F_ZERO : 0;
            if (!f)
                break;
            flags |= f;
        }

        size_t width = 0;
        if (*fmt == '*') {
            fmt++;
            int w = va_arg(ap, int);
            if (w < 0) {
                flags |= F_LEFT;
                width = 0u - (unsigned)w;
            } else {
                width = (size_t)w;
            }
        } else {
            width = (size_t)read_num(&fmt);
        }

        int prec = -1;
        if (*fmt == '.') {
            fmt++;
            if (*fmt == '*') {
                fmt++;
                prec = va_arg(ap, int);
                if (prec < 0)
                    prec = -1;
            } else {
                prec = read_num(&fmt);
            }
        }

        enum length len = LEN_NONE;
        switch (*fmt) {
        case 'h':
            len = fmt[1] == 'h' ? LEN_HH : LEN_H;
            fmt += len == LEN_HH ? 2 : 1;
            break;
        case 'l':
            len = fmt[1] == 'l' ? LEN_LL : LEN_L;
            fmt += len == LEN_LL ? 2 : 1;
            break;
        case 'z': len = LEN_Z; fmt++; break;
        case 'j': len = LEN_J; fmt++; break;
        case 't': len = LEN_T; fmt++; break;
        default: break;
        }

        const char conv = *fmt;
        if (conv)
            fmt++;
        switch (conv) {
        case 'd':
        case 'i': {
            intmax_t v;
            switch (len) {
            case LEN_HH: v = (signed char)va_arg(ap, int); break;
            case LEN_H: v = (short)va_arg(ap, int); break;
            case LEN_L: v = va_arg(ap, long); break;
            case LEN_LL: v = va_arg(ap, long long); break;
            case LEN_Z: v = (ptrdiff_t)va_arg(ap, size_t); break; /* the signed type of size_t's width */
            case LEN_J: v = va_arg(ap, intmax_t); break;
            case LEN_T: v = va_arg(ap, ptrdiff_t); break;
            default: v = va_arg(ap, int); break;
            }
            uintmax_t mag = v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v;
            put_int(&o, mag, v < 0, 1, 10, 0, "", flags, width, prec);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uintmax_t v;
            switch (len) {
            case LEN_HH: v = (unsigned char)va_arg(ap, unsigned); break;
            case LEN_H: v = (unsigned short)va_arg(ap, unsigned); break;
            case LEN_L: v = va_arg(ap, unsigned long); break;
            case LEN_LL: v = va_arg(ap, unsigned long long); break;
            case LEN_Z: v = va_arg(ap, size_t); break;
            case LEN_J: v = va_arg(ap, uintmax_t); break;
            case LEN_T: v = (size_t)va_arg(ap, ptrdiff_t); break;
            default: v = va_arg(ap, unsigned); break;
            }
            unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
            const char *prefix = "";
            if ((flags & F_ALT) && v != 0 && base == 16)
                prefix = conv == 'X' ? "0X" : "0x";
            put_int(&o, v, 0, 0, base, conv == 'X', prefix, flags, width, prec);
            break;
        }
        case 'p': {
            void *p = va_arg(ap, void *);
            if (!p) /* glibc's spelling; precision does not apply */
                put_padded(&o, "(nil)", 5, flags, width);
            else
                put_int(&o, (uintptr_t)p, 0, 1, 16, 0, "0x", flags, width, prec);
            break;
        }
        case 'c':
            if (len == LEN_NONE) {
                char c = (char)va_arg(ap, int);
                put_padded(&o, &c, 1, flags, width);
                break;
            }
            goto unsupported;
        case 's':
            if (len == LEN_NONE) {
                const char *s = va_arg(ap, const char *);
                if (!s) /* as glibc: "(null)" only where it fits whole */
                    s = prec < 0 || prec >= 6 ? "(null)" : "";
                size_t n = prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
                put_padded(&o, s, n, flags, width);
                break;
            }
            goto unsupported;
        case '%':
            put(&o, "%", 1);
            break;
        default:
        unsupported:
            put(&o, UNSUPPORTED_MARK, sizeof UNSUPPORTED_MARK - 1);
            goto done;
        }
    }
done:
    if (size)
        buf[o.len < size ? o.len : size - 1] = 0;
    return o.len > INT_MAX ? -1 : (int)o.len;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Formats into a bounded stack buffer; longer output is cut and ends with a marker (and the format's final
 * newline, if it had one). Returns the number of bytes handed to libc_env_write. */
#define PRINTF_BUF 512
int printf(const char *restrict fmt, ...)
{
    char buf[PRINTF_BUF];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return n;
    size_t len = (size_t)n;
    if (len >= sizeof buf) {
        size_t flen = strlen(fmt);
        const char *mark = flen && fmt[flen - 1] == '\n' ? "[...]\n" : "[...]";
        size_t mlen = strlen(mark);
        len = sizeof buf - 1;
        memcpy(buf + len - mlen, mark, mlen);
    }
    libc_env_write(buf, len);
    return (int)len;
}
