/* blockcache.h: a small read cache in front of any cb_blockdev (aligned extents, LRU, write-through).
 * It is itself a cb_blockdev, so filesystems read through it unaware; it never reorders or defers writes. */
#ifndef FS_BLOCKCACHE_H
#define FS_BLOCKCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blockdev.h"

struct blockcache_opts {
	size_t extent_size; /* power of two, 4 KiB … 1 MiB; 0 = 64 KiB */
	unsigned entries;   /* 2 … 1024; 0 = 32 */
};

struct blockcache_stats {
	uint64_t hits, misses, bypass; /* extent lookups served from memory / loaded / reads passed straight on */
};

/* Wraps `under`. Reads of at least extent_size bytes go straight to `under` (into the caller's buffer);
 * smaller reads are served from cached extents. Writes go through and update cached copies. Closing the
 * cache frees it and, if own_under, closes `under` too. */
int blockcache_new(struct cb_blockdev *under, const struct blockcache_opts *opts, bool own_under,
		   struct cb_blockdev **out, struct cb_err *e);
/* Statistics of a device made by blockcache_new (zeros for any other device). */
struct blockcache_stats blockcache_get_stats(const struct cb_blockdev *dev);
/* Drops every cached extent (after the underlying medium changed behind our back). */
void blockcache_invalidate(struct cb_blockdev *dev);

#endif
