/* blockdev_mem.h: a cb_blockdev over a caller-owned memory buffer (unit tests, fuzzers, in-memory images).
 * It never allocates or frees the buffer; it is not a cache (see blockcache.h). */
#ifndef FS_BLOCKDEV_MEM_H
#define FS_BLOCKDEV_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blockdev.h"

/* Fills *dev so that it reads (and, if writable, writes) buf[0..size). name is kept by pointer.
 * Counters for tests: every read/write call through dev bumps the counters in m->stats. */
struct blockdev_mem_stats {
	uint64_t reads, writes, bytes_read;
};
struct blockdev_mem {
	struct cb_blockdev dev;
	uint8_t *buf;
	struct blockdev_mem_stats stats;
};

void blockdev_mem_init(struct blockdev_mem *m, void *buf, size_t size, uint32_t sector_size, bool writable,
		       const char *name);

#endif
