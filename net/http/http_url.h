/* http_url.h: parsing of absolute http(s) URLs and RFC 3986 reference resolution (Location headers, OCI
 * upload locations). Pure string work: no I/O, no percent-decoding. */
#ifndef CB_HTTP_URL_H
#define CB_HTTP_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

#define HTTP_URL_MAX 8192 /* bytes, without the NUL */

struct http_url {
	bool tls;        /* https */
	uint16_t port;   /* explicit or 80/443 */
	char *host;      /* lower-case; an IPv6 literal without brackets */
	char *authority; /* the Host header value: host[:port], brackets for IPv6, default port left out */
	char *target;    /* request target: path ["?" query], always starting with "/"; the fragment is dropped */
};

/* Parses an absolute http:// or https:// URL. Rejects (CB_EINVAL, CB_EUNSUP for valid but unsupported
 * forms) with messages like "invalid URL: missing host". On success free with http_url_free(). */
int http_url_parse(const char *url, struct http_url *u, struct cb_err *e);
void http_url_free(struct http_url *u);

/* Same scheme, host and port: credentials may travel between the two. */
bool http_url_same_origin(const struct http_url *a, const struct http_url *b);

/* RFC 3986 section 5.2: resolves `ref` (absolute or relative) against the absolute URI `base`; *out is a
 * malloc'ed string (any scheme, fragment kept). CB_EINVAL for a relative base or a malformed scheme. */
int http_url_resolve(const char *base, const char *ref, char **out, struct cb_err *e);

#endif
