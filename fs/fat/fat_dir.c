/* fat_dir.c: reading directories: slot iteration over the fixed FAT12/16 root or a cluster chain (bounded to
 * 65536 entries), long-name assembly with order/checksum/length checks, and lookup. Writes: fat_dirwrite.c. */
#include <stdlib.h>
#include <string.h>

#include "fat_internal.h"

struct fat_dir_ref fat_root_ref(const struct fat_vol *v)
{
	if (v->g.type == 32)
		return (struct fat_dir_ref){.fixed_root = false, .cluster = v->g.root_cluster};
	return (struct fat_dir_ref){.fixed_root = true, .cluster = 0};
}

int fat_dir_iter_init(struct fat_dir_iter *it, struct fat_vol *v, struct fat_dir_ref dir, const char *what,
                      struct cb_err *e)
{
	memset(it, 0, sizeof(*it));
	it->v = v;
	it->dir = dir;
	it->what = what;
	if (!dir.fixed_root) {
		int rc = fat_chain_start(v, &it->ch, dir.cluster, what, e);
		if (rc < 0)
			return rc;
	}
	it->buf = malloc(v->g.cluster_size);
	if (!it->buf)
		return cb_errf(e, CB_ENOMEM, "%s: no memory for a directory cluster", what);
	return 0;
}

void fat_dir_iter_fini(struct fat_dir_iter *it)
{
	free(it->buf);
	it->buf = NULL;
}

static int load_next(struct fat_dir_iter *it, struct cb_err *e)
{
	struct fat_vol *v = it->v;
	if (it->dir.fixed_root) {
		uint64_t start = (uint64_t)it->slot * FAT_DIRENT_SIZE;
		uint64_t total = (uint64_t)v->g.root_entries * FAT_DIRENT_SIZE;
		if (start >= total)
			return 0;
		uint64_t left = total - start;
		uint32_t len = left < v->g.cluster_size ? (uint32_t)left : v->g.cluster_size;
		int rc = fat_dev_read(v, v->g.root_offset + start, it->buf, len, e);
		if (rc < 0)
			return cb_err_prefix(e, "%s: ", it->what);
		it->buf_off = v->g.root_offset + start;
		it->buf_len = len;
	} else {
		if (it->loaded) {
			int rc = fat_chain_next(v, &it->ch, e);
			if (rc <= 0)
				return rc;
		}
		if (it->slot >= FAT_MAX_DIR_SLOTS)
			return cb_errf(e, CB_ELIMIT, "%s: directory larger than %u entries", it->what, FAT_MAX_DIR_SLOTS);
		uint64_t off = fat_cluster_offset(v, it->ch.cur);
		int rc = fat_dev_read(v, off, it->buf, v->g.cluster_size, e);
		if (rc < 0)
			return cb_err_prefix(e, "%s: ", it->what);
		it->buf_off = off;
		it->buf_len = v->g.cluster_size;
	}
	it->buf_slot = it->slot;
	it->loaded = true;
	return 1;
}

int fat_dir_next_slot(struct fat_dir_iter *it, uint8_t **ent, uint64_t *off, uint32_t *idx, struct cb_err *e)
{
	if (it->storage_end)
		return 0;
	if (!it->loaded || (it->slot - it->buf_slot) >= it->buf_len / FAT_DIRENT_SIZE) {
		int rc = load_next(it, e);
		if (rc <= 0) {
			if (rc == 0)
				it->storage_end = true;
			return rc;
		}
	}
	uint32_t in = (it->slot - it->buf_slot) * FAT_DIRENT_SIZE;
	*ent = it->buf + in;
	*off = it->buf_off + in;
	*idx = it->slot++;
	return 1;
}

static const uint8_t lfn_pos[FAT_LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

static bool is_dot_entry(const uint8_t *ent)
{
	return memcmp(ent, ".          ", 11) == 0 || memcmp(ent, "..         ", 11) == 0;
}

/* The long name gathered from count slots, if well formed: 1..255 units before the terminator (or the end),
 * no characters a path cannot carry. Returns its length, 0 if unusable. */
static uint32_t lfn_length(const uint16_t *u, uint32_t count)
{
	uint32_t max = count * FAT_LFN_CHARS, n = 0;
	while (n < max && u[n] != 0)
		n++;
	if (n == 0 || n > FAT_LFN_MAX)
		return 0; /* the padding after the terminator (0xFFFF, or 0x0000 from some tools) is ignored */
	for (uint32_t i = 0; i < n; i++)
		if (u[i] < 0x20 || u[i] == '/' || u[i] == '\\')
			return 0;
	return n;
}

int fat_dir_next(struct fat_dir_iter *it, struct fat_dirent *d, struct cb_err *e)
{
	struct fat_vol *v = it->v;
	uint16_t units[FAT_LFN_SLOTS_MAX * FAT_LFN_CHARS];
	uint64_t offs[FAT_LFN_SLOTS_MAX];
	uint32_t expect = 0, count = 0, total = 0;
	uint8_t chk = 0;

	if (it->end_marker)
		return 0;
	for (;;) {
		uint8_t *ent;
		uint64_t off;
		uint32_t idx;
		int rc = fat_dir_next_slot(it, &ent, &off, &idx, e);
		if (rc <= 0)
			return rc;
		if (ent[0] == 0x00) {
			it->end_marker = true;
			return 0;
		}
		if (ent[0] == FAT_DEL) {
			expect = 0;
			continue;
		}
		uint8_t attr = ent[11];
		if ((attr & FAT_ATTR_MASK) == FAT_ATTR_LFN) {
			uint8_t ord = ent[0];
			if (ord & 0x40) {
				uint32_t n = ord & 0x3F;
				expect = 0;
				if (n < 1 || n > FAT_LFN_SLOTS_MAX || ent[12] != 0 || cb_le16(ent + 26) != 0)
					continue;
				expect = total = n;
				count = 0;
				chk = ent[13];
			} else if (expect >= 2 && ord == expect - 1 && ent[13] == chk && ent[12] == 0 &&
			           cb_le16(ent + 26) == 0) {
				expect = ord;
			} else {
				expect = 0;
				continue;
			}
			for (uint32_t i = 0; i < FAT_LFN_CHARS; i++)
				units[(expect - 1) * FAT_LFN_CHARS + i] = cb_le16(ent + lfn_pos[i]);
			offs[count++] = off;
			continue;
		}

		/* An 8.3 entry (or the volume label). */
		bool lfn_ok = expect == 1 && count == total && fat_lfn_checksum(ent) == chk;
		expect = 0;
		if (attr & FAT_ATTR_VOLID)
			continue;
		if (is_dot_entry(ent) || !fat_short_name_sane(ent))
			continue;

		d->lfn_len = 0;
		d->nslots = 0;
		if (lfn_ok) {
			uint32_t n = lfn_length(units, total);
			if (n && fat_utf16_to_utf8(units, n, d->name, sizeof(d->name))) {
				memcpy(d->lfn, units, n * sizeof(uint16_t));
				d->lfn_len = n;
				memcpy(d->slot_off, offs, count * sizeof(offs[0]));
				d->nslots = count;
			}
		}
		if (!d->lfn_len)
			fat_short_to_utf8(ent, ent[12], d->name, sizeof(d->name));
		d->slot_off[d->nslots++] = off;
		memcpy(d->raw, ent, FAT_DIRENT_SIZE);
		memcpy(d->short_name, ent, 11);
		d->attr = attr;
		d->ntres = ent[12];
		d->first_cluster = cb_le16(ent + 26) | (v->g.type == 32 ? (uint32_t)cb_le16(ent + 20) << 16 : 0);
		d->size = cb_le32(ent + 28);
		d->wtime = cb_le16(ent + 22);
		d->wdate = cb_le16(ent + 24);
		return 1;
	}
}

int fat_dir_find(struct fat_vol *v, struct fat_dir_ref dir, const uint16_t *name, size_t n, const char *what,
                 struct fat_dirent *out, struct cb_err *e)
{
	struct fat_dir_iter it;
	int rc = fat_dir_iter_init(&it, v, dir, what, e);
	if (rc < 0)
		return rc;
	while ((rc = fat_dir_next(&it, out, e)) > 0) {
		if (out->lfn_len && fat_name_eq16(out->lfn, out->lfn_len, name, n))
			break;
		uint16_t s[12];
		size_t sn = fat_short_to_utf16(out->short_name, out->ntres, s);
		if (fat_name_eq16(s, sn, name, n))
			break;
	}
	fat_dir_iter_fini(&it);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return cb_errf(e, CB_ENOENT, "%s: no such file or directory", what);
	return 0;
}

int fat_dirent_dir_ref(struct fat_vol *v, const struct fat_dirent *d, const char *what, struct fat_dir_ref *out,
                       struct cb_err *e)
{
	if (!(d->attr & FAT_ATTR_DIR))
		return cb_errf(e, CB_EINVAL, "%s: not a directory", what);
	if (!fat_cluster_ok(v, d->first_cluster))
		return cb_errf(e, CB_EINVAL, "%s: directory has invalid first cluster 0x%x", what, d->first_cluster);
	out->fixed_root = false;
	out->cluster = d->first_cluster;
	return 0;
}

void fat_dirent_stat(const struct fat_vol *v, const struct fat_dirent *d, struct cb_fs_stat *st)
{
	(void)v;
	memset(st, 0, sizeof(*st));
	st->ino = d->slot_off[d->nslots - 1] / FAT_DIRENT_SIZE;
	st->nlink = 1;
	st->mtime = fat_time_to_unix(d->wdate, d->wtime);
	if (d->attr & FAT_ATTR_DIR) {
		st->mode = CB_S_IFDIR | 0755;
	} else {
		st->mode = CB_S_IFREG | ((d->attr & FAT_ATTR_RO) ? 0444 : 0644);
		st->size = d->size;
	}
}

void fat_root_stat(const struct fat_vol *v, struct cb_fs_stat *st)
{
	(void)v;
	memset(st, 0, sizeof(*st));
	st->ino = 1;
	st->nlink = 1;
	st->mode = CB_S_IFDIR | 0755;
	st->mtime = fat_time_to_unix(0x21, 0);
}
