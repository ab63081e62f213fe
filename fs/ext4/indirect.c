/* indirect.c: ext2/ext3-style block maps (12 direct, single/double/triple indirect pointers), every pointer
 * range-checked, holes at any level, runs of contiguous pointers returned as one run. */
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "ext4_int.h"

/* From ptrs[idx] on (n pointers in all), the run of pointers contiguous with ptrs[idx] (or all zero). */
static uint32_t scan_run(const uint8_t *ptrs, uint32_t idx, uint32_t n, uint32_t max, uint32_t first)
{
	uint32_t count = 1;
	for (uint32_t k = idx + 1; k < n && count < max; k++) {
		uint32_t p = cb_le32(ptrs + 4 * (size_t)k);
		if (first == 0 ? p != 0 : p != first + (k - idx))
			break;
		count++;
	}
	return count;
}

static int finish(struct ext4_map *m, uint32_t first, uint32_t count, struct ext4_run *r, struct cb_err *e)
{
	if (first == 0) {
		r->kind = EXT4_RUN_HOLE;
		r->pblk = 0;
	} else {
		if (!ext4_block_ok(m->fs, first, count))
			return cb_errf(e, CB_EINVAL, "inode %u: data block %u (+%u) lies outside the filesystem", m->ino->ino,
				       first, count);
		r->kind = EXT4_RUN_DATA;
		r->pblk = first;
	}
	r->len = count;
	return 0;
}

int ext4_indirect_map(struct ext4_map *m, uint32_t lblk, uint32_t max, struct ext4_run *r, struct cb_err *e)
{
	struct ext4_fs *fs = m->fs;
	const uint8_t *ib = m->ino->iblock;
	uint64_t p = fs->bs / 4;
	uint64_t rel = lblk;
	if (rel < 12) {
		uint32_t first = cb_le32(ib + 4 * rel);
		return finish(m, first, scan_run(ib, (uint32_t)rel, 12, max, first), r, e);
	}
	rel -= 12;
	unsigned level = 1;
	uint64_t span = p;
	if (rel >= span) {
		rel -= span;
		level = 2;
		span = p * p;
		if (rel >= span) {
			rel -= span;
			level = 3;
			span = p * p * p;
			if (rel >= span)
				return cb_errf(e, CB_EINVAL, "inode %u: block %u is beyond the triple-indirect range",
					       m->ino->ino, lblk);
		}
	}
	uint32_t ptr = cb_le32(ib + 4 * (11 + level));
	for (unsigned d = level; d >= 1; d--) {
		if (ptr == 0) { /* hole: the rest of this subtree */
			uint64_t left = span - rel;
			r->kind = EXT4_RUN_HOLE;
			r->pblk = 0;
			r->len = left < max ? (uint32_t)left : max;
			return 0;
		}
		if (!ext4_block_ok(fs, ptr, 1))
			return cb_errf(e, CB_EINVAL, "inode %u: indirect block %u lies outside the filesystem", m->ino->ino, ptr);
		if (!m->ind[d - 1] && !(m->ind[d - 1] = malloc(fs->bs)))
			return cb_errf(e, CB_ENOMEM, "inode %u: out of memory", m->ino->ino);
		if (m->ind_blk[d - 1] != ptr) {
			m->ind_blk[d - 1] = 0;
			int rc = ext4_read_blocks(fs, ptr, 0, m->ind[d - 1], fs->bs, e);
			if (rc)
				return rc;
			m->ind_blk[d - 1] = ptr;
		}
		uint64_t child_span = span / p;
		uint32_t idx = (uint32_t)(rel / child_span);
		rel %= child_span;
		const uint8_t *buf = m->ind[d - 1];
		if (d == 1) {
			uint32_t first = cb_le32(buf + 4 * (size_t)idx);
			return finish(m, first, scan_run(buf, idx, (uint32_t)p, max, first), r, e);
		}
		ptr = cb_le32(buf + 4 * (size_t)idx);
		span = child_span;
	}
	return cb_errf(e, CB_EINVAL, "inode %u: internal indirect mapping error", m->ino->ino);
}
