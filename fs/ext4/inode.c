/* inode.c: reading one ext4 inode (location via its group descriptor, metadata_csum check, extra fields,
 * the in-inode "system.data" xattr of inline_data) and symlink targets. No caching of inodes. */
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "crc32c.h"
#include "ext4_int.h"

#define XATTR_MAGIC 0xEA020000u
#define XATTR_INDEX_SYSTEM 7

static int find_inline_xattr(struct ext4_inode *ino, uint32_t inode_size, struct cb_err *e)
{
	uint32_t start = 128u + ino->extra_isize;
	if (inode_size <= 128 || start + 4 > inode_size)
		return 0; /* no room for in-inode xattrs: data lives in i_block only */
	const uint8_t *region = ino->raw + start;
	uint32_t rlen = inode_size - start;
	if (cb_le32(region) != XATTR_MAGIC)
		return 0;
	const uint8_t *first = region + 4;
	uint32_t flen = rlen - 4, pos = 0;
	while (pos + 4 <= flen && cb_le32(first + pos) != 0) {
		if (pos + 16 > flen)
			return cb_errf(e, CB_EINVAL, "inode %u: in-inode xattr entry at %u overruns the inode", ino->ino, pos);
		const uint8_t *x = first + pos;
		uint32_t name_len = x[0], index = x[1], voff = cb_le16(x + 2), vinum = cb_le32(x + 4),
			 vsize = cb_le32(x + 8);
		uint32_t elen = (16 + name_len + 3) & ~3u;
		if (elen > flen - pos)
			return cb_errf(e, CB_EINVAL, "inode %u: in-inode xattr entry at %u overruns the inode", ino->ino, pos);
		if (index == XATTR_INDEX_SYSTEM && name_len == 4 && memcmp(x + 16, "data", 4) == 0) {
			if (vinum != 0 || !cb_in_bounds(voff, vsize, flen))
				return cb_errf(e, CB_EINVAL, "inode %u: inline data xattr (offset %u, size %u) is invalid",
					       ino->ino, voff, vsize);
			ino->inline_off = start + 4 + voff;
			ino->inline_len = vsize;
			return 0;
		}
		pos += elen;
	}
	return 0;
}

int ext4_inode_read(struct ext4_fs *fs, uint32_t ino, struct ext4_inode *out, struct cb_err *e)
{
	memset(out, 0, sizeof(*out));
	if (ino == 0 || ino > fs->inodes_count)
		return cb_errf(e, CB_EINVAL, "inode %u is outside 1..%u", ino, fs->inodes_count);
	uint32_t group = (ino - 1) / fs->inodes_per_group, idx = (ino - 1) % fs->inodes_per_group;
	uint64_t itable;
	int rc = ext4_inode_table(fs, group, &itable, e);
	if (rc)
		return cb_err_prefix(e, "inode %u: ", ino), rc;
	uint8_t *raw = malloc(fs->inode_size);
	if (!raw)
		return cb_errf(e, CB_ENOMEM, "inode %u: out of memory", ino);
	rc = ext4_read_blocks(fs, itable, (uint64_t)idx * fs->inode_size, raw, fs->inode_size, e);
	if (rc) {
		free(raw);
		return cb_err_prefix(e, "inode %u: ", ino), rc;
	}
	out->raw = raw;
	out->ino = ino;
	out->mode = cb_le16(raw + 0x0);
	out->size = cb_le32(raw + 0x4) | (uint64_t)cb_le32(raw + 0x6C) << 32;
	out->mtime = (int32_t)cb_le32(raw + 0x10);
	out->links = cb_le16(raw + 0x1A);
	out->blocks = cb_le32(raw + 0x1C);
	if (fs->ro_compat & EXT4_RO_COMPAT_HUGE_FILE)
		out->blocks |= (uint64_t)cb_le16(raw + 0x74) << 32;
	out->flags = cb_le32(raw + 0x20);
	memcpy(out->iblock, raw + 0x28, EXT4_N_BLOCKS_BYTES);
	out->gen = cb_le32(raw + 0x64);
	out->file_acl = cb_le32(raw + 0x68);
	if (fs->incompat & EXT4_INCOMPAT_64BIT)
		out->file_acl |= (uint64_t)cb_le16(raw + 0x76) << 32;
	if (fs->inode_size > 128) {
		out->extra_isize = cb_le16(raw + 0x80);
		if (128u + out->extra_isize > fs->inode_size || (out->extra_isize & 3)) {
			rc = cb_errf(e, CB_EINVAL, "inode %u: extra inode size %u is invalid for %u-byte inodes", ino,
				     out->extra_isize, fs->inode_size);
			goto fail;
		}
		if (out->extra_isize >= 12) {
			uint32_t extra = cb_le32(raw + 0x88);
			out->mtime += (int64_t)(extra & 3) << 32;
		}
	}
	if (fs->metadata_csum) {
		uint8_t zero[2] = { 0, 0 };
		uint32_t seed = crc32c_raw(fs->csum_seed, &(uint8_t[4]){ (uint8_t)ino, (uint8_t)(ino >> 8),
									   (uint8_t)(ino >> 16), (uint8_t)(ino >> 24) }, 4);
		seed = crc32c_raw(seed, raw + 0x64, 4);
		out->csum_seed = seed;
		bool has_hi = fs->inode_size > 128 && out->extra_isize >= 4;
		uint32_t c = crc32c_raw(seed, raw, 0x7C);
		c = crc32c_raw(c, zero, 2);
		c = crc32c_raw(c, raw + 0x7E, 128 - 0x7E);
		if (fs->inode_size > 128) {
			c = crc32c_raw(c, raw + 128, 2);
			uint32_t off = 0x82;
			if (has_hi) {
				c = crc32c_raw(c, zero, 2);
				off += 2;
			}
			c = crc32c_raw(c, raw + off, fs->inode_size - off);
		}
		uint32_t stored = cb_le16(raw + 0x7C);
		if (has_hi)
			stored |= (uint32_t)cb_le16(raw + 0x82) << 16;
		else
			c &= 0xFFFF;
		if (stored != c) {
			rc = cb_errf(e, CB_EVERIFY, "inode %u checksum mismatch (stored 0x%08x, computed 0x%08x)", ino,
				     stored, c);
			goto fail;
		}
	}
	if (out->flags & EXT4_INLINE_DATA_FL) {
		rc = find_inline_xattr(out, fs->inode_size, e);
		if (rc)
			goto fail;
		if (!ext4_is_dir(out) && out->size > EXT4_N_BLOCKS_BYTES + (uint64_t)out->inline_len) {
			rc = cb_errf(e, CB_EINVAL, "inode %u: inline file size %llu exceeds its %u bytes of inline data", ino,
				     (unsigned long long)out->size, EXT4_N_BLOCKS_BYTES + out->inline_len);
			goto fail;
		}
	}
	return 0;
fail:
	free(raw);
	out->raw = NULL;
	return rc;
}

void ext4_inode_release(struct ext4_inode *ino)
{
	free(ino->raw);
	ino->raw = NULL;
}

void ext4_inode_stat(const struct ext4_inode *ino, struct cb_fs_stat *st)
{
	st->ino = ino->ino;
	st->size = ino->size;
	st->mode = ino->mode;
	st->nlink = ino->links;
	st->mtime = ino->mtime;
}

uint64_t ext4_max_file_size(const struct ext4_fs *fs, const struct ext4_inode *ino)
{
	if (ino->flags & EXT4_INLINE_DATA_FL)
		return EXT4_N_BLOCKS_BYTES + (uint64_t)ino->inline_len;
	uint64_t blocks;
	if (ino->flags & EXT4_EXTENTS_FL) {
		blocks = 1ull << 32;
	} else {
		uint64_t p = fs->bs / 4;
		blocks = 12 + p + p * p + p * p * p; /* p <= 16384: fits */
		if (blocks > 1ull << 32)
			blocks = 1ull << 32;
	}
	return blocks << fs->bits;
}

int ext4_read_symlink(struct ext4_fs *fs, struct ext4_inode *ino, char *buf, size_t size, struct cb_err *e)
{
	if (ino->size == 0 || ino->size >= EXT4_PATH_MAX)
		return cb_errf(e, CB_EINVAL, "inode %u: symlink length %llu is outside 1..%u", ino->ino,
			       (unsigned long long)ino->size, EXT4_PATH_MAX - 1);
	size_t len = (size_t)ino->size;
	if (len + 1 > size)
		return cb_errf(e, CB_ELIMIT, "inode %u: symlink target of %zu bytes does not fit in %zu", ino->ino, len,
			       size);
	uint64_t ea_blocks = 0;
	if (ino->file_acl)
		ea_blocks = (ino->flags & EXT4_HUGE_FILE_FL) && (fs->ro_compat & EXT4_RO_COMPAT_HUGE_FILE)
				    ? 1ull << fs->cluster_bits
				    : (uint64_t)(fs->bs >> 9) << fs->cluster_bits;
	if (ino->flags & EXT4_INLINE_DATA_FL) {
		struct ext4_map m;
		ext4_map_init(&m, fs, ino);
		int rc = ext4_read_data(&m, 0, buf, len, e);
		ext4_map_release(&m);
		if (rc)
			return rc;
	} else if (ino->blocks == ea_blocks) { /* fast symlink: the target lives in i_block */
		if (len >= EXT4_N_BLOCKS_BYTES)
			return cb_errf(e, CB_EINVAL, "inode %u: fast symlink length %zu exceeds %u", ino->ino, len,
				       EXT4_N_BLOCKS_BYTES - 1);
		memcpy(buf, ino->iblock, len);
	} else {
		if (len > fs->bs)
			return cb_errf(e, CB_EINVAL, "inode %u: symlink length %zu exceeds the block size", ino->ino, len);
		struct ext4_map m;
		ext4_map_init(&m, fs, ino);
		int rc = ext4_read_data(&m, 0, buf, len, e);
		ext4_map_release(&m);
		if (rc)
			return rc;
	}
	buf[len] = 0;
	if (strlen(buf) != len)
		return cb_errf(e, CB_EINVAL, "inode %u: symlink target contains a NUL byte", ino->ino);
	return 0;
}
