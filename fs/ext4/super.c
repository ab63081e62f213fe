/* super.c: ext4 superblock validation, feature policy, group descriptors (with meta_bg placement and
 * crc16/crc32c checks) and mount/unmount. Everything read later is range-checked against what is set here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockcache.h"
#include "cb_checked.h"
#include "crc32c.h"
#include "ext4_int.h"

extern const struct cb_fs_ops ext4_ops; /* ops.c */

#define SB_OFFSET 1024
#define SB_SIZE 1024

static const uint16_t crc16_table[256] = {
	0x0000, 0xc0c1, 0xc181, 0x0140, 0xc301, 0x03c0, 0x0280, 0xc241,
	0xc601, 0x06c0, 0x0780, 0xc741, 0x0500, 0xc5c1, 0xc481, 0x0440,
	0xcc01, 0x0cc0, 0x0d80, 0xcd41, 0x0f00, 0xcfc1, 0xce81, 0x0e40,
	0x0a00, 0xcac1, 0xcb81, 0x0b40, 0xc901, 0x09c0, 0x0880, 0xc841,
	0xd801, 0x18c0, 0x1980, 0xd941, 0x1b00, 0xdbc1, 0xda81, 0x1a40,
	0x1e00, 0xdec1, 0xdf81, 0x1f40, 0xdd01, 0x1dc0, 0x1c80, 0xdc41,
	0x1400, 0xd4c1, 0xd581, 0x1540, 0xd701, 0x17c0, 0x1680, 0xd641,
	0xd201, 0x12c0, 0x1380, 0xd341, 0x1100, 0xd1c1, 0xd081, 0x1040,
	0xf001, 0x30c0, 0x3180, 0xf141, 0x3300, 0xf3c1, 0xf281, 0x3240,
	0x3600, 0xf6c1, 0xf781, 0x3740, 0xf501, 0x35c0, 0x3480, 0xf441,
	0x3c00, 0xfcc1, 0xfd81, 0x3d40, 0xff01, 0x3fc0, 0x3e80, 0xfe41,
	0xfa01, 0x3ac0, 0x3b80, 0xfb41, 0x3900, 0xf9c1, 0xf881, 0x3840,
	0x2800, 0xe8c1, 0xe981, 0x2940, 0xeb01, 0x2bc0, 0x2a80, 0xea41,
	0xee01, 0x2ec0, 0x2f80, 0xef41, 0x2d00, 0xedc1, 0xec81, 0x2c40,
	0xe401, 0x24c0, 0x2580, 0xe541, 0x2700, 0xe7c1, 0xe681, 0x2640,
	0x2200, 0xe2c1, 0xe381, 0x2340, 0xe101, 0x21c0, 0x2080, 0xe041,
	0xa001, 0x60c0, 0x6180, 0xa141, 0x6300, 0xa3c1, 0xa281, 0x6240,
	0x6600, 0xa6c1, 0xa781, 0x6740, 0xa501, 0x65c0, 0x6480, 0xa441,
	0x6c00, 0xacc1, 0xad81, 0x6d40, 0xaf01, 0x6fc0, 0x6e80, 0xae41,
	0xaa01, 0x6ac0, 0x6b80, 0xab41, 0x6900, 0xa9c1, 0xa881, 0x6840,
	0x7800, 0xb8c1, 0xb981, 0x7940, 0xbb01, 0x7bc0, 0x7a80, 0xba41,
	0xbe01, 0x7ec0, 0x7f80, 0xbf41, 0x7d00, 0xbdc1, 0xbc81, 0x7c40,
	0xb401, 0x74c0, 0x7580, 0xb541, 0x7700, 0xb7c1, 0xb681, 0x7640,
	0x7200, 0xb2c1, 0xb381, 0x7340, 0xb101, 0x71c0, 0x7080, 0xb041,
	0x5000, 0x90c1, 0x9181, 0x5140, 0x9301, 0x53c0, 0x5280, 0x9241,
	0x9601, 0x56c0, 0x5780, 0x9741, 0x5500, 0x95c1, 0x9481, 0x5440,
	0x9c01, 0x5cc0, 0x5d80, 0x9d41, 0x5f00, 0x9fc1, 0x9e81, 0x5e40,
	0x5a00, 0x9ac1, 0x9b81, 0x5b40, 0x9901, 0x59c0, 0x5880, 0x9841,
	0x8801, 0x48c0, 0x4980, 0x8941, 0x4b00, 0x8bc1, 0x8a81, 0x4a40,
	0x4e00, 0x8ec1, 0x8f81, 0x4f40, 0x8d01, 0x4dc0, 0x4c80, 0x8c41,
	0x4400, 0x84c1, 0x8581, 0x4540, 0x8701, 0x47c0, 0x4680, 0x8641,
	0x8201, 0x42c0, 0x4380, 0x8341, 0x4100, 0x81c1, 0x8081, 0x4040,
};

/* CRC-16/ARC as Linux lib/crc16.c: only for uninit_bg (gdt_csum) group descriptors. */
static uint16_t crc16(uint16_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len--)
		crc = (uint16_t)((crc >> 8) ^ crc16_table[(crc ^ *p++) & 0xff]);
	return crc;
}

bool ext4_block_ok(const struct ext4_fs *fs, uint64_t blk, uint64_t n)
{
	return blk >= fs->first_data_block && cb_in_bounds(blk, n, fs->blocks_count);
}

int ext4_read_blocks(struct ext4_fs *fs, uint64_t blk, uint64_t off_in, void *buf, size_t len, struct cb_err *e)
{
	uint64_t off, end;
	if (blk >= fs->blocks_count || !cb_mul_ok(blk, (uint64_t)fs->bs, &off) || !cb_add_ok(off, off_in, &off) ||
	    !cb_add_ok(off, (uint64_t)len, &end) || end > fs->blocks_count << fs->bits)
		return cb_errf(e, CB_EINVAL, "block %llu (+%llu bytes, %zu long) lies outside the filesystem (%llu blocks)",
			       (unsigned long long)blk, (unsigned long long)off_in, len,
			       (unsigned long long)fs->blocks_count);
	return fs->dev->read(fs->dev, off, buf, len, e);
}

static bool test_root(uint32_t a, uint32_t b)
{
	uint64_t n = b;
	while (n < a)
		n *= b;
	return n == a;
}

static bool bg_has_super(const struct ext4_fs *fs, uint32_t g)
{
	if (g == 0)
		return true;
	if (fs->compat & EXT4_COMPAT_SPARSE_SUPER2)
		return g == fs->backup_bgs[0] || g == fs->backup_bgs[1];
	if (g <= 1 || !(fs->ro_compat & EXT4_RO_COMPAT_SPARSE_SUPER))
		return true;
	if (!(g & 1))
		return false;
	return test_root(g, 3) || test_root(g, 5) || test_root(g, 7);
}

/* Block number of group-descriptor block nr (Linux descriptor_loc). */
static int desc_block(struct ext4_fs *fs, uint32_t nr, uint64_t *out, struct cb_err *e)
{
	uint64_t sb_block = fs->bs == 1024 ? 1 : 0;
	if (!(fs->incompat & EXT4_INCOMPAT_META_BG) || nr < fs->first_meta_bg) {
		*out = sb_block + nr + 1;
		return 0;
	}
	uint64_t bg = (uint64_t)fs->desc_per_block * nr;
	if (bg >= fs->groups)
		return cb_errf(e, CB_EINVAL, "meta_bg group-descriptor block %u is past the last group", nr);
	uint64_t has_super = bg_has_super(fs, (uint32_t)bg) ? 1 : 0;
	if (fs->bs == 1024 && nr == 0 && fs->first_data_block == 0)
		has_super++;
	*out = has_super + fs->first_data_block + bg * fs->blocks_per_group;
	return 0;
}

int ext4_inode_table(struct ext4_fs *fs, uint32_t group, uint64_t *itable, struct cb_err *e)
{
	if (group >= fs->groups)
		return cb_errf(e, CB_EINVAL, "group %u is past the last group %u", group, fs->groups - 1);
	uint8_t d[1024];
	uint64_t blk = 0;
	int rc = desc_block(fs, group / fs->desc_per_block, &blk, e);
	if (rc)
		return rc;
	rc = ext4_read_blocks(fs, blk, (uint64_t)(group % fs->desc_per_block) * fs->desc_size, d, fs->desc_size, e);
	if (rc)
		return cb_err_prefix(e, "group descriptor %u: ", group), rc;
	uint8_t le_group[4] = { (uint8_t)group, (uint8_t)(group >> 8), (uint8_t)(group >> 16), (uint8_t)(group >> 24) };
	uint16_t stored = cb_le16(d + 0x1E), calc;
	if (fs->metadata_csum) {
		uint8_t zero[2] = { 0, 0 };
		uint32_t c = crc32c_raw(fs->csum_seed, le_group, 4);
		c = crc32c_raw(c, d, 0x1E);
		c = crc32c_raw(c, zero, 2);
		if (fs->desc_size > 0x20)
			c = crc32c_raw(c, d + 0x20, fs->desc_size - 0x20);
		calc = (uint16_t)c;
	} else if (fs->gdt_csum) {
		calc = crc16(0xFFFF, fs->uuid, 16);
		calc = crc16(calc, le_group, 4);
		calc = crc16(calc, d, 0x1E);
		if ((fs->incompat & EXT4_INCOMPAT_64BIT) && fs->desc_size > 0x20)
			calc = crc16(calc, d + 0x20, fs->desc_size - 0x20);
	} else {
		calc = stored;
	}
	if (calc != stored)
		return cb_errf(e, CB_EVERIFY, "group descriptor %u checksum mismatch (stored 0x%04x, computed 0x%04x)",
			       group, stored, calc);
	uint64_t t = cb_le32(d + 0x8);
	if (fs->desc_size >= 64)
		t |= (uint64_t)cb_le32(d + 0x28) << 32;
	uint64_t tblocks = ((uint64_t)fs->inodes_per_group * fs->inode_size + fs->bs - 1) >> fs->bits;
	if (t == 0 || !ext4_block_ok(fs, t, tblocks))
		return cb_errf(e, CB_EINVAL, "group descriptor %u: inode table at block %llu (%llu blocks) lies outside "
			       "the filesystem", group, (unsigned long long)t, (unsigned long long)tblocks);
	*itable = t;
	return 0;
}

static const struct { uint32_t bit; const char *name; } incompat_names[] = {
	{ EXT4_INCOMPAT_COMPRESSION, "compression" }, { EXT4_INCOMPAT_FILETYPE, "filetype" },
	{ EXT4_INCOMPAT_RECOVER, "needs_recovery" },  { EXT4_INCOMPAT_JOURNAL_DEV, "journal_dev" },
	{ EXT4_INCOMPAT_META_BG, "meta_bg" },         { EXT4_INCOMPAT_EXTENTS, "extent" },
	{ EXT4_INCOMPAT_64BIT, "64bit" },             { EXT4_INCOMPAT_MMP, "mmp" },
	{ EXT4_INCOMPAT_FLEX_BG, "flex_bg" },         { EXT4_INCOMPAT_EA_INODE, "ea_inode" },
	{ EXT4_INCOMPAT_DIRDATA, "dirdata" },         { EXT4_INCOMPAT_CSUM_SEED, "metadata_csum_seed" },
	{ EXT4_INCOMPAT_LARGEDIR, "large_dir" },      { EXT4_INCOMPAT_INLINE_DATA, "inline_data" },
	{ EXT4_INCOMPAT_ENCRYPT, "encrypt" },         { EXT4_INCOMPAT_CASEFOLD, "casefold" },
};

static int check_incompat(uint32_t incompat, struct cb_err *e)
{
	uint32_t bad = incompat & ~(uint32_t)EXT4_INCOMPAT_SUPPORTED;
	if (!bad)
		return 0;
	char names[160] = "";
	size_t n = 0;
	for (uint32_t bit = 1; bit; bit <<= 1) {
		if (!(bad & bit))
			continue;
		const char *name = NULL;
		for (size_t i = 0; i < sizeof(incompat_names) / sizeof(incompat_names[0]); i++)
			if (incompat_names[i].bit == bit)
				name = incompat_names[i].name;
		char unk[16];
		if (!name) {
			snprintf(unk, sizeof(unk), "0x%x", bit);
			name = unk;
		}
		int w = snprintf(names + n, sizeof(names) - n, "%s%s", n ? ", " : "", name);
		if (w < 0 || (size_t)w >= sizeof(names) - n)
			break;
		n += (size_t)w;
	}
	return cb_errf(e, CB_EUNSUP, "ext4: unsupported incompat feature(s): 0x%x (%s)", bad, names);
}

static void warn(const struct ext4_mount_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(const struct ext4_mount_opts *o, const char *fmt, ...)
{
	if (!o || !o->warn)
		return;
	char msg[CB_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o->warn(o->warn_ctx, msg);
}

static int parse_super(struct ext4_fs *fs, const uint8_t *sb, uint64_t dev_size, const struct ext4_mount_opts *o,
		       struct cb_err *e)
{
	if (cb_le16(sb + 0x38) != 0xEF53)
		return cb_errf(e, CB_EINVAL, "ext4: no ext2/3/4 superblock (magic 0x%04x)", cb_le16(sb + 0x38));
	uint32_t rev = cb_le32(sb + 0x4C);
	fs->compat = rev ? cb_le32(sb + 0x5C) : 0;
	fs->incompat = rev ? cb_le32(sb + 0x60) : 0;
	fs->ro_compat = rev ? cb_le32(sb + 0x64) : 0;
	int rc = check_incompat(fs->incompat, e);
	if (rc)
		return rc;
	fs->metadata_csum = fs->ro_compat & EXT4_RO_COMPAT_METADATA_CSUM;
	fs->gdt_csum = !fs->metadata_csum && (fs->ro_compat & EXT4_RO_COMPAT_GDT_CSUM);
	if (fs->metadata_csum) {
		if (sb[0x175] != 1)
			return cb_errf(e, CB_EUNSUP, "ext4: unknown metadata checksum type %u", sb[0x175]);
		uint32_t stored = cb_le32(sb + 0x3FC), calc = crc32c_raw(~0u, sb, 0x3FC);
		if (stored != calc)
			return cb_errf(e, CB_EVERIFY, "ext4: superblock checksum mismatch (stored 0x%08x, computed 0x%08x)",
				       stored, calc);
	}
	uint32_t log_bs = cb_le32(sb + 0x18);
	if (log_bs > 6)
		return cb_errf(e, CB_EINVAL, "ext4: block size 2^(10+%u) is outside 1 KiB..64 KiB", log_bs);
	fs->bits = 10 + log_bs;
	fs->bs = 1u << fs->bits;
	fs->inodes_count = cb_le32(sb + 0x0);
	fs->blocks_count = cb_le32(sb + 0x4);
	if (fs->incompat & EXT4_INCOMPAT_64BIT)
		fs->blocks_count |= (uint64_t)cb_le32(sb + 0x150) << 32;
	fs->first_data_block = cb_le32(sb + 0x14);
	fs->blocks_per_group = cb_le32(sb + 0x20);
	fs->inodes_per_group = cb_le32(sb + 0x28);
	fs->inode_size = rev ? cb_le16(sb + 0x58) : 128;
	fs->first_meta_bg = cb_le32(sb + 0x104);
	fs->backup_bgs[0] = cb_le32(sb + 0x24C);
	fs->backup_bgs[1] = cb_le32(sb + 0x250);
	memcpy(fs->uuid, sb + 0x68, 16);
	for (int i = 0; i < 4; i++)
		fs->hash_seed[i] = cb_le32(sb + 0xEC + 4 * i);
	fs->hash_unsigned = cb_le32(sb + 0x160) & 0x2;
	memcpy(fs->label, sb + 0x78, 16);
	fs->label[16] = 0;

	if (fs->ro_compat & EXT4_RO_COMPAT_BIGALLOC) {
		uint32_t log_cs = cb_le32(sb + 0x1C);
		if (log_cs < log_bs || log_cs - log_bs > 16)
			return cb_errf(e, CB_EINVAL, "ext4: cluster size 2^(10+%u) is invalid for block size %u", log_cs,
				       fs->bs);
		fs->cluster_bits = log_cs - log_bs;
		uint32_t cpg = cb_le32(sb + 0x24);
		if (cpg == 0 || cpg > 8 * fs->bs || (uint64_t)cpg << fs->cluster_bits != fs->blocks_per_group)
			return cb_errf(e, CB_EINVAL, "ext4: %u clusters per group do not match %u blocks per group", cpg,
				       fs->blocks_per_group);
	} else if (fs->blocks_per_group == 0 || fs->blocks_per_group > 8 * fs->bs) {
		return cb_errf(e, CB_EINVAL, "ext4: %u blocks per group is outside 1..%u", fs->blocks_per_group,
			       8 * fs->bs);
	}
	if (fs->inode_size < 128 || fs->inode_size > fs->bs || (fs->inode_size & (fs->inode_size - 1)))
		return cb_errf(e, CB_EINVAL, "ext4: inode size %u is not a power of two in 128..%u", fs->inode_size,
			       fs->bs);
	if (fs->inodes_per_group < fs->bs / fs->inode_size || fs->inodes_per_group > 8 * fs->bs)
		return cb_errf(e, CB_EINVAL, "ext4: %u inodes per group is outside %u..%u", fs->inodes_per_group,
			       fs->bs / fs->inode_size, 8 * fs->bs);
	if (fs->bs > 1024 ? fs->first_data_block != 0
			  : fs->first_data_block != ((fs->ro_compat & EXT4_RO_COMPAT_BIGALLOC) ? 0u : 1u))
		return cb_errf(e, CB_EINVAL, "ext4: first data block %u is wrong for block size %u",
			       fs->first_data_block, fs->bs);
	if (fs->blocks_count <= fs->first_data_block)
		return cb_errf(e, CB_EINVAL, "ext4: block count %llu is too small", (unsigned long long)fs->blocks_count);
	uint64_t dev_blocks = dev_size >> fs->bits;
	if (fs->blocks_count > dev_blocks)
		return cb_errf(e, CB_EINVAL, "ext4: block count %llu exceeds the size of the device (%llu blocks)",
			       (unsigned long long)fs->blocks_count, (unsigned long long)dev_blocks);
	uint64_t groups = (fs->blocks_count - fs->first_data_block + fs->blocks_per_group - 1) / fs->blocks_per_group;
	if (groups == 0 || groups > UINT32_MAX || groups * fs->inodes_per_group != fs->inodes_count)
		return cb_errf(e, CB_EINVAL, "ext4: inode count %u does not match %llu groups of %u inodes",
			       fs->inodes_count, (unsigned long long)groups, fs->inodes_per_group);
	fs->groups = (uint32_t)groups;
	if (fs->incompat & EXT4_INCOMPAT_64BIT) {
		fs->desc_size = cb_le16(sb + 0xFE);
		if (fs->desc_size < 64 || fs->desc_size > 1024 || (fs->desc_size & (fs->desc_size - 1)))
			return cb_errf(e, CB_EINVAL, "ext4: group descriptor size %u is not a power of two in 64..1024",
				       fs->desc_size);
	} else {
		fs->desc_size = 32;
	}
	if (fs->desc_size > fs->bs)
		return cb_errf(e, CB_EINVAL, "ext4: group descriptor size %u exceeds the block size", fs->desc_size);
	fs->desc_per_block = fs->bs / fs->desc_size;
	uint64_t gdt_blocks = (groups + fs->desc_per_block - 1) / fs->desc_per_block;
	if (!(fs->incompat & EXT4_INCOMPAT_META_BG) && !ext4_block_ok(fs, (fs->bs == 1024 ? 2 : 1), gdt_blocks))
		return cb_errf(e, CB_EINVAL, "ext4: %llu group-descriptor blocks do not fit the filesystem",
			       (unsigned long long)gdt_blocks);
	if ((fs->incompat & EXT4_INCOMPAT_META_BG) && fs->first_meta_bg > gdt_blocks)
		return cb_errf(e, CB_EINVAL, "ext4: first meta_bg %u is past the %llu descriptor blocks",
			       fs->first_meta_bg, (unsigned long long)gdt_blocks);
	if (fs->incompat & EXT4_INCOMPAT_CSUM_SEED)
		fs->csum_seed = cb_le32(sb + 0x270);
	else
		fs->csum_seed = crc32c_raw(~0u, fs->uuid, 16);

	uint16_t state = cb_le16(sb + 0x3A);
	if (fs->incompat & EXT4_INCOMPAT_RECOVER) {
		fs->needs_recovery = true;
		warn(o, "ext4: the journal needs recovery (needs_recovery); reading the filesystem as it is on disk, "
			"recent changes may be missing");
	} else if (!(state & 1)) {
		warn(o, "ext4: the filesystem was not cleanly unmounted");
	}
	if (state & 2)
		warn(o, "ext4: the filesystem is marked as having errors");
	return 0;
}

int ext4_mount_with(struct cb_blockdev *dev, const struct ext4_mount_opts *o, struct cb_fs **out, struct cb_err *e)
{
	uint8_t sb[SB_SIZE];
	if (dev->size < SB_OFFSET + SB_SIZE)
		return cb_errf(e, CB_EINVAL, "ext4: %s is too small for a superblock", dev->name);
	int rc = dev->read(dev, SB_OFFSET, sb, SB_SIZE, e);
	if (rc)
		return rc;
	struct ext4_fs *fs = calloc(1, sizeof(*fs));
	if (!fs)
		return cb_errf(e, CB_ENOMEM, "ext4: out of memory");
	rc = parse_super(fs, sb, dev->size, o, e);
	if (rc)
		goto fail;
	fs->dev = dev;
	if (!o || !o->no_cache) {
		struct blockcache_opts co = { 0, 0 };
		rc = blockcache_new(dev, &co, false, &fs->cache, e);
		if (rc)
			goto fail;
		fs->dev = fs->cache;
	}
	fs->fs.ops = &ext4_ops;
	fs->fs.type = "ext4";
	fs->fs.dev = dev;
	fs->fs.priv = fs;
	/* The root must be a readable directory, or nothing else will be. */
	struct ext4_inode root;
	rc = ext4_inode_read(fs, EXT4_ROOT_INO, &root, e);
	if (rc) {
		cb_err_prefix(e, "ext4: root directory: ");
		goto fail;
	}
	bool isdir = ext4_is_dir(&root);
	ext4_inode_release(&root);
	if (!isdir) {
		rc = cb_errf(e, CB_EINVAL, "ext4: inode 2 (the root) is not a directory");
		goto fail;
	}
	*out = &fs->fs;
	return 0;
fail:
	if (fs->cache)
		fs->cache->close(fs->cache);
	free(fs);
	return rc;
}

int ext4_mount(struct cb_blockdev *dev, struct cb_fs **out, struct cb_err *e)
{
	return ext4_mount_with(dev, NULL, out, e);
}

bool ext4_needs_recovery(const struct cb_fs *fs)
{
	return fs && fs->ops == &ext4_ops && ((const struct ext4_fs *)fs->priv)->needs_recovery;
}

void ext4_unmount_fs(struct ext4_fs *fs)
{
	if (fs->cache)
		fs->cache->close(fs->cache);
	free(fs);
}
