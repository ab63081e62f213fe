/* panic.c: the one way out on an unrecoverable error: print why, return to the firmware with a status. */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"
#include "rt.h"

_Noreturn void rt_exit(efi_status status)
{
	rt_bs->exit(rt_image, status, 0, NULL);
	for (;;)
		rt_bs->stall(1000000);
}

_Noreturn void rt_panic(const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_error("panic: %s", why);
	rt_exit(EFI_ABORTED);
}
