/* iso9660.c: the ISO 9660 side of a cloud-boot image: volume descriptors, El Torito boot record and catalog
 * (one EFI no-emulation entry: the ESP), path tables, a flat root. No Rock Ridge, Joliet or BIOS entry. */
#include <stdio.h>
#include <string.h>

#include "iso.h"

#define BLK(meta, lba) ((meta) + ((size_t)(lba) - ISO_LBA_PVD) * ISO_BLOCK)

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static void le32(uint8_t *p, uint32_t v)
{
	le16(p, (uint16_t)v);
	le16(p + 2, (uint16_t)(v >> 16));
}
static void be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static void be32(uint8_t *p, uint32_t v)
{
	be16(p, (uint16_t)(v >> 16));
	be16(p + 2, (uint16_t)v);
}
/* ISO 9660 "both-byte orders" fields: little-endian, then big-endian. */
static void both16(uint8_t *p, uint16_t v)
{
	le16(p, v);
	be16(p + 2, v);
}
static void both32(uint8_t *p, uint32_t v)
{
	le32(p, v);
	be32(p + 4, v);
}

static void pad_str(uint8_t *p, size_t n, const char *s)
{
	size_t l = strlen(s);
	memset(p, ' ', n);
	memcpy(p, s, l < n ? l : n);
}

/* A directory record; returns its length (33 + name, padded to even). */
static size_t dir_record(uint8_t *p, uint32_t lba, uint32_t size, uint8_t flags, const uint8_t *name, uint8_t nlen,
			 const struct iso_time *t)
{
	size_t len = 33u + nlen + ((nlen & 1) ? 0 : 1);
	memset(p, 0, len);
	p[0] = (uint8_t)len;
	both32(p + 2, lba);
	both32(p + 10, size);
	p[18] = (uint8_t)(t->year - 1900);
	p[19] = (uint8_t)t->month;
	p[20] = (uint8_t)t->day;
	p[21] = (uint8_t)t->hour;
	p[22] = (uint8_t)t->minute;
	p[23] = (uint8_t)t->second;
	p[25] = flags;
	both16(p + 28, 1);
	p[32] = nlen;
	memcpy(p + 33, name, nlen);
	return len;
}

static void vd_date(uint8_t *p, const struct iso_time *t)
{
	char s[32];
	snprintf(s, sizeof(s), "%04d%02d%02d%02d%02d%02d00", t->year, t->month, t->day, t->hour, t->minute, t->second);
	memcpy(p, s, 16);
	p[16] = 0; /* GMT */
}

static void vd_head(uint8_t *p, uint8_t type)
{
	p[0] = type;
	memcpy(p + 1, "CD001", 5);
	p[6] = 1;
}

int iso9660_check_volume_id(const char *volume_id, struct cb_err *e)
{
	size_t n = strlen(volume_id);
	if (n == 0 || n > 32 || strspn(volume_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n)
		return cb_errf(e, CB_EINVAL, "volume ID '%s': use 1..32 characters of A-Z, 0-9 and _", volume_id);
	return 0;
}

static int check_inputs(const char *volume_id, const struct iso_time *t, struct cb_err *e)
{
	int rc = iso9660_check_volume_id(volume_id, e);
	if (rc)
		return rc;
	if (t->year < 1970 || t->year > 2155 || t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 ||
	    t->hour < 0 || t->hour > 23 || t->minute < 0 || t->minute > 59 || t->second < 0 || t->second > 60)
		return cb_errf(e, CB_EINVAL, "timestamp %d-%d-%d %d:%d:%d is outside 1970..2155", t->year, t->month,
			       t->day, t->hour, t->minute, t->second);
	return 0;
}

int iso9660_build(uint8_t *meta, const struct iso_layout *l, const char *volume_id, const struct iso_time *t,
		  struct cb_err *e)
{
	int rc = check_inputs(volume_id, t, e);
	if (rc)
		return rc;
	if (l->esp_lba != ISO_LBA_ESP || l->esp_bytes > ISO_ESP_MAX)
		return cb_errf(e, CB_EINVAL, "iso9660: layout does not put the ESP at block %u", ISO_LBA_ESP);
	memset(meta, 0, (size_t)ISO_META_BLOCKS * ISO_BLOCK);
	static const uint8_t dot = 0, dotdot = 1;
	static const char cat_name[] = "BOOT.CAT;1", esp_name[] = "EFIBOOT.IMG;1";

	/* Primary volume descriptor. */
	uint8_t *p = BLK(meta, ISO_LBA_PVD);
	vd_head(p, 1);
	pad_str(p + 8, 32, "");
	pad_str(p + 40, 32, volume_id);
	both32(p + 80, l->volume_blocks);
	both16(p + 120, 1);
	both16(p + 124, 1);
	both16(p + 128, ISO_BLOCK);
	both32(p + 132, 10);
	le32(p + 140, ISO_LBA_PATH_L);
	be32(p + 148, ISO_LBA_PATH_M);
	dir_record(p + 156, ISO_LBA_ROOT, ISO_BLOCK, 0x02, &dot, 1, t);
	pad_str(p + 190, 128, "");
	pad_str(p + 318, 128, "");
	pad_str(p + 446, 128, "");
	pad_str(p + 574, 128, "CLOUD-BOOT-ISO");
	pad_str(p + 702, 37 * 3, "");
	vd_date(p + 813, t);
	vd_date(p + 830, t);
	memset(p + 847, '0', 16);
	memset(p + 864, '0', 16);
	p[881] = 1;

	/* El Torito boot record: where the catalog is. */
	p = BLK(meta, ISO_LBA_BOOT_RECORD);
	vd_head(p, 0);
	memcpy(p + 7, "EL TORITO SPECIFICATION", 23);
	le32(p + 71, ISO_LBA_CATALOG);

	vd_head(BLK(meta, ISO_LBA_TERMINATOR), 255);

	/* Path tables: the root only. */
	p = BLK(meta, ISO_LBA_PATH_L);
	p[0] = 1;
	le32(p + 2, ISO_LBA_ROOT);
	le16(p + 6, 1);
	p = BLK(meta, ISO_LBA_PATH_M);
	p[0] = 1;
	be32(p + 2, ISO_LBA_ROOT);
	be16(p + 6, 1);

	/* Root directory: ".", "..", then the files in name order. */
	p = BLK(meta, ISO_LBA_ROOT);
	p += dir_record(p, ISO_LBA_ROOT, ISO_BLOCK, 0x02, &dot, 1, t);
	p += dir_record(p, ISO_LBA_ROOT, ISO_BLOCK, 0x02, &dotdot, 1, t);
	p += dir_record(p, ISO_LBA_CATALOG, ISO_BLOCK, 0, (const uint8_t *)cat_name, sizeof(cat_name) - 1, t);
	dir_record(p, l->esp_lba, (uint32_t)l->esp_bytes, 0, (const uint8_t *)esp_name, sizeof(esp_name) - 1, t);

	/* Boot catalog: validation entry (platform EFI) and the default entry. */
	p = BLK(meta, ISO_LBA_CATALOG);
	p[0] = 1;
	p[1] = 0xEF;
	p[30] = 0x55;
	p[31] = 0xAA;
	uint16_t sum = 0;
	for (int i = 0; i < 32; i += 2)
		sum = (uint16_t)(sum + (p[i] | p[i + 1] << 8));
	le16(p + 28, (uint16_t)(0x10000u - sum));
	p[32] = 0x88;
	le16(p + 32 + 6, l->boot_sectors);
	le32(p + 32 + 8, l->esp_lba);
	return 0;
}
