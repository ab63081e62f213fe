/* mbr.c: MBR (DOS) partition table reader: four primary entries, protective-MBR detection, and the
 * extended/logical EBR chain with a loop limit. Never writes; ignores CHS fields entirely. */
#include "part.h"

#include <string.h>

#include "cb_checked.h"

#define MBR_EMPTY 0x00
#define MBR_GPT_PROTECTIVE 0xEE

static bool mbr_is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0F || type == 0x85;
}

/* A FAT/NTFS boot sector also ends in 55 AA: tell it apart by its BPB so a whole-disk filesystem is not
 * read as a partition table. */
static bool looks_like_boot_sector(const uint8_t *s)
{
	if (!(s[0] == 0xEB || s[0] == 0xE9))
		return false;
	if (memcmp(s + 0x36, "FAT", 3) == 0 || memcmp(s + 0x52, "FAT32", 5) == 0 || memcmp(s + 3, "NTFS    ", 8) == 0 ||
	    memcmp(s + 3, "EXFAT   ", 8) == 0)
		return true;
	return false;
}

/* Adds a data partition at absolute sectors [start, start+n) if it fits the disk (else a warning). */
static int mbr_add(struct part_table *t, uint64_t nsect, uint32_t number, uint64_t start, uint64_t n, uint8_t type,
		   bool boot, struct cb_err *e)
{
	uint64_t end;
	if (n == 0 || start == 0 || !cb_add_ok(start, n, &end) || end > nsect) {
		part_warn(t, "mbr: partition %u (LBA %llu, %llu sectors) lies outside the disk (%llu sectors); ignored",
			  number, (unsigned long long)start, (unsigned long long)n, (unsigned long long)nsect);
		return 0;
	}
	struct part_info p;
	memset(&p, 0, sizeof(p));
	p.number = number;
	p.first_lba = start;
	p.last_lba = end - 1;
	p.start = start * t->sector_size; /* start < nsect = size / ss: no overflow */
	p.size = n * t->sector_size;
	p.mbr_type = type;
	p.bootable = boot;
	return part_table_add(t, &p, e);
}

static int mbr_logical(struct cb_blockdev *d, struct part_table *t, uint64_t nsect, uint64_t ext_start,
		       uint64_t ext_n, struct cb_err *e)
{
	uint64_t ext_end = ext_start + ext_n; /* checked by the caller */
	uint64_t visited[MBR_MAX_LOGICAL];
	uint64_t ebr = ext_start;
	uint32_t number = 5;
	uint8_t s[512];
	for (unsigned hop = 0;; hop++) {
		if (hop >= MBR_MAX_LOGICAL) {
			part_warn(t, "mbr: extended partition chain longer than %u links; stopping", MBR_MAX_LOGICAL);
			return 0;
		}
		for (unsigned k = 0; k < hop; k++) {
			if (visited[k] == ebr) {
				part_warn(t, "mbr: extended partition chain loops back to LBA %llu; stopping after %u "
					  "logical partitions", (unsigned long long)ebr, number - 5);
				return 0;
			}
		}
		visited[hop] = ebr;
		if (ebr < ext_start || ebr >= ext_end) {
			part_warn(t, "mbr: extended boot record at LBA %llu lies outside the extended partition; stopping",
				  (unsigned long long)ebr);
			return 0;
		}
		int rc = d->read(d, ebr * t->sector_size, s, sizeof(s), e);
		if (rc)
			return rc;
		if (s[510] != 0x55 || s[511] != 0xAA) {
			part_warn(t, "mbr: extended boot record at LBA %llu has no 55 AA signature; stopping",
				  (unsigned long long)ebr);
			return 0;
		}
		const uint8_t *l = s + 446, *next = s + 446 + 16;
		uint8_t type = l[4];
		uint64_t rel = cb_le32(l + 8), n = cb_le32(l + 12);
		if (type != MBR_EMPTY && !mbr_is_extended(type) && n) {
			uint64_t start = ebr + rel, end;
			if (!cb_add_ok(start, n, &end) || start <= ebr || end > ext_end) {
				part_warn(t, "mbr: logical partition %u lies outside the extended partition; ignored", number);
			} else {
				rc = mbr_add(t, nsect, number, start, n, type, l[0] == 0x80, e);
				if (rc)
					return rc;
			}
			number++;
		}
		if (!mbr_is_extended(next[4]) || cb_le32(next + 12) == 0)
			return 0;
		ebr = ext_start + cb_le32(next + 8); /* both < 2^33: no overflow */
	}
}

int mbr_scan(struct cb_blockdev *d, struct part_table *t, struct cb_err *e)
{
	uint8_t s[512];
	memset(t, 0, sizeof(*t));
	if (d->size < 512)
		return cb_errf(e, CB_ENOENT, "mbr: disk too small");
	int rc = d->read(d, 0, s, sizeof(s), e);
	if (rc)
		return rc;
	if (s[510] != 0x55 || s[511] != 0xAA)
		return cb_errf(e, CB_ENOENT, "mbr: no 55 AA signature");
	bool any = false;
	for (int i = 0; i < 4; i++) {
		const uint8_t *x = s + 446 + 16 * i;
		if (x[0] != 0x00 && x[0] != 0x80)
			return cb_errf(e, CB_ENOENT, "mbr: entry %d has status 0x%02x: not a partition table", i + 1, x[0]);
		if (x[4] != MBR_EMPTY)
			any = true;
	}
	if (!any || looks_like_boot_sector(s))
		return cb_errf(e, CB_ENOENT, "mbr: no partitions");
	t->scheme = PART_SCHEME_MBR;
	t->sector_size = d->sector_size == 4096 ? 4096 : 512;
	t->mbr_signature = cb_le32(s + 440);
	uint64_t nsect = d->size / t->sector_size;
	bool seen_ext = false;
	for (int i = 0; i < 4; i++) {
		const uint8_t *x = s + 446 + 16 * i;
		uint8_t type = x[4];
		uint64_t start = cb_le32(x + 8), n = cb_le32(x + 12);
		if (type == MBR_EMPTY)
			continue;
		if (type == MBR_GPT_PROTECTIVE) {
			t->protective_mbr = true;
			continue;
		}
		if (mbr_is_extended(type)) {
			uint64_t end;
			if (seen_ext) {
				part_warn(t, "mbr: more than one extended partition; entry %d ignored", i + 1);
				continue;
			}
			seen_ext = true;
			if (start == 0 || n == 0 || !cb_add_ok(start, n, &end) || end > nsect) {
				part_warn(t, "mbr: extended partition %d lies outside the disk; ignored", i + 1);
				continue;
			}
			rc = mbr_logical(d, t, nsect, start, n, e);
			if (rc)
				goto fail;
			continue;
		}
		rc = mbr_add(t, nsect, (uint32_t)i + 1, start, n, type, x[0] == 0x80, e);
		if (rc)
			goto fail;
	}
	/* Keep primaries before logicals in number order (logicals were appended as found). */
	for (unsigned i = 1; i < t->count; i++)
		for (unsigned j = i; j > 0 && t->parts[j - 1].number > t->parts[j].number; j--) {
			struct part_info tmp = t->parts[j];
			t->parts[j] = t->parts[j - 1];
			t->parts[j - 1] = tmp;
		}
	rc = part_check_overlaps(t, "mbr", e);
	if (rc)
		goto fail;
	return 0;
fail:
	part_table_free(t);
	return rc;
}
