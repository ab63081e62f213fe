/* probe.h: which filesystem is on a block device (ext2/3/4 by superblock, vfat by boot sector), its label
 * and UUID (for by-label/by-uuid), and mounting it with the matching driver. No partition-table logic. */
#ifndef FS_PROBE_H
#define FS_PROBE_H

#include <stdbool.h>

#include "blockdev.h"
#include "cb_err.h"
#include "vfs.h"

struct fs_probe {
	const char *type; /* "ext4", "ext3", "ext2", "vfat" */
	char label[64];   /* ext: s_volume_name; vfat: boot-sector volume label, trailing blanks removed */
	char uuid[40];    /* ext: "xxxxxxxx-xxxx-…" lower case; vfat: "XXXX-XXXX" (as blkid prints them) */
};

/* 0 and *out filled, CB_ENOENT when no known filesystem is there, or an I/O error. */
int fs_probe(struct cb_blockdev *dev, struct fs_probe *out, struct cb_err *e);

struct fs_mount_opts {
	/* NULL or "auto": detect. "ext4"/"ext3"/"ext2" (all read by the ext4 driver), "vfat"/"fat". Known but
	 * unsupported types ("xfs", "btrfs", "zfs") fail with CB_EUNSUP. */
	const char *type;
	/* Non-fatal mount warnings (ext4 needs_recovery…). May be NULL. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

/* Mounts read-only. The device must outlive the cb_fs; unmount with fs->ops->unmount(fs). */
int fs_mount(struct cb_blockdev *dev, const struct fs_mount_opts *opts, struct cb_fs **out, struct cb_err *e);

#endif
