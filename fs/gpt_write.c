/* gpt_write.c: lays down a new GPT (protective MBR, both headers, both entry arrays with their CRC32s) from
 * a list of partitions, after checking them against the usable range. It does not read or edit old tables. */
#include "gpt_write.h"

#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "crc32.h"
#include "part.h"

#define GPT_ENTRY_SIZE 128u
#define GPT_HEADER_SIZE 92u

static int layout_check(const struct gpt_write_layout *l, uint64_t *array_sectors, uint32_t *count,
			struct cb_err *e)
{
	uint32_t ss = l->sector_size;
	if (ss != 512 && ss != 4096)
		return cb_errf(e, CB_EINVAL, "gpt: sector size %u is not 512 or 4096", ss);
	uint32_t n = l->entry_count ? l->entry_count : 128;
	if (n > GPT_MAX_ENTRIES || (n * GPT_ENTRY_SIZE) % ss)
		return cb_errf(e, CB_EINVAL, "gpt: %u entries do not fill whole %u-byte sectors (or exceed %u)", n, ss,
			       GPT_MAX_ENTRIES);
	*count = n;
	*array_sectors = (uint64_t)n * GPT_ENTRY_SIZE / ss;
	return 0;
}

int gpt_write_usable(const struct gpt_write_layout *l, uint64_t disk_sectors, uint64_t *first, uint64_t *last,
		     struct cb_err *e)
{
	uint64_t as = 0;
	uint32_t n = 0;
	int rc = layout_check(l, &as, &n, e);
	if (rc)
		return rc;
	/* LBA 0 (MBR), 1 (header), the array; the same again at the end, plus at least one usable sector. */
	if (disk_sectors < 2 * (as + 1) + 2)
		return cb_errf(e, CB_EINVAL, "gpt: a disk of %llu sectors has no room for two headers and two %llu-sector "
			       "entry arrays", (unsigned long long)disk_sectors, (unsigned long long)as);
	*first = 2 + as;
	*last = disk_sectors - 2 - as;
	return 0;
}

static int put_name(uint8_t *out, const char *name, uint32_t number, struct cb_err *e)
{
	size_t len = name ? strlen(name) : 0;
	if (len > GPT_WRITE_NAME_MAX)
		return cb_errf(e, CB_EINVAL, "gpt: partition %u: name '%s' is longer than %u characters", number, name,
			       GPT_WRITE_NAME_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c > 0x7e)
			return cb_errf(e, CB_EINVAL, "gpt: partition %u: name has a byte 0x%02x that is not printable ASCII",
				       number, c);
		cb_put_le16(out + 2 * i, c);
	}
	return 0;
}

/* Fills the entry array, checking every partition. */
static int fill_array(uint8_t *arr, uint32_t count, const struct gpt_write_layout *l, uint64_t first,
		      uint64_t last, struct cb_err *e)
{
	static const uint8_t zero[16];
	for (uint32_t i = 0; i < l->nparts; i++) {
		const struct gpt_write_part *p = &l->parts[i];
		uint32_t number = p->index + 1;
		if (p->index >= count)
			return cb_errf(e, CB_EINVAL, "gpt: partition %u does not fit in a %u-entry array", number, count);
		uint8_t *x = arr + (size_t)p->index * GPT_ENTRY_SIZE;
		if (memcmp(x, zero, 16) != 0)
			return cb_errf(e, CB_EINVAL, "gpt: partition %u is given twice", number);
		if (memcmp(p->type_guid, zero, 16) == 0)
			return cb_errf(e, CB_EINVAL, "gpt: partition %u has no type GUID", number);
		if (p->first_lba > p->last_lba || p->first_lba < first || p->last_lba > last)
			return cb_errf(e, CB_EINVAL, "gpt: partition %u (LBA %llu..%llu) is outside the usable range "
				       "%llu..%llu", number, (unsigned long long)p->first_lba,
				       (unsigned long long)p->last_lba, (unsigned long long)first, (unsigned long long)last);
		for (uint32_t j = 0; j < i; j++) {
			const struct gpt_write_part *q = &l->parts[j];
			if (p->first_lba <= q->last_lba && q->first_lba <= p->last_lba)
				return cb_errf(e, CB_EINVAL, "gpt: partitions %u and %u overlap", q->index + 1, number);
		}
		memcpy(x, p->type_guid, 16);
		memcpy(x + 16, p->part_guid, 16);
		cb_put_le64(x + 32, p->first_lba);
		cb_put_le64(x + 40, p->last_lba);
		cb_put_le64(x + 48, p->attributes);
		int rc = put_name(x + 56, p->name, number, e);
		if (rc)
			return rc;
	}
	return 0;
}

static void make_header(uint8_t *sec, uint32_t ss, const struct gpt_write_layout *l, uint64_t my, uint64_t alt,
			uint64_t first, uint64_t last, uint64_t entries, uint32_t count, uint32_t array_crc)
{
	memset(sec, 0, ss);
	memcpy(sec, "EFI PART", 8);
	cb_put_le32(sec + 8, 0x00010000);
	cb_put_le32(sec + 12, GPT_HEADER_SIZE);
	cb_put_le64(sec + 24, my);
	cb_put_le64(sec + 32, alt);
	cb_put_le64(sec + 40, first);
	cb_put_le64(sec + 48, last);
	memcpy(sec + 56, l->disk_guid, 16);
	cb_put_le64(sec + 72, entries);
	cb_put_le32(sec + 80, count);
	cb_put_le32(sec + 84, GPT_ENTRY_SIZE);
	cb_put_le32(sec + 88, array_crc);
	cb_put_le32(sec + 16, crc32(sec, GPT_HEADER_SIZE));
}

static int write_mbr(struct cb_blockdev *d, uint64_t nsect, struct cb_err *e)
{
	uint8_t mbr[512];
	int rc = d->read(d, 0, mbr, sizeof(mbr), e);
	if (rc)
		return rc;
	memset(mbr + 440, 0, 512 - 440); /* disk signature, the four entries */
	uint8_t *p = mbr + 446;
	p[1] = 0x00; /* CHS of LBA 1: head 0, sector 2, cylinder 0 */
	p[2] = 0x02;
	p[4] = 0xEE;
	p[5] = p[6] = p[7] = 0xFF; /* CHS end: beyond what CHS can say */
	cb_put_le32(p + 8, 1);
	cb_put_le32(p + 12, nsect - 1 > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)(nsect - 1));
	mbr[510] = 0x55;
	mbr[511] = 0xAA;
	return d->write(d, 0, mbr, sizeof(mbr), e);
}

int gpt_write(struct cb_blockdev *disk, const struct gpt_write_layout *l, struct cb_err *e)
{
	if (!disk->write)
		return cb_errf(e, CB_EINVAL, "gpt: %s is read-only", disk->name);
	uint64_t as = 0, first = 0, last = 0;
	uint32_t count = 0;
	int rc = layout_check(l, &as, &count, e);
	if (rc)
		return rc;
	uint32_t ss = l->sector_size;
	if (disk->size % ss)
		return cb_errf(e, CB_EINVAL, "gpt: %s: size %llu is not a multiple of %u", disk->name,
			       (unsigned long long)disk->size, ss);
	uint64_t nsect = disk->size / ss;
	if ((rc = gpt_write_usable(l, nsect, &first, &last, e)))
		return rc;
	size_t bytes = (size_t)count * GPT_ENTRY_SIZE;
	uint8_t *arr = calloc(1, bytes);
	uint8_t *sec = malloc(ss);
	if (!arr || !sec) {
		rc = cb_errf(e, CB_ENOMEM, "gpt: out of memory");
		goto out;
	}
	if ((rc = fill_array(arr, count, l, first, last, e)))
		goto out;
	uint32_t acrc = crc32(arr, bytes);
	uint64_t backup = nsect - 1, backup_array = nsect - 1 - as;
	if ((rc = write_mbr(disk, nsect, e)))
		goto out;
	if ((rc = disk->write(disk, 2 * (uint64_t)ss, arr, bytes, e)))
		goto out;
	if ((rc = disk->write(disk, backup_array * ss, arr, bytes, e)))
		goto out;
	make_header(sec, ss, l, backup, 1, first, last, backup_array, count, acrc);
	if ((rc = disk->write(disk, backup * ss, sec, ss, e)))
		goto out;
	make_header(sec, ss, l, 1, backup, first, last, 2, count, acrc);
	rc = disk->write(disk, ss, sec, ss, e);
out:
	free(arr);
	free(sec);
	return rc;
}
