/* stdio.h: the formatting subset of cloud-boot's freestanding runtime: snprintf and friends.
 * There are no FILE streams in firmware; printf() writes to the runtime's log at info level. */
#ifndef CB_STDIO_H
#define CB_STDIO_H
#include <stdarg.h>
#include <stddef.h>

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((format(__printf__, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
    __attribute__((format(__printf__, 3, 0)));
int printf(const char *restrict fmt, ...) __attribute__((format(__printf__, 1, 2)));

#endif
