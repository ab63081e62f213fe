/* extent.c: ext4 extent-tree lookup: header and entry validation at every level (depth limit 5, sorted
 * keys, every range inside its parent's key range and the filesystem), extent-block checksums, leaf caching. */
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "crc32c.h"
#include "ext4_int.h"

#define EXT4_EXT_MAGIC 0xF30A
#define EXT4_INIT_MAX_LEN 32768u

struct eh {
	uint16_t entries, max, depth;
};

/* blk: where the node came from (0 = the inode's i_block). */
static int check_header(const struct ext4_map *m, const uint8_t *node, size_t bytes, uint64_t blk, int want_depth,
			struct eh *h, struct cb_err *e)
{
	uint32_t ino = m->ino->ino;
	if (cb_le16(node) != EXT4_EXT_MAGIC)
		return blk ? cb_errf(e, CB_EINVAL, "bad extent header magic 0x%04x (inode %u, block 0x%llx)",
				     cb_le16(node), ino, (unsigned long long)blk)
			   : cb_errf(e, CB_EINVAL, "bad extent header magic 0x%04x (inode %u)", cb_le16(node), ino);
	h->entries = cb_le16(node + 2);
	h->max = cb_le16(node + 4);
	h->depth = cb_le16(node + 6);
	size_t cap = (bytes - 12) / 12;
	if (h->depth > EXT4_EXTENT_DEPTH_MAX)
		return blk ? cb_errf(e, CB_ELIMIT, "extent depth %u exceeds limit %u (inode %u, block 0x%llx)", h->depth,
				     EXT4_EXTENT_DEPTH_MAX, ino, (unsigned long long)blk)
			   : cb_errf(e, CB_ELIMIT, "extent depth %u exceeds limit %u (inode %u)", h->depth,
				     EXT4_EXTENT_DEPTH_MAX, ino);
	if (want_depth >= 0 && h->depth != want_depth)
		return cb_errf(e, CB_EINVAL, "extent node depth %u, expected %d (inode %u, block 0x%llx)", h->depth,
			       want_depth, ino, (unsigned long long)blk);
	if (h->max == 0 || h->max > cap || h->entries > h->max)
		return cb_errf(e, CB_EINVAL, "extent node has %u entries of max %u (capacity %zu) (inode %u, block 0x%llx)",
			       h->entries, h->max, cap, ino, (unsigned long long)blk);
	return 0;
}

static int check_index(const struct ext4_map *m, const uint8_t *node, const struct eh *h, uint64_t lo, uint64_t hi,
		       uint64_t blk, struct cb_err *e)
{
	for (unsigned i = 0; i < h->entries; i++) {
		const uint8_t *x = node + 12 + 12 * i;
		uint64_t key = cb_le32(x);
		uint64_t child = cb_le32(x + 4) | (uint64_t)cb_le16(x + 8) << 32;
		if (key < lo || key >= hi || (i && key <= cb_le32(x - 12)))
			return cb_errf(e, CB_EINVAL, "extent index %u key %llu is out of order or outside %llu..%llu "
				       "(inode %u, block 0x%llx)", i, (unsigned long long)key, (unsigned long long)lo,
				       (unsigned long long)hi - 1, m->ino->ino, (unsigned long long)blk);
		if (!ext4_block_ok(m->fs, child, 1))
			return cb_errf(e, CB_EINVAL, "extent index %u points to block %llu outside the filesystem "
				       "(inode %u, block 0x%llx)", i, (unsigned long long)child, m->ino->ino,
				       (unsigned long long)blk);
	}
	return 0;
}

static int check_leaf(const struct ext4_map *m, const uint8_t *node, const struct eh *h, uint64_t lo, uint64_t hi,
		      uint64_t blk, struct cb_err *e)
{
	uint64_t prev_end = lo;
	for (unsigned i = 0; i < h->entries; i++) {
		const uint8_t *x = node + 12 + 12 * i;
		uint64_t start = cb_le32(x);
		uint32_t len = cb_le16(x + 4);
		if (len > EXT4_INIT_MAX_LEN)
			len -= EXT4_INIT_MAX_LEN;
		uint64_t pblk = cb_le32(x + 8) | (uint64_t)cb_le16(x + 6) << 32;
		if (len == 0 || start < prev_end || start + len > hi)
			return cb_errf(e, CB_EINVAL, "extent %u (logical %llu, %u blocks) overlaps or lies outside "
				       "%llu..%llu (inode %u, block 0x%llx)", i, (unsigned long long)start, len,
				       (unsigned long long)lo, (unsigned long long)hi - 1, m->ino->ino,
				       (unsigned long long)blk);
		if (!ext4_block_ok(m->fs, pblk, len))
			return cb_errf(e, CB_EINVAL, "extent %u (physical %llu, %u blocks) lies outside the filesystem "
				       "(inode %u, block 0x%llx)", i, (unsigned long long)pblk, len, m->ino->ino,
				       (unsigned long long)blk);
		prev_end = start + len;
	}
	return 0;
}

static int read_node(struct ext4_map *m, uint64_t blk, int want_depth, struct eh *h, struct cb_err *e)
{
	struct ext4_fs *fs = m->fs;
	int rc = ext4_read_blocks(fs, blk, 0, m->node, fs->bs, e);
	if (rc)
		return rc;
	rc = check_header(m, m->node, fs->bs, blk, want_depth, h, e);
	if (rc)
		return rc;
	if (fs->metadata_csum) {
		size_t tail = 12 + 12 * (size_t)h->max;
		if (tail + 4 > fs->bs)
			return cb_errf(e, CB_EINVAL, "extent block 0x%llx (inode %u) has no room for its checksum",
				       (unsigned long long)blk, m->ino->ino);
		uint32_t calc = crc32c_raw(m->ino->csum_seed, m->node, tail), stored = cb_le32(m->node + tail);
		if (calc != stored)
			return cb_errf(e, CB_EVERIFY, "extent block 0x%llx (inode %u) checksum mismatch (stored 0x%08x, "
				       "computed 0x%08x)", (unsigned long long)blk, m->ino->ino, stored, calc);
	}
	return 0;
}

/* Loads the leaf covering lblk into m->leaf (or finds lblk in a hole between index keys). */
static int load_leaf(struct ext4_map *m, uint32_t lblk, uint32_t max, struct ext4_run *r, bool *hole,
		     struct cb_err *e)
{
	struct ext4_fs *fs = m->fs;
	if (!m->leaf && !(m->leaf = malloc(fs->bs)))
		return cb_errf(e, CB_ENOMEM, "inode %u: out of memory", m->ino->ino);
	if (!m->node && !(m->node = malloc(fs->bs)))
		return cb_errf(e, CB_ENOMEM, "inode %u: out of memory", m->ino->ino);
	m->leaf_valid = false;
	*hole = false;
	const uint8_t *node = m->ino->iblock;
	struct eh h;
	uint64_t lo = 0, hi = 1ull << 32, blk = 0;
	int rc = check_header(m, node, EXT4_N_BLOCKS_BYTES, 0, -1, &h, e);
	if (rc)
		return rc;
	for (unsigned level = h.depth; level > 0; level--) {
		rc = check_index(m, node, &h, lo, hi, blk, e);
		if (rc)
			return rc;
		int i = -1;
		for (unsigned k = 0; k < h.entries && cb_le32(node + 12 + 12 * k) <= lblk; k++)
			i = (int)k;
		if (i < 0) { /* before the first key (or an empty index): a hole up to it */
			uint64_t next = h.entries ? cb_le32(node + 12) : hi;
			r->kind = EXT4_RUN_HOLE;
			r->pblk = 0;
			r->len = next - lblk < max ? (uint32_t)(next - lblk) : max;
			*hole = true;
			return 0;
		}
		const uint8_t *x = node + 12 + 12 * i;
		uint64_t nlo = cb_le32(x);
		uint64_t nhi = (unsigned)i + 1 < h.entries ? cb_le32(x + 12) : hi;
		uint64_t child = cb_le32(x + 4) | (uint64_t)cb_le16(x + 8) << 32;
		rc = read_node(m, child, (int)level - 1, &h, e);
		if (rc)
			return rc;
		lo = nlo;
		hi = nhi;
		blk = child;
		node = m->node;
		if (level - 1 > 0) {
			/* Keep walking in m->node: copy to leaf buffer is only for the final level. */
			continue;
		}
	}
	rc = check_leaf(m, node, &h, lo, hi, blk, e);
	if (rc)
		return rc;
	memcpy(m->leaf, node, 12 + 12 * (size_t)h.entries);
	m->leaf_lo = lo;
	m->leaf_hi = hi;
	m->leaf_pblk = blk;
	m->leaf_valid = true;
	return 0;
}

int ext4_extent_map(struct ext4_map *m, uint32_t lblk, uint32_t max, struct ext4_run *r, struct cb_err *e)
{
	if (!(m->leaf_valid && lblk >= m->leaf_lo && lblk < m->leaf_hi)) {
		bool hole;
		int rc = load_leaf(m, lblk, max, r, &hole, e);
		if (rc || hole)
			return rc;
	}
	const uint8_t *leaf = m->leaf;
	unsigned n = cb_le16(leaf + 2);
	/* Binary search: the last extent starting at or before lblk. */
	unsigned a = 0, b = n;
	while (a < b) {
		unsigned mid = a + (b - a) / 2;
		if (cb_le32(leaf + 12 + 12 * mid) <= lblk)
			a = mid + 1;
		else
			b = mid;
	}
	if (a > 0) {
		const uint8_t *x = leaf + 12 + 12 * (a - 1);
		uint32_t start = cb_le32(x), len = cb_le16(x + 4);
		bool uninit = len > EXT4_INIT_MAX_LEN;
		if (uninit)
			len -= EXT4_INIT_MAX_LEN;
		if (lblk - start < len) {
			uint32_t off = lblk - start;
			r->kind = uninit ? EXT4_RUN_UNINIT : EXT4_RUN_DATA;
			r->pblk = (cb_le32(x + 8) | (uint64_t)cb_le16(x + 6) << 32) + off;
			r->len = len - off < max ? len - off : max;
			return 0;
		}
	}
	uint64_t next = a < n ? cb_le32(leaf + 12 + 12 * a) : m->leaf_hi;
	r->kind = EXT4_RUN_HOLE;
	r->pblk = 0;
	r->len = next - lblk < max ? (uint32_t)(next - lblk) : max;
	return 0;
}
