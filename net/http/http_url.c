/* http_url.c: absolute http(s) URL parsing and RFC 3986 reference resolution with dot-segment removal.
 * No percent-decoding, no IDNA, no user info: what a boot loader's registry and blob URLs need. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cb_checked.h"
#include "http_url.h"

/* One URI reference split per RFC 3986 appendix B; spans point into the source string. */
struct span {
	const char *p;
	size_t n;
	bool def;
};
struct uri_parts {
	struct span scheme, authority, path, query, fragment;
};

static bool scheme_ok(const char *p, size_t n)
{
	if (n == 0 || !isalpha((unsigned char)p[0]))
		return false;
	for (size_t i = 1; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (!isalnum(ch) && ch != '+' && ch != '-' && ch != '.')
			return false;
	}
	return true;
}

static int split_uri(const char *s, struct uri_parts *u, struct cb_err *e)
{
	memset(u, 0, sizeof(*u));
	size_t n = strlen(s), i = strcspn(s, ":/?#");
	if (i < n && s[i] == ':' && i > 0) {
		if (!scheme_ok(s, i))
			return cb_errf(e, CB_EINVAL, "invalid URL: malformed scheme");
		u->scheme = (struct span){ s, i, true };
		s += i + 1;
	} else if (i < n && s[i] == ':' && i == 0) {
		return cb_errf(e, CB_EINVAL, "invalid URL: empty scheme");
	}
	if (s[0] == '/' && s[1] == '/') {
		size_t a = strcspn(s + 2, "/?#");
		u->authority = (struct span){ s + 2, a, true };
		s += 2 + a;
	}
	size_t p = strcspn(s, "?#");
	u->path = (struct span){ s, p, true };
	s += p;
	if (*s == '?') {
		size_t q = strcspn(s + 1, "#");
		u->query = (struct span){ s + 1, q, true };
		s += 1 + q;
	}
	if (*s == '#')
		u->fragment = (struct span){ s + 1, strlen(s + 1), true };
	return 0;
}

/* RFC 3986 section 5.2.4 on in[0..n) into out (at least n + 1 bytes); returns the output length. */
static size_t remove_dot_segments(char *in, size_t n, char *out)
{
	size_t i = 0, o = 0;
	while (i < n) {
		size_t left = n - i;
		char *s = in + i;
		if (left >= 3 && !memcmp(s, "../", 3)) {
			i += 3;
		} else if (left >= 2 && !memcmp(s, "./", 2)) {
			i += 2;
		} else if (left >= 3 && !memcmp(s, "/./", 3)) {
			i += 2; /* "/./x" -> "/x" */
		} else if (left == 2 && !memcmp(s, "/.", 2)) {
			i += 1;
			in[i] = '/';
		} else if ((left >= 4 && !memcmp(s, "/../", 4)) || (left == 3 && !memcmp(s, "/..", 3))) {
			if (left == 3) {
				i += 2;
				in[i] = '/';
			} else {
				i += 3;
			}
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if ((left == 1 && s[0] == '.') || (left == 2 && !memcmp(s, "..", 2))) {
			i = n;
		} else {
			size_t k = (s[0] == '/') ? 1 : 0;
			while (k < left && s[k] != '/')
				k++;
			memcpy(out + o, s, k);
			o += k;
			i += k;
		}
	}
	out[o] = 0;
	return o;
}

/* Appends a span to a malloc'ed path buffer after dot-segment removal. */
static char *rds_dup(const char *a, size_t an, const char *b, size_t bn, size_t *outn)
{
	size_t n;
	if (!cb_add_ok(an, bn, &n) || n > HTTP_URL_MAX * 2)
		return NULL;
	char *in = malloc(n + 1), *out = malloc(n + 1);
	if (!in || !out) {
		free(in);
		free(out);
		return NULL;
	}
	memcpy(in, a, an);
	memcpy(in + an, b, bn);
	in[n] = 0;
	*outn = remove_dot_segments(in, n, out);
	free(in);
	return out;
}

int http_url_resolve(const char *base, const char *ref, char **out, struct cb_err *e)
{
	*out = NULL;
	if (strlen(base) > HTTP_URL_MAX || strlen(ref) > HTTP_URL_MAX)
		return cb_errf(e, CB_ELIMIT, "invalid URL: longer than %d bytes", HTTP_URL_MAX);
	struct uri_parts b, r;
	int rc = split_uri(base, &b, e);
	if (rc)
		return rc;
	if (!b.scheme.def)
		return cb_errf(e, CB_EINVAL, "invalid URL: base is not absolute");
	rc = split_uri(ref, &r, e);
	if (rc)
		return rc;

	struct span scheme, auth, query, frag = r.fragment;
	const char *pa = "", *pb = "";
	size_t pan = 0, pbn = 0;
	bool dots = true;
	if (r.scheme.def) {
		scheme = r.scheme, auth = r.authority, query = r.query;
		pa = r.path.p, pan = r.path.n;
	} else {
		scheme = b.scheme;
		if (r.authority.def) {
			auth = r.authority, query = r.query;
			pa = r.path.p, pan = r.path.n;
		} else {
			auth = b.authority;
			if (r.path.n == 0) {
				pa = b.path.p, pan = b.path.n;
				dots = false;
				query = r.query.def ? r.query : b.query;
			} else {
				query = r.query;
				if (r.path.p[0] == '/') {
					pa = r.path.p, pan = r.path.n;
				} else if (b.authority.def && b.path.n == 0) { /* merge, section 5.2.3 */
					pa = "/", pan = 1;
					pb = r.path.p, pbn = r.path.n;
				} else {
					size_t keep = b.path.n;
					while (keep > 0 && b.path.p[keep - 1] != '/')
						keep--;
					pa = b.path.p, pan = keep;
					pb = r.path.p, pbn = r.path.n;
				}
			}
		}
	}
	size_t pn = 0;
	char *path = dots ? rds_dup(pa, pan, pb, pbn, &pn) : NULL;
	if (dots && !path)
		return cb_errf(e, CB_ENOMEM, "invalid URL: out of memory resolving reference");
	if (!dots)
		pn = pan;
	const char *pp = dots ? path : pa;

	size_t total = scheme.n + 1 + 2 + auth.n + pn + 1 + query.n + 1 + frag.n + 1;
	char *s = malloc(total);
	if (!s) {
		free(path);
		return cb_errf(e, CB_ENOMEM, "invalid URL: out of memory resolving reference");
	}
	size_t o = 0;
	memcpy(s + o, scheme.p, scheme.n), o += scheme.n;
	s[o++] = ':';
	if (auth.def) {
		s[o++] = '/', s[o++] = '/';
		memcpy(s + o, auth.p, auth.n), o += auth.n;
	}
	memcpy(s + o, pp, pn), o += pn;
	if (query.def) {
		s[o++] = '?';
		memcpy(s + o, query.p, query.n), o += query.n;
	}
	if (frag.def) {
		s[o++] = '#';
		memcpy(s + o, frag.p, frag.n), o += frag.n;
	}
	s[o] = 0;
	free(path);
	*out = s;
	return 0;
}

static char *dup_n(const char *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = 0;
	}
	return s;
}

void http_url_free(struct http_url *u)
{
	if (!u)
		return;
	free(u->host);
	free(u->authority);
	free(u->target);
	memset(u, 0, sizeof(*u));
}

static bool host_char_ok(unsigned char ch)
{
	return isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~';
}

int http_url_parse(const char *url, struct http_url *u, struct cb_err *e)
{
	memset(u, 0, sizeof(*u));
	size_t len = strlen(url);
	if (len > HTTP_URL_MAX)
		return cb_errf(e, CB_ELIMIT, "invalid URL: longer than %d bytes", HTTP_URL_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)url[i];
		if (ch <= 0x20 || ch == 0x7f)
			return cb_errf(e, CB_EINVAL, "invalid URL: control character or space at offset %zu", i);
		if (ch >= 0x80)
			return cb_errf(e, CB_EINVAL, "invalid URL: non-ASCII byte at offset %zu", i);
	}
	struct uri_parts p;
	int rc = split_uri(url, &p, e);
	if (rc)
		return rc;
	if (!p.scheme.def)
		return cb_errf(e, CB_EINVAL, "invalid URL: no scheme");
	if (p.scheme.n == 4 && !strncasecmp(p.scheme.p, "http", 4))
		u->tls = false;
	else if (p.scheme.n == 5 && !strncasecmp(p.scheme.p, "https", 5))
		u->tls = true;
	else
		return cb_errf(e, CB_EUNSUP, "invalid URL: unsupported scheme \"%.*s\"", (int)(p.scheme.n > 16 ? 16 : p.scheme.n),
		               p.scheme.p);
	if (!p.authority.def)
		return cb_errf(e, CB_EINVAL, "invalid URL: missing host");
	const char *a = p.authority.p, *end = a + p.authority.n;
	if (memchr(a, '@', p.authority.n))
		return cb_errf(e, CB_EUNSUP, "invalid URL: user info not supported");

	const char *h, *hend, *rest;
	bool v6 = false;
	if (a < end && *a == '[') {
		const char *close = memchr(a, ']', (size_t)(end - a));
		if (!close)
			return cb_errf(e, CB_EINVAL, "invalid URL: unterminated IPv6 literal");
		h = a + 1, hend = close, rest = close + 1;
		v6 = true;
		bool colon = false;
		for (const char *q = h; q < hend; q++) {
			if (*q == ':')
				colon = true;
			else if (!isxdigit((unsigned char)*q) && *q != '.')
				return cb_errf(e, CB_EUNSUP, "invalid URL: unsupported IPv6 literal");
		}
		if (!colon)
			return cb_errf(e, CB_EINVAL, "invalid URL: malformed IPv6 literal");
		if (rest < end && *rest != ':')
			return cb_errf(e, CB_EINVAL, "invalid URL: junk after IPv6 literal");
	} else {
		h = a;
		hend = memchr(a, ':', (size_t)(end - a));
		if (!hend)
			hend = end;
		rest = hend;
		for (const char *q = h; q < hend; q++)
			if (!host_char_ok((unsigned char)*q))
				return cb_errf(e, CB_EINVAL, "invalid URL: bad character '%c' in host", *q);
	}
	if (hend == h)
		return cb_errf(e, CB_EINVAL, "invalid URL: missing host");
	if (hend - h > 253)
		return cb_errf(e, CB_ELIMIT, "invalid URL: host longer than 253 bytes");
	uint32_t port = u->tls ? 443 : 80;
	bool port_explicit = false;
	if (rest < end) { /* ":" port */
		const char *q = rest + 1;
		if (q < end) {
			uint32_t v = 0;
			for (; q < end; q++) {
				if (!isdigit((unsigned char)*q) || (v = v * 10 + (uint32_t)(*q - '0')) > 65535)
					return cb_errf(e, CB_EINVAL, "invalid URL: bad port \"%.*s\"", (int)(end - rest - 1 > 16 ? 16 : end - rest - 1),
					               rest + 1);
			}
			if (v == 0)
				return cb_errf(e, CB_EINVAL, "invalid URL: bad port \"%.*s\"", (int)(end - rest - 1 > 16 ? 16 : end - rest - 1),
				               rest + 1);
			port = v;
			port_explicit = true;
		}
	}
	u->port = (uint16_t)port;
	u->host = dup_n(h, (size_t)(hend - h));
	size_t hn = (size_t)(hend - h);
	size_t alen = hn + (v6 ? 2 : 0) + 7;
	u->authority = malloc(alen);
	size_t tlen = (p.path.n ? p.path.n : 1) + (p.query.def ? 1 + p.query.n : 0);
	u->target = malloc(tlen + 1);
	if (!u->host || !u->authority || !u->target) {
		http_url_free(u);
		return cb_errf(e, CB_ENOMEM, "invalid URL: out of memory");
	}
	for (char *q = u->host; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	size_t o = 0;
	if (v6)
		u->authority[o++] = '[';
	memcpy(u->authority + o, u->host, hn), o += hn;
	if (v6)
		u->authority[o++] = ']';
	u->authority[o] = 0;
	if (port_explicit && port != (u->tls ? 443u : 80u))
		snprintf(u->authority + o, alen - o, ":%u", (unsigned)port);
	o = 0;
	if (p.path.n) {
		memcpy(u->target, p.path.p, p.path.n), o = p.path.n;
	} else {
		u->target[o++] = '/';
	}
	if (p.query.def) {
		u->target[o++] = '?';
		memcpy(u->target + o, p.query.p, p.query.n), o += p.query.n;
	}
	u->target[o] = 0;
	return 0;
}

bool http_url_same_origin(const struct http_url *a, const struct http_url *b)
{
	return a->tls == b->tls && a->port == b->port && !strcmp(a->host, b->host);
}
