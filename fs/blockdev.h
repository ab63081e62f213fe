/* blockdev.h: the one block-device interface fs/ reads through. Back ends: EFI Block IO/Disk IO (loader),
 * Linux block devices and plain files (linux-init, host), memory buffers (tests). fs/ never sees which. */
#ifndef CB_BLOCKDEV_H
#define CB_BLOCKDEV_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

struct cb_blockdev {
	/* Reads len bytes at byte offset off (any alignment; the back end handles sectors). 0 or CB_E*.
	 * A read that extends past `size` fails with CB_EIO and a message; it never returns short. */
	int (*read)(struct cb_blockdev *dev, uint64_t off, void *buf, size_t len, struct cb_err *e);
	/* NULL for read-only devices: only the Path C cache ESP is ever opened for writing. */
	int (*write)(struct cb_blockdev *dev, uint64_t off, const void *buf, size_t len, struct cb_err *e);
	/* Releases the back end (and priv); may be NULL. */
	void (*close)(struct cb_blockdev *dev);
	uint64_t size;        /* bytes */
	uint32_t sector_size; /* 512 or 4096 */
	const char *name;     /* for messages: "disk0", "vda.img", "part 2 of disk0" */
	void *priv;
};

#endif
