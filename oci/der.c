/* der.c: the bounded DER element reader behind der.h (tag, minimal definite length, contents window).
 * It does not interpret OIDs or build trees: callers walk the structure they expect, one element at a time. */
#include "der.h"

#include <string.h>

#include "cb_checked.h"

#define DER_MAX_LEN_BYTES 3 /* lengths up to 16 MiB: far above any key or signature */

struct der der_init(const void *buf, size_t len)
{
	struct der c = { buf, 0, len };
	return c;
}

bool der_empty(const struct der *c) { return c->off >= c->end; }

int der_peek(const struct der *c) { return der_empty(c) ? -1 : c->buf[c->off]; }

const uint8_t *der_ptr(const struct der *v) { return v->buf + v->off; }

size_t der_len(const struct der *v) { return v->end - v->off; }

bool der_eq(const struct der *v, const uint8_t *enc, size_t n)
{
	return der_len(v) == n && memcmp(der_ptr(v), enc, n) == 0;
}

int der_read(struct der *c, uint8_t tag, const char *what, struct der *val, struct cb_err *e)
{
	size_t at = c->off;
	if (der_empty(c))
		return cb_errf(e, CB_EINVAL, "der: offset %zu: %s missing (end of data)", at, what);
	if (c->buf[at] != tag)
		return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: expected tag 0x%02x, found 0x%02x", at, what, tag,
			       c->buf[at]);
	size_t p = at + 1;
	if (p >= c->end)
		return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: length missing", p, what);
	uint8_t first = c->buf[p++];
	size_t len = first;
	if (first == 0x80)
		return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: indefinite length is not DER", p - 1, what);
	if (first > 0x80) {
		size_t nb = first & 0x7f;
		if (nb > DER_MAX_LEN_BYTES)
			return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: %zu-byte length field is too long", p - 1,
				       what, nb);
		if (!cb_in_bounds(p, nb, c->end))
			return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: length field runs past the end", p - 1, what);
		len = 0;
		for (size_t i = 0; i < nb; i++)
			len = len << 8 | c->buf[p + i];
		if (c->buf[p] == 0 || len < 0x80)
			return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: length %zu is not minimally encoded", p - 1,
				       what, len);
		p += nb;
	}
	if (!cb_in_bounds(p, len, c->end))
		return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: length %zu runs past the end (%zu bytes left)", at,
			       what, len, c->end - p);
	val->buf = c->buf;
	val->off = p;
	val->end = p + len;
	c->off = p + len;
	return 0;
}

int der_read_uint(struct der *c, const char *what, struct der *val, struct cb_err *e)
{
	size_t at = c->off;
	int rc = der_read(c, DER_INTEGER, what, val, e);
	if (rc)
		return rc;
	size_t n = der_len(val);
	const uint8_t *p = der_ptr(val);
	if (n == 0)
		return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: empty INTEGER", at, what);
	if (p[0] & 0x80)
		return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: negative INTEGER", at, what);
	if (n > 1 && p[0] == 0 && !(p[1] & 0x80))
		return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: INTEGER is not minimally encoded", at, what);
	if (n > 1 && p[0] == 0)
		val->off++;
	return 0;
}

int der_read_bits(struct der *c, const char *what, struct der *val, struct cb_err *e)
{
	size_t at = c->off;
	int rc = der_read(c, DER_BIT_STRING, what, val, e);
	if (rc)
		return rc;
	if (der_len(val) == 0)
		return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: empty BIT STRING", at, what);
	if (der_ptr(val)[0] != 0)
		return cb_errf(e, CB_EINVAL, "der: offset %zu: %s: BIT STRING has %u unused bits", at, what,
			       der_ptr(val)[0]);
	val->off++;
	return 0;
}

int der_expect_end(const struct der *c, const char *what, struct cb_err *e)
{
	if (!der_empty(c))
		return cb_errf(e, CB_EINVAL, "der: offset %zu: trailing bytes after %s", c->off, what);
	return 0;
}
