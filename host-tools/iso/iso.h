/* iso.h: the pieces of cloud-boot-iso: architectures and their PE machines, the PE header check, the image
 * layout (ESP size rule, sectors), the ISO 9660 + El Torito structures and the whole-image writer. */
#ifndef CB_ISO_H
#define CB_ISO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

/* ---- architectures (iso_arch.c) ---- */

enum iso_arch { ISO_ARCH_AMD64, ISO_ARCH_ARM64, ISO_ARCH_RISCV64, ISO_ARCH_LOONG64, ISO_ARCH_COUNT };

struct iso_arch_info {
	const char *name;     /* OCI platform architecture: amd64, arm64, riscv64, loong64 */
	const char *alias;    /* the kernel's name: x86_64, aarch64, riscv64, loongarch64 */
	uint16_t pe_machine;  /* 0x8664, 0xAA64, 0x5064, 0x6264 */
	const char *efi_name; /* BOOTX64.EFI, … as in \EFI\BOOT\ */
};

extern const struct iso_arch_info iso_arch_table[ISO_ARCH_COUNT];

/* "amd64" or "linux/amd64" (or an alias) → the arch. CB_EINVAL with a message listing the known names. */
int iso_arch_parse(const char *platform, enum iso_arch *out, struct cb_err *e);
/* The arch name of a PE machine value, or NULL. */
const char *iso_arch_of_machine(uint16_t machine);

/* ---- PE header check (iso_pe.c) ---- */

#define ISO_PE_HEADER_MAX 65536u /* bytes of a file the header check reads at most */

struct iso_pe_info {
	uint16_t machine;
	uint16_t subsystem;
	uint16_t nsections;
};

/* Checks that head (the first head_len bytes of a file of file_size bytes) starts a PE32+ EFI application
 * whose headers and section data all lie inside the file. Errors name the field and the offsets. */
int iso_pe_check(const uint8_t *head, size_t head_len, uint64_t file_size, struct iso_pe_info *out,
		 struct cb_err *e);

/* ---- layout (iso_layout.c) ---- */

#define ISO_BLOCK 2048u
#define ISO_SECTOR 512u
#define ISO_ESP_ROUND (16u << 20)    /* the ESP size is rounded up to this */
#define ISO_ESP_EXTRA (8u << 20)     /* and has this much room on top of 1.5 × the files */
#define ISO_ESP_MAX (4080ull << 20)  /* an ISO 9660 file (the ESP is one) stays below 4 GiB */
#define ISO_GPT_ENTRIES 248u         /* as xorriso: the array fills LBA 2..63, the ISO starts at LBA 64 */

/* Block numbers (2048-byte) of the fixed ISO 9660 structures. */
enum {
	ISO_LBA_PVD = 16,
	ISO_LBA_BOOT_RECORD = 17,
	ISO_LBA_TERMINATOR = 18,
	ISO_LBA_PATH_L = 19,
	ISO_LBA_PATH_M = 20,
	ISO_LBA_ROOT = 21,
	ISO_LBA_CATALOG = 22,
	ISO_LBA_ESP = 32, /* the ESP starts 64 KiB into the image, 32 KiB-aligned */
};

struct iso_layout {
	uint64_t esp_bytes;     /* size of the ESP (a multiple of ISO_ESP_ROUND) */
	uint32_t esp_lba;       /* first 2048-byte block of the ESP: ISO_LBA_ESP */
	uint32_t volume_blocks; /* the ISO 9660 volume: metadata + ESP (the ESP is the file EFIBOOT.IMG) */
	uint16_t boot_sectors;  /* El Torito load size in 512-byte sectors; 0 when it does not fit in 16 bits */
	uint64_t disk_sectors;  /* whole image in 512-byte sectors, backup GPT included (a multiple of 4) */
	uint64_t gap_first, gap_last; /* GPT partition 1: the ISO 9660 metadata (512-byte LBAs) */
	uint64_t esp_first, esp_last; /* GPT partition 2: the ESP, the same bytes as the El Torito image */
};

/* ESP size for files totalling `total` bytes: total × 1.5 + 8 MiB, rounded up to 16 MiB. CB_ELIMIT past
 * ISO_ESP_MAX (or on overflow). */
int iso_esp_size(uint64_t total, uint64_t *esp_bytes, struct cb_err *e);
/* The whole layout for an ESP of esp_bytes (a multiple of ISO_ESP_ROUND, at most ISO_ESP_MAX). */
int iso_layout_make(uint64_t esp_bytes, struct iso_layout *l, struct cb_err *e);

/* ---- ISO 9660 + El Torito (iso9660.c) ---- */

struct iso_time {
	int year, month, day, hour, minute, second; /* UTC */
};

/* Block size of the area iso9660_build fills: blocks ISO_LBA_PVD .. ISO_LBA_ESP - 1. */
#define ISO_META_BLOCKS (ISO_LBA_ESP - ISO_LBA_PVD)

/* 0 for a volume ID of 1..32 characters of A-Z 0-9 _ (ISO 9660 d-characters), else CB_EINVAL. */
int iso9660_check_volume_id(const char *volume_id, struct cb_err *e);

/* Fills meta (ISO_META_BLOCKS × 2048 bytes, starting at block 16) with the primary volume descriptor, the
 * El Torito boot record, the terminator, both path tables, the root directory (BOOT.CAT, EFIBOOT.IMG) and
 * the boot catalog (validation entry for platform 0xEF, default entry: no emulation, the ESP).
 * volume_id: up to 32 characters of A-Z 0-9 _. */
int iso9660_build(uint8_t *meta, const struct iso_layout *l, const char *volume_id, const struct iso_time *t,
		  struct cb_err *e);

/* ---- the whole image (iso_write.c; POSIX) ---- */

struct iso_input {
	enum iso_arch arch;
	const char *path;
};

struct iso_opts {
	const struct iso_input *inputs;
	unsigned ninputs;          /* 1..ISO_ARCH_COUNT, one per arch */
	const char *output;
	bool force;                /* replace an existing output */
	const char *volume_id;     /* NULL: "CLOUDBOOT" */
	int64_t unix_time;         /* volume and file timestamps */
	const uint8_t *guid_seed;  /* 16 random bytes the GUIDs and the FAT serial are made from */
};

/* Checks every input, then writes the image to a temporary file next to output and renames it into place.
 * On failure nothing is left behind and e names the file and the reason. */
int iso_write(const struct iso_opts *o, struct cb_err *e);

#endif
