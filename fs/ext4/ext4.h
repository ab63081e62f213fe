/* ext4.h: read-only ext2/ext3/ext4 driver behind struct cb_fs_ops (fs/vfs.h). Never writes, never replays
 * the journal: a filesystem that needs recovery is read as it is on disk, with a warning. */
#ifndef FS_EXT4_H
#define FS_EXT4_H

#include <stdbool.h>

#include "blockdev.h"
#include "cb_err.h"
#include "vfs.h"

struct ext4_mount_opts {
	/* Non-fatal conditions found at mount (needs_recovery, unclean or erroneous state), one line each,
	 * already prefixed with "ext4: ". May be NULL. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	/* Read straight from dev instead of through a private block cache (when dev already caches). */
	bool no_cache;
};

/* Mounts the filesystem on dev (which must outlive the cb_fs; unmount does not close it). */
int ext4_mount(struct cb_blockdev *dev, struct cb_fs **out, struct cb_err *e);
int ext4_mount_with(struct cb_blockdev *dev, const struct ext4_mount_opts *opts, struct cb_fs **out,
		    struct cb_err *e);

/* True when the superblock has needs_recovery set: the journal holds updates we did not apply. */
bool ext4_needs_recovery(const struct cb_fs *fs);

#endif
