/* misc.c: the small leftovers of the libc: errno itself, abs/labs/llabs, abort, assert's __assert_fail and
 * strerror. Everything that ends the program goes through libc_env_abort. */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc_env.h"

int errno;

/* Defined for the most negative value too (it stays itself) instead of being undefined behaviour. */
int abs(int j)
{
    return (int)(j < 0 ? 0u - (unsigned)j : (unsigned)j);
}

long labs(long j)
{
    return (long)(j < 0 ? 0ul - (unsigned long)j : (unsigned long)j);
}

long long llabs(long long j)
{
    return (long long)(j < 0 ? 0ull - (unsigned long long)j : (unsigned long long)j);
}

_Noreturn void abort(void)
{
    libc_env_abort("abort() called");
}

_Noreturn void __assert_fail(const char *expr, const char *file, unsigned int line, const char *func)
{
    static char msg[256];
    snprintf(msg, sizeof msg, "assertion failed: %s (%s:%u, %s)", expr, file, line, func);
    libc_env_abort(msg);
}

/* glibc's wording, so messages read the same in host tools and in the loader. */
static const char *const errno_messages[] = {
    [0] = "Success",
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [EIO] = "Input/output error",
    [E2BIG] = "Argument list too long",
    [EBADF] = "Bad file descriptor",
    [EAGAIN] = "Resource temporarily unavailable",
    [ENOMEM] = "Cannot allocate memory",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [EBUSY] = "Device or resource busy",
    [EEXIST] = "File exists",
    [ENODEV] = "No such device",
    [ENOTDIR] = "Not a directory",
    [EISDIR] = "Is a directory",
    [EINVAL] = "Invalid argument",
    [ENOSPC] = "No space left on device",
    [ERANGE] = "Numerical result out of range",
    [ENAMETOOLONG] = "File name too long",
    [ENOSYS] = "Function not implemented",
    [ELOOP] = "Too many levels of symbolic links",
    [ENOTSUP] = "Operation not supported",
    [EADDRINUSE] = "Address already in use",
    [ECONNABORTED] = "Software caused connection abort",
    [ECONNRESET] = "Connection reset by peer",
    [ENOBUFS] = "No buffer space available",
    [EISCONN] = "Transport endpoint is already connected",
    [ENOTCONN] = "Transport endpoint is not connected",
    [ETIMEDOUT] = "Connection timed out",
    [ECONNREFUSED] = "Connection refused",
    [EHOSTUNREACH] = "No route to host",
    [EALREADY] = "Operation already in progress",
    [EINPROGRESS] = "Operation now in progress",
};

char *strerror(int errnum)
{
    const char *m = NULL;
    if (errnum >= 0 && (size_t)errnum < sizeof errno_messages / sizeof errno_messages[0])
        m = errno_messages[errnum];
    return (char *)(uintptr_t)(m ? m : "Unknown error");
}
