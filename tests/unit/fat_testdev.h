/* fat_testdev.h: the FAT tests' image device: runtime/posix's blockdev_file wrapped to count writes (so a
 * test can prove a read-only mount wrote nothing) and to carry a short name for messages. */
#ifndef FAT_TESTDEV_H
#define FAT_TESTDEV_H

#include <stdbool.h>

#include "blockdev.h"

struct fat_testdev {
	struct cb_blockdev dev;  /* what the FAT driver sees */
	struct cb_blockdev *file; /* blockdev_file underneath */
	unsigned long writes;     /* write calls seen */
};

/* 0 or -1 (message on stderr). writable = false gives dev.write == NULL. */
int fat_testdev_open(struct fat_testdev *t, const char *path, bool writable);
void fat_testdev_close(struct fat_testdev *t);

#endif
