/* init.c: the runtime's start: remembers the firmware tables, disarms the boot watchdog, brings up the
 * console and the clock. Called once by the arch entry stub. */
#include "clock.h"
#include "console.h"
#include "rt.h"

efi_handle rt_image;
efi_system_table *rt_st;
efi_boot_services *rt_bs;
efi_runtime_services *rt_rs;

efi_status rt_init(efi_handle image, efi_system_table *st)
{
	if (!image || !st || !st->boot_services || !st->con_out)
		return EFI_INVALID_PARAMETER;
	rt_image = image;
	rt_st = st;
	rt_bs = st->boot_services;
	rt_rs = st->runtime_services;
	/* The firmware arms a 5-minute watchdog for boot applications; a slow download must not trip it. */
	rt_bs->set_watchdog_timer(0, 0, 0, NULL);
	console_init();
	clock_init();
	return EFI_SUCCESS;
}
