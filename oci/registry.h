/* registry.h: the OCI Distribution v2 client: token/Basic auth from WWW-Authenticate challenges, manifests
 * (size-capped, digest-checked), blobs streamed with SHA-256 and size checks, referrers. Over net/http only. */
#ifndef OCI_REGISTRY_H
#define OCI_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "http.h"
#include "ref.h"

/* Registry credentials. Both NULL: anonymous (tokens are still fetched when a registry asks for them). */
struct oci_creds {
	const char *username;
	const char *password;
	const char *bearer; /* a token obtained elsewhere (e.g. OpenStack); sent as is, no challenge handling */
};

struct oci_registry_opts {
	bool plain_http;       /* http:// instead of https:// (test registries, loopback) */
	size_t max_manifest;   /* 0 = OCI_MANIFEST_MAX (4 MiB) */
	size_t max_error_body; /* error bodies read for the message; 0 = 4 KiB */
	/* Optional: blob download progress (the console's progress bar). Called with done = 0 before the first
	 * byte, then after every chunk; `digest` names the blob. */
	void (*progress)(void *ctx, const char *digest, uint64_t done, uint64_t total);
	void *progress_ctx;
};

struct oci_registry;

/* The HTTP client (and creds' strings) must outlive the registry. NULL when out of memory. */
struct oci_registry *oci_registry_new(struct http_client *http, const struct oci_creds *creds,
                                      const struct oci_registry_opts *opts);
void oci_registry_free(struct oci_registry *r);

/* GET /v2/<repo>/manifests/<digest or tag> with `accept` (NULL = OCI_ACCEPT_MANIFESTS). At most
 * max_manifest bytes. The SHA-256 of the exact bytes is computed into digest; it must equal ref->digest when
 * the reference pins one, and Docker-Content-Digest when the registry sends a sha256 one (CB_EVERIFY
 * otherwise). On success *bytes is malloc'ed (NUL-terminated, *len without it) and media_type (if not NULL,
 * capacity 128) holds the Content-Type without parameters. Errors name the reference and the registry's
 * own error code: "oci: registry.example/app:1.0: manifest unknown (404, MANIFEST_UNKNOWN)" (CB_ENOENT). */
int oci_get_manifest(struct oci_registry *r, const struct oci_ref *ref, const char *accept, uint8_t **bytes,
                     size_t *len, char digest[OCI_DIGEST_SIZE], char media_type[128], struct cb_err *e);

/* Receives blob bytes as they arrive (see oci_get_blob). */
struct oci_blob_sink {
	int (*on_data)(void *ctx, const void *p, size_t n, struct cb_err *e);
	void *ctx;
};

/* GET /v2/<ref->repo>/blobs/<digest> (sha256 only), following redirects to external storage (the HTTP client
 * drops Authorization when a hop leaves the registry's origin). Bytes reach the sink as they arrive, hashed
 * and counted on the way: more than `size` bytes stops the transfer at once, and the final return says
 * whether exactly `size` bytes with this SHA-256 arrived (0) or not (CB_EVERIFY, "oci: <registry>/<repo>@
 * <digest>: blob digest mismatch (got sha256:…)"). The sink has then seen unverified bytes: callers keep them
 * in memory and use them only after a 0 return. */
int oci_get_blob(struct oci_registry *r, const struct oci_ref *repo, const char *digest, uint64_t size,
                 const struct oci_blob_sink *sink, struct cb_err *e);

/* The same into a malloc'ed buffer of at most `size` bytes (size <= max, else CB_ELIMIT before any request). */
int oci_get_blob_mem(struct oci_registry *r, const struct oci_ref *repo, const char *digest, uint64_t size,
                     uint64_t max, uint8_t **bytes, struct cb_err *e);

/* OCI 1.1 referrers API: GET /v2/<repo>/referrers/<digest> (optionally ?artifactType=). The index bytes
 * (capped like manifests; not digest-checked: the registry builds them) in *bytes and *len. CB_ENOENT when the
 * registry does not offer the API (404): callers then use the referrers tag schema (tag sha256-<hex>). */
int oci_get_referrers(struct oci_registry *r, const struct oci_ref *repo, const char *digest,
                      const char *artifact_type, uint8_t **bytes, size_t *len, struct cb_err *e);

#endif
