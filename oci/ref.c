/* ref.c: parses and normalises image references the way docker does (Docker Hub defaults, registry vs
 * repository split, tag vs digest) and checks digest syntax. No network and no registry knowledge beyond names. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_internal.h"
#include "ref.h"

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_hex_lower(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool oci_digest_is_sha256(const char *d)
{
	if (!d || strncmp(d, "sha256:", 7) != 0)
		return false;
	for (size_t i = 0; i < 64; i++)
		if (!is_hex_lower(d[7 + i]))
			return false;
	return d[71] == 0;
}

/* OCI image-spec descriptor digest: algorithm ([a-z0-9]+ joined by [+._-]) ":" encoded ([a-zA-Z0-9=_-]+). */
bool oci_digest_valid(const char *d)
{
	if (!d)
		return false;
	size_t i = 0;
	for (;;) {
		size_t start = i;
		while (is_lower_alnum(d[i]))
			i++;
		if (i == start)
			return false;
		if (d[i] == ':')
			break;
		if (d[i] != '+' && d[i] != '.' && d[i] != '_' && d[i] != '-')
			return false;
		i++;
	}
	size_t start = ++i;
	while (isalnum((unsigned char)d[i]) || d[i] == '=' || d[i] == '_' || d[i] == '-')
		i++;
	return i > start && d[i] == 0 && i <= 256;
}

void oci_digest_format(const uint8_t sha[32], char out[OCI_DIGEST_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	memcpy(out, "sha256:", 7);
	for (size_t i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[sha[i] >> 4];
		out[8 + 2 * i] = hex[sha[i] & 15];
	}
	out[OCI_DIGEST_LEN] = 0;
}

/* Repository component: [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*. */
static bool component_ok(const char *p, size_t n)
{
	size_t i = 0;
	for (;;) {
		size_t start = i;
		while (i < n && is_lower_alnum(p[i]))
			i++;
		if (i == start)
			return false;
		if (i == n)
			return true;
		if (p[i] == '.')
			i++;
		else if (p[i] == '_')
			i += (i + 1 < n && p[i + 1] == '_') ? 2 : 1;
		else if (p[i] == '-')
			while (i < n && p[i] == '-')
				i++;
		else
			return false;
	}
}

static const char *repo_problem(const char *p, size_t n)
{
	if (n == 0)
		return "empty repository";
	if (n > OCI_REPO_MAX)
		return "repository longer than 255 bytes";
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && p[i] != '/')
			continue;
		if (!component_ok(p + start, i - start))
			return "invalid repository path component (lower-case letters, digits and single . _ __ - "
			       "separators)";
		start = i + 1;
	}
	return NULL;
}

static const char *tag_problem(const char *p, size_t n)
{
	if (n == 0)
		return "empty tag";
	if (n > OCI_TAG_MAX)
		return "tag longer than 128 bytes";
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		bool ok = isalnum((unsigned char)c) || c == '_' || (i > 0 && (c == '.' || c == '-'));
		if (!ok)
			return "invalid tag (letters, digits, _ . -, not starting with . or -)";
	}
	return NULL;
}

/* host[:port] with host a DNS name (labels of letters, digits, inner '-'), an IPv4 address or [IPv6]. */
static const char *registry_problem(const char *p, size_t n)
{
	size_t i = 0;
	if (n > 0 && p[0] == '[') {
		while (i < n && p[i] != ']')
			i++;
		if (i == n)
			return "unterminated [IPv6] registry address";
		if (i < 3)
			return "empty [IPv6] registry address";
		for (size_t k = 1; k < i; k++)
			if (!isxdigit((unsigned char)p[k]) && p[k] != ':' && p[k] != '.')
				return "invalid [IPv6] registry address";
		i++;
	} else {
		size_t label = 0;
		for (; i < n && p[i] != ':'; i++) {
			char c = p[i];
			if (c == '.') {
				if (label == 0 || p[i - 1] == '-')
					return "invalid registry host name";
				label = 0;
				continue;
			}
			if (!isalnum((unsigned char)c) && !(c == '-' && label > 0))
				return "invalid registry host name";
			label++;
		}
		if (label == 0 || p[i - 1] == '-')
			return "invalid registry host name";
		if (i > 253)
			return "registry host name longer than 253 bytes";
	}
	if (i == n)
		return NULL;
	if (p[i] != ':')
		return "invalid registry address";
	size_t digits = n - i - 1;
	if (digits == 0 || digits > 5)
		return "invalid registry port";
	unsigned long port = 0;
	for (size_t k = i + 1; k < n; k++) {
		if (!isdigit((unsigned char)p[k]))
			return "invalid registry port";
		port = port * 10 + (unsigned long)(p[k] - '0');
	}
	if (port == 0 || port > 65535)
		return "registry port out of range 1..65535";
	return NULL;
}

static int bad(struct cb_err *e, int code, const char *s, const char *why)
{
	char ex[OCI_EXCERPT_SIZE];
	return cb_errf(e, code, "oci: reference %s: %s", oci_excerpt_str(s, ex, sizeof(ex)), why);
}

void oci_ref_free(struct oci_ref *r)
{
	if (!r)
		return;
	free(r->registry);
	free(r->repo);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

static bool hub_alias(const char *p, size_t n)
{
	return (n == 9 && !memcmp(p, "docker.io", 9)) || (n == 15 && !memcmp(p, "index.docker.io", 15)) ||
	       (n == 20 && !memcmp(p, OCI_DOCKER_HUB, 20));
}

int oci_ref_parse(const char *s, struct oci_ref *out, struct cb_err *e)
{
	memset(out, 0, sizeof(*out));
	if (!s)
		return cb_errf(e, CB_EINVAL, "oci: no reference");
	size_t len = strnlen(s, OCI_REF_MAX + 1);
	if (len > OCI_REF_MAX)
		return bad(e, CB_ELIMIT, s, "longer than 1024 bytes");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return bad(e, CB_EINVAL, s, "control, space or non-ASCII character");
	const char *p = s;
	if (!strncmp(p, "oci://", 6))
		p += 6;
	else if (strstr(p, "://"))
		return bad(e, CB_EUNSUP, s, "unsupported scheme (only oci://)");
	size_t n = strlen(p);
	if (n == 0)
		return bad(e, CB_EINVAL, s, "empty");

	const char *at = memchr(p, '@', n);
	const char *dig = NULL;
	size_t name_len = n;
	if (at) {
		dig = at + 1;
		name_len = (size_t)(at - p);
		if (strchr(dig, '@'))
			return bad(e, CB_EINVAL, s, "more than one '@'");
		if (!strncmp(dig, "sha256:", 7)) {
			if (!oci_digest_is_sha256(dig))
				return bad(e, CB_EINVAL, s, "invalid sha256 digest (64 lower-case hex digits)");
		} else if (oci_digest_valid(dig)) {
			return bad(e, CB_EUNSUP, s, "unsupported digest algorithm (only sha256)");
		} else {
			return bad(e, CB_EINVAL, s, "invalid digest");
		}
	}
	if (name_len == 0)
		return bad(e, CB_EINVAL, s, "missing repository");

	/* The tag is after a ':' in the last path component (a ':' before the first '/' is a port). */
	const char *last_slash = NULL;
	for (size_t i = 0; i < name_len; i++)
		if (p[i] == '/')
			last_slash = p + i;
	const char *last = last_slash ? last_slash + 1 : p;
	const char *colon = memchr(last, ':', name_len - (size_t)(last - p));
	const char *tag = NULL;
	size_t tag_len = 0, path_len = name_len;
	if (colon) {
		tag = colon + 1;
		tag_len = name_len - (size_t)(tag - p);
		path_len = (size_t)(colon - p);
		const char *why = tag_problem(tag, tag_len);
		if (why)
			return bad(e, CB_EINVAL, s, why);
	}

	const char *slash = memchr(p, '/', path_len);
	const char *reg = OCI_DOCKER_HUB, *repo = p;
	size_t reg_len = strlen(OCI_DOCKER_HUB), repo_len = path_len;
	bool hub = true;
	if (slash) {
		size_t first = (size_t)(slash - p);
		bool domain = memchr(p, '.', first) || memchr(p, ':', first) || (first == 9 && !memcmp(p, "localhost", 9));
		for (size_t i = 0; i < first && !domain; i++)
			domain = isupper((unsigned char)p[i]);
		if (domain) {
			repo = slash + 1;
			repo_len = path_len - first - 1;
			if (!hub_alias(p, first)) {
				reg = p;
				reg_len = first;
				hub = false;
			}
		}
	}
	if (!hub) {
		const char *why = registry_problem(reg, reg_len);
		if (why)
			return bad(e, CB_EINVAL, s, why);
	}
	const char *why = repo_problem(repo, repo_len);
	if (why)
		return bad(e, CB_EINVAL, s, why);
	bool library = hub && !memchr(repo, '/', repo_len);
	if (library && repo_len + 8 > OCI_REPO_MAX)
		return bad(e, CB_EINVAL, s, "repository longer than 255 bytes");

	out->registry = oci_strndup(reg, reg_len);
	out->repo = malloc(repo_len + (library ? 8 : 0) + 1);
	if (out->repo) {
		memcpy(out->repo, "library/", library ? 8 : 0);
		memcpy(out->repo + (library ? 8 : 0), repo, repo_len);
		out->repo[repo_len + (library ? 8 : 0)] = 0;
	}
	if (tag)
		out->tag = oci_strndup(tag, tag_len);
	else if (!dig)
		out->tag = oci_strndup("latest", 6);
	if (dig)
		out->digest = oci_strndup(dig, OCI_DIGEST_LEN);
	if (!out->registry || !out->repo || ((tag || !dig) && !out->tag) || (dig && !out->digest)) {
		oci_ref_free(out);
		return bad(e, CB_ENOMEM, s, "out of memory");
	}
	return 0;
}

int oci_ref_copy(const struct oci_ref *src, struct oci_ref *dst, struct cb_err *e)
{
	memset(dst, 0, sizeof(*dst));
	dst->registry = oci_strndup(src->registry, strlen(src->registry));
	dst->repo = oci_strndup(src->repo, strlen(src->repo));
	dst->tag = src->tag ? oci_strndup(src->tag, strlen(src->tag)) : NULL;
	dst->digest = src->digest ? oci_strndup(src->digest, strlen(src->digest)) : NULL;
	if (!dst->registry || !dst->repo || (src->tag && !dst->tag) || (src->digest && !dst->digest)) {
		oci_ref_free(dst);
		return cb_errf(e, CB_ENOMEM, "oci: out of memory copying a reference");
	}
	return 0;
}

size_t oci_ref_format(const struct oci_ref *r, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%s/%s%s%s%s%s", r->registry, r->repo, r->tag ? ":" : "", r->tag ? r->tag : "",
	                 r->digest ? "@" : "", r->digest ? r->digest : "");
	return n < 0 ? 0 : (size_t)n;
}
