/* payload.c: a tiny EFI application booted *as the kernel* by the handoff tests where no Linux kernel runs
 * under QEMU (loongarch64), and as a handoff probe anywhere: it prints its LoadOptions, fetches the initrd
 * through LoadFile2 on the Linux initrd media device path exactly as Linux's EFI stub does, prints a marker
 * line with the initrd's size and CRC-32, and returns. Not part of the loader. */
#include <arch/cpu.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "efi/protocols.h"
#include "log.h"
#include "rt.h"

/* The initrd's size and CRC-32 as the Linux EFI stub would receive it; false when there is none. */
static bool read_initrd(uint64_t *size, uint32_t *crc)
{
	static const efi_guid lf2_guid = EFI_LOAD_FILE2_PROTOCOL_GUID;
	struct efi_vendor_media_path dp = EFI_VENDOR_MEDIA_PATH(LINUX_EFI_INITRD_MEDIA_GUID);
	efi_device_path *p = &dp.vendor;
	efi_handle h;
	efi_load_file2 *lf2;
	if (rt_bs->locate_device_path(&lf2_guid, &p, &h) != EFI_SUCCESS ||
	    rt_bs->handle_protocol(h, &lf2_guid, (void **)&lf2) != EFI_SUCCESS)
		return false;
	*size = 0;
	if (lf2->load_file(lf2, &dp.vendor, false, size, NULL) != EFI_BUFFER_TOO_SMALL)
		return false;
	void *buf = malloc(*size ? *size : 1);
	if (!buf || lf2->load_file(lf2, &dp.vendor, false, size, buf) != EFI_SUCCESS) {
		free(buf);
		return false;
	}
	*crc = crc32_update(0, buf, *size);
	free(buf);
	return true;
}

efi_status loader_main(void)
{
	static const efi_guid li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	efi_loaded_image *li = NULL;
	char cmdline[512] = "";
	if (rt_bs->handle_protocol(rt_image, &li_guid, (void **)&li) == EFI_SUCCESS && li->load_options &&
	    li->load_options_size >= 2)
		rt_char16_to_ascii(li->load_options, cmdline, sizeof(cmdline));
	uint64_t size = 0;
	uint32_t crc = 0;
	if (read_initrd(&size, &crc))
		log_info("CLOUD-BOOT-PAYLOAD-OK %s initrd=%llu crc32=%08x cmdline=\"%s\"", ARCH_NAME,
		         (unsigned long long)size, crc, cmdline);
	else
		log_info("CLOUD-BOOT-PAYLOAD-OK %s initrd=none cmdline=\"%s\"", ARCH_NAME, cmdline);
	return EFI_SUCCESS;
}
