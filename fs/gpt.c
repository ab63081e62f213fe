/* gpt.c: GUID Partition Table reader: header and entry-array CRC32 checks, fallback to the backup header,
 * bounds/overflow checks on every field, entry size/count limits. It never writes or repairs a table. */
#include "part.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "crc32.h"

struct gpt_hdr {
	uint64_t my_lba, alt_lba, first_usable, last_usable, entries_lba;
	uint32_t count, entry_size, array_crc;
	uint8_t disk_guid[16];
};

/* Reads and checks the header at `lba`. CB_ENOENT: no "EFI PART" signature there. */
static int gpt_header(struct cb_blockdev *d, uint32_t ss, uint64_t nsect, uint64_t lba, struct gpt_hdr *h,
		      uint8_t *sec, struct cb_err *e)
{
	int rc = d->read(d, lba * ss, sec, ss, e);
	if (rc)
		return rc;
	if (memcmp(sec, "EFI PART", 8) != 0)
		return cb_errf(e, CB_ENOENT, "no GPT signature");
	uint32_t hsize = cb_le32(sec + 12);
	if (hsize < 92 || hsize > ss)
		return cb_errf(e, CB_EINVAL, "header size %u is outside 92..%u", hsize, ss);
	uint32_t stored = cb_le32(sec + 16);
	memset(sec + 16, 0, 4);
	uint32_t calc = crc32(sec, hsize);
	if (stored != calc)
		return cb_errf(e, CB_EVERIFY, "header CRC32 mismatch (stored 0x%08x, computed 0x%08x)", stored, calc);
	h->my_lba = cb_le64(sec + 24);
	h->alt_lba = cb_le64(sec + 32);
	h->first_usable = cb_le64(sec + 40);
	h->last_usable = cb_le64(sec + 48);
	memcpy(h->disk_guid, sec + 56, 16);
	h->entries_lba = cb_le64(sec + 72);
	h->count = cb_le32(sec + 80);
	h->entry_size = cb_le32(sec + 84);
	h->array_crc = cb_le32(sec + 88);
	if (h->my_lba != lba)
		return cb_errf(e, CB_EINVAL, "header says it is at LBA %llu", (unsigned long long)h->my_lba);
	if (h->first_usable == 0 || h->first_usable > h->last_usable || h->last_usable >= nsect)
		return cb_errf(e, CB_EINVAL, "usable LBA range %llu..%llu is invalid for a disk of %llu sectors",
			       (unsigned long long)h->first_usable, (unsigned long long)h->last_usable,
			       (unsigned long long)nsect);
	if (lba >= h->first_usable && lba <= h->last_usable)
		return cb_errf(e, CB_EINVAL, "header LBA %llu lies inside the usable range", (unsigned long long)lba);
	if (h->entry_size < 128 || h->entry_size % 8 || h->entry_size > 4096)
		return cb_errf(e, CB_EINVAL, "entry size %u is not a multiple of 8 in 128..4096", h->entry_size);
	if (h->count > GPT_MAX_ENTRIES)
		return cb_errf(e, CB_ELIMIT, "%u entries exceed the limit of %u", h->count, GPT_MAX_ENTRIES);
	uint64_t bytes = (uint64_t)h->count * h->entry_size; /* both bounded above: no overflow */
	if (bytes > GPT_MAX_ARRAY_BYTES)
		return cb_errf(e, CB_ELIMIT, "entry array of %llu bytes exceeds the limit of %u",
			       (unsigned long long)bytes, GPT_MAX_ARRAY_BYTES);
	uint64_t nsec = (bytes + ss - 1) / ss, end;
	if (!cb_add_ok(h->entries_lba, nsec, &end) || h->entries_lba == 0 || end > nsect)
		return cb_errf(e, CB_EINVAL, "entry array at LBA %llu (%llu sectors) lies outside the disk",
			       (unsigned long long)h->entries_lba, (unsigned long long)nsec);
	if (nsec && ((lba >= h->entries_lba && lba < end) ||
		     (h->entries_lba <= h->last_usable && end > h->first_usable)))
		return cb_errf(e, CB_EINVAL, "entry array at LBA %llu..%llu overlaps the header or the usable range",
			       (unsigned long long)h->entries_lba, (unsigned long long)(end - 1));
	return 0;
}

/* Reads the entry array of a checked header into a fresh buffer and verifies its CRC. */
static int gpt_array(struct cb_blockdev *d, uint32_t ss, const struct gpt_hdr *h, uint8_t **out, struct cb_err *e)
{
	size_t bytes = (size_t)h->count * h->entry_size;
	*out = NULL;
	uint8_t *a = malloc(bytes ? bytes : 1);
	if (!a)
		return cb_errf(e, CB_ENOMEM, "out of memory for %zu bytes of entries", bytes);
	int rc = d->read(d, h->entries_lba * ss, a, bytes, e);
	if (rc) {
		free(a);
		return rc;
	}
	uint32_t calc = crc32(a, bytes);
	if (calc != h->array_crc) {
		free(a);
		return cb_errf(e, CB_EVERIFY, "entry array CRC32 mismatch (stored 0x%08x, computed 0x%08x)",
			       h->array_crc, calc);
	}
	*out = a;
	return 0;
}

/* UTF-16LE (36 units, NUL-terminated or full) → UTF-8; invalid surrogates become U+FFFD. */
static void utf16_to_utf8(const uint8_t *in, size_t units, char *out, size_t outsize)
{
	size_t o = 0;
	for (size_t i = 0; i < units; i++) {
		uint32_t c = cb_le16(in + 2 * i);
		if (c == 0)
			break;
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
			uint32_t lo = cb_le16(in + 2 * (i + 1));
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else {
				c = 0xFFFD;
			}
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			c = 0xFFFD;
		}
		uint8_t b[4];
		size_t n;
		if (c < 0x80) {
			b[0] = (uint8_t)c;
			n = 1;
		} else if (c < 0x800) {
			b[0] = (uint8_t)(0xC0 | c >> 6);
			b[1] = (uint8_t)(0x80 | (c & 0x3F));
			n = 2;
		} else if (c < 0x10000) {
			b[0] = (uint8_t)(0xE0 | c >> 12);
			b[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
			b[2] = (uint8_t)(0x80 | (c & 0x3F));
			n = 3;
		} else {
			b[0] = (uint8_t)(0xF0 | c >> 18);
			b[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
			b[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
			b[3] = (uint8_t)(0x80 | (c & 0x3F));
			n = 4;
		}
		if (o + n >= outsize)
			break;
		memcpy(out + o, b, n);
		o += n;
	}
	out[o] = 0;
}

static int gpt_entries(struct part_table *t, const struct gpt_hdr *h, const uint8_t *a, uint32_t ss,
		       struct cb_err *e)
{
	for (uint32_t i = 0; i < h->count; i++) {
		const uint8_t *x = a + (size_t)i * h->entry_size;
		if (guid_is_zero(x))
			continue;
		struct part_info p;
		memset(&p, 0, sizeof(p));
		p.number = i + 1;
		memcpy(p.type_guid, x, 16);
		memcpy(p.part_guid, x + 16, 16);
		p.first_lba = cb_le64(x + 32);
		p.last_lba = cb_le64(x + 40);
		p.attributes = cb_le64(x + 48);
		utf16_to_utf8(x + 56, 36, p.label, sizeof(p.label));
		if (p.first_lba > p.last_lba || p.first_lba < h->first_usable || p.last_lba > h->last_usable) {
			part_warn(t, "gpt: partition %u (LBA %llu..%llu) lies outside the usable range %llu..%llu; ignored",
				  p.number, (unsigned long long)p.first_lba, (unsigned long long)p.last_lba,
				  (unsigned long long)h->first_usable, (unsigned long long)h->last_usable);
			continue;
		}
		/* last_usable < disk sectors, so these cannot overflow; checked anyway. */
		if (!cb_mul_ok(p.first_lba, (uint64_t)ss, &p.start) ||
		    !cb_mul_ok(p.last_lba - p.first_lba + 1, (uint64_t)ss, &p.size))
			return cb_errf(e, CB_EINVAL, "gpt: partition %u: size overflows", p.number);
		int rc = part_table_add(t, &p, e);
		if (rc)
			return rc;
	}
	return part_check_overlaps(t, "gpt", e);
}

static int gpt_scan_ss(struct cb_blockdev *d, uint32_t ss, struct part_table *t, struct cb_err *e)
{
	uint64_t nsect = d->size / ss;
	if (nsect < 4)
		return cb_errf(e, CB_ENOENT, "gpt: disk too small");
	uint8_t *sec = malloc(ss);
	if (!sec)
		return cb_errf(e, CB_ENOMEM, "gpt: out of memory");
	struct gpt_hdr h;
	uint8_t *arr = NULL;
	struct cb_err pe = {0, ""}, be = {0, ""};
	int prc = gpt_header(d, ss, nsect, 1, &h, sec, &pe);
	if (prc == 0)
		prc = gpt_array(d, ss, &h, &arr, &pe);
	int brc = CB_ENOENT;
	uint64_t blba = nsect - 1;
	if (prc) {
		if (prc == CB_EIO || prc == CB_ENOMEM) {
			free(sec);
			*e = pe;
			return prc;
		}
		/* The primary's alternate LBA if its header was sane, else the last sector. */
		uint64_t cand[2] = { nsect - 1, nsect - 1 };
		struct gpt_hdr ph;
		struct cb_err tmp;
		if (prc != CB_ENOENT && gpt_header(d, ss, nsect, 1, &ph, sec, &tmp) == 0 && ph.alt_lba < nsect &&
		    ph.alt_lba > 1)
			cand[0] = ph.alt_lba;
		for (int k = 0; k < 2 && brc; k++) {
			if (k == 1 && cand[1] == cand[0])
				break;
			blba = cand[k];
			brc = gpt_header(d, ss, nsect, blba, &h, sec, &be);
			if (brc == 0)
				brc = gpt_array(d, ss, &h, &arr, &be);
			if (brc == CB_EIO || brc == CB_ENOMEM) {
				free(sec);
				*e = be;
				return brc;
			}
		}
	}
	free(sec);
	if (prc && brc) {
		if (prc == CB_ENOENT && brc == CB_ENOENT)
			return cb_errf(e, CB_ENOENT, "gpt: no GPT header on %s", d->name);
		int code = (prc == CB_EVERIFY || brc == CB_EVERIFY) ? CB_EVERIFY : (prc != CB_ENOENT ? prc : brc);
		return cb_errf(e, code, "gpt: %s: primary header at LBA 1: %s; backup at LBA %llu: %s", d->name,
			       pe.msg, (unsigned long long)blba, be.msg);
	}
	memset(t, 0, sizeof(*t));
	t->scheme = PART_SCHEME_GPT;
	t->sector_size = ss;
	memcpy(t->disk_guid, h.disk_guid, 16);
	if (prc) {
		t->used_backup = true;
		part_warn(t, "gpt: %s: primary header at LBA 1 is unusable (%s); using the backup at LBA %llu",
			  d->name, pe.msg, (unsigned long long)blba);
	}
	int rc = gpt_entries(t, &h, arr, ss, e);
	free(arr);
	if (rc) {
		part_table_free(t);
		return rc;
	}
	/* Note a protective MBR (informational; a GPT without one is still read). */
	uint8_t mbr[512];
	struct cb_err tmp;
	if (d->size >= 512 && d->read(d, 0, mbr, 512, &tmp) == 0 && mbr[510] == 0x55 && mbr[511] == 0xAA)
		for (int i = 0; i < 4; i++)
			if (mbr[446 + 16 * i + 4] == 0xEE)
				t->protective_mbr = true;
	return 0;
}

int gpt_scan(struct cb_blockdev *d, struct part_table *t, struct cb_err *e)
{
	uint32_t ss = d->sector_size == 4096 ? 4096 : 512;
	int rc = gpt_scan_ss(d, ss, t, e);
	if (rc != CB_ENOENT)
		return rc;
	/* Images carry no sector size: a 4 KiB-sector GPT in a file reported as 512 (or the reverse). */
	uint32_t other = ss == 512 ? 4096 : 512;
	struct cb_err e2 = {0, ""};
	int rc2 = gpt_scan_ss(d, other, t, &e2);
	if (rc2 == CB_ENOENT)
		return rc;
	*e = e2;
	return rc2;
}
