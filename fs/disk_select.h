/* disk_select.h: turns a cloudboot.disk= value into one block device out of a list of disks: Linux-style
 * names (/dev/vda2, /dev/nvme0n1p2), /dev/disk/by-{label,uuid,partlabel,partuuid}/…, KEY=value, a number. */
#ifndef FS_DISK_SELECT_H
#define FS_DISK_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blockdev.h"
#include "cb_err.h"

enum disk_spec_kind {
	DISK_SPEC_DEVICE,    /* disk index + partition number (0 = whole disk) */
	DISK_SPEC_PARTNUM,   /* a bare partition number: the first disk that has it */
	DISK_SPEC_LABEL,     /* filesystem label */
	DISK_SPEC_UUID,      /* filesystem UUID */
	DISK_SPEC_PARTLABEL, /* GPT partition name */
	DISK_SPEC_PARTUUID,  /* GPT unique partition GUID, or MBR "SSSSSSSS-NN" */
};

struct disk_spec {
	enum disk_spec_kind kind;
	uint32_t disk; /* DEVICE: 0 for vda/sda/xvda/hda/nvme0n1/mmcblk0, 1 for vdb/sdb/nvme1n1/… */
	uint32_t part; /* DEVICE, PARTNUM */
	char value[128]; /* LABEL/UUID/PARTLABEL/PARTUUID, udev escapes (\x2f) decoded */
};

int disk_spec_parse(const char *s, struct disk_spec *out, struct cb_err *e);

struct disk_choice {
	size_t disk;              /* index into the disks array */
	uint32_t part;            /* 0 = the whole disk */
	struct cb_blockdev *dev;  /* the partition view (or the disk itself for part 0) */
	bool owned;               /* dev is a view to close with disk_choice_release */
	char desc[200];           /* "disk 0 (disk0) partition 2 'rootfs'" */
	char warning[CB_ERR_MSG_MAX]; /* the chosen disk's partition-table warning (backup GPT used…), or "" */
};

/* Disks are searched in array order (put the boot disk first). A label/UUID that matches on several
 * devices picks the first and says so in desc. */
int disk_select(const struct disk_spec *spec, struct cb_blockdev *const *disks, size_t ndisks,
		struct disk_choice *out, struct cb_err *e);
void disk_choice_release(struct disk_choice *c);

#endif
