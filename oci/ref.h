/* ref.h: OCI/docker image references (`oci://host[:port]/repo[:tag][@sha256:…]`, `ubuntu`, `localhost:5000/x`)
 * parsed and normalised the way docker does, plus the digest syntax helpers. Not a registry client. */
#ifndef OCI_REF_H
#define OCI_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

#define OCI_REF_MAX 1024        /* bytes of a whole reference */
#define OCI_REPO_MAX 255        /* bytes of the repository path, as docker */
#define OCI_TAG_MAX 128
#define OCI_DIGEST_LEN 71       /* "sha256:" + 64 lower-case hex digits */
#define OCI_DIGEST_SIZE 72      /* with the NUL */
#define OCI_DOCKER_HUB "registry-1.docker.io"

struct oci_ref {
	char *registry; /* host[:port] for URLs and messages: "registry-1.docker.io", "localhost:5000", "[::1]:5000" */
	char *repo;     /* "library/ubuntu" */
	char *tag;      /* "latest" when neither tag nor digest was given; NULL with a digest alone */
	char *digest;   /* "sha256:<64 hex>" or NULL; when set it is what gets fetched (the tag is informative) */
};

/* Parses s. Rules: an optional `oci://` prefix (no other scheme); the first path component is a registry
 * when it holds '.' or ':', is `localhost`, or has upper-case letters, else the reference is on Docker Hub
 * (registry-1.docker.io, `library/` added to one-component names; docker.io and index.docker.io are aliases
 * of it); repository components `[a-z0-9]+([._]|__|-+)[a-z0-9]+…`; tag `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`;
 * digest `sha256:` + 64 lower-case hex (other algorithms CB_EUNSUP). 0, or CB_EINVAL/CB_EUNSUP/CB_ELIMIT/
 * CB_ENOMEM with "oci: reference \"…\": <why>". Free with oci_ref_free. */
int oci_ref_parse(const char *s, struct oci_ref *out, struct cb_err *e);
void oci_ref_free(struct oci_ref *r);

/* Deep copy; only CB_ENOMEM can fail. */
int oci_ref_copy(const struct oci_ref *src, struct oci_ref *dst, struct cb_err *e);

/* "registry/repo[:tag][@digest]" into buf (snprintf semantics: returns the length it needs). */
size_t oci_ref_format(const struct oci_ref *r, char *buf, size_t cap);

/* True for "sha256:" + exactly 64 lower-case hex digits, the only digest form this client fetches. */
bool oci_digest_is_sha256(const char *d);
/* True for any digest of the OCI grammar `algorithm:encoded` (what manifests may carry). */
bool oci_digest_valid(const char *d);
/* Formats a 32-byte SHA-256 as "sha256:<hex>" into out[OCI_DIGEST_SIZE]. */
void oci_digest_format(const uint8_t sha[32], char out[OCI_DIGEST_SIZE]);

#endif
