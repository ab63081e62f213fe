/* oci_tar_fuzz.c: libFuzzer target for the streaming tar reader (plain, gzip, zstd): the input is fed in
 * pieces whose sizes come from its first byte; every entry's data must match its declared size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tar.h"

struct st {
	uint64_t want, got;
	int in_entry;
};

static int on_entry(void *ctx, const struct oci_tar_entry *ent, struct cb_err *e)
{
	(void)e;
	struct st *s = ctx;
	if (s->in_entry || !ent->name || !ent->linkname || strlen(ent->name) > OCI_TAR_NAME_MAX + 160)
		abort();
	s->want = ent->size;
	s->got = 0;
	s->in_entry = ent->type == OCI_TAR_FILE;
	return s->in_entry;
}

static int on_data(void *ctx, const void *p, size_t n, struct cb_err *e)
{
	(void)e;
	(void)p;
	struct st *s = ctx;
	if (!s->in_entry || n == 0 || s->got + n > s->want)
		abort();
	s->got += n;
	return 0;
}

static int on_end(void *ctx, struct cb_err *e)
{
	(void)e;
	struct st *s = ctx;
	if (!s->in_entry || s->got != s->want)
		abort();
	s->in_entry = 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t step = (size_t)data[0] * 7 + 1;
	data++;
	size--;
	struct st s = { 0 };
	struct oci_tar_handler h = { .on_entry = on_entry, .on_data = on_data, .on_end = on_end, .ctx = &s };
	struct oci_tar *t;
	struct cb_err e = { 0 };
	if (oci_tar_new(&h, 64u << 20, &t, &e))
		return 0;
	int rc = 0;
	for (size_t o = 0; !rc && o < size;) {
		size_t n = step < size - o ? step : size - o;
		rc = oci_tar_feed(t, data + o, n, &e);
		o += n;
	}
	if (!rc)
		rc = oci_tar_finish(t, &e);
	if (rc && !e.msg[0])
		abort();
	oci_tar_free(t);
	return 0;
}
