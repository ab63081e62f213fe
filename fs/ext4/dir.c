/* dir.c: ext4 directory reading: linear blocks (dirent-tail checksums), htree (validated root and index
 * nodes, leaves read in block order) and inline_data directories. Lookup is a bounded linear scan. */
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "crc32c.h"
#include "ext4_int.h"

#define DIRENT_TAIL_FT 0xDE
#define FT_DIR 2

static uint32_t rec_len_decode(uint16_t v, uint32_t bs)
{
	if (bs < 65536)
		return v;
	if (v == 65535 || v == 0)
		return bs;
	return (v & 65532u) | ((uint32_t)(v & 3) << 16);
}

struct walk {
	struct ext4_fs *fs;
	struct ext4_inode *dir;
	bool dots;
	ext4_dir_fn fn;
	void *ctx;
};

/* Parses the dirents of buf[start, end). blk/lblk only for messages (lblk = UINT32_MAX: inline data). */
static int parse_region(struct walk *w, const uint8_t *buf, uint32_t start, uint32_t end, uint32_t lblk,
			struct cb_err *e)
{
	struct ext4_fs *fs = w->fs;
	bool filetype = fs->incompat & EXT4_INCOMPAT_FILETYPE;
	uint32_t off = start;
	char name[EXT4_NAME_MAX + 1];
	while (off < end) {
		const uint8_t *d = buf + off;
		uint32_t rec_len = 0, name_len = 0;
		if (end - off >= 8) {
			rec_len = rec_len_decode(cb_le16(d + 4), fs->bs);
			name_len = filetype ? d[6] : cb_le16(d + 6);
		}
		if (end - off < 12 || rec_len < 12 || (rec_len & 3) || rec_len > end - off || name_len + 8 > rec_len ||
		    name_len > EXT4_NAME_MAX) {
			if (lblk == UINT32_MAX)
				return cb_errf(e, CB_EINVAL, "bad inline directory entry at offset %u (rec_len %u, name_len %u) "
					       "(inode %u)", off, rec_len, name_len, w->dir->ino);
			return cb_errf(e, CB_EINVAL, "bad directory entry at offset %u (rec_len %u, name_len %u) in logical "
				       "block %u (inode %u)", off, rec_len, name_len, lblk, w->dir->ino);
		}
		uint32_t ino = cb_le32(d);
		if (ino && name_len) {
			memcpy(name, d + 8, name_len);
			name[name_len] = 0;
			bool dot = (name_len == 1 && name[0] == '.') || (name_len == 2 && name[0] == '.' && name[1] == '.');
			if (ino > fs->inodes_count)
				return cb_errf(e, CB_EINVAL, "directory entry '%s' points to inode %u beyond %u (inode %u)", name,
					       ino, fs->inodes_count, w->dir->ino);
			/* A name with '/' or NUL cannot be addressed by a path: skip it. */
			if (strlen(name) == name_len && !memchr(name, '/', name_len) && (w->dots || !dot)) {
				int rc = w->fn(w->ctx, ino, filetype ? d[7] : 0, name, name_len);
				if (rc)
					return rc;
			}
		}
		off += rec_len;
	}
	return 0;
}

static int leaf_block(struct walk *w, const uint8_t *buf, uint32_t lblk, uint64_t pblk, struct cb_err *e)
{
	struct ext4_fs *fs = w->fs;
	uint32_t end = fs->bs;
	if (fs->metadata_csum) {
		const uint8_t *t = buf + fs->bs - 12;
		if (cb_le32(t) != 0 || cb_le16(t + 4) != 12 || t[6] != 0 || t[7] != DIRENT_TAIL_FT)
			return cb_errf(e, CB_EVERIFY, "directory block %llu (inode %u, logical block %u) has no checksum tail",
				       (unsigned long long)pblk, w->dir->ino, lblk);
		uint32_t calc = crc32c_raw(w->dir->csum_seed, buf, fs->bs - 12), stored = cb_le32(t + 8);
		if (calc != stored)
			return cb_errf(e, CB_EVERIFY, "directory block %llu (inode %u, logical block %u) checksum mismatch "
				       "(stored 0x%08x, computed 0x%08x)", (unsigned long long)pblk, w->dir->ino, lblk,
				       stored, calc);
		end -= 12;
	}
	return parse_region(w, buf, 0, end, lblk, e);
}

/* ---- htree ------------------------------------------------------------------------------------- */

struct dx {
	uint32_t *nodes; /* logical blocks of index nodes (not the root), sorted after collection */
	uint32_t n, cap;
	uint32_t nblocks;
};

static int read_lblk(struct ext4_map *m, uint32_t lblk, uint8_t *buf, uint64_t *pblk, struct cb_err *e)
{
	struct ext4_run r;
	int rc = ext4_map_run(m, lblk, 1, &r, e);
	if (rc)
		return rc;
	if (r.kind != EXT4_RUN_DATA)
		return cb_errf(e, CB_EINVAL, "directory inode %u: htree block %u is a hole", m->ino->ino, lblk);
	*pblk = r.pblk;
	return ext4_read_blocks(m->fs, r.pblk, 0, buf, m->fs->bs, e);
}

/* Checks the count/limit header at count_off and the dx_tail checksum; returns count. */
static int dx_check(struct walk *w, struct dx *dx, const uint8_t *buf, uint32_t count_off, uint32_t lblk,
		    uint32_t *count_out, struct cb_err *e)
{
	struct ext4_fs *fs = w->fs;
	uint32_t tail = fs->metadata_csum ? 8 : 0;
	uint32_t want = (fs->bs - count_off - tail) / 8;
	uint32_t limit = cb_le16(buf + count_off), count = cb_le16(buf + count_off + 2);
	if (limit != want || count == 0 || count > limit)
		return cb_errf(e, CB_EINVAL, "htree node at logical block %u (inode %u): count %u, limit %u (expected %u)",
			       lblk, w->dir->ino, count, limit, want);
	if (fs->metadata_csum) {
		const uint8_t *t = buf + count_off + (size_t)limit * 8;
		uint32_t calc = crc32c_raw(w->dir->csum_seed, buf, count_off + (size_t)count * 8);
		calc = crc32c_raw(calc, t, 4); /* dt_reserved, then the checksum field as zeros */
		calc = crc32c_raw(calc, (const uint8_t[4]){ 0, 0, 0, 0 }, 4);
		uint32_t stored = cb_le32(t + 4);
		if (calc != stored)
			return cb_errf(e, CB_EVERIFY, "htree node at logical block %u (inode %u) checksum mismatch "
				       "(stored 0x%08x, computed 0x%08x)", lblk, w->dir->ino, stored, calc);
	}
	for (uint32_t i = 0; i < count; i++) {
		uint32_t blk = cb_le32(buf + count_off + 8 * (size_t)i + 4);
		if (blk == 0 || blk >= dx->nblocks)
			return cb_errf(e, CB_EINVAL, "htree node at logical block %u (inode %u): entry %u points to block %u "
				       "outside the directory (%u blocks)", lblk, w->dir->ino, i, blk, dx->nblocks);
		if (i >= 2 && cb_le32(buf + count_off + 8 * (size_t)i) < cb_le32(buf + count_off + 8 * (size_t)(i - 1)))
			return cb_errf(e, CB_EINVAL, "htree node at logical block %u (inode %u): hashes out of order at "
				       "entry %u", lblk, w->dir->ino, i);
	}
	*count_out = count;
	return 0;
}

static int dx_add(struct dx *dx, uint32_t lblk, uint32_t ino, struct cb_err *e)
{
	if (dx->n >= dx->nblocks)
		return cb_errf(e, CB_EINVAL, "htree of inode %u has more index nodes than the directory has blocks", ino);
	if (dx->n == dx->cap) {
		uint32_t cap = dx->cap ? dx->cap * 2 : 16;
		uint32_t *n = realloc(dx->nodes, (size_t)cap * sizeof(*n));
		if (!n)
			return cb_errf(e, CB_ENOMEM, "inode %u: out of memory", ino);
		dx->nodes = n;
		dx->cap = cap;
	}
	dx->nodes[dx->n++] = lblk;
	return 0;
}

/* Validates the index node at lblk (depth levels_left above the leaves) and everything below it. */
static int dx_node(struct walk *w, struct ext4_map *m, struct dx *dx, uint8_t *buf, uint32_t lblk,
		   unsigned levels_left, struct cb_err *e)
{
	uint64_t pblk;
	int rc = read_lblk(m, lblk, buf, &pblk, e);
	if (rc)
		return rc;
	if (cb_le32(buf) != 0 || rec_len_decode(cb_le16(buf + 4), w->fs->bs) != w->fs->bs)
		return cb_errf(e, CB_EINVAL, "htree node at logical block %u (inode %u) lacks its empty dirent header",
			       lblk, w->dir->ino);
	uint32_t count;
	rc = dx_check(w, dx, buf, 8, lblk, &count, e);
	if (rc)
		return rc;
	rc = dx_add(dx, lblk, w->dir->ino, e);
	if (rc || levels_left == 1)
		return rc;
	/* Copy the children out: buf is reused below. */
	uint32_t *kids = malloc((size_t)count * sizeof(*kids));
	if (!kids)
		return cb_errf(e, CB_ENOMEM, "inode %u: out of memory", w->dir->ino);
	for (uint32_t i = 0; i < count; i++)
		kids[i] = cb_le32(buf + 8 + 8 * (size_t)i + 4);
	for (uint32_t i = 0; i < count && !rc; i++)
		rc = dx_node(w, m, dx, buf, kids[i], levels_left - 1, e);
	free(kids);
	return rc;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static bool dx_is_node(const struct dx *dx, uint32_t lblk)
{
	uint32_t a = 0, b = dx->n;
	while (a < b) {
		uint32_t mid = a + (b - a) / 2;
		if (dx->nodes[mid] == lblk)
			return true;
		if (dx->nodes[mid] < lblk)
			a = mid + 1;
		else
			b = mid;
	}
	return false;
}

/* Validates the root at logical block 0 (already in buf) and collects the index nodes. */
static int dx_root(struct walk *w, struct ext4_map *m, struct dx *dx, uint8_t *buf, struct cb_err *e)
{
	struct ext4_fs *fs = w->fs;
	uint32_t ino = w->dir->ino;
	if (cb_le16(buf + 4) != 12 || buf[6] != 1 || buf[8] != '.' ||
	    rec_len_decode(cb_le16(buf + 12 + 4), fs->bs) != fs->bs - 12 || buf[12 + 6] != 2 || buf[12 + 8] != '.' ||
	    buf[12 + 9] != '.')
		return cb_errf(e, CB_EINVAL, "htree root (inode %u) lacks its '.' and '..' entries", ino);
	uint8_t hash = buf[28], info_len = buf[29], levels = buf[30];
	unsigned max_levels = (fs->incompat & EXT4_INCOMPAT_LARGEDIR) ? 3 : 2;
	if (info_len != 8 || hash > 6 || levels >= max_levels)
		return cb_errf(e, CB_EINVAL, "htree root (inode %u): info length %u, hash version %u, %u indirect levels "
			       "(limit %u)", ino, info_len, hash, levels, max_levels - 1);
	uint32_t count;
	int rc = dx_check(w, dx, buf, 32, 0, &count, e);
	if (rc || levels == 0)
		return rc;
	uint32_t *kids = malloc((size_t)count * sizeof(*kids));
	if (!kids)
		return cb_errf(e, CB_ENOMEM, "inode %u: out of memory", ino);
	for (uint32_t i = 0; i < count; i++)
		kids[i] = cb_le32(buf + 32 + 8 * (size_t)i + 4);
	for (uint32_t i = 0; i < count && !rc; i++)
		rc = dx_node(w, m, dx, buf, kids[i], levels, e);
	free(kids);
	if (rc)
		return rc;
	qsort(dx->nodes, dx->n, sizeof(*dx->nodes), cmp_u32);
	return 0;
}

/* The '.' and '..' of an htree root, whose '..' record spans the index data. */
static int root_dots(struct walk *w, const uint8_t *buf, struct cb_err *e)
{
	static const char *const names[2] = { ".", ".." };
	for (int i = 0; i < 2; i++) {
		uint32_t ino = cb_le32(buf + 12 * i);
		if (ino == 0 || ino > w->fs->inodes_count)
			return cb_errf(e, CB_EINVAL, "htree root (inode %u): '%s' points to inode %u", w->dir->ino, names[i],
				       ino);
		int rc = w->fn(w->ctx, ino, FT_DIR, names[i], (size_t)i + 1);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- iteration --------------------------------------------------------------------------------- */

static int iterate_inline(struct walk *w, struct cb_err *e)
{
	struct ext4_inode *dir = w->dir;
	if (w->dots) {
		int rc = w->fn(w->ctx, dir->ino, FT_DIR, ".", 1);
		if (rc)
			return rc;
		uint32_t parent = cb_le32(dir->iblock);
		if (parent == 0 || parent > w->fs->inodes_count)
			return cb_errf(e, CB_EINVAL, "inline directory (inode %u) has parent inode %u", dir->ino, parent);
		rc = w->fn(w->ctx, parent, FT_DIR, "..", 2);
		if (rc)
			return rc;
	}
	int rc = parse_region(w, dir->iblock, 4, EXT4_N_BLOCKS_BYTES, UINT32_MAX, e);
	if (rc || dir->inline_len == 0)
		return rc;
	return parse_region(w, dir->raw + dir->inline_off, 0, dir->inline_len, UINT32_MAX, e);
}

int ext4_dir_iterate(struct ext4_fs *fs, struct ext4_inode *dir, bool dots, ext4_dir_fn fn, void *ctx,
		     struct cb_err *e)
{
	struct walk w = { fs, dir, dots, fn, ctx };
	if (!ext4_is_dir(dir))
		return cb_errf(e, CB_EINVAL, "inode %u is not a directory", dir->ino);
	if (dir->flags & EXT4_INLINE_DATA_FL)
		return iterate_inline(&w, e);
	if (dir->size & (fs->bs - 1) || (dir->size >> fs->bits) > UINT32_MAX)
		return cb_errf(e, CB_EINVAL, "directory inode %u has size %llu, not a multiple of the block size", dir->ino,
			       (unsigned long long)dir->size);
	uint32_t nblocks = (uint32_t)(dir->size >> fs->bits);
	bool htree = (fs->compat & EXT4_COMPAT_DIR_INDEX) && (dir->flags & EXT4_INDEX_FL);
	struct dx dx = { NULL, 0, 0, nblocks };
	struct ext4_map m;
	ext4_map_init(&m, fs, dir);
	uint8_t *buf = malloc(fs->bs);
	int rc = 0;
	if (!buf) {
		rc = cb_errf(e, CB_ENOMEM, "inode %u: out of memory", dir->ino);
		goto out;
	}
	if (htree && nblocks) {
		uint64_t pblk;
		rc = read_lblk(&m, 0, buf, &pblk, e);
		if (!rc)
			rc = dx_root(&w, &m, &dx, buf, e);
		if (rc)
			goto out;
	}
	for (uint32_t lblk = 0; lblk < nblocks;) {
		struct ext4_run r;
		rc = ext4_map_run(&m, lblk, nblocks - lblk, &r, e);
		if (rc)
			goto out;
		if (r.kind != EXT4_RUN_DATA) { /* holes and unwritten extents hold no entries */
			lblk += r.len;
			continue;
		}
		for (uint32_t j = 0; j < r.len; j++, lblk++) {
			if (htree && (lblk == 0 || dx_is_node(&dx, lblk))) {
				if (lblk == 0 && dots) { /* the root's '.' and '..' (checked by dx_root) */
					rc = ext4_read_blocks(fs, r.pblk + j, 0, buf, 24, e);
					if (!rc)
						rc = root_dots(&w, buf, e);
					if (rc)
						goto out;
				}
				continue;
			}
			rc = ext4_read_blocks(fs, r.pblk + j, 0, buf, fs->bs, e);
			if (!rc)
				rc = leaf_block(&w, buf, lblk, r.pblk + j, e);
			if (rc)
				goto out;
		}
	}
out:
	free(buf);
	free(dx.nodes);
	ext4_map_release(&m);
	return rc;
}

struct lookup {
	const char *name;
	size_t len;
	uint32_t ino;
};

static int lookup_fn(void *ctx, uint32_t ino, uint8_t ftype, const char *name, size_t len)
{
	(void)ftype;
	struct lookup *l = ctx;
	if (len == l->len && memcmp(name, l->name, len) == 0) {
		l->ino = ino;
		return 1;
	}
	return 0;
}

/* Hashed lookup down the htree: 1 = found, CB_ENOENT = definitely absent, 2 = undecided (fall back to a
 * linear scan: unknown hash, or a hash collision chain running past an index node), < 0 = error. */
static int dx_lookup(struct walk *w, struct ext4_map *m, uint32_t nblocks, struct lookup *l, struct cb_err *e)
{
	struct ext4_fs *fs = w->fs;
	uint8_t *ibuf = malloc(fs->bs), *lbuf = malloc(fs->bs);
	struct dx dx = { NULL, 0, 0, nblocks };
	int rc;
	uint64_t pblk = 0;
	if (!ibuf || !lbuf) {
		rc = cb_errf(e, CB_ENOMEM, "inode %u: out of memory", w->dir->ino);
		goto out;
	}
	rc = read_lblk(m, 0, ibuf, &pblk, e);
	if (rc)
		goto out;
	/* Root checks as in dx_root (without collecting the nodes). */
	if (cb_le16(ibuf + 4) != 12 || ibuf[6] != 1 || rec_len_decode(cb_le16(ibuf + 16), fs->bs) != fs->bs - 12 ||
	    ibuf[29] != 8) {
		rc = cb_errf(e, CB_EINVAL, "htree root (inode %u) is malformed", w->dir->ino);
		goto out;
	}
	unsigned version = ibuf[28], levels = ibuf[30];
	unsigned max_levels = (fs->incompat & EXT4_INCOMPAT_LARGEDIR) ? 3 : 2;
	if (levels >= max_levels) {
		rc = cb_errf(e, CB_EINVAL, "htree root (inode %u): %u indirect levels (limit %u)", w->dir->ino, levels,
			     max_levels - 1);
		goto out;
	}
	if (version <= 2 && fs->hash_unsigned)
		version += 3;
	uint32_t hash;
	if (ext4_dx_hash(fs->hash_seed, version, l->name, l->len, &hash)) {
		rc = 2;
		goto out;
	}
	uint32_t count_off = 32, lblk = 0, count = 0, at = 0;
	for (unsigned level = 0;; level++) {
		rc = dx_check(w, &dx, ibuf, count_off, lblk, &count, e);
		if (rc)
			goto out;
		uint32_t a = 1, b = count; /* the last entry whose hash <= target (entry 0 has hash 0) */
		while (a < b) {
			uint32_t mid = a + (b - a) / 2;
			if (cb_le32(ibuf + count_off + 8 * (size_t)mid) > hash)
				b = mid;
			else
				a = mid + 1;
		}
		at = a - 1;
		if (level == levels)
			break;
		lblk = cb_le32(ibuf + count_off + 8 * (size_t)at + 4);
		rc = read_lblk(m, lblk, ibuf, &pblk, e);
		if (rc)
			goto out;
		if (cb_le32(ibuf) != 0 || rec_len_decode(cb_le16(ibuf + 4), fs->bs) != fs->bs) {
			rc = cb_errf(e, CB_EINVAL, "htree node at logical block %u (inode %u) lacks its empty dirent header",
				     lblk, w->dir->ino);
			goto out;
		}
		count_off = 8;
	}
	/* Scan the leaf, then the following leaves while they continue the same hash (collisions). */
	for (;;) {
		uint32_t leaf = cb_le32(ibuf + count_off + 8 * (size_t)at + 4);
		rc = read_lblk(m, leaf, lbuf, &pblk, e);
		if (rc)
			goto out;
		rc = leaf_block(w, lbuf, leaf, pblk, e);
		if (rc)
			goto out; /* 1: found */
		if (at + 1 >= count) {
			rc = levels ? 2 : CB_ENOENT;
			break;
		}
		uint32_t next = cb_le32(ibuf + count_off + 8 * (size_t)(at + 1));
		if (!(next & 1) || (next & ~1u) != hash) {
			rc = CB_ENOENT;
			break;
		}
		at++;
	}
out:
	free(ibuf);
	free(lbuf);
	return rc;
}

int ext4_dir_lookup(struct ext4_fs *fs, struct ext4_inode *dir, const char *name, size_t len, uint32_t *ino,
		    struct cb_err *e)
{
	struct lookup l = { name, len, 0 };
	bool dots = (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
	int rc = 2;
	if (ext4_is_dir(dir) && !(dir->flags & (EXT4_INLINE_DATA_FL | EXT4_CASEFOLD_FL)) && !dots &&
	    (fs->compat & EXT4_COMPAT_DIR_INDEX) && (dir->flags & EXT4_INDEX_FL) && dir->size >= 2ull * fs->bs &&
	    !(dir->size & (fs->bs - 1)) && (dir->size >> fs->bits) <= UINT32_MAX) {
		struct walk w = { fs, dir, false, lookup_fn, &l };
		struct ext4_map m;
		ext4_map_init(&m, fs, dir);
		rc = dx_lookup(&w, &m, (uint32_t)(dir->size >> fs->bits), &l, e);
		ext4_map_release(&m);
	}
	if (rc == 2)
		rc = ext4_dir_iterate(fs, dir, true, lookup_fn, &l, e);
	if (rc < 0 && rc != CB_ENOENT)
		return rc;
	if (rc == 0 || rc == CB_ENOENT)
		return cb_errf(e, CB_ENOENT, "no such file or directory");
	*ino = l.ino;
	return 0;
}
