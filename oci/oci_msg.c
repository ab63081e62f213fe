/* oci_msg.c: the small helpers of oci_internal.h: printable excerpts of hostile bytes for error messages and
 * a capped growable buffer. No parsing and no I/O here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_internal.h"

const char *oci_excerpt(const char *p, size_t len, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = len > 64 ? 64 : len, o = 0;
	if (size < 16) {
		if (size)
			buf[0] = 0;
		return buf;
	}
	buf[o++] = '"';
	size_t i = 0;
	for (; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '"') {
			if (o + 1 > size - 6)
				break;
			buf[o++] = (char)ch;
		} else {
			if (o + 4 > size - 6)
				break;
			buf[o++] = '\\', buf[o++] = 'x', buf[o++] = hex[ch >> 4], buf[o++] = hex[ch & 15];
		}
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = 0;
	return buf;
}

const char *oci_excerpt_str(const char *s, char *buf, size_t size)
{
	if (!s) {
		snprintf(buf, size, "(none)");
		return buf;
	}
	return oci_excerpt(s, strnlen(s, 65), buf, size);
}

bool oci_buf_put(struct oci_buf *b, const void *p, size_t n, bool *nomem)
{
	*nomem = false;
	if (n > b->max || b->len > b->max - n)
		return false;
	if (!b->data || b->len + n + 1 > b->cap) {
		size_t want = b->cap ? b->cap : 1024;
		while (want < b->len + n + 1)
			want = want > b->max / 2 + 1 ? b->max + 1 : want * 2;
		uint8_t *d = realloc(b->data, want);
		if (!d) {
			*nomem = true;
			return false;
		}
		b->data = d;
		b->cap = want;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return true;
}

void oci_buf_free(struct oci_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *oci_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}
