/* iso_test.c: cloud-boot-iso's pieces on crafted input: platform names, hostile PE headers, the ESP rule and
 * layout at their edges, exact ISO 9660 / El Torito bytes, fs/gpt_write read back by fs/part, refusals. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockdev_mem.h"
#include "fs_test.h"
#include "gpt_write.h"
#include "iso.h"
#include "part.h"

#define MIB (1024ull * 1024)

static void w16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void w32(uint8_t *p, uint32_t v) { w16(p, (uint16_t)v); w16(p + 2, (uint16_t)(v >> 16)); }
static uint16_t r16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t r32(const uint8_t *p) { return (uint32_t)r16(p) | (uint32_t)r16(p + 2) << 16; }
static uint32_t rbe32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void test_arch(void)
{
	static const struct {
		const char *in;
		int arch;
		const char *msg;
	} cases[] = {
		{ "linux/amd64", ISO_ARCH_AMD64, "" },
		{ "x86_64", ISO_ARCH_AMD64, "" },
		{ "linux/aarch64", ISO_ARCH_ARM64, "" },
		{ "arm64", ISO_ARCH_ARM64, "" },
		{ "linux/riscv64", ISO_ARCH_RISCV64, "" },
		{ "loong64", ISO_ARCH_LOONG64, "" },
		{ "linux/loongarch64", ISO_ARCH_LOONG64, "" },
		{ "windows/amd64", -1, "platform 'windows/amd64': only linux/ARCH platforms are known" },
		{ "linux/ppc64le", -1, "platform 'linux/ppc64le': unknown architecture (amd64, arm64, riscv64, loong64;" },
		{ "linux/", -1, "platform 'linux/': unknown architecture" },
		{ "linux//amd64", -1, "unknown architecture" },
		{ "", -1, "platform '': unknown architecture" },
		{ "AMD64", -1, "unknown architecture" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum iso_arch a = ISO_ARCH_COUNT;
		struct cb_err e = { 0, "" };
		int rc = iso_arch_parse(cases[i].in, &a, &e);
		CHECK_INT(rc, cases[i].arch < 0 ? CB_EINVAL : 0, cases[i].in);
		if (cases[i].arch >= 0)
			CHECK_INT(a, cases[i].arch, cases[i].in);
		CHECK_HAS(e.msg, cases[i].msg, cases[i].in);
	}
	CHECK_STR(iso_arch_of_machine(0x5064), "riscv64", "riscv64 machine");
	CHECK_STR(iso_arch_of_machine(0x6264), "loong64", "loong64 machine");
	CHECK(iso_arch_of_machine(0x14c) == NULL, "i386 is not ours");
	CHECK_STR(iso_arch_table[ISO_ARCH_LOONG64].efi_name, "BOOTLOONGARCH64.EFI", "loong64 file name");
	CHECK_STR(iso_arch_table[ISO_ARCH_ARM64].efi_name, "BOOTAA64.EFI", "arm64 file name");
}

/* A minimal PE32+ EFI application header: PE at 0x80, 240-byte optional header, 2 sections. */
#define PE_OFF 0x80
#define OPT_OFF (PE_OFF + 24)
#define SEC_OFF (OPT_OFF + 240)
static size_t make_pe(uint8_t *b, size_t cap)
{
	memset(b, 0, cap);
	b[0] = 'M';
	b[1] = 'Z';
	w32(b + 0x3c, PE_OFF);
	memcpy(b + PE_OFF, "PE\0\0", 4);
	w16(b + PE_OFF + 4, 0xAA64);
	w16(b + PE_OFF + 6, 2);
	w16(b + PE_OFF + 20, 240);
	w16(b + OPT_OFF, 0x20b);
	w32(b + OPT_OFF + 60, 0x400); /* SizeOfHeaders */
	w16(b + OPT_OFF + 68, 10);
	memcpy(b + SEC_OFF, ".text", 5);
	w32(b + SEC_OFF + 16, 0x1000);
	w32(b + SEC_OFF + 20, 0x400);
	memcpy(b + SEC_OFF + 40, ".data", 5);
	w32(b + SEC_OFF + 40 + 16, 0x200);
	w32(b + SEC_OFF + 40 + 20, 0x1400);
	return 0x1600; /* the file size the sections need */
}

static void test_pe(void)
{
	static const struct {
		const char *what;
		int mutate;
		int code;
		const char *msg;
	} cases[] = {
		{ "valid", 0, 0, "" },
		{ "tiny file", 1, CB_EINVAL, "truncated: 10 bytes is too short for a DOS (MZ) header" },
		{ "no MZ", 2, CB_EINVAL, "no MZ signature: not a PE/EFI image" },
		{ "PE offset past the file", 3, CB_EINVAL,
		  "truncated: the PE header (bytes 8192..8215) ends past the end of the file (5632 bytes)" },
		{ "PE offset wraps", 4, CB_EINVAL,
		  "truncated: the PE header (bytes 4294967295..4294967318) ends past the end of the file" },
		{ "PE offset past the head", 5, CB_EINVAL,
		  "the PE header (bytes 2048..2071) lies beyond the first 2048 bytes, where PE headers belong" },
		{ "no PE signature", 6, CB_EINVAL, "no PE signature at offset 128: not a PE/EFI image" },
		{ "small optional header", 7, CB_EINVAL, "optional header of 16 bytes is too small for a PE32+ image" },
		{ "PE32", 8, CB_EINVAL, "a PE32 (32-bit) image: UEFI on 64-bit CPUs needs PE32+" },
		{ "ROM magic", 9, CB_EINVAL, "optional header magic 0x0107 is not PE32+ (0x020b)" },
		{ "console subsystem", 10, CB_EINVAL, "PE subsystem 3 is not an EFI application (10)" },
		{ "no sections", 11, CB_EINVAL, "0 sections (an EFI image has 1..96)" },
		{ "97 sections", 12, CB_EINVAL, "97 sections (an EFI image has 1..96)" },
		{ "section table past the file", 13, CB_EINVAL,
		  "truncated: the section table (bytes 392..3151) ends past the end of the file (1024 bytes)" },
		{ "headers past the file", 14, CB_EINVAL, "truncated: SizeOfHeaders is 65536 bytes but the file has 5632" },
		{ "truncated section", 15, CB_EINVAL,
		  "truncated: section 2 '.data' (file bytes 5120..5631) ends past the end of the file (5631 bytes)" },
		{ "section wraps", 16, CB_EINVAL, "truncated: section 1 '.t?xt' (file bytes 4294967295..4294971390)" },
		{ "optional header past the head", 17, CB_EINVAL,
		  "the optional header (bytes 152..65686) lies beyond the first 8192 bytes" },
	};
	uint8_t b[0x2000];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t fsize = make_pe(b, sizeof(b));
		size_t head = sizeof(b);
		switch (cases[i].mutate) {
		case 1: fsize = 10; break;
		case 2: b[1] = 'X'; break;
		case 3: w32(b + 0x3c, 0x2000); break;
		case 4: w32(b + 0x3c, 0xFFFFFFFF); break;
		case 5: w32(b + 0x3c, 0x800); head = 0x800; break;
		case 6: b[PE_OFF + 1] = 'X'; break;
		case 7: w16(b + PE_OFF + 20, 16); break;
		case 8: w16(b + OPT_OFF, 0x10b); break;
		case 9: w16(b + OPT_OFF, 0x107); break;
		case 10: w16(b + OPT_OFF + 68, 3); break;
		case 11: w16(b + PE_OFF + 6, 0); break;
		case 12: w16(b + PE_OFF + 6, 97); break;
		case 13: w16(b + PE_OFF + 6, 69); fsize = 1024; break;
		case 14: w32(b + OPT_OFF + 60, 0x10000); break;
		case 15: fsize = 0x15FF; break;
		case 16: w32(b + SEC_OFF + 20, 0xFFFFFFFF); b[SEC_OFF + 2] = 0x80; break;
		case 17: w16(b + PE_OFF + 20, 0xFFFF); fsize = 0x20000; break;
		}
		struct iso_pe_info pe;
		struct cb_err e = { 0, "" };
		int rc = iso_pe_check(b, head, fsize, &pe, &e);
		CHECK_INT(rc, cases[i].code, cases[i].what);
		CHECK_HAS(e.msg, cases[i].msg, cases[i].what);
		if (!cases[i].code)
			CHECK(pe.machine == 0xAA64 && pe.subsystem == 10 && pe.nsections == 2, "valid: fields");
	}
}

static void test_esp_size(void)
{
	static const struct {
		uint64_t total, esp;
		int code;
	} cases[] = {
		{ 0, 16 * MIB, 0 },
		{ 1, 16 * MIB, 0 },
		{ 5592405, 16 * MIB, 0 },          /* 1.5 × total + 8 MiB = 16 MiB - 0.5 byte: still 16 */
		{ 5592406, 32 * MIB, 0 },          /* one byte more: 32 */
		{ 2 * 2239488ull, 16 * MIB, 0 },   /* four ~2 MiB loaders (whatever the split) */
		{ 100 * MIB, 160 * MIB, 0 },       /* 158 → 160 */
		{ 2714 * MIB, 4080 * MIB, 0 },     /* 4079 → 4080, the largest */
		{ 2715 * MIB, 0, CB_ELIMIT },      /* 4080.5 → 4096: too big for an ISO file */
		{ UINT64_MAX / 2, 0, CB_ELIMIT },  /* × 3 overflows */
		{ UINT64_MAX / 3, 0, CB_ELIMIT },  /* far too big */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t esp = 0;
		struct cb_err e = { 0, "" };
		char ctx[64];
		snprintf(ctx, sizeof(ctx), "ESP for %llu bytes", (unsigned long long)cases[i].total);
		CHECK_INT(iso_esp_size(cases[i].total, &esp, &e), cases[i].code, ctx);
		if (!cases[i].code)
			CHECK_INT(esp, cases[i].esp, ctx);
		else
			CHECK_HAS(e.msg, "bytes of EFI files need an ESP larger than the 4080 MiB an ISO 9660 file can hold", ctx);
	}
}

static void test_layout(void)
{
	struct iso_layout l;
	struct cb_err e = { 0, "" };
	CHECK_INT(iso_layout_make(16 * MIB, &l, &e), 0, e.msg);
	CHECK_INT(l.esp_lba, 32, "ESP block");
	CHECK_INT(l.volume_blocks, 32 + 8192, "volume blocks");
	CHECK_INT(l.boot_sectors, 32768, "El Torito load size");
	CHECK_INT(l.disk_sectors, (32 + 8192) * 4 + 64, "disk sectors");
	CHECK_INT(l.gap_first, 64, "gap first");
	CHECK_INT(l.gap_last, 127, "gap last");
	CHECK_INT(l.esp_first, 128, "ESP first");
	CHECK_INT(l.esp_last, 128 + 32768 - 1, "ESP last");
	CHECK_INT(iso_layout_make(32 * MIB, &l, &e), 0, e.msg);
	CHECK_INT(l.boot_sectors, 0, "65536 sectors do not fit 16 bits: 0, as xorriso writes");
	CHECK_INT(iso_layout_make(4080 * MIB, &l, &e), 0, e.msg);
	CHECK_INT(l.volume_blocks, 32 + 4080 * 512, "largest volume");
	static const uint64_t bad[] = { 0, 17 * MIB, 4096 * MIB, UINT64_MAX };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(iso_layout_make(bad[i], &l, &e), CB_EINVAL, "bad ESP size");
		CHECK_HAS(e.msg, "is not a multiple of 16 MiB in 16..4080 MiB", "bad ESP size message");
	}
}

static void test_iso9660(void)
{
	static uint8_t meta[ISO_META_BLOCKS * ISO_BLOCK];
	struct iso_layout l;
	struct cb_err e = { 0, "" };
	iso_layout_make(48 * MIB, &l, &e);
	struct iso_time t = { 2026, 12, 4, 14, 29, 7 };
	CHECK_INT(iso9660_build(meta, &l, "CLOUD_BOOT_2", &t, &e), 0, e.msg);
	const uint8_t *pvd = meta, *br = meta + ISO_BLOCK, *term = meta + 2 * ISO_BLOCK;
	CHECK(pvd[0] == 1 && memcmp(pvd + 1, "CD001", 5) == 0 && pvd[6] == 1, "PVD header");
	CHECK(memcmp(pvd + 40, "CLOUD_BOOT_2                    ", 32) == 0, "volume ID padded with spaces");
	CHECK_INT(r32(pvd + 80), 32 + 48 * 512, "volume space (LE)");
	CHECK_INT(rbe32(pvd + 84), 32 + 48 * 512, "volume space (BE)");
	CHECK_INT(r16(pvd + 128), 2048, "block size");
	CHECK_INT(r32(pvd + 140), ISO_LBA_PATH_L, "L path table");
	CHECK_INT(rbe32(pvd + 148), ISO_LBA_PATH_M, "M path table");
	CHECK(pvd[156] == 34 && r32(pvd + 156 + 2) == ISO_LBA_ROOT && pvd[156 + 25] == 2, "root record");
	CHECK(memcmp(pvd + 813, "2026120414290700", 16) == 0 && pvd[829] == 0, "creation date");
	CHECK(memcmp(pvd + 847, "0000000000000000", 16) == 0, "no expiration date");
	CHECK(memcmp(pvd + 574, "CLOUD-BOOT-ISO ", 15) == 0, "application ID");
	CHECK_INT(pvd[881], 1, "file structure version");
	CHECK(br[0] == 0 && memcmp(br + 7, "EL TORITO SPECIFICATION\0", 24) == 0, "boot record");
	CHECK_INT(r32(br + 71), ISO_LBA_CATALOG, "catalog block");
	CHECK(term[0] == 255 && memcmp(term + 1, "CD001", 5) == 0, "terminator");
	const uint8_t *cat = meta + (ISO_LBA_CATALOG - ISO_LBA_PVD) * ISO_BLOCK;
	uint16_t sum = 0;
	for (int i = 0; i < 32; i += 2)
		sum = (uint16_t)(sum + r16(cat + i));
	CHECK(cat[0] == 1 && cat[1] == 0xEF && cat[30] == 0x55 && cat[31] == 0xAA && sum == 0, "validation entry");
	CHECK(cat[32] == 0x88 && cat[33] == 0 && r16(cat + 38) == 0 && r32(cat + 40) == 32, "default entry (48 MiB: 0)");
	const uint8_t *root = meta + (ISO_LBA_ROOT - ISO_LBA_PVD) * ISO_BLOCK;
	size_t o = (size_t)root[0] + root[root[0]];
	CHECK(root[32] == 1 && root[33] == 0 && root[root[0] + 33] == 1, "dot and dotdot");
	CHECK(root[o] == 44 && memcmp(root + o + 33, "BOOT.CAT;1", 10) == 0 && r32(root + o + 2) == ISO_LBA_CATALOG,
	      "BOOT.CAT record");
	o += root[o];
	CHECK(root[o] == 46 && memcmp(root + o + 33, "EFIBOOT.IMG;1", 13) == 0 && r32(root + o + 2) == 32 &&
	      r32(root + o + 10) == 48 * MIB && root[o + 18] == 126 && root[o + 23] == 7, "EFIBOOT.IMG record");
	CHECK_INT(root[o + 46], 0, "end of directory");
	const uint8_t *pl = meta + (ISO_LBA_PATH_L - ISO_LBA_PVD) * ISO_BLOCK;
	CHECK(pl[0] == 1 && r32(pl + 2) == ISO_LBA_ROOT && r16(pl + 6) == 1, "L path table record");

	iso_layout_make(16 * MIB, &l, &e);
	CHECK_INT(iso9660_build(meta, &l, "CLOUDBOOT", &t, &e), 0, e.msg);
	CHECK_INT(r16(cat + 38), 32768, "16 MiB: load size in 512-byte sectors");

	static const struct {
		const char *id;
		struct iso_time t;
		const char *msg;
	} bad[] = {
		{ "cloudboot", { 2026, 1, 1, 0, 0, 0 }, "volume ID 'cloudboot': use 1..32 characters of A-Z, 0-9 and _" },
		{ "", { 2026, 1, 1, 0, 0, 0 }, "volume ID '': use" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", { 2026, 1, 1, 0, 0, 0 }, "volume ID 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456'" },
		{ "A-B", { 2026, 1, 1, 0, 0, 0 }, "volume ID 'A-B'" },
		{ "OK", { 1969, 12, 31, 23, 59, 59 }, "timestamp 1969-12-31 23:59:59 is outside 1970..2155" },
		{ "OK", { 2026, 13, 1, 0, 0, 0 }, "timestamp 2026-13-1 0:0:0 is outside" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(iso9660_build(meta, &l, bad[i].id, &bad[i].t, &e), CB_EINVAL, bad[i].id);
		CHECK_HAS(e.msg, bad[i].msg, bad[i].id);
	}
}

static const uint8_t esp_type[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
				      0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };

/* The ISO's table through a memory disk, read back by fs/part's own reader, primary and backup. */
static void test_gpt_write(void)
{
	struct iso_layout l;
	struct cb_err e = { 0, "" };
	iso_layout_make(16 * MIB, &l, &e);
	size_t bytes = l.disk_sectors * 512;
	uint8_t *buf = calloc(1, bytes);
	memset(buf, 0x5A, 440); /* boot code area: left alone */
	struct blockdev_mem m;
	blockdev_mem_init(&m, buf, bytes, 512, true, "iso0");
	struct gpt_write_part parts[2];
	memset(parts, 0, sizeof(parts));
	parts[0].index = 0;
	parts[0].type_guid[0] = 0xa2;
	parts[0].part_guid[0] = 1;
	parts[0].first_lba = l.gap_first;
	parts[0].last_lba = l.gap_last;
	parts[0].attributes = 0x1000000000000001ull;
	parts[0].name = "ISO9660";
	parts[1].index = 1;
	memcpy(parts[1].type_guid, esp_type, 16);
	parts[1].part_guid[0] = 2;
	parts[1].first_lba = l.esp_first;
	parts[1].last_lba = l.esp_last;
	parts[1].name = "ESP";
	struct gpt_write_layout g = { 512, ISO_GPT_ENTRIES, { 9, 8, 7 }, parts, 2 };
	CHECK_INT(gpt_write(&m.dev, &g, &e), 0, e.msg);
	CHECK(buf[0] == 0x5A && buf[439] == 0x5A, "boot code kept");
	CHECK(buf[446 + 4] == 0xEE && r32(buf + 446 + 8) == 1 && r32(buf + 446 + 12) == l.disk_sectors - 1 &&
	      buf[510] == 0x55 && buf[511] == 0xAA && buf[446 + 16 + 4] == 0, "protective MBR");
	struct part_table t;
	CHECK_INT(part_scan(&m.dev, &t, &e), 0, e.msg);
	CHECK(t.scheme == PART_SCHEME_GPT && t.count == 2 && !t.used_backup && t.protective_mbr && !t.warning[0],
	      "read back: %s", t.warning);
	const struct part_info *p2 = part_by_label(&t, "ESP");
	CHECK(p2 && p2->number == 2 && p2->first_lba == 128 && p2->size == 16 * MIB &&
	      memcmp(p2->type_guid, esp_type, 16) == 0, "ESP entry");
	const struct part_info *p1 = part_by_number(&t, 1);
	CHECK(p1 && strcmp(p1->label, "ISO9660") == 0 && p1->attributes == 0x1000000000000001ull, "gap entry");
	CHECK(t.disk_guid[0] == 9 && t.disk_guid[2] == 7, "disk GUID");
	part_table_free(&t);
	CHECK_INT(r32(buf + 512 + 80), ISO_GPT_ENTRIES, "entry count");
	CHECK(r32(buf + 512 + 40) == 64 && r32(buf + 512 + 48) == l.disk_sectors - 64, "usable range 64..N-64");
	/* Primary header destroyed: the backup at the last sector gives the same table. */
	memset(buf + 512, 0, 512);
	CHECK_INT(part_scan(&m.dev, &t, &e), 0, e.msg);
	CHECK(t.used_backup && t.count == 2, "backup table");
	part_table_free(&t);
	free(buf);

	/* 4 KiB sectors: 248 entries do not fill whole sectors, 128 do. */
	uint8_t *b4 = calloc(1, 64 * 4096);
	blockdev_mem_init(&m, b4, 64 * 4096, 4096, true, "disk4k");
	struct gpt_write_part one = { 0, { 1 }, { 2 }, 6, 57, 0, "data" };
	struct gpt_write_layout g4 = { 4096, 0, { 1 }, &one, 1 };
	CHECK_INT(gpt_write(&m.dev, &g4, &e), 0, e.msg);
	CHECK_INT(part_scan(&m.dev, &t, &e), 0, e.msg);
	CHECK(t.sector_size == 4096 && t.count == 1 && t.parts[0].first_lba == 6 && t.parts[0].last_lba == 57, "4K table");
	part_table_free(&t);
	free(b4);
}

static void test_gpt_write_refusals(void)
{
	uint8_t *buf = calloc(1, 2048 * 512);
	struct blockdev_mem m;
	blockdev_mem_init(&m, buf, 2048 * 512, 512, true, "d");
	static const struct {
		const char *what;
		int mutate;
		const char *msg;
	} cases[] = {
		{ "overlap", 1, "gpt: partitions 1 and 2 overlap" },
		{ "before first usable", 2, "gpt: partition 1 (LBA 33..100) is outside the usable range 34..2014" },
		{ "after last usable", 3, "gpt: partition 2 (LBA 200..2015) is outside the usable range 34..2014" },
		{ "reversed", 4, "gpt: partition 2 (LBA 300..200)" },
		{ "twice", 5, "gpt: partition 1 is given twice" },
		{ "index", 6, "gpt: partition 129 does not fit in a 128-entry array" },
		{ "no type", 7, "gpt: partition 1 has no type GUID" },
		{ "long name", 8, "gpt: partition 1: name '0123456789012345678901234567890123456' is longer than 36 characters" },
		{ "name bytes", 9, "gpt: partition 1: name has a byte 0xc3 that is not printable ASCII" },
		{ "entry count", 10, "gpt: 3 entries do not fill whole 512-byte sectors (or exceed 4096)" },
		{ "sector size", 11, "gpt: sector size 1024 is not 512 or 4096" },
		{ "too many entries", 12, "gpt: 8192 entries do not fill whole 512-byte sectors (or exceed 4096)" },
		{ "read-only", 13, "gpt: d is read-only" },
		{ "tiny disk", 14, "gpt: a disk of 67 sectors has no room for two headers and two 32-sector entry arrays" },
		{ "odd size", 15, "gpt: d: size 1048575 is not a multiple of 512" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gpt_write_part p[2] = { { 0, { 1 }, { 1 }, 34, 100, 0, "a" }, { 1, { 1 }, { 2 }, 200, 300, 0, "b" } };
		struct gpt_write_layout g = { 512, 128, { 1 }, p, 2 };
		blockdev_mem_init(&m, buf, 2048 * 512, 512, true, "d");
		switch (cases[i].mutate) {
		case 1: p[1].first_lba = 100; break;
		case 2: p[0].first_lba = 33; break;
		case 3: p[1].last_lba = 2015; break;
		case 4: p[1].first_lba = 300; p[1].last_lba = 200; break;
		case 5: p[1].index = 0; break;
		case 6: p[0].index = 128; break;
		case 7: memset(p[0].type_guid, 0, 16); break;
		case 8: p[0].name = "0123456789012345678901234567890123456"; break;
		case 9: p[0].name = "caf\xc3\xa9"; break;
		case 10: g.entry_count = 3; break;
		case 11: g.sector_size = 1024; break;
		case 12: g.entry_count = 8192; break;
		case 13: m.dev.write = NULL; break;
		case 14: m.dev.size = 67 * 512; break;
		case 15: m.dev.size = 2048 * 512 - 1; break;
		}
		struct cb_err e = { 0, "" };
		CHECK_INT(gpt_write(&m.dev, &g, &e), CB_EINVAL, cases[i].what);
		CHECK_HAS(e.msg, cases[i].msg, cases[i].what);
	}
	free(buf);
}

int main(void)
{
	test_arch();
	test_pe();
	test_esp_size();
	test_layout();
	test_iso9660();
	test_gpt_write();
	test_gpt_write_refusals();
	return fs_test_done("iso");
}
