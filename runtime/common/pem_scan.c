/* pem_scan.c: the PEM block scanner behind pem_scan.h: line-oriented armour matching, body lines joined without
 * blanks and decoded by b64_decode(). Not a base64 decoder of its own and not a reader of any label's contents. */
#include "pem_scan.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "cb_checked.h"

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Reads the next line of s: [*start, *end) is it without its leading and trailing blanks. */
static void next_line(struct pem_scan *s, size_t *start, size_t *end)
{
	size_t p = s->pos;
	const char *nl = memchr(s->text + p, '\n', s->len - p);
	size_t e = nl ? (size_t)(nl - s->text) : s->len;
	s->pos = nl ? e + 1 : s->len;
	s->line++;
	while (p < e && is_blank(s->text[p]))
		p++;
	while (e > p && is_blank(s->text[e - 1]))
		e--;
	*start = p;
	*end = e;
}

/* Is text[start..end) "-----<word> LABEL-----"? Then [*ls, *le) is LABEL (maybe empty). */
static bool armor(const char *text, size_t start, size_t end, const char *word, size_t *ls, size_t *le)
{
	size_t wl = strlen(word);
	if (end - start < 5 + wl + 1 + 5 || memcmp(text + start, "-----", 5) || memcmp(text + start + 5, word, wl) ||
	    text[start + 5 + wl] != ' ' || memcmp(text + end - 5, "-----", 5))
		return false;
	*ls = start + 5 + wl + 1;
	*le = end - 5;
	return true;
}

static bool label_ok(const char *p, size_t n)
{
	if (n == 0 || n >= PEM_LABEL_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

/* The body's base64 text, blanks removed, at most `max` characters. */
struct body {
	char *p;
	size_t len, cap, max;
};

/* Appends the non-blank characters of src[0..n) (a body line) to b. */
static int body_add(struct body *b, const char *src, size_t n, const struct pem_scan *s,
		    const struct pem_block *blk, struct cb_err *e)
{
	size_t k = 0, need;
	for (size_t i = 0; i < n; i++)
		k += !is_blank(src[i]);
	if (!cb_add_ok(b->len, k, &need) || need > b->max)
		return cb_errf(e, CB_ELIMIT, "PEM line %zu: %s block larger than %zu bytes", s->line, blk->label,
			       s->max_der);
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < need)
			cap = cap > b->max / 2 ? b->max : cap * 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return cb_errf(e, CB_ENOMEM, "PEM line %zu: out of memory", s->line);
		b->p = p;
		b->cap = cap;
	}
	for (size_t i = 0; i < n; i++)
		if (!is_blank(src[i]))
			b->p[b->len++] = src[i];
	return 0;
}

/* Reads the body lines of blk up to its END line and decodes them into blk->der. */
static int read_body(struct pem_scan *s, struct pem_block *blk, struct body *b, struct cb_err *e)
{
	size_t start, end, ls, le;
	for (;;) {
		if (s->pos >= s->len)
			return cb_errf(e, CB_EINVAL, "PEM line %zu: BEGIN %s without END", blk->line, blk->label);
		next_line(s, &start, &end);
		if (armor(s->text, start, end, "END", &ls, &le))
			break;
		if (memchr(s->text + start, ':', end - start))
			return cb_errf(e, CB_EUNSUP,
				       "PEM line %zu: %s block has RFC 1421 headers (encrypted PEM is not supported)", s->line,
				       blk->label);
		int rc = body_add(b, s->text + start, end - start, s, blk, e);
		if (rc)
			return rc;
	}
	if (le - ls != strlen(blk->label) || memcmp(s->text + ls, blk->label, le - ls))
		return cb_errf(e, CB_EINVAL, "PEM line %zu: END does not match BEGIN %s (line %zu)", s->line, blk->label,
			       blk->line);
	if (b->len == 0)
		return cb_errf(e, CB_EINVAL, "PEM line %zu: empty %s block", blk->line, blk->label);
	size_t cap = b64_decoded_max(b->len);
	if (cap > s->max_der)
		cap = s->max_der;
	blk->der = malloc(cap ? cap : 1);
	if (!blk->der)
		return cb_errf(e, CB_ENOMEM, "PEM line %zu: out of memory", s->line);
	int rc = b64_decode(b->p, b->len, blk->der, cap, &blk->len, e);
	if (rc == CB_ELIMIT)
		return cb_errf(e, CB_ELIMIT, "PEM line %zu: %s block larger than %zu bytes", s->line, blk->label,
			       s->max_der);
	if (rc)
		return cb_err_prefix(e, "PEM line %zu: %s body is not base64: ", blk->line, blk->label);
	return 0;
}

void pem_scan_init(struct pem_scan *s, const char *text, size_t len, size_t max_der)
{
	*s = (struct pem_scan){ .text = text, .len = len, .max_der = max_der };
}

int pem_scan_next(struct pem_scan *s, struct pem_block *b, struct cb_err *e)
{
	memset(b, 0, sizeof(*b));
	size_t start, end, ls, le;
	do {
		if (s->pos >= s->len)
			return 0;
		next_line(s, &start, &end);
	} while (!armor(s->text, start, end, "BEGIN", &ls, &le));
	b->line = s->line;
	int rc;
	if (!label_ok(s->text + ls, le - ls)) {
		rc = cb_errf(e, CB_EINVAL, "PEM line %zu: bad BEGIN label", s->line);
	} else {
		memcpy(b->label, s->text + ls, le - ls);
		struct body body = { .max = b64_encoded_len(s->max_der) };
		rc = read_body(s, b, &body, e);
		free(body.p);
	}
	if (rc) {
		free(b->der);
		b->der = NULL;
		b->len = 0;
		s->pos = s->len;
		return rc;
	}
	return 1;
}
