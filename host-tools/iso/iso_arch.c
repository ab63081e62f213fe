/* iso_arch.c: the four UEFI architectures cloud-boot-iso knows: platform names (and their kernel aliases),
 * PE machine values and the removable-media file names \EFI\BOOT\BOOT<ARCH>.EFI. Names only, no I/O. */
#include <string.h>

#include "iso.h"

const struct iso_arch_info iso_arch_table[ISO_ARCH_COUNT] = {
	[ISO_ARCH_AMD64] = { "amd64", "x86_64", 0x8664, "BOOTX64.EFI" },
	[ISO_ARCH_ARM64] = { "arm64", "aarch64", 0xAA64, "BOOTAA64.EFI" },
	[ISO_ARCH_RISCV64] = { "riscv64", "riscv64", 0x5064, "BOOTRISCV64.EFI" },
	[ISO_ARCH_LOONG64] = { "loong64", "loongarch64", 0x6264, "BOOTLOONGARCH64.EFI" },
};

int iso_arch_parse(const char *platform, enum iso_arch *out, struct cb_err *e)
{
	const char *arch = platform;
	const char *slash = strchr(platform, '/');
	if (slash) {
		if ((size_t)(slash - platform) != 5 || strncmp(platform, "linux", 5) != 0)
			return cb_errf(e, CB_EINVAL, "platform '%s': only linux/ARCH platforms are known", platform);
		arch = slash + 1;
	}
	for (int i = 0; i < ISO_ARCH_COUNT; i++)
		if (strcmp(arch, iso_arch_table[i].name) == 0 || strcmp(arch, iso_arch_table[i].alias) == 0) {
			*out = (enum iso_arch)i;
			return 0;
		}
	return cb_errf(e, CB_EINVAL, "platform '%s': unknown architecture (amd64, arm64, riscv64, loong64; or "
		       "x86_64, aarch64, loongarch64)", platform);
}

const char *iso_arch_of_machine(uint16_t machine)
{
	for (int i = 0; i < ISO_ARCH_COUNT; i++)
		if (iso_arch_table[i].pe_machine == machine)
			return iso_arch_table[i].name;
	return NULL;
}
