/* image.h: opening "IMAGE[:PART]" for cloud-boot subcommands: a disk image or block device, an optional
 * partition (number, label=, partlabel=, uuid=, partuuid=) and the filesystem on it, mounted read-only. */
#ifndef CLOUD_BOOT_IMAGE_H
#define CLOUD_BOOT_IMAGE_H

#include "blockdev.h"
#include "cb_err.h"
#include "vfs.h"

struct cb_image {
	struct cb_blockdev *disk; /* the file or device */
	struct cb_blockdev *part; /* the partition view, or NULL for the whole disk */
	struct cb_blockdev *dev;  /* part or disk: where the filesystem is */
	struct cb_fs *fs;         /* NULL until image_mount */
	char where[600];          /* "disk.img partition 2" — the start of every error message */
};

/* Splits spec into image and partition (see `cloud-boot fs --help`), opens the image and selects the
 * partition. Without a partition, a partitioned disk resolves to its only partition holding a known
 * filesystem. On failure e->msg already names the image. */
int image_open(const char *spec, struct cb_image *img, struct cb_err *e);
/* Mounts the filesystem on img->dev; mount warnings go to stderr prefixed with img->where. */
int image_mount(struct cb_image *img, struct cb_err *e);
void image_close(struct cb_image *img);

#endif
