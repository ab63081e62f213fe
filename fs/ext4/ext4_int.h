/* ext4_int.h: the ext4 driver's private structures and the functions its files share (superblock and
 * group descriptors, inodes, block mapping, directories, path lookup). Not for use outside fs/ext4/. */
#ifndef FS_EXT4_INT_H
#define FS_EXT4_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blockdev.h"
#include "cb_err.h"
#include "ext4.h"
#include "vfs.h"

#define EXT4_ROOT_INO 2
#define EXT4_NAME_MAX 255
#define EXT4_PATH_MAX 4096
#define EXT4_SYMLINK_HOPS 40
#define EXT4_EXTENT_DEPTH_MAX 5
#define EXT4_N_BLOCKS_BYTES 60

/* Feature bits. */
#define EXT4_COMPAT_HAS_JOURNAL 0x4
#define EXT4_COMPAT_DIR_INDEX 0x20
#define EXT4_COMPAT_SPARSE_SUPER2 0x200

#define EXT4_INCOMPAT_COMPRESSION 0x1
#define EXT4_INCOMPAT_FILETYPE 0x2
#define EXT4_INCOMPAT_RECOVER 0x4
#define EXT4_INCOMPAT_JOURNAL_DEV 0x8
#define EXT4_INCOMPAT_META_BG 0x10
#define EXT4_INCOMPAT_EXTENTS 0x40
#define EXT4_INCOMPAT_64BIT 0x80
#define EXT4_INCOMPAT_MMP 0x100
#define EXT4_INCOMPAT_FLEX_BG 0x200
#define EXT4_INCOMPAT_EA_INODE 0x400
#define EXT4_INCOMPAT_DIRDATA 0x1000
#define EXT4_INCOMPAT_CSUM_SEED 0x2000
#define EXT4_INCOMPAT_LARGEDIR 0x4000
#define EXT4_INCOMPAT_INLINE_DATA 0x8000
#define EXT4_INCOMPAT_ENCRYPT 0x10000
#define EXT4_INCOMPAT_CASEFOLD 0x20000
#define EXT4_INCOMPAT_SUPPORTED                                                                              \
	(EXT4_INCOMPAT_FILETYPE | EXT4_INCOMPAT_RECOVER | EXT4_INCOMPAT_META_BG | EXT4_INCOMPAT_EXTENTS |        \
	 EXT4_INCOMPAT_64BIT | EXT4_INCOMPAT_MMP | EXT4_INCOMPAT_FLEX_BG | EXT4_INCOMPAT_EA_INODE |             \
	 EXT4_INCOMPAT_CSUM_SEED | EXT4_INCOMPAT_LARGEDIR | EXT4_INCOMPAT_INLINE_DATA | EXT4_INCOMPAT_CASEFOLD)

#define EXT4_RO_COMPAT_SPARSE_SUPER 0x1
#define EXT4_RO_COMPAT_HUGE_FILE 0x8
#define EXT4_RO_COMPAT_GDT_CSUM 0x10
#define EXT4_RO_COMPAT_BIGALLOC 0x200
#define EXT4_RO_COMPAT_METADATA_CSUM 0x400

/* Inode flags. */
#define EXT4_INDEX_FL 0x1000
#define EXT4_HUGE_FILE_FL 0x40000
#define EXT4_EXTENTS_FL 0x80000
#define EXT4_EA_INODE_FL 0x200000
#define EXT4_INLINE_DATA_FL 0x10000000
#define EXT4_CASEFOLD_FL 0x40000000

struct ext4_fs {
	struct cb_fs fs; /* first: fs.priv points back here */
	struct cb_blockdev *dev; /* what we read through (our cache, or the caller's device) */
	struct cb_blockdev *cache; /* our blockcache, closed at unmount; NULL with no_cache */
	uint32_t bs;
	unsigned bits; /* log2(bs) */
	uint64_t blocks_count;
	uint32_t first_data_block;
	uint32_t blocks_per_group, inodes_per_group, inodes_count, groups;
	uint32_t inode_size, desc_size, desc_per_block, first_meta_bg;
	uint32_t cluster_bits;
	uint32_t compat, incompat, ro_compat;
	uint32_t backup_bgs[2];
	uint32_t csum_seed;
	uint32_t hash_seed[4]; /* s_hash_seed, for htree lookups */
	bool hash_unsigned;    /* s_flags: directory hashes use unsigned chars */
	uint8_t uuid[16];
	bool metadata_csum, gdt_csum, needs_recovery;
	char label[17];
};

struct ext4_inode {
	uint32_t ino;
	uint16_t mode;
	uint16_t extra_isize;
	uint32_t flags, links, gen;
	uint64_t size, blocks, file_acl;
	int64_t mtime;
	uint32_t csum_seed;
	uint8_t iblock[EXT4_N_BLOCKS_BYTES];
	uint8_t *raw; /* inode_size bytes (malloc) */
	uint32_t inline_off, inline_len; /* "system.data" value inside raw (INLINE_DATA_FL only) */
};

enum ext4_run_kind { EXT4_RUN_DATA, EXT4_RUN_HOLE, EXT4_RUN_UNINIT };
struct ext4_run {
	uint64_t pblk;
	uint32_t len; /* blocks, >= 1 */
	enum ext4_run_kind kind;
};

/* Per-file mapping state: a cached extent leaf or indirect blocks (block-sized buffers, lazily). */
struct ext4_map {
	struct ext4_fs *fs;
	const struct ext4_inode *ino;
	uint8_t *leaf;   /* a validated extent leaf (or a copy of the root leaf) */
	uint8_t *node;   /* scratch for index nodes */
	uint64_t leaf_pblk;
	uint64_t leaf_lo, leaf_hi; /* logical range the cached leaf covers */
	bool leaf_valid;
	uint8_t *ind[3];
	uint64_t ind_blk[3];
};

/* super.c */
int ext4_read_blocks(struct ext4_fs *fs, uint64_t blk, uint64_t off_in, void *buf, size_t len,
		     struct cb_err *e);
void ext4_unmount_fs(struct ext4_fs *fs);
int ext4_inode_table(struct ext4_fs *fs, uint32_t group, uint64_t *itable, struct cb_err *e);
bool ext4_block_ok(const struct ext4_fs *fs, uint64_t blk, uint64_t n);

/* inode.c */
int ext4_inode_read(struct ext4_fs *fs, uint32_t ino, struct ext4_inode *out, struct cb_err *e);
void ext4_inode_release(struct ext4_inode *ino);
void ext4_inode_stat(const struct ext4_inode *ino, struct cb_fs_stat *st);
int ext4_read_symlink(struct ext4_fs *fs, struct ext4_inode *ino, char *buf, size_t size, struct cb_err *e);
uint64_t ext4_max_file_size(const struct ext4_fs *fs, const struct ext4_inode *ino);
static inline bool ext4_is_dir(const struct ext4_inode *i) { return (i->mode & CB_S_IFMT) == CB_S_IFDIR; }
static inline bool ext4_is_reg(const struct ext4_inode *i) { return (i->mode & CB_S_IFMT) == CB_S_IFREG; }
static inline bool ext4_is_lnk(const struct ext4_inode *i) { return (i->mode & CB_S_IFMT) == CB_S_IFLNK; }

/* map.c, extent.c, indirect.c */
void ext4_map_init(struct ext4_map *m, struct ext4_fs *fs, const struct ext4_inode *ino);
void ext4_map_release(struct ext4_map *m);
/* Maps logical block lblk: a run of at most max blocks (>= 1) starting there. */
int ext4_map_run(struct ext4_map *m, uint32_t lblk, uint32_t max, struct ext4_run *r, struct cb_err *e);
int ext4_extent_map(struct ext4_map *m, uint32_t lblk, uint32_t max, struct ext4_run *r, struct cb_err *e);
int ext4_indirect_map(struct ext4_map *m, uint32_t lblk, uint32_t max, struct ext4_run *r, struct cb_err *e);
/* Reads [off, off+len) of the inode's data (holes and unwritten extents as zeros); len within i_size. */
int ext4_read_data(struct ext4_map *m, uint64_t off, void *buf, size_t len, struct cb_err *e);

/* dir.c: fn returns 0 to continue, non-zero to stop (returned). name is NUL-terminated. */
typedef int (*ext4_dir_fn)(void *ctx, uint32_t ino, uint8_t ftype, const char *name, size_t len);
int ext4_dir_iterate(struct ext4_fs *fs, struct ext4_inode *dir, bool dots, ext4_dir_fn fn, void *ctx,
		     struct cb_err *e);
int ext4_dir_lookup(struct ext4_fs *fs, struct ext4_inode *dir, const char *name, size_t len, uint32_t *ino,
		    struct cb_err *e);

/* hash.c: htree name hash (version as in dx_root_info, +3 for unsigned); CB_EUNSUP for unknown versions. */
int ext4_dx_hash(const uint32_t seed[4], unsigned version, const char *name, size_t len, uint32_t *out);

/* namei.c */
int ext4_resolve(struct ext4_fs *fs, const char *path, bool follow_last, struct ext4_inode *out,
		 struct cb_err *e);

#endif
