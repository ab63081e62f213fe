/* fs_disk_select_test.c: cloudboot.disk= parsing (Linux names, by-* links, KEY=value, numbers, bad input)
 * and resolution against crafted disks (GPT, MBR with a logical partition, unpartitioned) by number, label,
 * UUID, partlabel and partuuid, including duplicate labels and filesystem probing (ext, vfat). */
#include <stdint.h>
#include <stdlib.h>

#include "blockdev_mem.h"
#include "disk_select.h"
#include "fs_test.h"
#include "fs_test_disk.h"
#include "part.h"
#include "probe.h"

#define NSECT 2048

static void test_parse(void)
{
	static const struct {
		const char *in;
		int rc;
		enum disk_spec_kind kind;
		uint32_t disk, part;
		const char *value;
	} c[] = {
		{ "/dev/vda2", 0, DISK_SPEC_DEVICE, 0, 2, "" },
		{ "/dev/vdb", 0, DISK_SPEC_DEVICE, 1, 0, "" },
		{ "vdc1", 0, DISK_SPEC_DEVICE, 2, 1, "" },
		{ "/dev/sdz15", 0, DISK_SPEC_DEVICE, 25, 15, "" },
		{ "/dev/sdaa1", 0, DISK_SPEC_DEVICE, 26, 1, "" },
		{ "/dev/sdba", 0, DISK_SPEC_DEVICE, 52, 0, "" },
		{ "/dev/xvda1", 0, DISK_SPEC_DEVICE, 0, 1, "" },
		{ "/dev/hdb3", 0, DISK_SPEC_DEVICE, 1, 3, "" },
		{ "/dev/nvme0n1p2", 0, DISK_SPEC_DEVICE, 0, 2, "" },
		{ "/dev/nvme1n1", 0, DISK_SPEC_DEVICE, 1, 0, "" },
		{ "/dev/mmcblk0p1", 0, DISK_SPEC_DEVICE, 0, 1, "" },
		{ "2", 0, DISK_SPEC_PARTNUM, 0, 2, "" },
		{ "/dev/disk/by-label/cloudimg-rootfs", 0, DISK_SPEC_LABEL, 0, 0, "cloudimg-rootfs" },
		{ "/dev/disk/by-label/my\\x20disk\\x2fx", 0, DISK_SPEC_LABEL, 0, 0, "my disk/x" },
		{ "/dev/disk/by-uuid/0011-AABB", 0, DISK_SPEC_UUID, 0, 0, "0011-AABB" },
		{ "/dev/disk/by-partlabel/root", 0, DISK_SPEC_PARTLABEL, 0, 0, "root" },
		{ "/dev/disk/by-partuuid/11223344-05", 0, DISK_SPEC_PARTUUID, 0, 0, "11223344-05" },
		{ "LABEL=root", 0, DISK_SPEC_LABEL, 0, 0, "root" },
		{ "UUID=0a0b", 0, DISK_SPEC_UUID, 0, 0, "0a0b" },
		{ "PARTUUID=x", 0, DISK_SPEC_PARTUUID, 0, 0, "x" },
		{ "PARTLABEL=y", 0, DISK_SPEC_PARTLABEL, 0, 0, "y" },
		{ "", CB_EINVAL, 0, 0, 0, "empty value" },
		{ "0", CB_EINVAL, 0, 0, 0, "partition numbers start at 1" },
		{ "/dev/vda0", CB_EINVAL, 0, 0, 0, "cannot parse '/dev/vda0'" },
		{ "/dev/vdabcd1", CB_EINVAL, 0, 0, 0, "cannot parse" },
		{ "/dev/nvme0n2p1", CB_EINVAL, 0, 0, 0, "cannot parse" },
		{ "/dev/nvme0p1", CB_EINVAL, 0, 0, 0, "cannot parse" },
		{ "/dev/sda1x", CB_EINVAL, 0, 0, 0, "cannot parse" },
		{ "/dev/loop0", CB_EINVAL, 0, 0, 0, "cannot parse" },
		{ "/dev/disk/by-label/", CB_EINVAL, 0, 0, 0, "empty, too long or badly escaped" },
		{ "/dev/disk/by-label/a\\x00b", CB_EINVAL, 0, 0, 0, "badly escaped" },
		{ "12345678901", CB_EINVAL, 0, 0, 0, "cannot parse" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct disk_spec s;
		struct cb_err e = { 0, "" };
		int rc = disk_spec_parse(c[i].in, &s, &e);
		char ctx[400];
		snprintf(ctx, sizeof(ctx), "parse '%s' (%s)", c[i].in, e.msg);
		CHECK_INT(rc, c[i].rc, ctx);
		if (rc) {
			CHECK_HAS(e.msg, c[i].value, ctx);
			continue;
		}
		CHECK_INT(s.kind, c[i].kind, ctx);
		CHECK_INT(s.disk, c[i].disk, ctx);
		CHECK_INT(s.part, c[i].part, ctx);
		CHECK_STR(s.value, c[i].value, ctx);
	}
}

/* A minimal ext superblock (what probing reads) at byte 1024 of dev_off. */
static void ext_sb(uint8_t *at, const char *label, uint8_t uuid0, uint32_t incompat)
{
	uint8_t *sb = at + 1024;
	le16(sb + 0x38, 0xEF53);
	le32(sb + 0x4C, 1);
	le32(sb + 0x60, incompat);
	for (int i = 0; i < 16; i++)
		sb[0x68 + i] = (uint8_t)(uuid0 + i * 0x11);
	strncpy((char *)sb + 0x78, label, 16);
}

static void fat_bs(uint8_t *s, const char *label, uint32_t serial)
{
	s[0] = 0xEB, s[1] = 0x58, s[2] = 0x90;
	le16(s + 11, 512);
	s[13] = 1;
	le16(s + 14, 32);
	s[16] = 2;
	memcpy(s + 0x52, "FAT32   ", 8);
	s[0x42] = 0x29;
	le32(s + 0x43, serial);
	memset(s + 0x47, ' ', 11);
	memcpy(s + 0x47, label, strlen(label));
	s[510] = 0x55, s[511] = 0xAA;
}

static void test_select(void)
{
	uint8_t *d0 = calloc(NSECT, 512), *d1 = calloc(NSECT, 512), *d2 = calloc(NSECT, 512);
	/* disk 0: GPT, 1 = ESP (vfat), 2 = rootfs (ext4 "root") */
	struct gpt_layout l = { 512, 128, 128, NSECT };
	struct gp parts[] = { { 34, 99, "EFI-SYSTEM", NULL, 0 }, { 100, 2000, "rootfs", NULL, 1 } };
	gpt_make(d0, &l, parts, 2);
	fat_bs(d0 + 34 * 512, "ESP", 0xABCD1234);
	ext_sb(d0 + 100 * 512, "root", 0x01, 0x40);
	/* disk 1: MBR, 1 = ext2 "boot", extended 2 → logical 5 = ext4 "data" */
	le32(d1 + 440, 0x11223344);
	mbr_entry(d1, 0, 0x80, 0x83, 2, 200);
	mbr_entry(d1, 1, 0, 0x05, 300, 1000);
	mbr_entry(d1 + 300 * 512, 0, 0, 0x83, 10, 500);
	ext_sb(d1 + 2 * 512, "boot", 0x20, 0x2);
	ext_sb(d1 + 310 * 512, "data", 0x30, 0x2C0);
	/* disk 2: unpartitioned ext4 also labelled "root" */
	ext_sb(d2, "root", 0x40, 0x40);
	struct blockdev_mem m[3];
	blockdev_mem_init(&m[0], d0, NSECT * 512, 512, false, "disk0");
	blockdev_mem_init(&m[1], d1, NSECT * 512, 512, false, "disk1");
	blockdev_mem_init(&m[2], d2, NSECT * 512, 512, false, "disk2");
	struct cb_blockdev *disks[3] = { &m[0].dev, &m[1].dev, &m[2].dev };

	/* Probe itself. */
	struct fs_probe pr;
	struct cb_err e = { 0, "" };
	CHECK_INT(fs_probe(disks[2], &pr, &e), 0, e.msg);
	CHECK_STR(pr.type, "ext4", "probe type");
	CHECK_STR(pr.label, "root", "probe label");
	CHECK_STR(pr.uuid, "40516273-8495-a6b7-c8d9-eafb0c1d2e3f", "probe ext uuid (byte order as stored)");

	static const struct {
		const char *spec;
		int rc;
		size_t disk;
		uint32_t part;
		const char *desc; /* fragment of desc, or of the error */
	} c[] = {
		{ "/dev/vda2", 0, 0, 2, "disk 0 (disk0) partition 2 'rootfs'" },
		{ "/dev/vda", 0, 0, 0, "whole disk" },
		{ "/dev/vdb5", 0, 1, 5, "disk 1 (disk1) partition 5" },
		{ "/dev/vdc", 0, 2, 0, "disk 2" },
		{ "/dev/vdd1", CB_ENOENT, 0, 0, "disk 3 does not exist (3 disks found)" },
		{ "/dev/vda3", CB_ENOENT, 0, 0, "disk 0 has no partition 3" },
		{ "5", 0, 1, 5, "partition 5" },
		{ "2", 0, 0, 2, "" },
		{ "9", CB_ENOENT, 0, 0, "no disk has a partition 9" },
		{ "/dev/disk/by-label/root", 0, 0, 2, "(first of 2 matches; also disk 2)" },
		{ "/dev/disk/by-label/data", 0, 1, 5, "" },
		{ "LABEL=boot", 0, 1, 1, "" },
		{ "LABEL=ESP", 0, 0, 1, "" },
		{ "LABEL=nope", CB_ENOENT, 0, 0, "no filesystem label 'nope' on 3 disks" },
		{ "UUID=ABCD-1234", 0, 0, 1, "" },
		{ "UUID=40516273-8495-A6B7-C8D9-EAFB0C1D2E3F", 0, 2, 0, "whole disk" },
		{ "/dev/disk/by-partlabel/rootfs", 0, 0, 2, "" },
		{ "/dev/disk/by-partuuid/84838281-8685-8887-898a-8b8c8d8e8f90", 0, 0, 2, "" },
		{ "PARTUUID=11223344-05", 0, 1, 5, "" },
		{ "PARTUUID=11223344-01", 0, 1, 1, "" },
		{ "PARTUUID=11223344-09", CB_ENOENT, 0, 0, "no partition UUID '11223344-09'" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct disk_spec s;
		struct disk_choice ch;
		char ctx[400];
		int rc = disk_spec_parse(c[i].spec, &s, &e);
		CHECK_INT(rc, 0, e.msg);
		rc = disk_select(&s, disks, 3, &ch, &e);
		snprintf(ctx, sizeof(ctx), "select '%s' (%s)", c[i].spec, rc ? e.msg : ch.desc);
		CHECK_INT(rc, c[i].rc, ctx);
		if (rc) {
			CHECK_HAS(e.msg, c[i].desc, ctx);
			continue;
		}
		CHECK_INT(ch.disk, c[i].disk, ctx);
		CHECK_INT(ch.part, c[i].part, ctx);
		CHECK_HAS(ch.desc, c[i].desc, ctx);
		CHECK(ch.dev && (ch.part == 0) == !ch.owned, "%s: ownership", ctx);
		if (ch.part) /* the view starts at the partition: its probe finds that filesystem */
			CHECK(fs_probe(ch.dev, &pr, &e) == 0, "%s: probe through the view", ctx);
		disk_choice_release(&ch);
	}
	free(d0);
	free(d1);
	free(d2);
}

int main(void)
{
	test_parse();
	test_select();
	return fs_test_done("fs_disk_select");
}
