/* part.c: what GPT and MBR share: the scan order, lookups by number/label/partuuid, GUID text, and the
 * bounded partition view. The table formats themselves live in gpt.c and mbr.c. */
#include "part.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cb_checked.h"

void part_warn(struct part_table *t, const char *fmt, ...)
{
	if (t->warning[0])
		return; /* keep the first: it usually explains the rest */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->warning, sizeof(t->warning), fmt, ap);
	va_end(ap);
}

int part_table_add(struct part_table *t, const struct part_info *p, struct cb_err *e)
{
	if (t->count >= GPT_MAX_ENTRIES)
		return cb_errf(e, CB_ELIMIT, "partition table: more than %u partitions", GPT_MAX_ENTRIES);
	if ((t->count & 15) == 0) {
		struct part_info *n = realloc(t->parts, (t->count + 16) * sizeof(*n));
		if (!n)
			return cb_errf(e, CB_ENOMEM, "partition table: out of memory");
		t->parts = n;
	}
	t->parts[t->count++] = *p;
	return 0;
}

static int cmp_start(const void *a, const void *b)
{
	const struct part_info *x = *(const struct part_info *const *)a, *y = *(const struct part_info *const *)b;
	return x->first_lba < y->first_lba ? -1 : x->first_lba > y->first_lba;
}

int part_check_overlaps(struct part_table *t, const char *scheme, struct cb_err *e)
{
	if (t->count < 2)
		return 0;
	const struct part_info **v = malloc(t->count * sizeof(*v));
	if (!v)
		return cb_errf(e, CB_ENOMEM, "%s: out of memory", scheme);
	for (unsigned i = 0; i < t->count; i++)
		v[i] = &t->parts[i];
	qsort(v, t->count, sizeof(*v), cmp_start);
	int rc = 0;
	for (unsigned i = 1; i < t->count; i++) {
		if (v[i]->first_lba <= v[i - 1]->last_lba) {
			rc = cb_errf(e, CB_EINVAL, "%s: partitions %u (LBA %llu..%llu) and %u (LBA %llu..%llu) overlap",
				     scheme, v[i - 1]->number, (unsigned long long)v[i - 1]->first_lba,
				     (unsigned long long)v[i - 1]->last_lba, v[i]->number,
				     (unsigned long long)v[i]->first_lba, (unsigned long long)v[i]->last_lba);
			break;
		}
	}
	free(v);
	return rc;
}

void part_table_free(struct part_table *t)
{
	free(t->parts);
	t->parts = NULL;
	t->count = 0;
}

int part_scan(struct cb_blockdev *disk, struct part_table *t, struct cb_err *e)
{
	struct cb_err ge = {0, ""};
	int rc = gpt_scan(disk, t, &ge);
	if (rc == 0)
		return 0;
	if (rc == CB_ENOMEM || rc == CB_EIO) {
		*e = ge;
		return rc;
	}
	int grc = rc;
	struct part_table mt;
	rc = mbr_scan(disk, &mt, e);
	if (rc == CB_ENOENT) {
		if (grc != CB_ENOENT) { /* a GPT signature was there but nothing usable */
			*e = ge;
			return grc;
		}
		memset(t, 0, sizeof(*t));
		t->scheme = PART_SCHEME_NONE;
		t->sector_size = disk->sector_size;
		return 0;
	}
	if (rc)
		return rc;
	if (mt.protective_mbr) {
		part_table_free(&mt);
		if (grc == CB_ENOENT)
			ge.code = cb_errf(&ge, CB_EINVAL, "gpt: %s has a protective MBR but no GPT header", disk->name);
		*e = ge;
		return ge.code ? ge.code : CB_EINVAL;
	}
	if (grc != CB_ENOENT)
		part_warn(&mt, "ignoring an invalid GPT (%s); using the MBR", ge.msg);
	*t = mt;
	return 0;
}

const struct part_info *part_by_number(const struct part_table *t, uint32_t number)
{
	for (unsigned i = 0; i < t->count; i++)
		if (t->parts[i].number == number)
			return &t->parts[i];
	return NULL;
}

const struct part_info *part_by_label(const struct part_table *t, const char *label)
{
	if (!label || !*label)
		return NULL;
	for (unsigned i = 0; i < t->count; i++)
		if (strcmp(t->parts[i].label, label) == 0)
			return &t->parts[i];
	return NULL;
}

const struct part_info *part_by_type(const struct part_table *t, const uint8_t type_guid[16])
{
	for (unsigned i = 0; t->scheme == PART_SCHEME_GPT && i < t->count; i++)
		if (memcmp(t->parts[i].type_guid, type_guid, 16) == 0)
			return &t->parts[i];
	return NULL;
}

void part_uuid_string(const struct part_table *t, const struct part_info *p, char out[37])
{
	out[0] = 0;
	if (t->scheme == PART_SCHEME_GPT)
		guid_format(p->part_guid, out);
	else if (t->scheme == PART_SCHEME_MBR && t->mbr_signature)
		snprintf(out, 37, "%08x-%02u", t->mbr_signature, p->number % 100);
}

const struct part_info *part_by_partuuid(const struct part_table *t, const char *uuid)
{
	if (!uuid || !*uuid)
		return NULL;
	for (unsigned i = 0; i < t->count; i++) {
		char s[37];
		part_uuid_string(t, &t->parts[i], s);
		if (s[0] && strcasecmp(s, uuid) == 0)
			return &t->parts[i];
	}
	return NULL;
}

/* ---- partition view ---------------------------------------------------------------------------- */

struct part_view {
	struct cb_blockdev dev;
	struct cb_blockdev *disk;
	uint64_t start;
	char name[96];
};

static int view_read(struct cb_blockdev *dev, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	struct part_view *v = dev->priv;
	if (!cb_in_bounds(off, len, dev->size))
		return cb_errf(e, CB_EIO, "%s: read of %zu bytes at offset %llu is past the end (%llu bytes)",
			       dev->name, len, (unsigned long long)off, (unsigned long long)dev->size);
	return v->disk->read(v->disk, v->start + off, buf, len, e);
}

static int view_write(struct cb_blockdev *dev, uint64_t off, const void *buf, size_t len, struct cb_err *e)
{
	struct part_view *v = dev->priv;
	if (!cb_in_bounds(off, len, dev->size))
		return cb_errf(e, CB_EIO, "%s: write of %zu bytes at offset %llu is past the end (%llu bytes)",
			       dev->name, len, (unsigned long long)off, (unsigned long long)dev->size);
	return v->disk->write(v->disk, v->start + off, buf, len, e);
}

static void view_close(struct cb_blockdev *dev)
{
	free(dev->priv);
}

int part_open(struct cb_blockdev *disk, const struct part_info *p, struct cb_blockdev **out, struct cb_err *e)
{
	if (!cb_in_bounds(p->start, p->size, disk->size))
		return cb_errf(e, CB_EINVAL, "%s: partition %u (bytes %llu+%llu) lies outside the disk (%llu bytes)",
			       disk->name, p->number, (unsigned long long)p->start, (unsigned long long)p->size,
			       (unsigned long long)disk->size);
	struct part_view *v = calloc(1, sizeof(*v));
	if (!v)
		return cb_errf(e, CB_ENOMEM, "%s: out of memory", disk->name);
	v->disk = disk;
	v->start = p->start;
	snprintf(v->name, sizeof(v->name), "part %u of %s", p->number, disk->name);
	v->dev.read = view_read;
	v->dev.write = disk->write ? view_write : NULL;
	v->dev.close = view_close;
	v->dev.size = p->size;
	v->dev.sector_size = disk->sector_size;
	v->dev.name = v->name;
	v->dev.priv = v;
	*out = &v->dev;
	return 0;
}

/* ---- GUIDs ------------------------------------------------------------------------------------- */

/* Text position of each byte of the on-disk GUID: fields 1-3 are little-endian. */
static const uint8_t guid_order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

void guid_format(const uint8_t g[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		uint8_t b = g[guid_order[i]];
		*o++ = hex[b >> 4];
		*o++ = hex[b & 15];
	}
	*o = 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int guid_parse(const char *s, uint8_t g[16])
{
	if (!s || strlen(s) != 36)
		return CB_EINVAL;
	const char *p = s;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			if (*p++ != '-')
				return CB_EINVAL;
		}
		int hi = hexval(p[0]), lo = hexval(p[1]);
		if (hi < 0 || lo < 0)
			return CB_EINVAL;
		g[guid_order[i]] = (uint8_t)(hi << 4 | lo);
		p += 2;
	}
	return 0;
}

bool guid_is_zero(const uint8_t g[16])
{
	for (int i = 0; i < 16; i++)
		if (g[i])
			return false;
	return true;
}
