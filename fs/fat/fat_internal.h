/* fat_internal.h: state and helpers shared by the fs/fat/ sources (geometry, FAT cache, chains, directory
 * iteration, names, paths). Not an API: everything outside fs/fat/ includes fat.h only. */
#ifndef CB_FAT_INTERNAL_H
#define CB_FAT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blockdev.h"
#include "cb_checked.h"
#include "cb_err.h"
#include "fat.h"
#include "vfs.h"

#define FAT_DIRENT_SIZE 32u
#define FAT_MAX_DIR_SLOTS 65536u /* the spec's limit on entries in one directory (2 MiB) */
#define FAT_LFN_MAX 255u         /* UTF-16 units in a long name */
#define FAT_LFN_CHARS 13u        /* UTF-16 units per long-name entry */
#define FAT_LFN_SLOTS_MAX 20u    /* ceil(255 / 13) */
#define FAT_NAME_MAX 1024u       /* UTF-8 bytes of one name, NUL included (255 units * 3 + 1 fits) */
#define FAT_PATH_MAX 4096u       /* bytes of a path argument */
#define FAT_DEPTH_MAX 256u       /* components of a path */
#define FAT_CACHE_SLOTS 32u
#define FAT_CACHE_CHUNK 4096u    /* bytes of FAT per cache slot */
#define FAT_FREE_SCAN_MAX (64u << 20) /* writable mounts count free clusters when the FAT is at most this big */

#define FAT_ATTR_RO 0x01u
#define FAT_ATTR_HIDDEN 0x02u
#define FAT_ATTR_SYSTEM 0x04u
#define FAT_ATTR_VOLID 0x08u
#define FAT_ATTR_DIR 0x10u
#define FAT_ATTR_ARCHIVE 0x20u
#define FAT_ATTR_LFN 0x0Fu
#define FAT_ATTR_MASK 0x3Fu

#define FAT_NT_LOWER_BASE 0x08u /* DIR_NTRes: the 8.3 base is shown in lower case */
#define FAT_NT_LOWER_EXT 0x10u

#define FAT_DEL 0xE5u

/* ---- geometry (fat_bpb.c) ---- */
struct fat_geom {
	int type; /* 12, 16 or 32 */
	uint32_t bytes_per_sector;
	uint32_t sectors_per_cluster;
	uint32_t cluster_size; /* bytes */
	uint32_t reserved_sectors;
	uint32_t num_fats;
	uint32_t fat_sectors; /* per FAT */
	uint32_t root_entries; /* FAT12/16 */
	uint32_t root_dir_sectors;
	uint32_t total_sectors;
	uint64_t fat_offset;  /* byte offset of FAT #0 */
	uint64_t fat_bytes;   /* bytes of one FAT */
	uint64_t root_offset; /* FAT12/16: byte offset of the fixed root directory */
	uint64_t data_offset; /* byte offset of cluster 2 */
	uint32_t cluster_count; /* valid cluster numbers: 2 .. cluster_count + 1 */
	uint32_t root_cluster;  /* FAT32 */
	uint32_t fsinfo_sector; /* FAT32; 0: none */
	bool mirroring;         /* all FATs in use (FAT32 may disable it) */
	uint32_t active_fat;
	uint8_t media;
	bool has_ext_bpb;       /* extended boot signature 0x29: volume id and label below are valid */
	uint32_t volume_id;
	uint8_t bpb_label[11];  /* raw, space padded */
};

/* Parses and validates the BPB in the first 512 bytes of the boot sector against a device of dev_size bytes. */
int fat_bpb_parse(const uint8_t *bs, uint64_t dev_size, struct fat_geom *g, struct cb_err *e);

/* ---- the mounted volume ---- */
struct fat_cache_slot {
	uint8_t *data;
	uint32_t chunk; /* index of the FAT_CACHE_CHUNK-sized piece of the FAT */
	uint32_t len;
	uint64_t stamp; /* LRU */
	bool valid, dirty;
};

struct fat_vol {
	struct cb_fs fs; /* fs.priv points back here */
	struct cb_blockdev *dev;
	const char *devname;
	struct fat_geom g;
	bool writable;
	bool broken;          /* a write failed half-way: no further writes */
	uint32_t free_count;  /* exact count of free clusters, UINT32_MAX: unknown */
	uint32_t next_free;   /* allocation hint */
	bool fsinfo_ok;       /* FSInfo sector present with valid signatures */
	bool fsinfo_dirty;
	struct fat_cache_slot cache[FAT_CACHE_SLOTS];
	uint8_t *cache_mem;
	uint64_t stamp;
	uint16_t wdate, wtime; /* timestamp for entries we write */
	bool has_label;
	uint8_t label[11];     /* raw, space padded: root directory label entry, else the BPB's */
};

/* Device access with messages naming the device. */
int fat_dev_read(struct fat_vol *v, uint64_t off, void *buf, size_t len, struct cb_err *e);
int fat_dev_write(struct fat_vol *v, uint64_t off, const void *buf, size_t len, struct cb_err *e);
/* CB_EINVAL unless the volume is writable (and not broken). */
int fat_check_writable(struct fat_vol *v, struct cb_err *e);

/* ---- FAT entries (fat_table.c) ---- */
enum fat_kind { FAT_FREE, FAT_NEXT, FAT_EOC, FAT_BAD, FAT_RESERVED };
static inline bool fat_cluster_ok(const struct fat_vol *v, uint32_t c)
{
	return c >= 2 && c - 2 < v->g.cluster_count;
}
enum fat_kind fat_classify(const struct fat_vol *v, uint32_t val);
int fat_get(struct fat_vol *v, uint32_t cluster, uint32_t *val, struct cb_err *e);
int fat_set(struct fat_vol *v, uint32_t cluster, uint32_t val, struct cb_err *e);
uint32_t fat_eoc_value(const struct fat_vol *v);
/* Writes dirty FAT pieces to every FAT copy, then FSInfo. */
int fat_flush(struct fat_vol *v, struct cb_err *e);
int fat_cache_init(struct fat_vol *v, struct cb_err *e);
void fat_cache_free(struct fat_vol *v);
/* Counts free clusters (scans the FAT); sets v->free_count. */
int fat_count_free(struct fat_vol *v, struct cb_err *e);
/* Reads FSInfo hints at mount. */
int fat_fsinfo_load(struct fat_vol *v, struct cb_err *e);

/* ---- cluster chains (fat_chain.c) ---- */
struct fat_chain {
	uint32_t cur;   /* current cluster */
	uint32_t index; /* position of cur in the chain, 0 = first */
	uint32_t saved, power, lam; /* Brent's cycle detection */
	const char *what;
};
/* Starts a walk at first (must be a valid cluster number). */
int fat_chain_start(struct fat_vol *v, struct fat_chain *ch, uint32_t first, const char *what, struct cb_err *e);
/* Moves to the next cluster: 1 moved, 0 end of chain, <0 error (invalid/free/bad entry, loop, too long). */
int fat_chain_next(struct fat_vol *v, struct fat_chain *ch, struct cb_err *e);

struct fat_run {
	uint32_t cluster;    /* first cluster of the run */
	uint32_t count;      /* contiguous clusters */
	uint32_t file_index; /* index of the run's first cluster in the chain */
};
/* Collects the first `need` clusters of a chain as contiguous runs (need >= 1). */
int fat_chain_runs(struct fat_vol *v, uint32_t first, uint32_t need, const char *what, struct fat_run **runs,
                   uint32_t *nruns, struct cb_err *e);
/* Allocates one free cluster (marked end-of-chain) and links it after prev (0: none). */
int fat_alloc_cluster(struct fat_vol *v, uint32_t prev, uint32_t *out, struct cb_err *e);
/* Frees a whole chain (bounded; stops with an error at the first invalid link). */
int fat_free_chain(struct fat_vol *v, uint32_t first, const char *what, struct cb_err *e);
/* true if the chain from first reaches an end-of-chain mark without free, bad or invalid links or a loop:
 * only such a chain is freed when a file is replaced or removed (anything else is left for fsck). */
bool fat_chain_whole(struct fat_vol *v, uint32_t first, const char *what);
/* Byte offset of a cluster on the device. */
static inline uint64_t fat_cluster_offset(const struct fat_vol *v, uint32_t c)
{
	return v->g.data_offset + (uint64_t)(c - 2) * v->g.cluster_size;
}

/* ---- names (fat_name.c) ---- */
/* Decodes strict UTF-8 (no overlongs, surrogates or > U+10FFFF) into UTF-16; CB_EINVAL / CB_ELIMIT. */
int fat_utf8_to_utf16(const char *s, size_t len, uint16_t *out, size_t max, size_t *n, struct cb_err *e);
/* Encodes UTF-16 into NUL-terminated UTF-8; false on an unpaired surrogate or if it does not fit. */
bool fat_utf16_to_utf8(const uint16_t *u, size_t n, char *out, size_t size);
/* The displayed form of an 8.3 name in UTF-16 (at most 12 units); returns the length. */
size_t fat_short_to_utf16(const uint8_t name[11], uint8_t ntres, uint16_t out[12]);
/* The displayed form of an 8.3 name ("README.TXT", NT lower-case flags applied, CP437 for bytes >= 0x80). */
void fat_short_to_utf8(const uint8_t name[11], uint8_t ntres, char *out, size_t size);
/* A volume label (11 raw bytes, CP437) as UTF-8, trailing spaces removed, truncated to size; returns the
 * untruncated length. */
size_t fat_label_to_utf8(const uint8_t raw[11], char *out, size_t size);
/* false if the 11 bytes cannot be a live entry's name (control bytes, '/', '\'). */
bool fat_short_name_sane(const uint8_t name[11]);
uint8_t fat_lfn_checksum(const uint8_t name[11]);
/* Case-insensitive (ASCII) comparison of two UTF-16 strings. */
bool fat_name_eq16(const uint16_t *a, size_t an, const uint16_t *b, size_t bn);
/* Checks a new name (UTF-16): not empty, no "." or "..", no characters FAT forbids, no trailing dot or space. */
int fat_name_check_new(const uint16_t *u, size_t n, const char *what, struct cb_err *e);
/* Builds the 8.3 name for a new long name. `exists` says whether an 11-byte short name is taken. Sets
 * *need_lfn when the long name is not exactly its short name. */
int fat_make_short_name(const uint16_t *u, size_t n, bool (*exists)(void *ctx, const uint8_t name[11]), void *ctx,
                        uint8_t out[11], bool *need_lfn, struct cb_err *e);

/* ---- time (fat_time.c) ---- */
void fat_time_from_unix(int64_t t, uint16_t *date, uint16_t *time);
int64_t fat_time_to_unix(uint16_t date, uint16_t time);

/* ---- directories (fat_dir.c) ---- */
struct fat_dir_ref {
	bool fixed_root;  /* FAT12/16 root region */
	uint32_t cluster; /* first cluster otherwise */
};
struct fat_dir_iter {
	struct fat_vol *v;
	struct fat_dir_ref dir;
	const char *what;
	struct fat_chain ch;
	uint8_t *buf;          /* one cluster (or the same amount of the fixed root) */
	uint32_t buf_len;
	uint64_t buf_off;      /* device offset of buf[0] */
	uint32_t buf_slot;     /* slot index of buf[0] */
	uint32_t slot;         /* next slot */
	bool loaded, storage_end;
	bool end_marker;       /* a 0x00 entry was seen: everything after is free */
};
struct fat_dirent {
	char name[FAT_NAME_MAX];       /* UTF-8 long name if valid, else the displayed 8.3 name */
	uint16_t lfn[FAT_LFN_MAX + 1];
	uint32_t lfn_len;              /* 0: no valid long name */
	uint8_t short_name[11];
	uint8_t attr, ntres;
	uint32_t first_cluster;
	uint32_t size;
	uint16_t wdate, wtime;
	uint32_t nslots;                         /* long-name slots + the 8.3 slot */
	uint64_t slot_off[FAT_LFN_SLOTS_MAX + 1]; /* device offsets, the 8.3 slot last */
	uint8_t raw[FAT_DIRENT_SIZE];            /* the 8.3 slot as read */
};
int fat_dir_iter_init(struct fat_dir_iter *it, struct fat_vol *v, struct fat_dir_ref dir, const char *what,
                      struct cb_err *e);
void fat_dir_iter_fini(struct fat_dir_iter *it);
/* Next raw slot, not stopping at end markers: 1 (ent/off/idx set), 0 end of the directory's storage, <0. */
int fat_dir_next_slot(struct fat_dir_iter *it, uint8_t **ent, uint64_t *off, uint32_t *idx, struct cb_err *e);
/* Next live entry ("." "..", deleted, label and unreadable entries skipped): 1, 0 at the end, <0. */
int fat_dir_next(struct fat_dir_iter *it, struct fat_dirent *d, struct cb_err *e);
/* Finds name (UTF-16) by long or 8.3 name, case-insensitively: 0 found, CB_ENOENT, <0. */
int fat_dir_find(struct fat_vol *v, struct fat_dir_ref dir, const uint16_t *name, size_t n, const char *what,
                 struct fat_dirent *out, struct cb_err *e);
struct fat_dir_ref fat_root_ref(const struct fat_vol *v);
/* A directory entry's directory reference (first cluster validated). */
int fat_dirent_dir_ref(struct fat_vol *v, const struct fat_dirent *d, const char *what, struct fat_dir_ref *out,
                       struct cb_err *e);
void fat_dirent_stat(const struct fat_vol *v, const struct fat_dirent *d, struct cb_fs_stat *st);
void fat_root_stat(const struct fat_vol *v, struct cb_fs_stat *st);

/* ---- paths (fat_path.c) ---- */
/* A path shortened for messages ("..." + its tail, cut at a character boundary) so the reason after it
 * still fits in struct cb_err. */
#define FAT_WHAT_MAX 100u
struct fat_what {
	char s[FAT_WHAT_MAX];
};
const char *fat_what(const char *path, struct fat_what *w);
struct fat_node {
	bool is_root;
	struct fat_dir_ref parent;
	struct fat_dirent ent; /* unless is_root */
};
/* Resolves a whole path. */
int fat_resolve(struct fat_vol *v, const char *path, struct fat_node *out, struct cb_err *e);
/* Resolves all but the last component (which must exist as a name, not "." or ".."): the parent directory
 * and the leaf in UTF-16. */
int fat_resolve_parent(struct fat_vol *v, const char *path, struct fat_dir_ref *parent, uint16_t *leaf,
                       size_t *leaf_len, struct cb_err *e);

/* ---- directory changes (fat_dirwrite.c) ---- */
/* Adds a new entry named leaf to dir: the 8.3 slot template `sfn` gets its name filled in (and long-name
 * slots in front when needed). The 8.3 slot is written last. */
int fat_dir_add(struct fat_vol *v, struct fat_dir_ref dir, const uint16_t *leaf, size_t n, uint8_t sfn[32],
                const char *what, struct cb_err *e);
/* Rewrites the 8.3 slot of an entry (single sector write). */
int fat_dir_update(struct fat_vol *v, const struct fat_dirent *d, const uint8_t sfn[32], struct cb_err *e);
/* Marks an entry's slots deleted, the 8.3 slot first. */
int fat_dir_remove(struct fat_vol *v, const struct fat_dirent *d, struct cb_err *e);
/* Fills a fresh 8.3 slot (name left blank). */
void fat_sfn_init(struct fat_vol *v, uint8_t sfn[32], uint8_t attr, uint32_t cluster, uint32_t size);
void fat_sfn_set_cluster(uint8_t sfn[32], uint32_t cluster);

/* ---- read side (fat_read.c) ---- */
extern const struct cb_fs_ops fat_ops;
void fat_ops_unmount(struct cb_fs *fs); /* fat_mount.c */
/* The volume behind fs, or NULL if fs is not a FAT mount. */
static inline struct fat_vol *fat_vol_get(struct cb_fs *fs)
{
	return (fs && fs->ops == &fat_ops) ? (struct fat_vol *)fs->priv : NULL;
}

#endif
