/* tls_pem.c: a strict PEM scanner for CA bundles: finds "-----BEGIN X-----" … "-----END X-----" blocks and
 * base64-decodes their bodies with a size cap. It knows nothing of X.509; text outside blocks is ignored. */
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "tls_internal.h"

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* The next line of text[*pos..len): [*s, *end) without surrounding blanks; *pos moves past its '\n'. */
static void next_line(const char *text, size_t len, size_t *pos, size_t *s, size_t *end)
{
	size_t p = *pos;
	const char *nl = memchr(text + p, '\n', len - p);
	size_t e = nl ? (size_t)(nl - text) : len;
	*pos = nl ? e + 1 : len;
	while (p < e && is_blank(text[p]))
		p++;
	while (e > p && is_blank(text[e - 1]))
		e--;
	*s = p;
	*end = e;
}

/* Is text[s..end) "-----<word> LABEL-----"? Then [*ls, *le) is LABEL. */
static bool armor(const char *text, size_t s, size_t end, const char *word, size_t *ls, size_t *le)
{
	size_t wl = strlen(word);
	if (end - s < 10 + wl + 1 || memcmp(text + s, "-----", 5) || memcmp(text + s + 5, word, wl) ||
	    text[s + 5 + wl] != ' ' || memcmp(text + end - 5, "-----", 5))
		return false;
	*ls = s + 5 + wl + 1;
	*le = end - 5;
	return true;
}

struct b64 {
	unsigned char *out;
	size_t len, cap, max;
	unsigned q[4];
	unsigned nq;
	bool done; /* padding seen: nothing may follow */
};

static int b64_put(struct b64 *b, const unsigned char *src, size_t n, size_t line, const char *label,
                   struct cb_err *e)
{
	size_t need;
	if (!cb_add_ok(b->len, n, &need) || need > b->max)
		return cb_errf(e, CB_ELIMIT, "PEM line %zu: %s block larger than %zu bytes", line, label, b->max);
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 2048;
		if (cap > b->max)
			cap = b->max;
		unsigned char *p = realloc(b->out, cap);
		if (!p)
			return cb_errf(e, CB_ENOMEM, "PEM line %zu: out of memory", line);
		b->out = p;
		b->cap = cap;
	}
	memcpy(b->out + b->len, src, n);
	b->len = need;
	return 0;
}

/* One body line into the decoder. 64 stands for '='. */
static int b64_line(struct b64 *b, const char *s, size_t n, size_t line, const char *label, struct cb_err *e)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_blank((char)c))
			continue;
		int v = c == '=' ? 64 : b64_value(c);
		if (v < 0)
			return cb_errf(e, CB_EINVAL, "PEM line %zu: invalid base64 character 0x%02x", line, c);
		if (b->done)
			return cb_errf(e, CB_EINVAL, "PEM line %zu: base64 data after the padding", line);
		b->q[b->nq++] = (unsigned)v;
		if (b->nq < 4)
			continue;
		b->nq = 0;
		unsigned *q = b->q;
		if (q[0] == 64 || q[1] == 64 || (q[2] == 64 && q[3] != 64))
			return cb_errf(e, CB_EINVAL, "PEM line %zu: misplaced base64 padding", line);
		size_t nout = q[2] == 64 ? 1 : q[3] == 64 ? 2 : 3;
		b->done = nout < 3;
		uint32_t w = q[0] << 18 | q[1] << 12 | (q[2] & 63) << 6 | (q[3] & 63);
		unsigned char bytes[3] = { (unsigned char)(w >> 16), (unsigned char)(w >> 8), (unsigned char)w };
		int rc = b64_put(b, bytes, nout, line, label, e);
		if (rc)
			return rc;
	}
	return 0;
}

int tls_pem_next(const char *text, size_t len, size_t *pos, size_t *line, size_t max_der,
                 struct tls_pem_block *blk, struct cb_err *e)
{
	memset(blk, 0, sizeof(*blk));
	size_t s, end, ls, le;
	for (;;) {
		if (*pos >= len)
			return 0;
		next_line(text, len, pos, &s, &end);
		++*line;
		if (armor(text, s, end, "BEGIN", &ls, &le))
			break;
	}
	blk->line = *line;
	if (le - ls >= sizeof(blk->label) || le == ls)
		return cb_errf(e, CB_EINVAL, "PEM line %zu: bad BEGIN label", *line);
	memcpy(blk->label, text + ls, le - ls);
	struct b64 b = { .max = max_der };
	int rc = 0;
	for (;;) {
		if (*pos >= len) {
			rc = cb_errf(e, CB_EINVAL, "PEM line %zu: BEGIN %s without END", blk->line, blk->label);
			break;
		}
		next_line(text, len, pos, &s, &end);
		++*line;
		if (armor(text, s, end, "END", &ls, &le)) {
			if (le - ls != strlen(blk->label) || memcmp(text + ls, blk->label, le - ls))
				rc = cb_errf(e, CB_EINVAL, "PEM line %zu: END does not match BEGIN %s (line %zu)", *line,
				             blk->label, blk->line);
			else if (b.nq)
				rc = cb_errf(e, CB_EINVAL, "PEM line %zu: truncated base64 in %s", *line, blk->label);
			else if (!b.len)
				rc = cb_errf(e, CB_EINVAL, "PEM line %zu: empty %s block", blk->line, blk->label);
			break;
		}
		if (memchr(text + s, ':', end - s)) {
			rc = cb_errf(e, CB_EUNSUP, "PEM line %zu: encapsulated headers (encrypted PEM) are not supported",
			             *line);
			break;
		}
		if ((rc = b64_line(&b, text + s, end - s, *line, blk->label, e)))
			break;
	}
	if (rc) {
		free(b.out);
		return rc;
	}
	blk->der = b.out;
	blk->der_len = b.len;
	return 1;
}
