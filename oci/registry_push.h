/* registry_push.h: the upload half of the OCI Distribution v2 client: blob existence checks, monolithic and
 * chunked blob uploads, manifest PUTs. Same registry object, auth and messages as registry.h (push scope). */
#ifndef OCI_REGISTRY_PUSH_H
#define OCI_REGISTRY_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "ref.h"
#include "registry.h"

/* Where a blob's bytes come from: read fills buf with exactly n bytes from offset off (0 or a CB_E* code). */
struct oci_blob_source {
	int (*read)(void *ctx, uint64_t off, void *buf, size_t n, struct cb_err *e);
	void *ctx;
};

/* HEAD /v2/<repo>/blobs/<digest>: 1 when the registry has it with this size, 0 when not (404, or another size),
 * else a CB_E* code (auth, network, registry failure). */
int oci_blob_exists(struct oci_registry *r, const struct oci_ref *repo, const char *digest, uint64_t size,
                    struct cb_err *e);

/* Uploads a blob the caller has hashed (digest, size) unless oci_blob_exists says the registry has it already
 * (*skipped then true). size <= chunk (or chunk 0): one monolithic PUT after the POST; otherwise PATCHes of
 * `chunk` bytes (Content-Range; the registry's Range answer is checked) and a closing PUT ?digest=. The upload
 * location may be relative or on another host (then no Authorization goes there). Progress goes to the
 * registry options' hook. Errors name the blob: "oci: reg/repo@sha256:…: blob upload refused (400,
 * DIGEST_INVALID)". */
int oci_push_blob(struct oci_registry *r, const struct oci_ref *repo, const char *digest, uint64_t size,
                  const struct oci_blob_source *src, size_t chunk, bool *skipped, struct cb_err *e);

/* The same for bytes in memory; digest (out, OCI_DIGEST_SIZE) is computed here. */
int oci_push_blob_mem(struct oci_registry *r, const struct oci_ref *repo, const void *data, size_t len,
                      char digest[OCI_DIGEST_SIZE], struct cb_err *e);

/* PUT /v2/<repo>/manifests/<tag or ref's digest> with Content-Type media_type. `tag` NULL: by digest (computed
 * here, put in digest). The registry's Docker-Content-Digest, when sent, must match (CB_EVERIFY). *oci_subject
 * (may be NULL) tells whether the registry answered OCI-Subject, i.e. it indexed the manifest's subject for the
 * referrers API itself. */
int oci_put_manifest(struct oci_registry *r, const struct oci_ref *repo, const char *tag, const char *media_type,
                     const void *bytes, size_t len, char digest[OCI_DIGEST_SIZE], bool *oci_subject,
                     struct cb_err *e);

#endif
