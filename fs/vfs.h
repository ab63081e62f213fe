/* vfs.h: the read side every filesystem driver in fs/ offers (ext4, FAT, later XFS/btrfs/ZFS), so kernel
 * discovery, the loader and `cloud-boot fs` work on any of them. Write operations stay driver-specific. */
#ifndef CB_VFS_H
#define CB_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blockdev.h"
#include "cb_err.h"

/* POSIX file-type bits, kept in cb_fs_stat.mode together with the permission bits. */
#define CB_S_IFMT 0170000
#define CB_S_IFDIR 0040000
#define CB_S_IFREG 0100000
#define CB_S_IFLNK 0120000

struct cb_fs_stat {
	uint64_t ino;
	uint64_t size;
	uint32_t mode;
	uint32_t nlink;
	int64_t mtime; /* seconds since the Unix epoch */
};

struct cb_fs;
struct cb_file {
	struct cb_fs *fs;
	struct cb_fs_stat st;
	void *priv;
};

/* Called once per directory entry ("." and ".." excluded); a non-zero return stops the walk and is
 * returned by readdir. */
typedef int (*cb_dirent_fn)(void *ctx, const char *name, const struct cb_fs_stat *st);

struct cb_fs_ops {
	/* Opens a regular file, following symlinks (bounded). */
	int (*open)(struct cb_fs *fs, const char *path, struct cb_file **out, struct cb_err *e);
	/* Reads up to len bytes at off; returns bytes read (0 at end of file) or CB_E*. */
	long (*pread)(struct cb_file *f, uint64_t off, void *buf, size_t len, struct cb_err *e);
	void (*file_close)(struct cb_file *f);
	/* Does not follow a final symlink. */
	int (*lstat)(struct cb_fs *fs, const char *path, struct cb_fs_stat *st, struct cb_err *e);
	/* The target of a symlink, NUL-terminated; CB_ELIMIT if it does not fit. */
	int (*readlink)(struct cb_fs *fs, const char *path, char *buf, size_t size, struct cb_err *e);
	int (*readdir)(struct cb_fs *fs, const char *path, cb_dirent_fn fn, void *ctx, struct cb_err *e);
	void (*unmount)(struct cb_fs *fs);
};

struct cb_fs {
	const struct cb_fs_ops *ops;
	const char *type; /* "ext4", "vfat" */
	struct cb_blockdev *dev;
	void *priv;
};

#endif
