/* http_head.c: collects and parses one response head (status line + header fields) under a byte limit, and
 * derives the message framing from it. Does no I/O; the body is someone else's job (http_client.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cb_checked.h"
#include "http_internal.h"

int http_head_init(struct http_head *h, size_t max_bytes, struct cb_err *e)
{
	memset(h, 0, sizeof(*h));
	h->max_bytes = max_bytes;
	size_t cap;
	if (!cb_add_ok(max_bytes, (size_t)1, &cap) || !(h->buf = malloc(cap)))
		return cb_errf(e, CB_ENOMEM, "out of memory for a %zu-byte response header", max_bytes);
	return 0;
}

void http_head_reset(struct http_head *h)
{
	h->len = h->skip = 0;
	h->eol_run = 0;
	h->started = h->complete = false;
	h->version_minor = h->status = 0;
	h->reason = NULL;
	h->n_hdrs = 0;
}

void http_head_free(struct http_head *h)
{
	free(h->buf);
	memset(h, 0, sizeof(*h));
}

int http_head_feed(struct http_head *h, const void *in, size_t len, size_t *used, struct cb_err *e)
{
	const uint8_t *p = in;
	*used = 0;
	for (size_t i = 0; i < len && !h->complete; i++) {
		if (h->len >= h->max_bytes)
			return cb_errf(e, CB_ELIMIT, "response header exceeds %zu bytes", h->max_bytes);
		uint8_t ch = p[i];
		h->buf[h->len++] = (char)ch;
		*used = i + 1;
		if (!h->started) {
			if (ch == '\r' || ch == '\n') {
				h->skip = h->len;
				continue;
			}
			h->started = true;
		}
		if (ch == '\n') {
			if (++h->eol_run == 2) {
				h->complete = true;
				h->buf[h->len] = 0;
			}
		} else if (ch != '\r') {
			h->eol_run = 0;
		}
	}
	return 0;
}

static bool is_tchar(unsigned char ch)
{
	return isalnum(ch) || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* Field-value and reason-phrase bytes: HTAB, SP, VCHAR, obs-text. */
static bool is_vchar_ws(unsigned char ch)
{
	return ch == '\t' || (ch >= 0x20 && ch != 0x7f);
}

/* Next line of [*pos, end): returns its start, sets *n to its length without CR LF, advances *pos past the
 * LF. -1 when the line holds a bare CR. */
static int next_line(char *buf, size_t *pos, size_t end, char **line, size_t *n)
{
	size_t s = *pos, i = s;
	while (i < end && buf[i] != '\n')
		i++;
	size_t l = i - s;
	*pos = i < end ? i + 1 : end;
	if (l > 0 && buf[s + l - 1] == '\r')
		l--;
	*line = buf + s;
	*n = l;
	if (memchr(buf + s, '\r', l))
		return -1;
	return 0;
}

static int parse_status_line(struct http_head *h, char *line, size_t n, struct cb_err *e)
{
	char ex[HTTP_EXCERPT_SIZE];
	if (n < 5 || memcmp(line, "HTTP/", 5) != 0)
		return cb_errf(e, CB_EPROTO, "malformed status line %s", http_excerpt(line, n, ex, sizeof(ex)));
	if (n < 12 || memcmp(line, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)line[7]) || line[8] != ' ') {
		/* "HTTP/2 200", "HTTP/0.9 200": a version we do not speak; anything else is garbage. */
		size_t v = 5;
		while (v < n && line[v] != ' ')
			v++;
		bool version = v < n && v >= 6 && v <= 8 && isdigit((unsigned char)line[5]) &&
		               (v == 6 || (line[6] == '.' && v == 8 && isdigit((unsigned char)line[7])));
		if (version)
			return cb_errf(e, CB_EUNSUP, "unsupported HTTP version %s", http_excerpt(line, v, ex, sizeof(ex)));
		return cb_errf(e, CB_EPROTO, "malformed status line %s", http_excerpt(line, n, ex, sizeof(ex)));
	}
	if (!isdigit((unsigned char)line[9]) || !isdigit((unsigned char)line[10]) || !isdigit((unsigned char)line[11]) ||
	    (n > 12 && line[12] != ' '))
		return cb_errf(e, CB_EPROTO, "malformed status line %s", http_excerpt(line, n, ex, sizeof(ex)));
	int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
	if (status < 100 || status > 599)
		return cb_errf(e, CB_EPROTO, "malformed status line %s", http_excerpt(line, n, ex, sizeof(ex)));
	for (size_t i = 13; i < n; i++)
		if (!is_vchar_ws((unsigned char)line[i]))
			return cb_errf(e, CB_EPROTO, "malformed status line %s", http_excerpt(line, n, ex, sizeof(ex)));
	h->version_minor = line[7] - '0';
	h->status = status;
	h->reason = n > 13 ? line + 13 : "";
	line[n] = 0; /* over the CR or LF */
	return 0;
}

int http_head_parse(struct http_head *h, struct cb_err *e)
{
	char ex[HTTP_EXCERPT_SIZE];
	if (!h->complete)
		return cb_errf(e, CB_EPROTO, "incomplete response header");
	size_t pos = h->skip, end = h->len;
	char *line;
	size_t n;
	h->n_hdrs = 0;
	if (next_line(h->buf, &pos, end, &line, &n))
		return cb_errf(e, CB_EPROTO, "malformed status line %s", http_excerpt(line, n, ex, sizeof(ex)));
	int rc = parse_status_line(h, line, n, e);
	if (rc)
		return rc;
	for (;;) {
		if (next_line(h->buf, &pos, end, &line, &n))
			return cb_errf(e, CB_EPROTO, "bare CR in header line %s", http_excerpt(line, n, ex, sizeof(ex)));
		if (n == 0)
			break;
		if (line[0] == ' ' || line[0] == '\t')
			return cb_errf(e, CB_EPROTO, "obsolete header line folding %s", http_excerpt(line, n, ex, sizeof(ex)));
		size_t colon = 0;
		while (colon < n && is_tchar((unsigned char)line[colon]))
			colon++;
		if (colon == 0 || colon == n || line[colon] != ':')
			return cb_errf(e, CB_EPROTO, "malformed header line %s", http_excerpt(line, n, ex, sizeof(ex)));
		size_t vs = colon + 1, ve = n;
		while (vs < ve && (line[vs] == ' ' || line[vs] == '\t'))
			vs++;
		while (ve > vs && (line[ve - 1] == ' ' || line[ve - 1] == '\t'))
			ve--;
		for (size_t i = vs; i < ve; i++)
			if (!is_vchar_ws((unsigned char)line[i]))
				return cb_errf(e, CB_EPROTO, "invalid character in header line %s",
				               http_excerpt(line, n, ex, sizeof(ex)));
		if (h->n_hdrs == HTTP_MAX_HEADERS)
			return cb_errf(e, CB_ELIMIT, "more than %d header fields", HTTP_MAX_HEADERS);
		line[colon] = 0;
		line[ve] = 0; /* ve <= n: over trailing whitespace, the CR or the LF */
		h->hdrs[h->n_hdrs++] = (struct http_header){ line, line + vs };
	}
	return 0;
}

const char *http_head_get(const struct http_head *h, const char *name)
{
	for (size_t i = 0; i < h->n_hdrs; i++)
		if (!strcasecmp(h->hdrs[i].name, name))
			return h->hdrs[i].value;
	return NULL;
}

bool http_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]) || !cb_mul_ok(v, (uint64_t)10, &v) ||
		    !cb_add_ok(v, (uint64_t)(s[i] - '0'), &v))
			return false;
	}
	*out = v;
	return true;
}

/* Calls fn for each comma-separated, whitespace-trimmed element of v (empty ones skipped, as RFC 9110 5.6.1
 * asks); stops at the first nonzero return. */
static int for_each_elem(const char *v, int (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
	while (*v) {
		size_t n = strcspn(v, ",");
		const char *p = v, *q = v + n;
		while (p < q && (*p == ' ' || *p == '\t'))
			p++;
		while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		if (q > p) {
			int rc = fn(ctx, p, (size_t)(q - p));
			if (rc)
				return rc;
		}
		v += n;
		if (*v == ',')
			v++;
	}
	return 0;
}

struct cl_acc {
	bool have, bad, overflow, conflict;
	unsigned count; /* elements in the current header */
	uint64_t v;
};
static int cl_elem(void *ctx, const char *p, size_t n)
{
	struct cl_acc *a = ctx;
	uint64_t v;
	a->count++;
	if (!http_parse_u64(p, n, &v)) {
		bool digits = true;
		for (size_t i = 0; i < n; i++)
			digits = digits && isdigit((unsigned char)p[i]);
		if (digits)
			a->overflow = true;
		else
			a->bad = true;
		return 1;
	}
	if (a->have && a->v != v) {
		a->conflict = true;
		return 1;
	}
	a->have = true;
	a->v = v;
	return 0;
}

struct te_acc {
	unsigned n;
	bool chunked_last;
};
static int te_elem(void *ctx, const char *p, size_t n)
{
	struct te_acc *a = ctx;
	a->n++;
	a->chunked_last = n == 7 && !strncasecmp(p, "chunked", 7);
	return 0;
}

static int conn_elem(void *ctx, const char *p, size_t n)
{
	bool *close = ctx;
	if (n == 5 && !strncasecmp(p, "close", 5))
		*close = true;
	return 0;
}

int http_head_framing(const struct http_head *h, const char *method, struct http_framing_info *fi,
                      struct cb_err *e)
{
	char ex[HTTP_EXCERPT_SIZE];
	struct cl_acc cl = { 0 };
	struct te_acc te = { 0 };
	unsigned te_headers = 0;
	bool close = h->version_minor == 0;
	const char *te_val = NULL;
	for (size_t i = 0; i < h->n_hdrs; i++) {
		const struct http_header *f = &h->hdrs[i];
		if (!strcasecmp(f->name, "Content-Length")) {
			cl.count = 0;
			for_each_elem(f->value, cl_elem, &cl);
			if (cl.count == 0)
				cl.bad = true; /* empty value */
			if (cl.overflow)
				return cb_errf(e, CB_EPROTO, "Content-Length %s overflows 64 bits",
				               http_excerpt(f->value, strlen(f->value), ex, sizeof(ex)));
			if (cl.bad)
				return cb_errf(e, CB_EPROTO, "malformed Content-Length %s",
				               http_excerpt(f->value, strlen(f->value), ex, sizeof(ex)));
			if (cl.conflict)
				return cb_errf(e, CB_EPROTO, "conflicting Content-Length headers");
		} else if (!strcasecmp(f->name, "Transfer-Encoding")) {
			te_headers++;
			te_val = f->value;
			for_each_elem(f->value, te_elem, &te);
		} else if (!strcasecmp(f->name, "Connection")) {
			for_each_elem(f->value, conn_elem, &close);
		}
	}
	bool te_seen = te_headers > 0;
	if (te_headers > 1)
		return cb_errf(e, CB_EUNSUP, "unsupported Transfer-Encoding (%u headers)", te_headers);
	if (te_seen && !(te.n == 1 && te.chunked_last))
		return cb_errf(e, CB_EUNSUP, "unsupported Transfer-Encoding %s",
		               http_excerpt(te_val, strlen(te_val), ex, sizeof(ex)));

	bool head = method && !strcmp(method, "HEAD");
	fi->keep_alive = !close;
	if (head || h->status < 200 || h->status == 204 || h->status == 304) {
		fi->framing = HTTP_BODY_NONE;
		fi->length = cl.have ? cl.v : head ? UINT64_MAX : 0;
	} else if (te_seen) {
		fi->framing = HTTP_BODY_CHUNKED;
		fi->length = UINT64_MAX;
		if (cl.have) /* RFC 9112 6.3: Transfer-Encoding wins; do not trust the connection afterwards */
			fi->keep_alive = false;
	} else if (cl.have) {
		fi->framing = HTTP_BODY_LENGTH;
		fi->length = cl.v;
	} else {
		fi->framing = HTTP_BODY_CLOSE;
		fi->length = UINT64_MAX;
		fi->keep_alive = false;
	}
	return 0;
}

bool http_parse_content_range(const char *v, uint64_t *first, uint64_t *last, uint64_t *total)
{
	if (strncasecmp(v, "bytes ", 6) != 0)
		return false;
	v += 6;
	size_t a = strspn(v, "0123456789");
	if (v[a] != '-' || !http_parse_u64(v, a, first))
		return false;
	v += a + 1;
	size_t b = strspn(v, "0123456789");
	if (v[b] != '/' || !http_parse_u64(v, b, last))
		return false;
	v += b + 1;
	size_t c = strspn(v, "0123456789");
	if (v[c] != 0 || !http_parse_u64(v, c, total))
		return false;
	return *first <= *last && *last < *total;
}
