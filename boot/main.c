/* main.c: the loader's main flow. For now: banner, memory-map summary, inventory of the firmware protocols
 * the loader builds on, then a clean return to the firmware. */
#include <arch/cpu.h>
#include <stdio.h>

#include "inventory.h"
#include "log.h"
#include "rt.h"

efi_status loader_main(void)
{
	char vendor[64];
	rt_char16_to_ascii(rt_st->firmware_vendor, vendor, sizeof(vendor));
	/* UEFI revisions are major << 16 | minor * 10 + subminor: 2.70 is "2.7", 2.31 is "2.3.1". */
	uint32_t uefi = rt_st->hdr.revision, minor = uefi & 0xffff;
	char spec[24];
	snprintf(spec, sizeof(spec), minor % 10 ? "%u.%u.%u" : "%u.%u", uefi >> 16, minor / 10, minor % 10);
	log_info("cloud-boot %s %s %s 0x%08x (UEFI %s)", CB_VERSION, ARCH_NAME, vendor, rt_st->firmware_revision,
	         spec);
	log_milestone("loader started");

	inventory_memory();
	inventory_protocols();

	log_milestone("done, returning to firmware");
	return EFI_SUCCESS;
}
