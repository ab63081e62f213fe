/* fat_testdev.c: the counting wrapper of fat_testdev.h around blockdev_file (runtime/posix). No logic of its
 * own beyond counting: bounds and errors are blockdev_file's. */
#include "fat_testdev.h"

#include <stdio.h>
#include <string.h>

#include "blockdev_file.h"

static int tread(struct cb_blockdev *dev, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	struct fat_testdev *t = dev->priv;
	return t->file->read(t->file, off, buf, len, e);
}

static int twrite(struct cb_blockdev *dev, uint64_t off, const void *buf, size_t len, struct cb_err *e)
{
	struct fat_testdev *t = dev->priv;
	t->writes++;
	return t->file->write(t->file, off, buf, len, e);
}

int fat_testdev_open(struct fat_testdev *t, const char *path, bool writable)
{
	memset(t, 0, sizeof(*t));
	struct cb_err e;
	if (blockdev_file_open(path, writable, &t->file, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	t->dev.read = tread;
	t->dev.write = writable ? twrite : NULL;
	t->dev.size = t->file->size;
	t->dev.sector_size = t->file->sector_size;
	t->dev.name = path;
	t->dev.priv = t;
	return 0;
}

void fat_testdev_close(struct fat_testdev *t)
{
	if (t->file && t->file->close)
		t->file->close(t->file);
	t->file = NULL;
}
