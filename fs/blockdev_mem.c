/* blockdev_mem.c: the memory back end of cb_blockdev (tests, fuzzers). Bounds are checked with
 * cb_in_bounds exactly like a real device; it never returns short. */
#include "blockdev_mem.h"

#include <string.h>

#include "cb_checked.h"

static int mem_read(struct cb_blockdev *dev, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	struct blockdev_mem *m = dev->priv;
	if (!cb_in_bounds(off, len, dev->size))
		return cb_errf(e, CB_EIO, "%s: read of %zu bytes at offset %llu is past the end (%llu bytes)",
			       dev->name, len, (unsigned long long)off, (unsigned long long)dev->size);
	m->stats.reads++;
	m->stats.bytes_read += len;
	if (len)
		memcpy(buf, m->buf + off, len);
	return 0;
}

static int mem_write(struct cb_blockdev *dev, uint64_t off, const void *buf, size_t len, struct cb_err *e)
{
	struct blockdev_mem *m = dev->priv;
	if (!cb_in_bounds(off, len, dev->size))
		return cb_errf(e, CB_EIO, "%s: write of %zu bytes at offset %llu is past the end (%llu bytes)",
			       dev->name, len, (unsigned long long)off, (unsigned long long)dev->size);
	m->stats.writes++;
	if (len)
		memcpy(m->buf + off, buf, len);
	return 0;
}

void blockdev_mem_init(struct blockdev_mem *m, void *buf, size_t size, uint32_t sector_size, bool writable,
		       const char *name)
{
	memset(m, 0, sizeof(*m));
	m->buf = buf;
	m->dev.read = mem_read;
	m->dev.write = writable ? mem_write : NULL;
	m->dev.close = NULL;
	m->dev.size = size;
	m->dev.sector_size = sector_size ? sector_size : 512;
	m->dev.name = name ? name : "mem";
	m->dev.priv = m;
}
