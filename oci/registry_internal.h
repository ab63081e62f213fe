/* registry_internal.h: the one authenticated request path of the registry client (registry.c), shared with the
 * push side (registry_push.c). Not a public API: nothing outside oci/registry*.c includes it. */
#ifndef OCI_REGISTRY_INTERNAL_H
#define OCI_REGISTRY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "cb_err.h"
#include "http.h"
#include "oci_internal.h"
#include "ref.h"
#include "registry.h"
#include "www_auth.h"

#define REG_URL_MAX 2048

/* One request on a registry. */
struct reg_call {
	const char *method; /* NULL = GET */
	const char *url;
	const char *accept, *content_type, *content_range; /* optional headers */
	const void *body;
	size_t body_len;
	bool push;    /* needs the repository's push scope ("repository:<repo>:pull,push") */
	bool no_auth; /* never send Authorization (an upload location on another origin) */
};

/* The state of one call: the final status, what a 401 challenged, the error body, and the headers of a 2xx. */
struct xfer {
	struct oci_registry *r;
	const char *subject; /* for messages */
	int status;
	bool ok;
	struct oci_www_auth auth;
	int auth_rc;
	struct cb_err auth_err;
	struct oci_buf errbody;
	char content_type[128];
	char dcd[OCI_DIGEST_SIZE]; /* Docker-Content-Digest, "" when absent or too long */
	char *location;            /* Location (malloc'ed) or NULL */
	char range[48];            /* Range (upload progress), "" when absent */
	bool oci_subject;          /* OCI-Subject was sent (the registry indexed a manifest's subject) */
	/* the caller's part, for 2xx responses; either may be NULL */
	int (*on_ok)(void *ctx, const struct http_response *resp, struct cb_err *e);
	int (*on_body)(void *ctx, const void *p, size_t n, struct cb_err *e);
	void *ctx;
};

/* Sends c on ref's registry with cached auth; on 401, one challenge round (token or Basic for the call's scope)
 * and one retry. 0 only for a 2xx; other statuses give "oci: <subject>: <noun> <why> (<status>[, <registry
 * code>])" (CB_ENOENT for 404). Release x with reg_xfer_done. */
int reg_call(struct oci_registry *r, const struct oci_ref *ref, const struct reg_call *c, const char *noun,
             struct xfer *x, struct cb_err *e);
void reg_xfer_done(struct xfer *x);
/* The message for a non-2xx x (as reg_call returns it). */
int reg_status_error(const struct xfer *x, const char *noun, struct cb_err *e);
/* "<scheme>://<registry>/v2/<repo>/<kind>/<id>" into url. */
int reg_make_url(const struct oci_registry *r, const struct oci_ref *ref, const char *kind, const char *id, char *url,
                 size_t cap, struct cb_err *e);
/* "registry/repo@digest" (or the formatted reference when digest is NULL) for messages. */
const char *reg_what(const struct oci_ref *ref, const char *digest, char *buf, size_t cap);
/* The client's options (progress hook). */
const struct oci_registry_opts *reg_opts(const struct oci_registry *r);

#endif
