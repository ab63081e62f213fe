/* rt.h: the runtime's entry points and the firmware tables it owns. Only runtime/, drivers/ and boot/ use
 * this; fs/, oci/ and net/ protocol code never see UEFI. */
#ifndef CB_RT_H
#define CB_RT_H

#include "efi/efi.h"

extern efi_handle rt_image;
extern efi_system_table *rt_st;
extern efi_boot_services *rt_bs;
extern efi_runtime_services *rt_rs;

/* Called by the arch entry stub before loader_main(): tables, console, clock. Non-zero: give up. */
efi_status rt_init(efi_handle image, efi_system_table *st);

/* The loader's main, called by the arch entry stub after rt_init(). */
efi_status loader_main(void);

/* Ends the application with `status` after printing the reason; never returns. */
_Noreturn void rt_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void rt_exit(efi_status status);

/* Human-readable name of an EFI status code ("EFI_NOT_FOUND"), never NULL. */
const char *efi_status_str(efi_status status);

/* Handles carrying `proto` (firmware-allocated buffer in *handles, free with rt_bs->free_pool); 0 if none. */
uint64_t rt_handles_for(const efi_guid *proto, efi_handle **handles);

/* A UTF-16 firmware string as ASCII into buf (non-ASCII as '?'); returns buf. */
char *rt_char16_to_ascii(const char16 *s, char *buf, size_t size);

#endif
