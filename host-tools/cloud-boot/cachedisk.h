/* cachedisk.h: finding and opening the Path C cache disk in an image file: the GPT partition named
 * cloud-boot-cache (an ESP holding FAT32), mounted through fs/fat. Creating one is cmd_cache_disk.c's job. */
#ifndef CLOUD_BOOT_CACHEDISK_H
#define CLOUD_BOOT_CACHEDISK_H

#include <stdbool.h>

#include "blockdev.h"
#include "cb_err.h"
#include "part.h"
#include "vfs.h"

#define CACHEDISK_PARTNAME "cloud-boot-cache" /* GPT partition name (/dev/disk/by-partlabel/…) */
#define CACHEDISK_FATLABEL "CB-CACHE"         /* FAT volume label (11 characters at most) */
#define CACHEDISK_DIR "EFI/Linux"             /* where Path C stages <target>-vmlinuz.efi and <target>-initrd */
#define CACHEDISK_ESP_GUID "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"

struct cachedisk {
	struct cb_blockdev *disk;
	struct part_table table;
	const struct part_info *part; /* inside table */
	struct cb_blockdev *view;
	struct cb_fs *fs;
};

/* Opens path, finds its cloud-boot-cache partition and mounts its FAT32 (writable or read-only).
 * CB_ENOENT when the file holds no such partition; CB_EINVAL when the partition is not an ESP with FAT32.
 * e->msg does not name the file: callers prefix it. */
int cachedisk_open(const char *path, bool writable, struct cachedisk *c, struct cb_err *e);
void cachedisk_close(struct cachedisk *c);

#endif
