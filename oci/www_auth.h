/* www_auth.h: parser for HTTP authentication challenges (`WWW-Authenticate`, RFC 9110 §11.6.1): several
 * challenges per header, auth-params with tokens or quoted strings, token68. It does not authenticate. */
#ifndef OCI_WWW_AUTH_H
#define OCI_WWW_AUTH_H

#include <stddef.h>

#include "cb_err.h"

#define OCI_AUTH_MAX_CHALLENGES 8
#define OCI_AUTH_MAX_PARAMS 16   /* per challenge */
#define OCI_AUTH_MAX_HEADER 8192 /* bytes of all parsed header values together (at most 8 values) */

struct oci_auth_param {
	const char *name;  /* lower-cased */
	const char *value; /* unquoted, escapes resolved */
};

struct oci_auth_challenge {
	const char *scheme;  /* as sent ("Bearer", "Basic"); compare case-insensitively */
	const char *token68; /* or NULL */
	struct oci_auth_param params[OCI_AUTH_MAX_PARAMS];
	size_t n_params;
};

struct oci_www_auth {
	struct oci_auth_challenge ch[OCI_AUTH_MAX_CHALLENGES];
	size_t n;
	char *bufs[OCI_AUTH_MAX_CHALLENGES]; /* one per added header value; the strings above point into them */
	size_t n_bufs, bytes;
};

/* Zeroes a. Then feed each WWW-Authenticate header value in order with oci_www_auth_add. */
void oci_www_auth_init(struct oci_www_auth *a);
/* Parses one header value, appending its challenges. 0, or CB_EINVAL ("www-authenticate: offset N: <why>"),
 * CB_ELIMIT (too many challenges/params/bytes), CB_ENOMEM. On error a keeps the earlier challenges. */
int oci_www_auth_add(struct oci_www_auth *a, const char *value, struct cb_err *e);
void oci_www_auth_free(struct oci_www_auth *a);

/* The first challenge with this scheme (case-insensitive), or NULL. */
const struct oci_auth_challenge *oci_www_auth_find(const struct oci_www_auth *a, const char *scheme);
/* The value of parameter `name` (case-insensitive) or NULL. */
const char *oci_auth_param(const struct oci_auth_challenge *c, const char *name);

#endif
