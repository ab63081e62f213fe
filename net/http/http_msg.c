/* http_msg.c: small helpers the HTTP files share: a growable buffer and the shaping of hostile bytes and
 * long URLs into printable error-message text. No protocol logic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "http_internal.h"

void http_buf_put(struct http_buf *b, const void *p, size_t n)
{
	if (b->failed)
		return;
	size_t need;
	if (!cb_add_ok(b->len, n, &need) || !cb_add_ok(need, (size_t)1, &need)) {
		b->failed = true;
		return;
	}
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < need) {
			if (!cb_mul_ok(cap, (size_t)2, &cap)) {
				b->failed = true;
				return;
			}
		}
		char *d = realloc(b->data, cap);
		if (!d) {
			b->failed = true;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void http_buf_puts(struct http_buf *b, const char *s)
{
	http_buf_put(b, s, strlen(s));
}

void http_buf_free(struct http_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* Appends p[0..n) to out[o..], escaping non-printables, quotes and backslashes as \xNN, while the output
 * stays within `limit` bytes (out has limit + 1). *used tells how many input bytes made it. */
static size_t put_escaped(char *out, size_t o, size_t limit, const char *p, size_t n, size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;
	for (; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '"') {
			if (o + 1 > limit)
				break;
			out[o++] = (char)ch;
		} else {
			if (o + 4 > limit)
				break;
			out[o++] = '\\', out[o++] = 'x', out[o++] = hex[ch >> 4], out[o++] = hex[ch & 15];
		}
	}
	out[o] = 0;
	*used = i;
	return o;
}

const char *http_url_for_msg(const char *url, char *buf, size_t size)
{
	size_t n = strnlen(url, HTTP_URL_MAX + 1);
	const char *q = memchr(url, '?', n);
	size_t keep = n;
	bool long_query = false;
	if (q) {
		const char *hash = memchr(q, '#', n - (size_t)(q - url));
		size_t qlen = (size_t)((hash ? hash : url + n) - q) - 1;
		if (qlen > 64) {
			keep = (size_t)(q - url);
			long_query = true;
		}
	}
	size_t limit = (size < 161 ? size - 1 : 160) - 4, used, o = put_escaped(buf, 0, limit, url, keep, &used);
	if (used < keep)
		memcpy(buf + o, "...", 4);
	else if (long_query)
		memcpy(buf + o, "?...", 5);
	return buf;
}

const char *http_excerpt(const char *p, size_t len, char *buf, size_t size)
{
	size_t n = len > 40 ? 40 : len, used;
	buf[0] = '"';
	size_t o = put_escaped(buf, 1, size - 6, p, n, &used);
	if (len > used) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = 0;
	return buf;
}
