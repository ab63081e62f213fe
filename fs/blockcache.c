/* blockcache.c: LRU cache of extent_size-aligned extents over a cb_blockdev; large reads bypass it.
 * Not a write-back cache: writes reach the device before write() returns, cached copies are patched. */
#include "blockcache.h"

#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"

struct bc_entry {
	uint64_t index; /* extent number: byte offset / extent_size */
	uint64_t stamp; /* LRU clock at the last use; 0 = empty */
	size_t len;     /* valid bytes (the last extent of a device may be short) */
	uint8_t *data;
};

struct blockcache {
	struct cb_blockdev dev; /* must stay first: dev.priv points back here */
	struct cb_blockdev *under;
	bool own_under;
	size_t ext_size;
	unsigned shift;
	unsigned n;
	uint64_t clock;
	struct blockcache_stats stats;
	struct bc_entry *ent;
};

static int bc_read(struct cb_blockdev *dev, uint64_t off, void *buf, size_t len, struct cb_err *e);
static int bc_write(struct cb_blockdev *dev, uint64_t off, const void *buf, size_t len, struct cb_err *e);
static void bc_close(struct cb_blockdev *dev);

static struct bc_entry *bc_get(struct blockcache *c, uint64_t index, struct cb_err *e, int *rc)
{
	struct bc_entry *victim = &c->ent[0];
	for (unsigned i = 0; i < c->n; i++) {
		struct bc_entry *x = &c->ent[i];
		if (x->stamp && x->index == index) {
			x->stamp = ++c->clock;
			c->stats.hits++;
			return x;
		}
		if (x->stamp < victim->stamp)
			victim = x;
	}
	c->stats.misses++;
	if (!victim->data) {
		victim->data = malloc(c->ext_size);
		if (!victim->data) {
			*rc = cb_errf(e, CB_ENOMEM, "%s: out of memory for the block cache", c->under->name);
			return NULL;
		}
	}
	uint64_t start = index << c->shift;
	uint64_t avail = c->under->size - start; /* caller guarantees start < size */
	size_t len = avail < c->ext_size ? (size_t)avail : c->ext_size;
	victim->stamp = 0;
	*rc = c->under->read(c->under, start, victim->data, len, e);
	if (*rc)
		return NULL;
	victim->index = index;
	victim->len = len;
	victim->stamp = ++c->clock;
	return victim;
}

static int bc_read(struct cb_blockdev *dev, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	struct blockcache *c = dev->priv;
	if (!cb_in_bounds(off, len, dev->size))
		return cb_errf(e, CB_EIO, "%s: read of %zu bytes at offset %llu is past the end (%llu bytes)",
			       dev->name, len, (unsigned long long)off, (unsigned long long)dev->size);
	if (len >= c->ext_size) {
		c->stats.bypass++;
		return c->under->read(c->under, off, buf, len, e);
	}
	uint8_t *out = buf;
	while (len) {
		int rc = 0;
		struct bc_entry *x = bc_get(c, off >> c->shift, e, &rc);
		if (!x)
			return rc;
		size_t in = (size_t)(off & (c->ext_size - 1));
		size_t n = x->len - in < len ? x->len - in : len;
		memcpy(out, x->data + in, n);
		out += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int bc_write(struct cb_blockdev *dev, uint64_t off, const void *buf, size_t len, struct cb_err *e)
{
	struct blockcache *c = dev->priv;
	if (!cb_in_bounds(off, len, dev->size))
		return cb_errf(e, CB_EIO, "%s: write of %zu bytes at offset %llu is past the end (%llu bytes)",
			       dev->name, len, (unsigned long long)off, (unsigned long long)dev->size);
	int rc = c->under->write(c->under, off, buf, len, e);
	/* Patch (or, on failure, drop) every cached extent the write touched. */
	for (unsigned i = 0; i < c->n; i++) {
		struct bc_entry *x = &c->ent[i];
		if (!x->stamp || !len)
			continue;
		uint64_t xs = x->index << c->shift, xe = xs + x->len;
		uint64_t ws = off, we = off + len;
		if (we <= xs || ws >= xe)
			continue;
		if (rc) {
			x->stamp = 0;
			continue;
		}
		uint64_t s = ws > xs ? ws : xs, t = we < xe ? we : xe;
		memcpy(x->data + (s - xs), (const uint8_t *)buf + (s - ws), (size_t)(t - s));
	}
	return rc;
}

static void bc_close(struct cb_blockdev *dev)
{
	struct blockcache *c = dev->priv;
	for (unsigned i = 0; i < c->n; i++)
		free(c->ent[i].data);
	free(c->ent);
	if (c->own_under && c->under->close)
		c->under->close(c->under);
	free(c);
}

int blockcache_new(struct cb_blockdev *under, const struct blockcache_opts *opts, bool own_under,
		   struct cb_blockdev **out, struct cb_err *e)
{
	size_t ext = opts && opts->extent_size ? opts->extent_size : 64 * 1024;
	unsigned n = opts && opts->entries ? opts->entries : 32;
	if (ext < 4096 || ext > (1u << 20) || (ext & (ext - 1)))
		return cb_errf(e, CB_EINVAL, "blockcache: extent size %zu is not a power of two in 4 KiB..1 MiB", ext);
	if (n < 2 || n > 1024)
		return cb_errf(e, CB_EINVAL, "blockcache: %u entries is outside 2..1024", n);
	struct blockcache *c = calloc(1, sizeof(*c));
	if (!c || !(c->ent = calloc(n, sizeof(*c->ent)))) {
		free(c);
		return cb_errf(e, CB_ENOMEM, "%s: out of memory for the block cache", under->name);
	}
	c->under = under;
	c->own_under = own_under;
	c->ext_size = ext;
	while ((1ul << c->shift) < ext)
		c->shift++;
	c->n = n;
	c->dev.read = bc_read;
	c->dev.write = under->write ? bc_write : NULL;
	c->dev.close = bc_close;
	c->dev.size = under->size;
	c->dev.sector_size = under->sector_size;
	c->dev.name = under->name;
	c->dev.priv = c;
	*out = &c->dev;
	return 0;
}

struct blockcache_stats blockcache_get_stats(const struct cb_blockdev *dev)
{
	struct blockcache_stats z = {0, 0, 0};
	if (!dev || dev->read != bc_read)
		return z;
	return ((const struct blockcache *)dev->priv)->stats;
}

void blockcache_invalidate(struct cb_blockdev *dev)
{
	if (!dev || dev->read != bc_read)
		return;
	struct blockcache *c = dev->priv;
	for (unsigned i = 0; i < c->n; i++)
		c->ent[i].stamp = 0;
}
