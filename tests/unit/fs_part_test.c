/* fs_part_test.c: GPT and MBR parsing of crafted in-memory disks: valid tables, UTF-16 labels, bad CRCs
 * with a good backup, bad limits (entry size/count), out-of-range and overlapping entries, extended
 * partition chains with loops, protective MBR rules, 4 KiB sectors and the bounds of partition views. */
#include <stdint.h>
#include <stdlib.h>

#include "blockdev_mem.h"
#include "crc32.h"
#include "fs_test.h"
#include "fs_test_disk.h"
#include "part.h"

#define NSECT 2048

struct disk {
	uint8_t *buf;
	struct blockdev_mem m;
};

static struct cb_blockdev *disk_new(struct disk *dk, uint64_t bytes, uint32_t ss)
{
	dk->buf = calloc(1, bytes);
	blockdev_mem_init(&dk->m, dk->buf, bytes, ss, false, "disk0");
	return &dk->m.dev;
}

static void test_gpt_valid(void)
{
	struct disk dk;
	struct cb_blockdev *dev = disk_new(&dk, NSECT * 512, 512);
	static const uint16_t sys[] = { 'S', 'y', 's', 't', 0xE8, 'm', 'e', ' ', 0xD83D, 0xDE00, 0 };
	struct gp parts[] = { { 34, 99, "EFI-SYSTEM", NULL, 0 }, { 100, 2013, NULL, sys, 1 } };
	struct gpt_layout l = { 512, 128, 128, NSECT };
	gpt_make(dk.buf, &l, parts, 2);
	struct part_table t;
	struct cb_err e = { 0, "" };
	CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
	CHECK_INT(t.scheme, PART_SCHEME_GPT, "scheme");
	CHECK_INT(t.count, 2, "count");
	CHECK(!t.used_backup && !t.warning[0], "no warning: '%s'", t.warning);
	CHECK(t.protective_mbr, "protective MBR noted");
	const struct part_info *p1 = part_by_number(&t, 1), *p2 = part_by_number(&t, 2);
	CHECK(p1 && p2 && !part_by_number(&t, 3), "numbers");
	if (!p1 || !p2)
		return;
	CHECK_INT(p1->first_lba, 34, "p1 first");
	CHECK_INT(p1->start, 34 * 512, "p1 start");
	CHECK_INT(p1->size, 66 * 512, "p1 size");
	CHECK_STR(p1->label, "EFI-SYSTEM", "p1 label");
	CHECK_STR(p2->label, "Syst\xC3\xA8me \xF0\x9F\x98\x80", "p2 UTF-16 label");
	char g[37];
	guid_format(p1->type_guid, g);
	CHECK_STR(g, "13121110-1514-1716-1819-1a1b1c1d1e1f", "type GUID text (mixed endian)");
	part_uuid_string(&t, p2, g);
	CHECK_STR(g, "84838281-8685-8887-898a-8b8c8d8e8f90", "partuuid");
	CHECK(part_by_partuuid(&t, "84838281-8685-8887-898A-8B8C8D8E8F90") == p2, "partuuid lookup (upper case)");
	CHECK(part_by_label(&t, "EFI-SYSTEM") == p1 && !part_by_label(&t, "efi-system"), "label lookup");
	CHECK(part_by_type(&t, p2->type_guid) == p2 && part_by_type(&t, p1->type_guid) == p1, "type lookup");
	uint8_t gb[16];
	CHECK_INT(guid_parse("13121110-1514-1716-1819-1a1b1c1d1e1f", gb), 0, "guid_parse");
	CHECK(memcmp(gb, p1->type_guid, 16) == 0, "guid round trip");
	CHECK_INT(guid_parse("13121110-1514-1716-1819-1a1b1c1d1e1", gb), CB_EINVAL, "short guid");
	CHECK_INT(guid_parse("13121110x1514-1716-1819-1a1b1c1d1e1f", gb), CB_EINVAL, "bad dash");

	/* The view: bounded to the partition. */
	struct cb_blockdev *v;
	CHECK_INT(part_open(dev, p1, &v, &e), 0, e.msg);
	uint8_t b[16];
	dk.buf[34 * 512 + 66 * 512 - 1] = 0x5A;
	CHECK_INT(v->read(v, 66 * 512 - 1, b, 1, &e), 0, "last byte");
	CHECK_INT(b[0], 0x5A, "last byte value");
	CHECK_INT(v->read(v, 66 * 512 - 1, b, 2, &e), CB_EIO, "past the partition end");
	CHECK_HAS(e.msg, "part 1 of disk0", "view name in message");
	CHECK_INT(v->read(v, UINT64_MAX, b, 1, &e), CB_EIO, "huge offset");
	CHECK(v->write == NULL, "read-only disk gives a read-only view");
	v->close(v);
	part_table_free(&t);
	free(dk.buf);
}

/* name, layout tweak, corruption, expected rc, used_backup, message fragment, expected count */
enum corrupt { C_NONE, C_PRIMARY_HDR, C_PRIMARY_ARRAY, C_BOTH_HDR, C_NO_PRIMARY_SIG, C_HDR_SIZE, C_MY_LBA,
	       C_ARRAY_OUTSIDE };

static void corrupt(uint8_t *d, const struct gpt_layout *l, enum corrupt c)
{
	switch (c) {
	case C_NONE: break;
	case C_PRIMARY_HDR: d[512 + 40] ^= 1; break; /* first_usable, CRC now wrong */
	case C_PRIMARY_ARRAY: d[2 * 512 + 40] ^= 1; break;
	case C_BOTH_HDR:
		d[512 + 40] ^= 1;
		d[(l->nsect - 1) * 512 + 40] ^= 1;
		break;
	case C_NO_PRIMARY_SIG: memset(d + 512, 0, 512); break;
	case C_HDR_SIZE:
		for (int k = 0; k < 2; k++) {
			uint64_t lba = k ? l->nsect - 1 : 1;
			le32(d + lba * 512 + 12, 91);
			rehash_header(d, 512, lba);
		}
		break;
	case C_MY_LBA:
		for (int k = 0; k < 2; k++) {
			uint64_t lba = k ? l->nsect - 1 : 1;
			le64(d + lba * 512 + 24, 7);
			rehash_header(d, 512, lba);
		}
		break;
	case C_ARRAY_OUTSIDE:
		for (int k = 0; k < 2; k++) {
			uint64_t lba = k ? l->nsect - 1 : 1;
			le64(d + lba * 512 + 72, l->nsect - 2);
			rehash_header(d, 512, lba);
		}
		break;
	}
}

static void test_gpt_table(void)
{
	static const struct {
		const char *name;
		uint32_t count, esize;
		struct gp parts[3];
		int nparts;
		enum corrupt c;
		int rc;
		int backup;
		const char *msg; /* in e.msg (rc != 0) or t.warning (rc == 0) */
		unsigned count_out;
	} cases[] = {
		{ "valid", 128, 128, { { 40, 99, "a", NULL, 0 } }, 1, C_NONE, 0, 0, "", 1 },
		{ "entry size 256", 64, 256, { { 40, 99, "a", NULL, 0 } }, 1, C_NONE, 0, 0, "", 1 },
		{ "bad primary header CRC, good backup", 128, 128, { { 40, 99, "a", NULL, 0 } }, 1, C_PRIMARY_HDR, 0, 1,
		  "primary header at LBA 1 is unusable (header CRC32 mismatch", 1 },
		{ "bad primary array CRC, good backup", 128, 128, { { 40, 99, "a", NULL, 0 } }, 1, C_PRIMARY_ARRAY, 0, 1,
		  "entry array CRC32 mismatch", 1 },
		{ "primary missing, backup good", 128, 128, { { 40, 99, "a", NULL, 0 } }, 1, C_NO_PRIMARY_SIG, 0, 1,
		  "no GPT signature", 1 },
		{ "both headers bad", 128, 128, { { 40, 99, "a", NULL, 0 } }, 1, C_BOTH_HDR, CB_EVERIFY, 0,
		  "primary header at LBA 1: header CRC32 mismatch", 0 },
		{ "entry size 64", 128, 64, { { 40, 99, "a", NULL, 0 } }, 1, C_NONE, CB_EINVAL, 0,
		  "entry size 64 is not a multiple of 8 in 128..4096", 0 },
		{ "entry size 132", 32, 132, { { 40, 99, "a", NULL, 0 } }, 1, C_NONE, CB_EINVAL, 0,
		  "entry size 132 is not a multiple of 8", 0 },
		{ "too many entries", 5000, 128, { { 40, 99, "a", NULL, 0 } }, 1, C_NONE, CB_ELIMIT, 0,
		  "5000 entries exceed the limit of 4096", 0 },
		{ "header size 91", 128, 128, { { 40, 99, "a", NULL, 0 } }, 1, C_HDR_SIZE, CB_EINVAL, 0,
		  "header size 91 is outside 92..512", 0 },
		{ "wrong my_lba", 128, 128, { { 40, 99, "a", NULL, 0 } }, 1, C_MY_LBA, CB_EINVAL, 0,
		  "header says it is at LBA 7", 0 },
		{ "array outside the disk", 128, 128, { { 40, 99, "a", NULL, 0 } }, 1, C_ARRAY_OUTSIDE, CB_EINVAL, 0,
		  "lies outside the disk", 0 },
		{ "entry past last usable", 128, 128, { { 40, 99, "a", NULL, 0 }, { 100, 2046, "b", NULL, 1 } }, 2, C_NONE, 0,
		  0, "partition 2 (LBA 100..2046) lies outside the usable range 34..2014; ignored", 1 },
		{ "entry before first usable", 128, 128, { { 10, 99, "a", NULL, 0 } }, 1, C_NONE, 0, 0,
		  "partition 1 (LBA 10..99) lies outside the usable range", 0 },
		{ "first > last", 128, 128, { { 99, 40, "a", NULL, 0 } }, 1, C_NONE, 0, 0, "partition 1 (LBA 99..40)", 0 },
		{ "overlap", 128, 128, { { 40, 99, "a", NULL, 0 }, { 99, 200, "b", NULL, 1 } }, 2, C_NONE, CB_EINVAL, 0,
		  "gpt: partitions 1 (LBA 40..99) and 2 (LBA 99..200) overlap", 0 },
		{ "overlap nested", 128, 128,
		  { { 40, 999, "a", NULL, 0 }, { 1000, 1100, "b", NULL, 1 }, { 500, 600, "c", NULL, 2 } }, 3, C_NONE,
		  CB_EINVAL, 0, "partitions 1 (LBA 40..999) and 3 (LBA 500..600) overlap", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct disk dk;
		struct cb_blockdev *dev = disk_new(&dk, NSECT * 512, 512);
		struct gpt_layout l = { 512, cases[i].count, cases[i].esize, NSECT };
		if ((uint64_t)cases[i].count * cases[i].esize > (NSECT / 2) * 512ull) /* too big to lay out: fake it */
			l.count = 128;
		gpt_make(dk.buf, &l, cases[i].parts, cases[i].nparts);
		if (l.count != cases[i].count)
			for (int k = 0; k < 2; k++) {
				uint64_t lba = k ? NSECT - 1 : 1;
				le32(dk.buf + lba * 512 + 80, cases[i].count);
				rehash_header(dk.buf, 512, lba);
			}
		corrupt(dk.buf, &l, cases[i].c);
		struct part_table t;
		struct cb_err e = { 0, "" };
		int rc = part_scan(dev, &t, &e);
		char ctx[600];
		snprintf(ctx, sizeof(ctx), "gpt case '%s' (%s)", cases[i].name, rc ? e.msg : t.warning);
		CHECK_INT(rc, cases[i].rc, ctx);
		if (rc == 0) {
			CHECK_INT(t.scheme, PART_SCHEME_GPT, ctx);
			CHECK_INT(t.used_backup, cases[i].backup, ctx);
			CHECK_INT(t.count, cases[i].count_out, ctx);
			CHECK_HAS(t.warning, cases[i].msg, ctx);
			part_table_free(&t);
		} else {
			CHECK_HAS(e.msg, cases[i].msg, ctx);
		}
		free(dk.buf);
	}
}

static void test_gpt_4k(void)
{
	/* A 4 KiB-sector GPT in an image whose device says 512 (files carry no sector size). */
	struct disk dk;
	uint64_t nsect = 512;
	struct cb_blockdev *dev = disk_new(&dk, nsect * 4096, 512);
	struct gpt_layout l = { 4096, 128, 128, nsect };
	struct gp parts[] = { { 10, 300, "root", NULL, 0 } };
	/* gpt_make with ss = 4096 */
	memset(dk.buf, 0, nsect * 4096);
	uint8_t *arr = calloc(1, 128 * 128);
	for (int k = 0; k < 16; k++)
		arr[k] = (uint8_t)(k + 1);
	le64(arr + 32, parts[0].first);
	le64(arr + 40, parts[0].last);
	le16(arr + 56, 'r');
	memcpy(dk.buf + 2 * 4096, arr, 128 * 128);
	memcpy(dk.buf + (nsect - 1 - 4) * 4096, arr, 128 * 128);
	uint32_t acrc = crc32(arr, 128 * 128);
	gpt_header(dk.buf, &l, 1, nsect - 1, 2, acrc);
	gpt_header(dk.buf, &l, nsect - 1, 1, nsect - 1 - 4, acrc);
	free(arr);
	struct part_table t;
	struct cb_err e = { 0, "" };
	CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
	CHECK_INT(t.sector_size, 4096, "4k sector size detected");
	CHECK_INT(t.count, 1, "4k count");
	if (t.count)
		CHECK_INT(t.parts[0].start, 10 * 4096, "4k start in bytes");
	part_table_free(&t);
	free(dk.buf);
}

static void test_mbr(void)
{
	struct part_table t;
	struct cb_err e = { 0, "" };
	/* Primaries, an extended partition with three logicals. */
	{
		struct disk dk;
		struct cb_blockdev *dev = disk_new(&dk, NSECT * 512, 512);
		le32(dk.buf + 440, 0x11223344);
		mbr_entry(dk.buf, 0, 0x80, 0x83, 2, 98);
		mbr_entry(dk.buf, 1, 0, 0x05, 100, 1000);
		mbr_entry(dk.buf, 2, 0, 0x0c, 1200, 100);
		/* EBRs at 100, 300, 600 (relative to the extended start: 0, 200, 500). */
		uint32_t ebr[3] = { 100, 300, 600 };
		for (int k = 0; k < 3; k++) {
			uint8_t *s = dk.buf + ebr[k] * 512;
			mbr_entry(s, 0, 0, 0x83, 10, 50 + (uint32_t)k);
			if (k < 2)
				mbr_entry(s, 1, 0, 0x05, ebr[k + 1] - 100, 100);
		}
		CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
		CHECK_INT(t.scheme, PART_SCHEME_MBR, "mbr scheme");
		CHECK_INT(t.count, 5, "mbr count (2 primaries + 3 logicals, no container)");
		const struct part_info *p;
		CHECK((p = part_by_number(&t, 1)) && p->bootable && p->first_lba == 2 && p->size == 98 * 512, "p1");
		CHECK(!part_by_number(&t, 2), "extended container not exposed");
		CHECK((p = part_by_number(&t, 5)) && p->first_lba == 110 && p->last_lba == 159, "p5");
		CHECK((p = part_by_number(&t, 6)) && p->first_lba == 310 && p->size == 51 * 512, "p6");
		CHECK((p = part_by_number(&t, 7)) && p->first_lba == 610 && p->mbr_type == 0x83, "p7");
		char u[37];
		if ((p = part_by_number(&t, 6))) {
			part_uuid_string(&t, p, u);
			CHECK_STR(u, "11223344-06", "mbr partuuid");
		}
		CHECK(part_by_partuuid(&t, "11223344-07") == part_by_number(&t, 7), "mbr partuuid lookup");
		CHECK(!t.warning[0], "no warning: %s", t.warning);
		CHECK(t.parts[0].number == 1 && t.parts[1].number == 3 && t.parts[2].number == 5, "sorted by number");
		part_table_free(&t);
		/* Now make the third EBR point back to the first: a loop. */
		mbr_entry(dk.buf + 600 * 512, 1, 0, 0x05, 0, 100);
		CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
		CHECK_INT(t.count, 5, "loop: partitions before the loop kept");
		CHECK_HAS(t.warning, "extended partition chain loops back to LBA 100", "loop warning");
		part_table_free(&t);
		/* Self loop. */
		mbr_entry(dk.buf + 100 * 512, 1, 0, 0x05, 0, 100);
		CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
		CHECK_INT(t.count, 3, "self loop");
		CHECK_HAS(t.warning, "loops back to LBA 100", "self loop warning");
		part_table_free(&t);
		/* An EBR link outside the extended partition. */
		mbr_entry(dk.buf + 100 * 512, 1, 0, 0x05, 5000, 100);
		CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
		CHECK_HAS(t.warning, "outside the extended partition", "EBR outside");
		part_table_free(&t);
		/* A logical partition reaching past the extended partition. */
		mbr_entry(dk.buf + 100 * 512, 1, 0, 0, 0, 0);
		mbr_entry(dk.buf + 100 * 512, 0, 0, 0x83, 10, 5000);
		CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
		CHECK_HAS(t.warning, "logical partition 5 lies outside the extended partition; ignored", "logical outside");
		part_table_free(&t);
		free(dk.buf);
	}
	/* A long chain: stops at the limit. */
	{
		struct disk dk;
		struct cb_blockdev *dev = disk_new(&dk, NSECT * 512, 512);
		mbr_entry(dk.buf, 0, 0, 0x0f, 2, NSECT - 2);
		for (uint32_t k = 0; k < 300; k++) {
			uint8_t *s = dk.buf + (2 + 6 * k) * 512;
			mbr_entry(s, 0, 0, 0x83, 1, 5);
			mbr_entry(s, 1, 0, 0x05, 6 * (k + 1), 6);
		}
		CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
		CHECK_INT(t.count, MBR_MAX_LOGICAL, "chain limit");
		CHECK_HAS(t.warning, "longer than 128 links", "chain limit warning");
		part_table_free(&t);
		free(dk.buf);
	}
	/* Table-driven single-sector cases. */
	static const struct {
		const char *name;
		uint8_t status, type;
		uint32_t lba, n;
		uint8_t status2, type2;
		uint32_t lba2, n2;
		int scheme, count;
		const char *warn;
	} c[] = {
		{ "bad status byte: not an MBR", 0x12, 0x83, 2, 10, 0, 0, 0, 0, PART_SCHEME_NONE, 0, "" },
		{ "empty table", 0, 0, 0, 0, 0, 0, 0, 0, PART_SCHEME_NONE, 0, "" },
		{ "beyond the disk", 0, 0x83, 2, NSECT, 0, 0x83, 10, 10, PART_SCHEME_MBR, 1, "partition 1 (LBA 2, 2048 sectors) lies outside the disk" },
		{ "zero start", 0, 0x83, 0, 10, 0, 0, 0, 0, PART_SCHEME_MBR, 0, "lies outside the disk" },
		{ "two primaries", 0, 0x83, 2, 10, 0x80, 0x07, 12, 10, PART_SCHEME_MBR, 2, "" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct disk dk;
		struct cb_blockdev *dev = disk_new(&dk, NSECT * 512, 512);
		mbr_entry(dk.buf, 0, c[i].status, c[i].type, c[i].lba, c[i].n);
		mbr_entry(dk.buf, 1, c[i].status2, c[i].type2, c[i].lba2, c[i].n2);
		int rc = part_scan(dev, &t, &e);
		CHECK_INT(rc, 0, c[i].name);
		if (!rc) {
			CHECK_INT(t.scheme, c[i].scheme, c[i].name);
			CHECK_INT(t.count, c[i].count, c[i].name);
			CHECK_HAS(t.warning, c[i].warn, c[i].name);
			part_table_free(&t);
		}
		free(dk.buf);
	}
	/* Overlapping primaries are refused. */
	{
		struct disk dk;
		struct cb_blockdev *dev = disk_new(&dk, NSECT * 512, 512);
		mbr_entry(dk.buf, 0, 0, 0x83, 2, 100);
		mbr_entry(dk.buf, 1, 0, 0x83, 50, 100);
		CHECK_INT(part_scan(dev, &t, &e), CB_EINVAL, "mbr overlap");
		CHECK_HAS(e.msg, "mbr: partitions 1 (LBA 2..101) and 2 (LBA 50..149) overlap", "mbr overlap message");
		free(dk.buf);
	}
	/* A FAT boot sector is a filesystem, not a partition table. */
	{
		struct disk dk;
		struct cb_blockdev *dev = disk_new(&dk, NSECT * 512, 512);
		dk.buf[0] = 0xEB;
		dk.buf[1] = 0x3C;
		dk.buf[2] = 0x90;
		memcpy(dk.buf + 0x36, "FAT16   ", 8);
		mbr_entry(dk.buf, 0, 0, 0x20, 0x20202020, 0x20202020);
		CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
		CHECK_INT(t.scheme, PART_SCHEME_NONE, "FAT boot sector");
		free(dk.buf);
	}
	/* Protective MBR without a GPT: refused. Invalid GPT behind a real MBR: the MBR, with a warning. */
	{
		struct disk dk;
		struct cb_blockdev *dev = disk_new(&dk, NSECT * 512, 512);
		mbr_entry(dk.buf, 0, 0, 0xEE, 1, NSECT - 1);
		CHECK_INT(part_scan(dev, &t, &e), CB_EINVAL, "protective without GPT");
		CHECK_HAS(e.msg, "protective MBR but no GPT header", "protective message");
		struct gpt_layout l = { 512, 128, 128, NSECT };
		struct gp parts[] = { { 40, 99, "a", NULL, 0 } };
		gpt_make(dk.buf, &l, parts, 1);
		corrupt(dk.buf, &l, C_BOTH_HDR);
		CHECK_INT(part_scan(dev, &t, &e), CB_EVERIFY, "protective with broken GPT");
		mbr_entry(dk.buf, 0, 0, 0x83, 2, 30);
		CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
		CHECK_INT(t.scheme, PART_SCHEME_MBR, "broken GPT, real MBR");
		CHECK_HAS(t.warning, "ignoring an invalid GPT", "broken GPT warning");
		part_table_free(&t);
		free(dk.buf);
	}
	/* Tiny devices. */
	{
		struct disk dk;
		struct cb_blockdev *dev = disk_new(&dk, 100, 512);
		CHECK_INT(part_scan(dev, &t, &e), 0, e.msg);
		CHECK_INT(t.scheme, PART_SCHEME_NONE, "100-byte device");
		free(dk.buf);
	}
}

int main(void)
{
	test_gpt_valid();
	test_gpt_table();
	test_gpt_4k();
	test_mbr();
	return fs_test_done("fs_part");
}
