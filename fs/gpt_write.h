/* gpt_write.h: writing a fresh GUID Partition Table (protective MBR, primary and backup headers and entry
 * arrays) onto a cb_blockdev. Not an editor: it never reads or repairs an existing table (that is part.h). */
#ifndef FS_GPT_WRITE_H
#define FS_GPT_WRITE_H

#include <stdint.h>

#include "blockdev.h"
#include "cb_err.h"

#define GPT_WRITE_NAME_MAX 36 /* UTF-16 units in a partition name */

/* One partition, placed in entry `index` (0-based: partition number index + 1). Partitions with an all-zero
 * type GUID are refused. GUIDs are 16 bytes in on-disk order (as part.h's guid_parse gives them). */
struct gpt_write_part {
	uint32_t index;
	uint8_t type_guid[16];
	uint8_t part_guid[16];
	uint64_t first_lba, last_lba; /* inclusive */
	uint64_t attributes;
	const char *name;             /* ASCII, at most GPT_WRITE_NAME_MAX characters; NULL for none */
};

struct gpt_write_layout {
	uint32_t sector_size;  /* 512 or 4096; the disk's size must be a multiple of it */
	uint32_t entry_count;  /* entries in each array, 0: 128; a multiple of sector_size / 128 */
	uint8_t disk_guid[16];
	const struct gpt_write_part *parts;
	uint32_t nparts;
};

/* The usable LBA range of a layout on a disk of disk_sectors sectors: after the primary header and array,
 * before the backup array and header. CB_EINVAL if the disk is too small or the layout is bad. */
int gpt_write_usable(const struct gpt_write_layout *l, uint64_t disk_sectors, uint64_t *first, uint64_t *last,
		     struct cb_err *e);

/* Writes the protective MBR (one 0xEE entry from LBA 1 to the end of the disk, capped at 2^32 - 1 sectors),
 * the primary header at LBA 1 with its array right after it, and the backup array and header at the end of
 * the disk. Every partition must lie in the usable range, inside its entry count, and not overlap another.
 * Bytes of LBA 0 before the partition table (boot code, 0..445) are left as they are. */
int gpt_write(struct cb_blockdev *disk, const struct gpt_write_layout *l, struct cb_err *e);

#endif
