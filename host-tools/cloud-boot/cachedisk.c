/* cachedisk.c: opens an existing cache disk image: GPT scan (fs/part), the partition named cloud-boot-cache,
 * its type (ESP) and its FAT32 file system (fs/fat). Shared by `cloud-boot cache-disk` and `cloud-boot nvram`. */
#include "cachedisk.h"

#include <string.h>

#include "blockdev_file.h"
#include "fat/fat.h"

int cachedisk_open(const char *path, bool writable, struct cachedisk *c, struct cb_err *e)
{
	memset(c, 0, sizeof(*c));
	int rc = blockdev_file_open(path, writable, &c->disk, e);
	size_t n = strlen(path);
	if (rc && strncmp(e->msg, path, n) == 0 && e->msg[n] == ':' && e->msg[n + 1] == ' ')
		memmove(e->msg, e->msg + n + 2, strlen(e->msg + n + 2) + 1); /* callers name the file */
	if (rc)
		return rc;
	if ((rc = part_scan(c->disk, &c->table, e)))
		goto fail;
	c->part = c->table.scheme == PART_SCHEME_GPT ? part_by_label(&c->table, CACHEDISK_PARTNAME) : NULL;
	if (!c->part) {
		rc = cb_errf(e, CB_ENOENT, "no GPT partition named '%s'", CACHEDISK_PARTNAME);
		goto fail;
	}
	uint8_t esp[16];
	guid_parse(CACHEDISK_ESP_GUID, esp);
	if (memcmp(c->part->type_guid, esp, 16) != 0) {
		rc = cb_errf(e, CB_EINVAL, "partition %u '%s' is not an EFI system partition", c->part->number,
			     CACHEDISK_PARTNAME);
		goto fail;
	}
	if ((rc = part_open(c->disk, c->part, &c->view, e)))
		goto fail;
	if ((rc = fat_mount(c->view, writable, &c->fs, e))) {
		cb_err_prefix(e, "partition %u: ", c->part->number);
		goto fail;
	}
	if (fat_type(c->fs) != 32) {
		rc = cb_errf(e, CB_EINVAL, "partition %u '%s' holds FAT%d, not FAT32", c->part->number, CACHEDISK_PARTNAME,
			     fat_type(c->fs));
		goto fail;
	}
	return 0;
fail:
	cachedisk_close(c);
	return rc;
}

void cachedisk_close(struct cachedisk *c)
{
	if (c->fs)
		c->fs->ops->unmount(c->fs);
	if (c->view)
		c->view->close(c->view);
	if (c->table.parts)
		part_table_free(&c->table);
	if (c->disk)
		c->disk->close(c->disk);
	memset(c, 0, sizeof(*c));
}
