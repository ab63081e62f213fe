/* cosign.h: keyed cosign verification: is this signature valid for this OCI manifest digest under a pinned P-256
 * key? Pure functions over fetched bytes; no registry I/O, no certificates, Rekor or timestamps (docs/oci.md). */
#ifndef OCI_COSIGN_H
#define OCI_COSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

#define COSIGN_SIMPLESIGNING_TYPE "application/vnd.dev.cosign.simplesigning.v1+json"
#define COSIGN_SIGNATURE_ANNOTATION "dev.cosignproject.cosign/signature"
#define COSIGN_PAYLOAD_TYPE "cosign container image signature"
/* Every Sigstore bundle media type starts with this (the version check is cosign_verify_bundle's). */
#define COSIGN_BUNDLE_TYPE_PREFIX "application/vnd.dev.sigstore.bundle"

#define COSIGN_PAYLOAD_MAX (256u * 1024)  /* a simple-signing payload blob */
#define COSIGN_BUNDLE_MAX (1024u * 1024)  /* a Sigstore bundle blob */
#define COSIGN_MANIFEST_MAX (4u << 20)    /* a signature manifest */
#define COSIGN_MAX_LAYERS 256u            /* signature layers in one manifest */

/* A pinned ECDSA P-256 public key: the uncompressed point 0x04 || X || Y, checked to be on the curve. */
struct cosign_key {
	uint8_t q[65];
};

/* Sets *out from an uncompressed P-256 point (65 bytes); CB_EINVAL when it is not a valid curve point. The
 * PEM form is read by pem_ec_p256_pubkey (pem.h). */
int cosign_key_from_point(const void *q, size_t len, struct cosign_key *out, struct cb_err *e);

/* What a signature must vouch for. */
struct cosign_want {
	/* "sha256:<64 lowercase hex>" of the manifest being verified (bundles also take "sha512:<128 hex>" for a
	 * DSSE subject). Required, except that a bundle caller holding the artifact may leave it NULL: then it is
	 * the artifact's sha256. */
	const char *digest;
	/* Simple signing: critical.identity.docker-reference must equal this exactly; NULL = not checked. */
	const char *docker_reference;
	/* Bundles: the signed bytes when the caller has them (a messageSignature is over these), else NULL. */
	const void *artifact;
	size_t artifact_len;
};

/* Legacy `sha256-<hex>.sig` layers and OCI 1.1 referrer layers (same content): payload = the layer blob,
 * sig_b64 = its dev.cosignproject.cosign/signature annotation. Checks, in this order: the ECDSA signature over
 * SHA-256 of the exact payload bytes, then the payload JSON: critical.type, critical.image.docker-manifest-digest
 * == want->digest, and the docker-reference when asked. 0, or CB_EVERIFY (did not verify) / CB_EINVAL
 * (malformed) with one line "cosign: <which check failed>". */
int cosign_verify_simplesigning(const struct cosign_key *key, const void *payload, size_t len, const char *sig_b64,
				const struct cosign_want *want, struct cb_err *e);

/* A Sigstore bundle (v0.1, v0.2, v0.3; JSON bytes), keyed: messageSignature (messageDigest must be the
 * artifact's SHA-256, signature over it) or dsseEnvelope (in-toto payload, any signature over the DSSE PAE
 * verifies, a Statement subject carries want->digest). The key in the bundle, if any, is ignored: only `key`
 * counts. 0, or CB_EVERIFY / CB_EINVAL with "cosign: bundle: <which check failed>". */
int cosign_verify_bundle(const struct cosign_key *key, const void *bundle, size_t len, const struct cosign_want *want,
			 struct cb_err *e);

/* One layer of a signature manifest. Strings live until cosign_sig_manifest_free. */
struct cosign_sig_layer {
	const char *media_type;
	const char *digest;    /* "sha256:<64 lowercase hex>" */
	uint64_t size;
	const char *signature; /* the dev.cosignproject.cosign/signature annotation, NULL when absent */
};

struct json_doc;

/* A parsed signature manifest: the `.sig` tag manifest or an OCI 1.1 referrer manifest. */
struct cosign_sig_manifest {
	size_t n;
	struct cosign_sig_layer *layers;
	const char *subject; /* subject.digest of a referrer manifest, NULL for a `.sig` tag manifest */
	struct json_doc *doc;
};

/* Parses the manifest bytes into its layer list (every layer, whatever its media type: the registry client
 * fetches the blobs it wants). CB_EINVAL / CB_ENOMEM with "cosign: signature manifest: ...". */
int cosign_sig_manifest_parse(const void *buf, size_t len, struct cosign_sig_manifest *out, struct cb_err *e);
void cosign_sig_manifest_free(struct cosign_sig_manifest *m);

/* Verifies one layer given its blob: the blob must match the layer's size and digest, then a simple-signing
 * layer goes through cosign_verify_simplesigning and a Sigstore bundle layer through cosign_verify_bundle; any
 * other media type is not a signature (CB_EVERIFY). */
int cosign_verify_layer(const struct cosign_key *key, const struct cosign_sig_layer *layer, const void *blob,
			size_t len, const struct cosign_want *want, struct cb_err *e);

/* Fetches one layer's blob for cosign_verify_sig_manifest. On success *bytes is a malloc'd buffer of *len
 * bytes, which cosign_verify_sig_manifest frees. */
typedef int (*cosign_fetch_fn)(void *ctx, const struct cosign_sig_layer *layer, void **bytes, size_t *len,
			       struct cb_err *e);

/* The one call for a signature manifest (cosign semantics: accept if ANY layer verifies). A referrer manifest
 * whose subject is not want->digest is refused outright. Layers that are not signatures or are too large are
 * refused without fetching. 0 as soon as one layer verifies; otherwise the code and reason of the last layer
 * (CB_EVERIFY / CB_EINVAL, or the fetch callback's own code such as CB_EIO):
 * "cosign: no valid signature among N layers; layer K: <reason>". */
int cosign_verify_sig_manifest(const struct cosign_key *key, const void *manifest, size_t len,
			       const struct cosign_want *want, cosign_fetch_fn fetch, void *ctx, struct cb_err *e);

#endif
