/* www_auth.c: parses `WWW-Authenticate` values into challenges (scheme, token68 or auth-params, quoted strings
 * unescaped). The registry client decides what to do with them; no credentials are handled here. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "www_auth.h"

void oci_www_auth_init(struct oci_www_auth *a)
{
	memset(a, 0, sizeof(*a));
}

void oci_www_auth_free(struct oci_www_auth *a)
{
	for (size_t i = 0; i < a->n_bufs; i++)
		free(a->bufs[i]);
	memset(a, 0, sizeof(*a));
}

static bool tchar(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool t68char(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("-._~+/", c));
}

struct parse {
	const char *s;
	size_t i, n;
	char *out;   /* decoded strings, NUL-terminated, one after another */
	size_t o;
	struct cb_err *e;
};

static int perr(struct parse *p, int code, const char *why)
{
	return cb_errf(p->e, code, "www-authenticate: offset %zu: %s", p->i, why);
}

static void ows(struct parse *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
		p->i++;
}

static size_t token_len(const struct parse *p, size_t at)
{
	size_t k = at;
	while (k < p->n && tchar(p->s[k]))
		k++;
	return k - at;
}

/* Copies s[at..at+n) to the output (lower-cased when asked) and returns it. */
static const char *emit(struct parse *p, size_t at, size_t n, bool lower)
{
	char *d = p->out + p->o;
	for (size_t k = 0; k < n; k++)
		d[k] = lower ? (char)tolower((unsigned char)p->s[at + k]) : p->s[at + k];
	d[n] = 0;
	p->o += n + 1;
	return d;
}

static int quoted(struct parse *p, const char **val)
{
	char *d = p->out + p->o;
	size_t k = 0;
	p->i++; /* opening quote */
	for (;;) {
		if (p->i >= p->n)
			return perr(p, CB_EINVAL, "unterminated quoted string");
		unsigned char c = (unsigned char)p->s[p->i];
		if (c == '"')
			break;
		if (c == '\\') {
			p->i++;
			if (p->i >= p->n)
				return perr(p, CB_EINVAL, "unterminated quoted string");
			c = (unsigned char)p->s[p->i];
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return perr(p, CB_EINVAL, "control character in quoted string");
		d[k++] = (char)c;
		p->i++;
	}
	p->i++; /* closing quote */
	d[k] = 0;
	p->o += k + 1;
	*val = d;
	return 0;
}

/* At p->i: is this `token BWS "=" BWS value` (an auth-param), rather than a new challenge's scheme or a
 * token68 ending in '=' ("abc==", "abc=" followed by the end or a comma)? */
static bool at_param(const struct parse *p)
{
	size_t k = p->i + token_len(p, p->i);
	if (k == p->i)
		return false;
	while (k < p->n && (p->s[k] == ' ' || p->s[k] == '\t'))
		k++;
	if (k == p->n || p->s[k] != '=')
		return false;
	k++;
	if (k < p->n && p->s[k] == '=')
		return false;
	while (k < p->n && (p->s[k] == ' ' || p->s[k] == '\t'))
		k++;
	return k < p->n && p->s[k] != ',';
}

/* token68 followed by OWS and the end or a comma. */
static size_t token68_len(const struct parse *p)
{
	size_t k = p->i;
	while (k < p->n && t68char(p->s[k]))
		k++;
	if (k == p->i)
		return 0;
	while (k < p->n && p->s[k] == '=')
		k++;
	size_t end = k;
	while (k < p->n && (p->s[k] == ' ' || p->s[k] == '\t'))
		k++;
	return (k == p->n || p->s[k] == ',') ? end - p->i : 0;
}

static int params(struct parse *p, struct oci_auth_challenge *c)
{
	for (;;) {
		size_t tl = token_len(p, p->i);
		if (c->n_params == OCI_AUTH_MAX_PARAMS)
			return perr(p, CB_ELIMIT, "more than 16 parameters in one challenge");
		struct oci_auth_param *pa = &c->params[c->n_params];
		pa->name = emit(p, p->i, tl, true);
		for (size_t k = 0; k < c->n_params; k++)
			if (!strcmp(c->params[k].name, pa->name))
				return perr(p, CB_EINVAL, "duplicate parameter");
		p->i += tl;
		ows(p);
		p->i++; /* '=' (at_param checked it) */
		ows(p);
		if (p->i < p->n && p->s[p->i] == '"') {
			int rc = quoted(p, &pa->value);
			if (rc)
				return rc;
		} else {
			size_t vl = token_len(p, p->i);
			if (vl == 0)
				return perr(p, CB_EINVAL, "expected a token or quoted string after '='");
			pa->value = emit(p, p->i, vl, false);
			p->i += vl;
		}
		c->n_params++;
		ows(p);
		if (p->i == p->n)
			return 0;
		if (p->s[p->i] != ',')
			return perr(p, CB_EINVAL, "expected ',' after a parameter");
		while (p->i < p->n && (p->s[p->i] == ',' || p->s[p->i] == ' ' || p->s[p->i] == '\t'))
			p->i++;
		if (p->i == p->n || !at_param(p))
			return 0; /* the end, or the next challenge */
	}
}

int oci_www_auth_add(struct oci_www_auth *a, const char *value, struct cb_err *e)
{
	size_t n = strnlen(value, OCI_AUTH_MAX_HEADER + 1);
	if (n > OCI_AUTH_MAX_HEADER - a->bytes)
		return cb_errf(e, CB_ELIMIT, "www-authenticate: challenges longer than %d bytes", OCI_AUTH_MAX_HEADER);
	if (a->n_bufs == OCI_AUTH_MAX_CHALLENGES)
		return cb_errf(e, CB_ELIMIT, "www-authenticate: more than %d header values", OCI_AUTH_MAX_CHALLENGES);
	struct parse p = { .s = value, .n = n, .e = e };
	p.out = malloc(2 * n + 2);
	if (!p.out)
		return cb_errf(e, CB_ENOMEM, "www-authenticate: out of memory");
	struct oci_www_auth keep = *a; /* challenges of this value only count when it all parses */
	int rc = 0;
	for (;;) {
		while (p.i < p.n && (p.s[p.i] == ',' || p.s[p.i] == ' ' || p.s[p.i] == '\t'))
			p.i++;
		if (p.i == p.n)
			break;
		size_t tl = token_len(&p, p.i);
		if (tl == 0) {
			rc = perr(&p, CB_EINVAL, "expected an auth scheme");
			break;
		}
		if (a->n == OCI_AUTH_MAX_CHALLENGES) {
			rc = perr(&p, CB_ELIMIT, "more than 8 challenges");
			break;
		}
		struct oci_auth_challenge *c = &a->ch[a->n++];
		memset(c, 0, sizeof(*c));
		c->scheme = emit(&p, p.i, tl, false);
		p.i += tl;
		if (p.i == p.n || p.s[p.i] == ',')
			continue;
		if (p.s[p.i] != ' ') {
			rc = perr(&p, CB_EINVAL, "expected a space after the auth scheme");
			break;
		}
		while (p.i < p.n && p.s[p.i] == ' ')
			p.i++;
		if (p.i == p.n || p.s[p.i] == ',')
			continue;
		if (at_param(&p)) {
			if ((rc = params(&p, c)))
				break;
			continue;
		}
		size_t t68 = token68_len(&p);
		if (t68 == 0) {
			rc = perr(&p, CB_EINVAL, "expected auth parameters or a token68");
			break;
		}
		c->token68 = emit(&p, p.i, t68, false);
		p.i += t68;
	}
	if (rc) {
		free(p.out);
		*a = keep;
		return rc;
	}
	a->bufs[a->n_bufs++] = p.out;
	a->bytes += n;
	return 0;
}

const struct oci_auth_challenge *oci_www_auth_find(const struct oci_www_auth *a, const char *scheme)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcasecmp(a->ch[i].scheme, scheme))
			return &a->ch[i];
	return NULL;
}

const char *oci_auth_param(const struct oci_auth_challenge *c, const char *name)
{
	for (size_t i = 0; i < c->n_params; i++)
		if (!strcasecmp(c->params[i].name, name))
			return c->params[i].value;
	return NULL;
}
