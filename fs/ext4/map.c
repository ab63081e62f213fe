/* map.c: logical→physical block mapping dispatch (extents or indirect blocks) and data reads that turn
 * contiguous runs into single device reads straight into the caller's buffer. No per-block allocation. */
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "ext4_int.h"

void ext4_map_init(struct ext4_map *m, struct ext4_fs *fs, const struct ext4_inode *ino)
{
	memset(m, 0, sizeof(*m));
	m->fs = fs;
	m->ino = ino;
}

void ext4_map_release(struct ext4_map *m)
{
	free(m->leaf);
	free(m->node);
	for (int i = 0; i < 3; i++)
		free(m->ind[i]);
	memset(m, 0, sizeof(*m));
}

int ext4_map_run(struct ext4_map *m, uint32_t lblk, uint32_t max, struct ext4_run *r, struct cb_err *e)
{
	if (max == 0)
		max = 1;
	int rc = (m->ino->flags & EXT4_EXTENTS_FL) ? ext4_extent_map(m, lblk, max, r, e)
						    : ext4_indirect_map(m, lblk, max, r, e);
	if (rc == 0 && (r->len == 0 || r->len > max))
		return cb_errf(e, CB_EINVAL, "inode %u: internal mapping error at block %u", m->ino->ino, lblk);
	return rc;
}

static int read_inline(struct ext4_map *m, uint64_t off, uint8_t *out, size_t len, struct cb_err *e)
{
	const struct ext4_inode *ino = m->ino;
	uint64_t total = EXT4_N_BLOCKS_BYTES + (uint64_t)ino->inline_len;
	if (!cb_in_bounds(off, len, total))
		return cb_errf(e, CB_EINVAL, "inode %u: read past its %llu bytes of inline data", ino->ino,
			       (unsigned long long)total);
	while (len) {
		size_t n;
		if (off < EXT4_N_BLOCKS_BYTES) {
			n = EXT4_N_BLOCKS_BYTES - (size_t)off < len ? EXT4_N_BLOCKS_BYTES - (size_t)off : len;
			memcpy(out, ino->iblock + off, n);
		} else {
			n = len;
			memcpy(out, ino->raw + ino->inline_off + (off - EXT4_N_BLOCKS_BYTES), n);
		}
		out += n;
		off += n;
		len -= n;
	}
	return 0;
}

int ext4_read_data(struct ext4_map *m, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	struct ext4_fs *fs = m->fs;
	uint8_t *out = buf;
	if (m->ino->flags & EXT4_INLINE_DATA_FL)
		return read_inline(m, off, out, len, e);
	uint64_t pend_off = 0;
	size_t pend_len = 0;
	uint8_t *pend_buf = NULL;
	while (len) {
		uint64_t lblk64 = off >> fs->bits;
		if (lblk64 > UINT32_MAX)
			return cb_errf(e, CB_EINVAL, "inode %u: offset %llu is past the largest logical block", m->ino->ino,
				       (unsigned long long)off);
		uint32_t lblk = (uint32_t)lblk64;
		size_t in = (size_t)(off & (fs->bs - 1));
		uint64_t want = ((uint64_t)in + len + fs->bs - 1) >> fs->bits;
		uint64_t room = (1ull << 32) - lblk;
		if (want > room)
			want = room;
		if (want > UINT32_MAX)
			want = UINT32_MAX;
		struct ext4_run r;
		int rc = ext4_map_run(m, lblk, (uint32_t)want, &r, e);
		if (rc)
			return rc;
		uint64_t run_bytes = ((uint64_t)r.len << fs->bits) - in;
		size_t n = run_bytes < len ? (size_t)run_bytes : len;
		if (r.kind == EXT4_RUN_DATA) {
			uint64_t dev_off = (r.pblk << fs->bits) + in; /* pblk < blocks_count: checked by the mapper */
			if (pend_len && pend_off + pend_len == dev_off && pend_buf + pend_len == out) {
				pend_len += n;
			} else {
				if (pend_len && (rc = fs->dev->read(fs->dev, pend_off, pend_buf, pend_len, e)))
					return rc;
				pend_off = dev_off;
				pend_len = n;
				pend_buf = out;
			}
		} else {
			memset(out, 0, n);
		}
		out += n;
		off += n;
		len -= n;
	}
	if (pend_len)
		return fs->dev->read(fs->dev, pend_off, pend_buf, pend_len, e);
	return 0;
}
