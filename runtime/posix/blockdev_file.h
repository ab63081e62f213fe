/* blockdev_file.h: the POSIX back end of cb_blockdev: a regular file (disk image) or a Linux block device,
 * read with pread. For host tools, tests and linux-init; never compiled into the loader. */
#ifndef CB_BLOCKDEV_FILE_H
#define CB_BLOCKDEV_FILE_H

#include <stdbool.h>

#include "blockdev.h"
#include "cb_err.h"

/* Opens path read-only (or read-write if writable). Size: fstat for files, BLKGETSIZE64 for block
 * devices; sector size: BLKSSZGET for block devices, 512 for files. dev->close closes and frees. */
int blockdev_file_open(const char *path, bool writable, struct cb_blockdev **out, struct cb_err *e);

#endif
