/* fs_test_disk.h: builders for crafted partition tables in memory (protective MBR + primary/backup GPT with
 * correct CRCs, MBR entries), shared by the fs_* unit tests. Test code only. */
#ifndef FS_TEST_DISK_H
#define FS_TEST_DISK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"

static inline void le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void le32(uint8_t *p, uint32_t v) { le16(p, (uint16_t)v); le16(p + 2, (uint16_t)(v >> 16)); }
static inline void le64(uint8_t *p, uint64_t v) { le32(p, (uint32_t)v); le32(p + 4, (uint32_t)(v >> 32)); }

struct gp {
	uint64_t first, last;
	const char *label;         /* ASCII, or NULL to use name16 */
	const uint16_t *name16;    /* NUL-terminated UTF-16 */
	uint8_t tag;               /* distinguishes GUIDs */
};

struct gpt_layout {
	uint32_t ss, count, esize;
	uint64_t nsect;
};

static inline uint64_t array_sectors(const struct gpt_layout *l)
{
	return ((uint64_t)l->count * l->esize + l->ss - 1) / l->ss;
}

static inline void gpt_header(uint8_t *d, const struct gpt_layout *l, uint64_t my, uint64_t alt, uint64_t entries,
		       uint32_t array_crc)
{
	uint8_t *h = d + my * l->ss;
	memset(h, 0, l->ss);
	memcpy(h, "EFI PART", 8);
	le32(h + 8, 0x00010000);
	le32(h + 12, 92);
	le64(h + 24, my);
	le64(h + 32, alt);
	le64(h + 40, 2 + array_sectors(l));
	le64(h + 48, l->nsect - 2 - array_sectors(l));
	for (int i = 0; i < 16; i++)
		h[56 + i] = (uint8_t)(0xD0 + i);
	le64(h + 72, entries);
	le32(h + 80, l->count);
	le32(h + 84, l->esize);
	le32(h + 88, array_crc);
	le32(h + 16, crc32(h, 92));
}

static inline void rehash_header(uint8_t *d, uint32_t ss, uint64_t lba)
{
	uint8_t *h = d + lba * ss;
	le32(h + 16, 0);
	le32(h + 16, crc32(h, h[12] | (uint32_t)h[13] << 8));
}

/* Writes a protective MBR, primary and backup GPT with the given partitions. */
static inline void gpt_make(uint8_t *d, const struct gpt_layout *l, const struct gp *parts, int n)
{
	memset(d, 0, l->nsect * l->ss);
	uint8_t *m = d + 446;
	m[4] = 0xEE;
	le32(m + 8, 1);
	le32(m + 12, (uint32_t)(l->nsect - 1));
	d[510] = 0x55;
	d[511] = 0xAA;
	size_t bytes = (size_t)l->count * l->esize;
	uint8_t *arr = calloc(1, bytes + 1);
	for (int i = 0; i < n; i++) {
		uint8_t *x = arr + (size_t)i * l->esize;
		size_t room = l->esize < 128 ? l->esize : 128;
		uint8_t full[128];
		memset(full, 0, sizeof(full));
		for (int k = 0; k < 16; k++) {
			full[k] = (uint8_t)(0x10 + k + parts[i].tag);
			full[16 + k] = (uint8_t)(0x80 + k + parts[i].tag);
		}
		le64(full + 32, parts[i].first);
		le64(full + 40, parts[i].last);
		le64(full + 48, 0x8000000000000001ull);
		if (parts[i].label)
			for (size_t k = 0; parts[i].label[k] && k < 36; k++)
				le16(full + 56 + 2 * k, (uint8_t)parts[i].label[k]);
		else
			for (size_t k = 0; parts[i].name16[k] && k < 36; k++)
				le16(full + 56 + 2 * k, parts[i].name16[k]);
		memcpy(x, full, room);
	}
	uint32_t acrc = crc32(arr, bytes);
	uint64_t as = array_sectors(l);
	if (2 + as <= l->nsect)
		memcpy(d + 2 * l->ss, arr, bytes < (l->nsect - 2) * l->ss ? bytes : (l->nsect - 2) * l->ss);
	uint64_t bent = l->nsect - 1 - as;
	if (bent > 2 + as)
		memcpy(d + bent * l->ss, arr, bytes);
	gpt_header(d, l, 1, l->nsect - 1, 2, acrc);
	gpt_header(d, l, l->nsect - 1, 1, bent, acrc);
	free(arr);
}

static inline void mbr_entry(uint8_t *sec, int i, uint8_t status, uint8_t type, uint32_t lba, uint32_t n)
{
	uint8_t *x = sec + 446 + 16 * i;
	x[0] = status;
	x[4] = type;
	le32(x + 8, lba);
	le32(x + 12, n);
	sec[510] = 0x55;
	sec[511] = 0xAA;
}

#endif
