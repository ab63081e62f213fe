/* fat_bpb.c: parses and validates the boot sector's BIOS Parameter Block into struct fat_geom (FAT type,
 * region offsets, cluster count). Reads nothing itself and never writes; mkfs lives in fat_format.c. */
#include <string.h>

#include "fat_internal.h"

static bool is_pow2(uint32_t x) { return x && !(x & (x - 1)); }

int fat_bpb_parse(const uint8_t *bs, uint64_t dev_size, struct fat_geom *g, struct cb_err *e)
{
	memset(g, 0, sizeof(*g));
	if (!(bs[0] == 0xEB || bs[0] == 0xE9))
		return cb_errf(e, CB_EINVAL, "not a FAT boot sector (jump byte 0x%02x)", bs[0]);
	if (bs[510] != 0x55 || bs[511] != 0xAA)
		return cb_errf(e, CB_EINVAL, "not a FAT boot sector (signature 0x%02x%02x)", bs[511], bs[510]);

	uint32_t bps = cb_le16(bs + 11);
	if (bps < 512 || bps > 4096 || !is_pow2(bps))
		return cb_errf(e, CB_EINVAL, "bytes per sector %u is not 512, 1024, 2048 or 4096", bps);
	uint32_t spc = bs[13];
	if (!is_pow2(spc))
		return cb_errf(e, CB_EINVAL, "sectors per cluster %u is not a power of two", spc);
	if (bps * spc > 65536)
		return cb_errf(e, CB_EUNSUP, "cluster size %u bytes exceeds 64 KiB", bps * spc);
	uint32_t reserved = cb_le16(bs + 14);
	if (reserved < 1)
		return cb_errf(e, CB_EINVAL, "reserved sector count is 0");
	uint32_t nfats = bs[16];
	if (nfats < 1 || nfats > 4)
		return cb_errf(e, CB_EINVAL, "number of FATs %u is not 1..4", nfats);
	uint32_t root_ent = cb_le16(bs + 17);
	uint32_t tot16 = cb_le16(bs + 19), tot32 = cb_le32(bs + 32);
	uint32_t total = tot16 ? tot16 : tot32;
	if (!total)
		return cb_errf(e, CB_EINVAL, "total sector count is 0");
	uint8_t media = bs[21];
	if (media != 0xF0 && media < 0xF8)
		return cb_errf(e, CB_EINVAL, "invalid media byte 0x%02x", media);
	uint32_t fatsz16 = cb_le16(bs + 22);
	bool fat32_layout = fatsz16 == 0;
	uint32_t fatsz = fat32_layout ? cb_le32(bs + 36) : fatsz16;
	if (!fatsz)
		return cb_errf(e, CB_EINVAL, "FAT size is 0");

	if (fat32_layout) {
		if (root_ent != 0)
			return cb_errf(e, CB_EINVAL, "FAT32 boot sector with %u fixed root entries", root_ent);
		uint16_t ver = cb_le16(bs + 42);
		if (ver != 0)
			return cb_errf(e, CB_EUNSUP, "FAT32 version %u.%u", ver >> 8, ver & 0xff);
	} else {
		if (root_ent == 0)
			return cb_errf(e, CB_EINVAL, "FAT12/16 boot sector with 0 root directory entries");
		if ((root_ent * FAT_DIRENT_SIZE) % bps)
			return cb_errf(e, CB_EINVAL, "root directory entries %u do not fill whole %u-byte sectors",
			               root_ent, bps);
	}

	uint64_t dev_sectors = dev_size / bps;
	if (total > dev_sectors)
		return cb_errf(e, CB_EINVAL, "file system has %u sectors of %u bytes but the device only %" "llu",
		               total, bps, (unsigned long long)dev_sectors);

	uint32_t root_secs = (root_ent * FAT_DIRENT_SIZE + bps - 1) / bps; /* root_ent < 65536: no overflow */
	uint64_t fats_secs = (uint64_t)nfats * fatsz;                        /* < 2^34 */
	uint64_t meta = (uint64_t)reserved + fats_secs + root_secs;
	if (meta >= total)
		return cb_errf(e, CB_EINVAL, "reserved, FAT and root sectors (%llu) leave no data area in %u sectors",
		               (unsigned long long)meta, total);
	uint32_t clusters = (uint32_t)((total - meta) / spc);
	if (clusters == 0)
		return cb_errf(e, CB_EINVAL, "data area holds no whole cluster");

	int type;
	if (fat32_layout) {
		/* FAT32 is recognised by its BPB, as Linux and EDK2 do, so mkfs.fat -F 32 volumes below the
		 * spec's 65525 clusters still mount. */
		type = 32;
		if (clusters > 0x0FFFFFF5u)
			return cb_errf(e, CB_EINVAL, "%u clusters exceed FAT32's limit", clusters);
	} else if (clusters < 4085) {
		type = 12;
	} else if (clusters < 65525) {
		type = 16;
	} else {
		return cb_errf(e, CB_EINVAL, "%u clusters need FAT32 but the boot sector is FAT12/16", clusters);
	}

	uint64_t entries = (uint64_t)clusters + 2, need;
	if (type == 12)
		need = (entries * 3 + 1) / 2;
	else
		need = entries * (uint64_t)(type / 8);
	uint64_t fat_bytes = (uint64_t)fatsz * bps;
	if (fat_bytes < need)
		return cb_errf(e, CB_EINVAL, "FAT of %llu bytes is too small for %u clusters (needs %llu)",
		               (unsigned long long)fat_bytes, clusters, (unsigned long long)need);

	g->type = type;
	g->bytes_per_sector = bps;
	g->sectors_per_cluster = spc;
	g->cluster_size = bps * spc;
	g->reserved_sectors = reserved;
	g->num_fats = nfats;
	g->fat_sectors = fatsz;
	g->root_entries = root_ent;
	g->root_dir_sectors = root_secs;
	g->total_sectors = total;
	g->fat_offset = (uint64_t)reserved * bps;
	g->fat_bytes = fat_bytes;
	g->root_offset = ((uint64_t)reserved + fats_secs) * bps;
	g->data_offset = meta * bps;
	g->cluster_count = clusters;
	g->media = media;
	g->mirroring = true;

	const uint8_t *ext = bs + 36;
	if (type == 32) {
		uint16_t flags = cb_le16(bs + 40);
		if (flags & 0x80) {
			g->mirroring = false;
			g->active_fat = flags & 0x0F;
			if (g->active_fat >= nfats)
				return cb_errf(e, CB_EINVAL, "active FAT %u of %u", g->active_fat, nfats);
		}
		g->root_cluster = cb_le32(bs + 44);
		if (g->root_cluster < 2 || g->root_cluster - 2 >= clusters)
			return cb_errf(e, CB_EINVAL, "root directory cluster %u outside 2..%u", g->root_cluster,
			               clusters + 1);
		uint32_t fsi = cb_le16(bs + 48);
		g->fsinfo_sector = (fsi >= 1 && fsi < reserved) ? fsi : 0;
		ext = bs + 64;
	}
	if (ext[2] == 0x29) {
		g->has_ext_bpb = true;
		g->volume_id = cb_le32(ext + 3);
		memcpy(g->bpb_label, ext + 7, 11);
	} else {
		memset(g->bpb_label, ' ', 11);
	}
	return 0;
}
