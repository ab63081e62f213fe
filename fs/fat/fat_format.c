/* fat_format.c: mkfs for FAT12/16/32 with mkfs.fat 4.2's geometry rules (cluster size, alignment, FAT type
 * by size). Writes a fresh volume through the block device; mounting and writing files are elsewhere. */
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "fat_internal.h"

struct layout {
	int bits;
	uint32_t bps, spc, reserved, nfats, fat_len, root_entries, total, clusters;
	uint8_t media;
};

static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
static int64_t align_to(int64_t x, int64_t spc, bool on) { return on ? (x + spc - 1) / spc * spc : x; }

struct pick {
	int bits;
	int64_t spc, clusters, fat_len;
};

/* mkfs.fat's search: from cluster size spc, double (up to maxspc) until the wanted FAT type (0: 12 or 16)
 * has a valid count. */
static int search(const struct layout *L, int bits, int64_t spc, int64_t maxspc, struct pick *p, struct cb_err *e)
{
	int64_t bps = L->bps, nf = L->nfats, n = L->total;
	int64_t reserved = bits == 32 ? 32 : 1;
	int64_t root_secs = bits == 32 ? 0 : cdiv((int64_t)L->root_entries * 32, bps);
	bool al = n > 8192;
	int64_t c12 = 0, c16 = 0, c32 = 0, f12 = 0, f16 = 0, f32 = 0;
	for (; spc && spc <= maxspc; spc <<= 1) {
		int64_t d32 = n - align_to(reserved, spc, al);
		int64_t d1216 = d32 - align_to(root_secs, spc, al);
		if (d1216 <= 0 || d32 <= 0)
			return cb_errf(e, CB_ELIMIT, "%lld sectors are too few for a FAT file system", (long long)n);

		c12 = 2 * (d1216 * bps + nf * 3) / (2 * spc * bps + nf * 3);
		f12 = align_to(cdiv(((c12 + 2) * 3 + 1) >> 1, bps), spc, al);
		c12 = (d1216 - nf * f12) / spc;
		int64_t max12 = f12 * 2 * bps / 3;
		if (max12 > 4084)
			max12 = 4084; /* 4085 and 4086 read as FAT12 on Windows but FAT16 on Linux */
		if (c12 < 0 || c12 > max12)
			c12 = 0;

		c16 = (d1216 * bps + nf * 4) / (spc * bps + nf * 2);
		f16 = align_to(cdiv((c16 + 2) * 2, bps), spc, al);
		c16 = (d1216 - nf * f16) / spc;
		int64_t max16 = f16 * bps / 2;
		if (max16 > 65524)
			max16 = 65524;
		if (c16 < 0 || c16 > max16 || c16 < 4087)
			c16 = 0;

		c32 = (d32 * bps + nf * 8) / (spc * bps + nf * 4);
		f32 = align_to(cdiv((c32 + 2) * 4, bps), spc, al);
		c32 = (d32 - nf * f32) / spc;
		int64_t max32 = f32 * bps / 4;
		if (max32 > 268435446)
			max32 = 268435446;
		if (c32 < 0 || c32 > max32 || (c32 < 65525 && bits != 32))
			c32 = 0;

		if ((c12 && (bits == 0 || bits == 12)) || (c16 && (bits == 0 || bits == 16)) || (c32 && bits == 32))
			break;
	}
	if (!bits)
		bits = c16 > c12 ? 16 : 12;
	p->bits = bits;
	p->spc = spc;
	p->clusters = bits == 12 ? c12 : bits == 16 ? c16 : c32;
	p->fat_len = bits == 12 ? f12 : bits == 16 ? f16 : f32;
	if (!spc || spc > maxspc)
		p->clusters = 0;
	return 0;
}

static int plan(struct layout *L, int want, uint32_t spc_user, uint64_t bytes, struct cb_err *e)
{
	int64_t bps = L->bps, n = L->total;
	int bits = want;
	if (!bits && bytes >= (512ull << 20))
		bits = 32;
	int64_t spc = 4;
	if (bits == 32) { /* Microsoft's table, in sectors as mkfs.fat counts them (whatever their size) */
		uint64_t s = bytes / L->bps;
		spc = s > (64ull << 20) ? 64 : s > (32ull << 20) ? 32 : s > (16ull << 20) ? 16 : s > 532480 ? 8 : 1;
	}
	struct pick p;
	int rc = search(L, bits, spc_user ? spc_user : spc, spc_user ? spc_user : 128, &p, e);
	if (rc < 0)
		return rc;
	/* Where mkfs.fat would make a FAT16 that reads as FAT12, or a FAT32 below the spec's minimum (large
	 * sectors: mkfs.fat's FAT32 rule assumes 512 bytes), smaller clusters are tried instead. */
	int64_t min = p.bits == 16 ? 4085 : p.bits == 32 ? 65525 : 1;
	for (int64_t s = p.spc / 2; !spc_user && p.clusters < min && s >= 1; s /= 2)
		if ((rc = search(L, p.bits, s, s, &p, e)) < 0)
			return rc;
	bits = p.bits;
	if (p.clusters <= 0)
		return cb_errf(e, CB_ELIMIT, "no FAT%d layout fits %lld sectors of %lld bytes%s", bits, (long long)n,
		               (long long)bps, spc_user ? " with this cluster size" : "");
	if (bits == 16 && p.clusters < 4085)
		return cb_errf(e, CB_ELIMIT, "FAT16 needs at least 4085 clusters, this size gives %lld",
		               (long long)p.clusters);
	if (bits == 32 && p.clusters < 65525)
		return cb_errf(e, CB_ELIMIT, "FAT32 needs at least 65525 clusters, this size gives %lld",
		               (long long)p.clusters);
	bool al = n > 8192;
	int64_t reserved = bits == 32 ? 32 : 1;
	int64_t root_secs = bits == 32 ? 0 : cdiv((int64_t)L->root_entries * 32, bps);
	L->bits = bits;
	L->spc = (uint32_t)p.spc;
	L->reserved = (uint32_t)align_to(reserved, p.spc, al);
	/* Whole sectors of root entries, and whole clusters when aligned (like mkfs.fat). */
	L->root_entries = bits == 32 ? 0 : (uint32_t)(align_to(root_secs, p.spc, al) * (bps / 32));
	L->fat_len = (uint32_t)p.fat_len;
	L->clusters = (uint32_t)p.clusters;
	if (L->root_entries > 65535)
		return cb_errf(e, CB_ELIMIT, "%u root directory entries do not fit the BPB", L->root_entries);
	if (L->reserved > 65535)
		return cb_errf(e, CB_ELIMIT, "%u reserved sectors do not fit the BPB", L->reserved);
	uint64_t data_start = (uint64_t)L->reserved + (uint64_t)L->nfats * L->fat_len +
	                      (uint64_t)cdiv((int64_t)L->root_entries * 32, bps);
	if ((uint64_t)n * (uint64_t)bps / 1024 < (data_start * (uint64_t)bps + 1023) / 1024 + 32)
		return cb_errf(e, CB_ELIMIT, "%lld sectors are too few for a FAT file system", (long long)n);
	return 0;
}

static int check_label(const char *label, uint8_t out[11], struct cb_err *e)
{
	memcpy(out, "NO NAME    ", 11);
	if (!label || !*label)
		return 0;
	size_t n = strnlen(label, 12);
	if (n > 11)
		return cb_errf(e, CB_EINVAL, "label \"%.40s\" is longer than 11 characters", label);
	if (label[0] == ' ')
		return cb_errf(e, CB_EINVAL, "label cannot start with a space");
	memset(out, ' ', 11);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)label[i];
		if (c < 0x20 || c > 0x7E || strchr("*?.,;:/\\|+=<>[]\"", c))
			return cb_errf(e, CB_EINVAL, "label character 0x%02x is not allowed", c);
		out[i] = c;
	}
	return 0;
}

static void boot_sector(const struct layout *L, const struct fat_format_opts *o, const uint8_t label[11],
                        uint64_t bytes, uint8_t *bs)
{
	memset(bs, 0, 512);
	uint32_t code = L->bits == 32 ? 0x5A : 0x3E; /* after the (extended) BPB */
	bs[0] = 0xEB;
	bs[1] = (uint8_t)(code - 2);
	bs[2] = 0x90;
	memcpy(bs + 3, "MSWIN4.1", 8);
	cb_put_le16(bs + 11, L->bps);
	bs[13] = (uint8_t)L->spc;
	cb_put_le16(bs + 14, L->reserved);
	bs[16] = (uint8_t)L->nfats;
	cb_put_le16(bs + 17, L->root_entries);
	if (L->total < 65536)
		cb_put_le16(bs + 19, L->total);
	else
		cb_put_le32(bs + 32, L->total);
	bs[21] = L->media;
	/* CHS geometry, meaningless but filled in as mkfs.fat does for devices without one (SD card rule below
	 * 256 MiB, LBA-assist translation above). */
	uint64_t ts = bytes / L->bps;
	uint32_t spt = ts <= 524288 ? (ts <= 4096 ? 16 : 32) : 63;
	uint32_t heads = ts <= 524288 ? (ts <= 32768 ? 2 : ts <= 65536 ? 4 : ts <= 262144 ? 8 : 16)
	                              : (ts <= 16 * 63 * 1024 ? 16 : ts <= 32 * 63 * 1024 ? 32 : ts <= 64 * 63 * 1024 ? 64
	                                 : ts <= 128 * 63 * 1024 ? 128 : 255);
	cb_put_le16(bs + 24, spt);
	cb_put_le16(bs + 26, heads);
	cb_put_le32(bs + 28, o->hidden_sectors);
	uint8_t *ext = bs + 36;
	const char *type = L->bits == 12 ? "FAT12   " : L->bits == 16 ? "FAT16   " : "FAT32   ";
	if (L->bits == 32) {
		cb_put_le32(bs + 36, L->fat_len);
		cb_put_le32(bs + 44, 2); /* root cluster */
		cb_put_le16(bs + 48, 1); /* FSInfo */
		cb_put_le16(bs + 50, L->reserved >= 7 ? 6 : 0);
		ext = bs + 64;
	} else {
		cb_put_le16(bs + 22, L->fat_len);
	}
	ext[0] = 0x80; /* drive number */
	ext[2] = 0x29;
	cb_put_le32(ext + 3, o->volume_id);
	memcpy(ext + 7, label, 11);
	memcpy(ext + 18, type, 8);
	bs[code] = 0xCD; /* int 18h (no bootable OS: let the BIOS try the next device), then jmp $ */
	bs[code + 1] = 0x18;
	bs[code + 2] = 0xEB;
	bs[code + 3] = 0xFE;
	bs[510] = 0x55;
	bs[511] = 0xAA;
}

static int zero_range(struct cb_blockdev *dev, uint64_t off, uint64_t len, const uint8_t *zero, size_t zlen,
                      struct cb_err *e)
{
	while (len) {
		size_t k = len < zlen ? (size_t)len : zlen;
		int rc = dev->write(dev, off, zero, k, e);
		if (rc < 0)
			return rc;
		off += k;
		len -= k;
	}
	return 0;
}

int fat_format(struct cb_blockdev *dev, const struct fat_format_opts *o, struct cb_err *e)
{
	static const struct fat_format_opts defaults;
	if (!o)
		o = &defaults;
	if (!dev || !dev->write)
		return cb_errf(e, CB_EINVAL, "fat: format needs a writable device");
	const char *name = dev->name ? dev->name : "device";
	struct layout L = {0};
	L.bps = o->sector_size ? o->sector_size : dev->sector_size ? dev->sector_size : 512;
	if (L.bps < 512 || L.bps > 4096 || (L.bps & (L.bps - 1)))
		return cb_errf(e, CB_EINVAL, "fat: %s: sector size %u is not 512..4096 and a power of two", name, L.bps);
	if (o->sectors_per_cluster && (o->sectors_per_cluster > 128 || (o->sectors_per_cluster & (o->sectors_per_cluster - 1))))
		return cb_errf(e, CB_EINVAL, "fat: %s: sectors per cluster %u is not a power of two up to 128", name,
		               o->sectors_per_cluster);
	if (o->sectors_per_cluster && o->sectors_per_cluster * L.bps > 65536)
		return cb_errf(e, CB_EINVAL, "fat: %s: clusters larger than 64 KiB", name);
	if (o->fat_bits != 0 && o->fat_bits != 12 && o->fat_bits != 16 && o->fat_bits != 32)
		return cb_errf(e, CB_EINVAL, "fat: %s: FAT type %d is not 12, 16 or 32", name, o->fat_bits);
	L.nfats = o->num_fats ? o->num_fats : 2;
	if (L.nfats > 4)
		return cb_errf(e, CB_EINVAL, "fat: %s: %u FATs (1..4)", name, L.nfats);
	L.root_entries = o->root_entries ? o->root_entries : 512;
	if (L.root_entries > 65535)
		return cb_errf(e, CB_EINVAL, "fat: %s: %u root entries (at most 65535)", name, L.root_entries);
	L.media = 0xF8;
	uint64_t bytes = o->size ? o->size : dev->size;
	if (bytes > dev->size)
		return cb_errf(e, CB_EINVAL, "fat: %s: size %llu exceeds the device's %llu bytes", name,
		               (unsigned long long)bytes, (unsigned long long)dev->size);
	uint64_t sectors = bytes / L.bps;
	L.total = sectors > UINT32_MAX ? UINT32_MAX : (uint32_t)sectors;
	uint8_t label[11];
	int rc = check_label(o->label, label, e);
	if (rc < 0)
		return cb_err_prefix(e, "fat: %s: ", name);
	if ((rc = plan(&L, o->fat_bits, o->sectors_per_cluster, bytes, e)) < 0)
		return cb_err_prefix(e, "fat: %s: ", name);

	size_t zlen = 64 * 1024;
	uint8_t *zero = calloc(1, zlen);
	uint8_t *sec = calloc(1, L.bps);
	if (!zero || !sec) {
		rc = cb_errf(e, CB_ENOMEM, "no memory");
		goto out;
	}
	uint64_t bps = L.bps;
	uint64_t fat_off = L.reserved * bps, fat_bytes = (uint64_t)L.fat_len * bps;
	uint64_t root_off = fat_off + L.nfats * fat_bytes;
	uint64_t root_bytes = L.bits == 32 ? (uint64_t)L.spc * bps : (uint64_t)L.root_entries * 32;
	/* Invalidate the old boot sector first, so an interrupted format is not mistaken for a volume. */
	if ((rc = zero_range(dev, 0, L.reserved * bps, zero, zlen, e)) < 0 ||
	    (rc = zero_range(dev, fat_off, L.nfats * fat_bytes, zero, zlen, e)) < 0 ||
	    (rc = zero_range(dev, root_off, root_bytes, zero, zlen, e)) < 0)
		goto out;

	/* FAT: media entry, entry 1 all ones, FAT32's root cluster at its end. */
	memset(sec, 0, L.bps);
	if (L.bits == 12) {
		sec[0] = L.media, sec[1] = 0xFF, sec[2] = 0xFF;
	} else if (L.bits == 16) {
		sec[0] = L.media, sec[1] = 0xFF, sec[2] = 0xFF, sec[3] = 0xFF;
	} else {
		cb_put_le32(sec, 0x0FFFFF00u | L.media);
		cb_put_le32(sec + 4, 0x0FFFFFFFu);
		cb_put_le32(sec + 8, 0x0FFFFFFFu);
	}
	for (uint32_t k = 0; k < L.nfats; k++)
		if ((rc = dev->write(dev, fat_off + k * fat_bytes, sec, L.bps, e)) < 0)
			goto out;

	if (memcmp(label, "NO NAME    ", 11) != 0) {
		uint8_t ent[32] = {0};
		uint16_t date, time;
		fat_time_from_unix(o->unix_time, &date, &time);
		memcpy(ent, label, 11);
		ent[11] = FAT_ATTR_VOLID;
		cb_put_le16(ent + 14, time);
		cb_put_le16(ent + 16, date);
		cb_put_le16(ent + 18, date);
		cb_put_le16(ent + 22, time);
		cb_put_le16(ent + 24, date);
		/* FAT12/16 root region, or FAT32's cluster 2: both start right after the FATs. */
		if ((rc = dev->write(dev, root_off, ent, sizeof(ent), e)) < 0)
			goto out;
	}

	uint8_t bs[512];
	boot_sector(&L, o, label, bytes, bs);
	if (L.bits == 32) {
		memset(sec, 0, L.bps);
		cb_put_le32(sec, 0x41615252u);
		cb_put_le32(sec + 484, 0x61417272u);
		cb_put_le32(sec + 488, L.clusters - 1); /* the root directory has one */
		cb_put_le32(sec + 492, 3);
		cb_put_le32(sec + 508, 0xAA550000u);
		if ((rc = dev->write(dev, bps, sec, L.bps, e)) < 0)
			goto out;
		if (L.reserved >= 7 && (rc = dev->write(dev, 6 * bps, bs, sizeof(bs), e)) < 0)
			goto out;
	}
	rc = dev->write(dev, 0, bs, sizeof(bs), e);
out:
	free(zero);
	free(sec);
	return rc < 0 ? cb_err_prefix(e, "fat: %s: format: ", name) : 0;
}
