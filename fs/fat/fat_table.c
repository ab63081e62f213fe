/* fat_table.c: the file allocation table: 12/16/32-bit entry decode/encode through a small write-back cache,
 * flushes to every FAT copy, free-cluster counting and the FAT32 FSInfo hints. No chain logic here. */
#include <stdlib.h>
#include <string.h>

#include "fat_internal.h"

#define FSI_LEAD_SIG 0x41615252u
#define FSI_STRUC_SIG 0x61417272u
#define FSI_TRAIL_SIG 0xAA550000u

enum fat_kind fat_classify(const struct fat_vol *v, uint32_t val)
{
	if (val == 0)
		return FAT_FREE;
	uint32_t bad = v->g.type == 12 ? 0xFF7u : v->g.type == 16 ? 0xFFF7u : 0x0FFFFFF7u;
	if (val > bad)
		return FAT_EOC;
	if (val == bad)
		return FAT_BAD;
	if (fat_cluster_ok(v, val))
		return FAT_NEXT;
	return FAT_RESERVED;
}

uint32_t fat_eoc_value(const struct fat_vol *v)
{
	return v->g.type == 12 ? 0xFFFu : v->g.type == 16 ? 0xFFFFu : 0x0FFFFFFFu;
}

int fat_cache_init(struct fat_vol *v, struct cb_err *e)
{
	v->cache_mem = malloc((size_t)FAT_CACHE_SLOTS * FAT_CACHE_CHUNK);
	if (!v->cache_mem)
		return cb_errf(e, CB_ENOMEM, "no memory for the FAT cache");
	for (uint32_t i = 0; i < FAT_CACHE_SLOTS; i++) {
		v->cache[i].data = v->cache_mem + (size_t)i * FAT_CACHE_CHUNK;
		v->cache[i].valid = v->cache[i].dirty = false;
	}
	return 0;
}

void fat_cache_free(struct fat_vol *v)
{
	free(v->cache_mem);
	v->cache_mem = NULL;
}

/* Writes one cached piece to every FAT copy in use. */
static int slot_write(struct fat_vol *v, struct fat_cache_slot *s, uint32_t copy, struct cb_err *e)
{
	uint64_t off = v->g.fat_offset + (uint64_t)copy * v->g.fat_bytes + (uint64_t)s->chunk * FAT_CACHE_CHUNK;
	int rc = fat_dev_write(v, off, s->data, s->len, e);
	if (rc < 0)
		return cb_err_prefix(e, "FAT #%u: ", copy);
	return 0;
}

static int slot_write_all(struct fat_vol *v, struct fat_cache_slot *s, struct cb_err *e)
{
	for (uint32_t k = 0; k < v->g.num_fats; k++) {
		int rc = slot_write(v, s, k, e);
		if (rc < 0)
			return rc;
	}
	s->dirty = false;
	return 0;
}

static int slot_get(struct fat_vol *v, uint32_t chunk, struct fat_cache_slot **out, struct cb_err *e)
{
	struct fat_cache_slot *victim = NULL;
	for (uint32_t i = 0; i < FAT_CACHE_SLOTS; i++) {
		struct fat_cache_slot *s = &v->cache[i];
		if (s->valid && s->chunk == chunk) {
			s->stamp = ++v->stamp;
			*out = s;
			return 0;
		}
		if (!victim || (!s->valid && victim->valid) || (s->valid == victim->valid && s->stamp < victim->stamp))
			victim = s;
	}
	if (victim->valid && victim->dirty) {
		int rc = slot_write_all(v, victim, e);
		if (rc < 0)
			return rc;
	}
	victim->valid = false;
	uint64_t start = (uint64_t)chunk * FAT_CACHE_CHUNK;
	uint64_t left = v->g.fat_bytes - start; /* callers only ask for chunks inside the FAT */
	uint32_t len = left < FAT_CACHE_CHUNK ? (uint32_t)left : FAT_CACHE_CHUNK;
	uint32_t copy = v->g.mirroring ? 0 : v->g.active_fat;
	int rc = fat_dev_read(v, v->g.fat_offset + (uint64_t)copy * v->g.fat_bytes + start, victim->data, len, e);
	if (rc < 0)
		return cb_err_prefix(e, "FAT: ");
	victim->chunk = chunk;
	victim->len = len;
	victim->valid = true;
	victim->dirty = false;
	victim->stamp = ++v->stamp;
	*out = victim;
	return 0;
}

/* Pointer to `len` bytes of the FAT at byte offset off (never crossing a chunk). */
static int fat_bytes(struct fat_vol *v, uint64_t off, uint32_t len, bool dirty, uint8_t **p, struct cb_err *e)
{
	if (!cb_in_bounds(off, len, v->g.fat_bytes))
		return cb_errf(e, CB_EINVAL, "FAT offset %llu outside the FAT", (unsigned long long)off);
	struct fat_cache_slot *s = NULL;
	int rc = slot_get(v, (uint32_t)(off / FAT_CACHE_CHUNK), &s, e);
	if (rc < 0)
		return rc;
	uint32_t in = (uint32_t)(off % FAT_CACHE_CHUNK);
	if (in + len > s->len)
		return cb_errf(e, CB_EINVAL, "FAT offset %llu outside the FAT", (unsigned long long)off);
	if (dirty)
		s->dirty = true;
	*p = s->data + in;
	return 0;
}

static int check_cluster(const struct fat_vol *v, uint32_t c, struct cb_err *e)
{
	if (c > v->g.cluster_count + 1u)
		return cb_errf(e, CB_EINVAL, "FAT entry %u outside 0..%u", c, v->g.cluster_count + 1);
	return 0;
}

int fat_get(struct fat_vol *v, uint32_t c, uint32_t *val, struct cb_err *e)
{
	int rc = check_cluster(v, c, e);
	if (rc < 0)
		return rc;
	uint8_t *p, *q;
	switch (v->g.type) {
	case 12: {
		uint64_t off = (uint64_t)c + c / 2;
		if ((rc = fat_bytes(v, off, 1, false, &p, e)) < 0)
			return rc;
		uint32_t lo = *p;
		if ((rc = fat_bytes(v, off + 1, 1, false, &q, e)) < 0)
			return rc;
		uint32_t w = lo | (uint32_t)*q << 8;
		*val = (c & 1) ? w >> 4 : w & 0xFFF;
		return 0;
	}
	case 16:
		if ((rc = fat_bytes(v, (uint64_t)c * 2, 2, false, &p, e)) < 0)
			return rc;
		*val = cb_le16(p);
		return 0;
	default:
		if ((rc = fat_bytes(v, (uint64_t)c * 4, 4, false, &p, e)) < 0)
			return rc;
		*val = cb_le32(p) & 0x0FFFFFFFu;
		return 0;
	}
}

int fat_set(struct fat_vol *v, uint32_t c, uint32_t val, struct cb_err *e)
{
	int rc = check_cluster(v, c, e);
	if (rc < 0)
		return rc;
	if (c < 2)
		return cb_errf(e, CB_EINVAL, "refusing to change reserved FAT entry %u", c);
	uint8_t *p, *q;
	switch (v->g.type) {
	case 12: {
		uint64_t off = (uint64_t)c + c / 2;
		if ((rc = fat_bytes(v, off, 1, true, &p, e)) < 0)
			return rc;
		if (c & 1)
			*p = (uint8_t)((*p & 0x0F) | (val & 0x0F) << 4);
		else
			*p = (uint8_t)(val & 0xFF);
		if ((rc = fat_bytes(v, off + 1, 1, true, &q, e)) < 0)
			return rc;
		if (c & 1)
			*q = (uint8_t)(val >> 4);
		else
			*q = (uint8_t)((*q & 0xF0) | ((val >> 8) & 0x0F));
		return 0;
	}
	case 16:
		if ((rc = fat_bytes(v, (uint64_t)c * 2, 2, true, &p, e)) < 0)
			return rc;
		p[0] = (uint8_t)val;
		p[1] = (uint8_t)(val >> 8);
		return 0;
	default: {
		if ((rc = fat_bytes(v, (uint64_t)c * 4, 4, true, &p, e)) < 0)
			return rc;
		uint32_t w = (cb_le32(p) & 0xF0000000u) | (val & 0x0FFFFFFFu);
		for (int i = 0; i < 4; i++)
			p[i] = (uint8_t)(w >> (8 * i));
		return 0;
	}
	}
}

static int fsinfo_write(struct fat_vol *v, struct cb_err *e)
{
	uint8_t buf[512];
	uint64_t off = (uint64_t)v->g.fsinfo_sector * v->g.bytes_per_sector;
	int rc = fat_dev_read(v, off, buf, sizeof(buf), e);
	if (rc < 0)
		return cb_err_prefix(e, "FSInfo: ");
	if (cb_le32(buf) != FSI_LEAD_SIG || cb_le32(buf + 484) != FSI_STRUC_SIG)
		return cb_errf(e, CB_EINVAL, "FSInfo sector %u changed under us", v->g.fsinfo_sector);
	uint32_t vals[2] = {v->free_count, v->next_free};
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 4; i++)
			buf[488 + 4 * k + i] = (uint8_t)(vals[k] >> (8 * i));
	rc = fat_dev_write(v, off, buf, sizeof(buf), e);
	if (rc < 0)
		return cb_err_prefix(e, "FSInfo: ");
	v->fsinfo_dirty = false;
	return 0;
}

int fat_flush(struct fat_vol *v, struct cb_err *e)
{
	if (!v->writable)
		return 0;
	/* Copy by copy, so a crash leaves at most one FAT half-updated. */
	for (uint32_t k = 0; k < v->g.num_fats; k++) {
		for (uint32_t i = 0; i < FAT_CACHE_SLOTS; i++) {
			struct fat_cache_slot *s = &v->cache[i];
			if (s->valid && s->dirty) {
				int rc = slot_write(v, s, k, e);
				if (rc < 0)
					return rc;
			}
		}
	}
	for (uint32_t i = 0; i < FAT_CACHE_SLOTS; i++)
		v->cache[i].dirty = false;
	if (v->fsinfo_ok && v->fsinfo_dirty)
		return fsinfo_write(v, e);
	return 0;
}

int fat_count_free(struct fat_vol *v, struct cb_err *e)
{
	uint32_t n = 0;
	for (uint32_t c = 2; c - 2 < v->g.cluster_count; c++) {
		uint32_t val;
		int rc = fat_get(v, c, &val, e);
		if (rc < 0)
			return rc;
		if (val == 0)
			n++;
	}
	v->free_count = n;
	return 0;
}

int fat_fsinfo_load(struct fat_vol *v, struct cb_err *e)
{
	v->fsinfo_ok = false;
	v->free_count = UINT32_MAX;
	v->next_free = 2;
	if (v->g.type != 32 || !v->g.fsinfo_sector)
		return 0;
	uint8_t buf[512];
	int rc = fat_dev_read(v, (uint64_t)v->g.fsinfo_sector * v->g.bytes_per_sector, buf, sizeof(buf), e);
	if (rc < 0)
		return cb_err_prefix(e, "FSInfo: ");
	if (cb_le32(buf) != FSI_LEAD_SIG || cb_le32(buf + 484) != FSI_STRUC_SIG || cb_le32(buf + 508) != FSI_TRAIL_SIG)
		return 0; /* no usable FSInfo: hints unknown, and we never write it */
	v->fsinfo_ok = true;
	uint32_t next = cb_le32(buf + 492);
	if (fat_cluster_ok(v, next))
		v->next_free = next;
	return 0;
}
