/* elf2efi: refusal reporting; stages format "<offending item and reason>" here, main prefixes
 * "elf2efi: INPUT: " when printing it. */
#include <stdarg.h>
#include <stdio.h>

#include "elf2efi.h"

int e2e_fail(struct e2e_diag *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return -1;
}
