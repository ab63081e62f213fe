/* cosign_internal.h: helpers shared by the cosign_*.c files and pem.c (digests, ECDSA, base64/JSON with limits).
 * Not API (callers include cosign.h); messages here carry no "cosign: " prefix, the public entry points add it. */
#ifndef OCI_COSIGN_INTERNAL_H
#define OCI_COSIGN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cosign.h"

struct json_doc;
struct json_value;

/* A parsed "<alg>:<hex>" digest: alg is "sha256" (32 bytes) or "sha512" (64 bytes). */
struct cosign_digest {
	const char *alg;
	size_t len;
	uint8_t v[64];
};

/* cosign_key_from_point without the "cosign: " prefix (pem.c adds its own). */
int cosign_key_check(const void *q, size_t len, struct cosign_key *out, struct cb_err *e);
/* Parses an OCI digest (lowercase hex); sha512 only when allow_sha512. `what` names it in messages. */
int cosign_digest_parse(const char *s, bool allow_sha512, const char *what, struct cosign_digest *d,
			struct cb_err *e);
/* Decodes exactly n hex digits (either case unless lower_only) into n / 2 bytes. */
bool cosign_hex_decode(const char *s, size_t n, bool lower_only, uint8_t *out);
/* Writes "sha256:<hex>" of a 32-byte hash into out (72 bytes). */
void cosign_sha256_name(const uint8_t h[32], char out[72]);
void cosign_sha256(const void *data, size_t len, uint8_t out[32]);

/* ECDSA P-256 over a SHA-256 hash with an ASN.1 DER signature: CB_EINVAL when sig is not DER
 * SEQUENCE { INTEGER r, INTEGER s }, CB_EVERIFY when it does not verify under key. */
int cosign_ecdsa_check(const struct cosign_key *key, const uint8_t hash[32], const void *sig, size_t sig_len,
		       struct cb_err *e);

/* Decodes base64 text s[0..n) into a malloc'd buffer of at most max bytes. `what` names it in messages. */
int cosign_b64_alloc(const char *s, size_t n, size_t max, const char *what, uint8_t **out, size_t *out_len,
		     struct cb_err *e);
/* json_parse with cosign's limits (max bytes, depth 32); CB_ELIMIT is reported as CB_EINVAL. Messages read
 * "<what> is not valid JSON: json: ..." (what NULL: "not valid JSON: ..."). */
int cosign_json_parse(const void *buf, size_t len, size_t max, const char *what, struct json_doc **doc,
		      struct cb_err *e);

/* The checks behind the public entry points, with unprefixed messages. */
int cosign_simplesigning_check(const struct cosign_key *key, const void *payload, size_t len, const char *sig_b64,
			       const struct cosign_want *want, struct cb_err *e);
int cosign_bundle_check(const struct cosign_key *key, const void *bundle, size_t len, const struct cosign_want *want,
			struct cb_err *e);

#endif
