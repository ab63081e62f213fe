/* fs_blockcache_test.c: the block cache returns exactly the device's bytes for random reads (spanning
 * extents, at the device end), serves repeats from memory, bypasses large reads, patches cached copies on
 * write-through, and refuses out-of-range reads. */
#include <stdint.h>
#include <stdlib.h>

#include "blockcache.h"
#include "blockdev_mem.h"
#include "fs_test.h"

int main(void)
{
	const size_t size = 3 * 1024 * 1024 + 12345; /* not a multiple of the extent size */
	uint8_t *img = malloc(size), *buf = malloc(1 << 20);
	srand(11);
	for (size_t i = 0; i < size; i++)
		img[i] = (uint8_t)rand();
	struct blockdev_mem m;
	blockdev_mem_init(&m, img, size, 512, true, "mem");
	struct cb_blockdev *c;
	struct cb_err e = { 0, "" };
	struct blockcache_opts o = { 64 * 1024, 8 };
	CHECK_INT(blockcache_new(&m.dev, &o, false, &c, &e), 0, e.msg);
	CHECK_INT(c->size, size, "size");

	for (int t = 0; t < 20000; t++) {
		size_t len = (size_t)rand() % (t % 10 == 0 ? (1 << 20) : 9000);
		uint64_t off = (uint64_t)rand() % (size - len + 1);
		int rc = c->read(c, off, buf, len, &e);
		CHECK(rc == 0 && memcmp(buf, img + off, len) == 0, "read %zu at %llu: rc %d", len,
		      (unsigned long long)off, rc);
	}
	/* The last, short extent. */
	CHECK_INT(c->read(c, size - 10, buf, 10, &e), 0, "tail read");
	CHECK(memcmp(buf, img + size - 10, 10) == 0, "tail bytes");
	/* Past the end: an error with a message, never a short read. */
	e.msg[0] = 0;
	CHECK_INT(c->read(c, size - 10, buf, 11, &e), CB_EIO, "read past end");
	CHECK_HAS(e.msg, "past the end", "read past end message");
	CHECK_INT(c->read(c, UINT64_MAX - 5, buf, 10, &e), CB_EIO, "offset overflow");

	/* A repeated small read costs no device read; a large one goes straight through. */
	CHECK_INT(c->read(c, 4096, buf, 100, &e), 0, "warm");
	uint64_t before = m.stats.reads;
	struct blockcache_stats s0 = blockcache_get_stats(c);
	CHECK_INT(c->read(c, 4100, buf, 200, &e), 0, "hit");
	CHECK_INT(m.stats.reads, before, "hit makes no device read");
	CHECK_INT(c->read(c, 0, buf, 256 * 1024, &e), 0, "bypass");
	CHECK_INT(m.stats.reads, before + 1, "bypass is one device read");
	struct blockcache_stats s1 = blockcache_get_stats(c);
	CHECK_INT(s1.bypass, s0.bypass + 1, "bypass counted");
	CHECK_INT(s1.hits, s0.hits + 1, "hit counted");
	/* A read spanning two extents. */
	CHECK_INT(c->read(c, 64 * 1024 - 50, buf, 100, &e), 0, "span");
	CHECK(memcmp(buf, img + 64 * 1024 - 50, 100) == 0, "span bytes");

	/* Write-through patches the cached extent. */
	uint8_t patch[300];
	memset(patch, 0xAB, sizeof(patch));
	CHECK_INT(c->read(c, 8000, buf, 10, &e), 0, "cache it");
	CHECK_INT(c->write(c, 7990, patch, sizeof(patch), &e), 0, "write");
	CHECK_INT(c->read(c, 7990, buf, sizeof(patch), &e), 0, "reread");
	CHECK(memcmp(buf, patch, sizeof(patch)) == 0, "cached copy patched");
	CHECK(memcmp(img + 7990, patch, sizeof(patch)) == 0, "device written");
	blockcache_invalidate(c);
	CHECK_INT(c->read(c, 7990, buf, sizeof(patch), &e), 0, "after invalidate");
	CHECK(memcmp(buf, patch, sizeof(patch)) == 0, "after invalidate bytes");

	/* Option validation. */
	struct cb_blockdev *bad;
	struct blockcache_opts o2 = { 3000, 8 };
	CHECK_INT(blockcache_new(&m.dev, &o2, false, &bad, &e), CB_EINVAL, "odd extent size");
	struct blockcache_opts o3 = { 4096, 1 };
	CHECK_INT(blockcache_new(&m.dev, &o3, false, &bad, &e), CB_EINVAL, "one entry");

	c->close(c);
	free(img);
	free(buf);
	return fs_test_done("fs_blockcache");
}
