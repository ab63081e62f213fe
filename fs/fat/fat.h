/* fat.h: FAT12/16/32 driver: the read side through struct cb_fs_ops (vfs.h) plus FAT-only writing (mkdir,
 * streamed file writes, unlink) and mkfs. Not a general VFS: no rename, no attributes, no partial rewrites. */
#ifndef CB_FAT_H
#define CB_FAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blockdev.h"
#include "cb_err.h"
#include "vfs.h"

/*
 * Paths are UTF-8, separated by '/' (a '\' is accepted too), relative to the volume root; "." and ".." are
 * resolved lexically. Lookup is case-insensitive for ASCII letters and matches either the long or the 8.3
 * name. Errors: CB_EINVAL (corrupt volume, bad name, wrong file type, or a write on a read-only mount),
 * CB_ENOENT, CB_ELIMIT (volume or root directory full, a size or depth limit), CB_EIO (device), CB_ENOMEM,
 * CB_EUNSUP (valid FAT we do not handle, e.g. writing with FAT mirroring disabled).
 */

/* Mounts the FAT volume on dev (which starts at the boot sector). writable needs dev->write; a read-only
 * mount never writes anything. Unmount with (*out)->ops->unmount(*out), which flushes a writable volume;
 * the device stays the caller's. */
int fat_mount(struct cb_blockdev *dev, bool writable, struct cb_fs **out, struct cb_err *e);

/* Flushes cached FAT sectors and FSInfo to the device (every write operation below already ends with a
 * flush; this is for callers that want a barrier of their own). */
int fat_sync(struct cb_fs *fs, struct cb_err *e);

/* The timestamp written into entries created or modified from now on (seconds since the Unix epoch, UTC;
 * clamped to FAT's 1980..2107). Default: 1980-01-01 00:00:00, so images are reproducible. */
void fat_set_time(struct cb_fs *fs, int64_t unix_seconds);

/* Creates a directory; its parent must exist. An existing directory is success, an existing file is not. */
int fat_mkdir(struct cb_fs *fs, const char *path, struct cb_err *e);
/* Creates a directory and any missing parents. */
int fat_mkdir_p(struct cb_fs *fs, const char *path, struct cb_err *e);

/* Streaming write of one regular file (create or replace), for files too big to hold in memory.
 * Crash-safe order: the data clusters and their FAT chain are written first, then the directory entry is
 * created or switched to the new chain in one sector write, then the old chain is freed. Until finish, the
 * old file (if any) is untouched. The handle is freed by finish (success or not) and by abort. At most
 * 4 GiB - 1 bytes per file. Other operations on the same volume may run between the calls. */
struct fat_wfile;
int fat_file_create(struct cb_fs *fs, const char *path, struct fat_wfile **out, struct cb_err *e);
int fat_file_write(struct fat_wfile *h, const void *data, size_t len, struct cb_err *e);
int fat_file_finish(struct fat_wfile *h, struct cb_err *e);
/* Drops the data written so far (its clusters are freed); the old file, if any, stays. */
void fat_file_abort(struct fat_wfile *h);

/* fat_file_create + one fat_file_write + fat_file_finish. */
int fat_write_file(struct cb_fs *fs, const char *path, const void *data, uint64_t len, struct cb_err *e);

/* Removes a file or an empty directory. */
int fat_unlink(struct cb_fs *fs, const char *path, struct cb_err *e);

/* Size of the data area and the free part of it, in bytes. May scan the whole FAT once. */
int fat_statfs(struct cb_fs *fs, uint64_t *total_bytes, uint64_t *free_bytes, struct cb_err *e);

/* The volume label (the root directory's label entry, else the boot sector's; CP437 shown as UTF-8), trailing
 * spaces removed, NUL-terminated, truncated to size at a character boundary; "" when there is none. Returns
 * the untruncated length in bytes, or CB_EINVAL if fs is not a FAT mount. */
int fat_label(struct cb_fs *fs, char *buf, size_t size);

/* FAT type of a mounted volume: 12, 16 or 32. */
int fat_type(struct cb_fs *fs);

struct fat_format_opts {
	int fat_bits;                 /* 0: like mkfs.fat (FAT32 from 512 MiB, else FAT12/16 by size); or 12/16/32 */
	const char *label;            /* up to 11 ASCII characters; NULL or "" for none ("NO NAME") */
	uint32_t volume_id;           /* the serial blkid shows as UUID "XXXX-XXXX"; fs/ has no clock or RNG */
	uint32_t sectors_per_cluster; /* 0: mkfs.fat's rule; else a power of two up to 128 */
	uint32_t sector_size;         /* 0: dev->sector_size (512 if unset); else 512..4096, power of two */
	uint32_t num_fats;            /* 0: 2; else 1..4 */
	uint32_t root_entries;        /* FAT12/16 root directory entries, 0: 512 (rounded up like mkfs.fat) */
	uint32_t hidden_sectors;      /* partition start in sectors, recorded in the BPB only */
	uint64_t size;                /* bytes of dev to use, 0: all of it */
	int64_t unix_time;            /* timestamp of the label entry (0: 1980-01-01) */
};

/* Writes a new, empty FAT file system onto dev (boot sector, FSInfo and backup boot sector on FAT32, all FAT
 * copies, an empty root directory, the label entry). Geometry follows mkfs.fat 4.2 for the same number of
 * sectors (mkfs.fat also rounds image files down to a fake track size; we use every sector): reserved
 * sectors 1 (FAT32: 32), 2 FATs, 512 root entries, structures aligned to the cluster size above 8192
 * sectors, FAT32 from 512 MiB, FAT32 cluster size by sector count (<=532480: 1 sector, <=16M: 8, <=32M: 16,
 * <=64M: 32, else 64), FAT12/16 from 4 sectors per cluster doubling until the count fits (FAT12 at most 4084
 * clusters, FAT16 at least 4087, so no driver misreads the type). Floppy-size special cases are not made.
 * Where mkfs.fat would write an out-of-spec volume (a forced FAT16 below 4085 clusters, a FAT32 below
 * 65525, e.g. with 4096-byte sectors) smaller clusters are tried, and if none fits we refuse (CB_ELIMIT). */
int fat_format(struct cb_blockdev *dev, const struct fat_format_opts *o, struct cb_err *e);

#endif
