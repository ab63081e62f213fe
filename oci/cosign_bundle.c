/* cosign_bundle.c: keyed verification of a Sigstore bundle (v0.1-v0.3): messageSignature or DSSE in-toto
 * envelope under the pinned key. It does not look at certificates, Rekor entries or timestamps in the bundle. */
#include <bearssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cosign_internal.h"
#include "json.h"

#define SHOW_MAX 80
#define SIG_B64_MAX 1024        /* base64 of one DER ECDSA P-256 signature is 96 characters */
#define DSSE_MAX_SIGNATURES 16
#define INTOTO_MAX_SUBJECTS 1024
#define INTOTO_TYPE "application/vnd.in-toto+json"

/* The digests a bundle is checked against, derived once from struct cosign_want. */
struct target {
	bool have_sha256;       /* sha256 known (artifact given, or want->digest is sha256) */
	uint8_t sha256[32];
	struct cosign_digest subject; /* what a DSSE subject must carry */
};

static bool known_media_type(const char *mt)
{
	static const char *const versions[] = { "0.1", "0.2", "0.3" };
	static const char p1[] = "application/vnd.dev.sigstore.bundle+json;version=";
	static const char p2[] = "application/vnd.dev.sigstore.bundle.v";
	char buf[96];
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", p1, versions[i]);
		if (strcmp(mt, buf) == 0)
			return true;
		snprintf(buf, sizeof(buf), "%s%s+json", p2, versions[i]);
		if (strcmp(mt, buf) == 0)
			return true;
	}
	return false;
}

static int make_target(const struct cosign_want *want, struct target *t, struct cb_err *e)
{
	memset(t, 0, sizeof(*t));
	if (!want || (!want->digest && !want->artifact))
		return cb_errf(e, CB_EINVAL, "neither an expected digest nor the artifact was given");
	if (want->artifact) {
		cosign_sha256(want->artifact, want->artifact_len, t->sha256);
		t->have_sha256 = true;
	}
	if (!want->digest) {
		t->subject.alg = "sha256";
		t->subject.len = 32;
		memcpy(t->subject.v, t->sha256, 32);
		return 0;
	}
	if (cosign_digest_parse(want->digest, true, "expected digest", &t->subject, e))
		return CB_EINVAL;
	bool is256 = t->subject.len == 32;
	if (!want->artifact) {
		if (is256) {
			memcpy(t->sha256, t->subject.v, 32);
			t->have_sha256 = true;
		}
		return 0;
	}
	uint8_t h[64];
	if (is256) {
		memcpy(h, t->sha256, 32);
	} else {
		br_sha512_context c;
		br_sha512_init(&c);
		br_sha512_update(&c, want->artifact, want->artifact_len);
		br_sha512_out(&c, h);
	}
	if (memcmp(h, t->subject.v, t->subject.len) != 0)
		return cb_errf(e, CB_EINVAL, "the artifact's %s does not match the expected digest %s", t->subject.alg,
			       want->digest);
	return 0;
}

static int check_message(const struct cosign_key *key, const struct json_value *ms, const struct target *t,
			 struct cb_err *e)
{
	if (json_type(ms) != JSON_OBJECT)
		return cb_errf(e, CB_EINVAL, "messageSignature is not an object");
	if (!t->have_sha256)
		return cb_errf(e, CB_EINVAL, "messageSignature needs the artifact or its sha256 digest, not %s",
			       t->subject.alg);
	const struct json_value *md = json_get(ms, "messageDigest");
	const char *alg = json_get_str(md, "algorithm");
	const char *mdv = json_get_str(md, "digest");
	if (!alg || !mdv)
		return cb_errf(e, CB_EINVAL, "messageSignature has no messageDigest {algorithm, digest}");
	if (strcmp(alg, "SHA2_256") != 0)
		return cb_errf(e, CB_EINVAL, "messageDigest algorithm \"%.*s\" is not SHA2_256", SHOW_MAX, alg);
	const char *sig_b64 = json_get_str(ms, "signature");
	if (!sig_b64)
		return cb_errf(e, CB_EINVAL, "messageSignature has no signature string");
	uint8_t *sig;
	size_t sig_len;
	int rc = cosign_b64_alloc(sig_b64, strlen(sig_b64), SIG_B64_MAX, "messageSignature.signature", &sig, &sig_len,
				  e);
	if (rc)
		return rc;
	rc = cosign_ecdsa_check(key, t->sha256, sig, sig_len, e);
	free(sig);
	if (rc)
		return rc;
	uint8_t *d;
	size_t dlen;
	rc = cosign_b64_alloc(mdv, strlen(mdv), 64, "messageDigest.digest", &d, &dlen, e);
	if (rc)
		return rc;
	char want_name[72];
	cosign_sha256_name(t->sha256, want_name);
	if (dlen != 32) {
		free(d);
		return cb_errf(e, CB_EINVAL, "messageDigest is %zu bytes, a SHA2_256 digest is 32", dlen);
	}
	if (memcmp(d, t->sha256, 32) != 0) {
		char got_name[72];
		cosign_sha256_name(d, got_name);
		free(d);
		return cb_errf(e, CB_EVERIFY, "messageDigest is %s, the artifact is %s", got_name, want_name);
	}
	free(d);
	return 0;
}

/* SHA-256 of PAE = "DSSEv1" SP len(type) SP type SP len(body) SP body (lengths in decimal ASCII). */
static void pae_hash(const char *type, const uint8_t *body, size_t body_len, uint8_t out[32])
{
	char head[64];
	size_t tlen = strlen(type);
	br_sha256_context c;
	br_sha256_init(&c);
	int n = snprintf(head, sizeof(head), "DSSEv1 %zu ", tlen);
	br_sha256_update(&c, head, (size_t)n);
	br_sha256_update(&c, type, tlen);
	n = snprintf(head, sizeof(head), " %zu ", body_len);
	br_sha256_update(&c, head, (size_t)n);
	br_sha256_update(&c, body, body_len);
	br_sha256_out(&c, out);
}

static int check_dsse_sigs(const struct cosign_key *key, const struct json_value *sigs, const uint8_t h[32],
			   struct cb_err *e)
{
	size_t n = json_count(sigs);
	if (json_type(sigs) != JSON_ARRAY || n == 0)
		return cb_errf(e, CB_EINVAL, "DSSE envelope has no signatures");
	if (n > DSSE_MAX_SIGNATURES)
		return cb_errf(e, CB_EINVAL, "DSSE envelope has %zu signatures, limit %u", n, DSSE_MAX_SIGNATURES);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		const char *sig_b64 = json_get_str(json_at(sigs, i), "sig");
		uint8_t *sig;
		size_t sig_len;
		if (!sig_b64) {
			rc = cb_errf(e, CB_EINVAL, "no sig string");
		} else {
			rc = cosign_b64_alloc(sig_b64, strlen(sig_b64), SIG_B64_MAX, "sig", &sig, &sig_len, e);
			if (!rc) {
				rc = cosign_ecdsa_check(key, h, sig, sig_len, e);
				free(sig);
			}
		}
		if (!rc)
			return 0;
		cb_err_prefix(e, "DSSE signature %zu of %zu: ", i + 1, n);
	}
	return rc;
}

static int check_statement(const struct json_value *st, const struct cosign_digest *want, struct cb_err *e)
{
	const char *type = json_get_str(st, "_type");
	if (!type)
		return cb_errf(e, CB_EINVAL, "in-toto statement has no _type string");
	if (strcmp(type, "https://in-toto.io/Statement/v1") != 0 && strcmp(type, "https://in-toto.io/Statement/v0.1") != 0)
		return cb_errf(e, CB_EINVAL, "in-toto statement _type \"%.*s\" is not Statement v1 or v0.1", SHOW_MAX,
			       type);
	const struct json_value *subj = json_get(st, "subject");
	size_t n = json_count(subj);
	if (json_type(subj) != JSON_ARRAY || n == 0)
		return cb_errf(e, CB_EINVAL, "in-toto statement has no subject list");
	if (n > INTOTO_MAX_SUBJECTS)
		return cb_errf(e, CB_EINVAL, "in-toto statement has %zu subjects, limit %u", n, INTOTO_MAX_SUBJECTS);
	for (size_t i = 0; i < n; i++) {
		size_t hl;
		const char *hex = json_str(json_get(json_get(json_at(subj, i), "digest"), want->alg), &hl);
		uint8_t v[64];
		if (hex && hl == 2 * want->len && cosign_hex_decode(hex, hl, false, v) && memcmp(v, want->v, want->len) == 0)
			return 0;
	}
	static const char hexd[] = "0123456789abcdef";
	char name[8 + 128 + 1];
	size_t k = (size_t)snprintf(name, sizeof(name), "%s:", want->alg);
	for (size_t i = 0; i < want->len; i++) {
		name[k++] = hexd[want->v[i] >> 4];
		name[k++] = hexd[want->v[i] & 15];
	}
	name[k] = 0;
	return cb_errf(e, CB_EVERIFY, "in-toto statement subject does not name %s (%zu subject%s)", name, n,
		       n == 1 ? "" : "s");
}

static int check_dsse(const struct cosign_key *key, const struct json_value *env, const struct target *t,
		      struct cb_err *e)
{
	if (json_type(env) != JSON_OBJECT)
		return cb_errf(e, CB_EINVAL, "dsseEnvelope is not an object");
	const char *ptype = json_get_str(env, "payloadType");
	if (!ptype)
		return cb_errf(e, CB_EINVAL, "dsseEnvelope has no payloadType string");
	if (strcmp(ptype, INTOTO_TYPE) != 0)
		return cb_errf(e, CB_EINVAL, "DSSE payloadType \"%.*s\" is not \"" INTOTO_TYPE "\"", SHOW_MAX, ptype);
	size_t plen;
	const char *p64 = json_str(json_get(env, "payload"), &plen);
	if (!p64)
		return cb_errf(e, CB_EINVAL, "dsseEnvelope has no payload string");
	uint8_t *body;
	size_t body_len;
	int rc = cosign_b64_alloc(p64, plen, COSIGN_BUNDLE_MAX, "DSSE payload", &body, &body_len, e);
	if (rc)
		return rc;
	uint8_t h[32];
	pae_hash(ptype, body, body_len, h);
	rc = check_dsse_sigs(key, json_get(env, "signatures"), h, e);
	if (!rc) {
		struct json_doc *doc;
		rc = cosign_json_parse(body, body_len, COSIGN_BUNDLE_MAX, "DSSE payload", &doc, e);
		if (!rc) {
			rc = check_statement(json_root(doc), &t->subject, e);
			json_free(doc);
		}
	}
	free(body);
	return rc;
}

static int check_bundle(const struct cosign_key *key, const void *bundle, size_t len, const struct cosign_want *want,
			struct cb_err *e)
{
	struct target t;
	int rc = make_target(want, &t, e);
	if (rc)
		return rc;
	if (len > COSIGN_BUNDLE_MAX)
		return cb_errf(e, CB_EINVAL, "%zu bytes, limit %u", len, COSIGN_BUNDLE_MAX);
	struct json_doc *doc;
	rc = cosign_json_parse(bundle, len, COSIGN_BUNDLE_MAX, NULL, &doc, e);
	if (rc)
		return rc;
	const struct json_value *root = json_root(doc);
	const char *mt = json_get_str(root, "mediaType");
	const struct json_value *ms = json_get(root, "messageSignature");
	const struct json_value *env = json_get(root, "dsseEnvelope");
	if (!mt)
		rc = cb_errf(e, CB_EINVAL, "no mediaType string");
	else if (!known_media_type(mt))
		rc = cb_errf(e, CB_EINVAL, "unsupported media type \"%.*s\" (known: bundle v0.1, v0.2, v0.3)", SHOW_MAX,
			     mt);
	else if (!ms == !env)
		rc = cb_errf(e, CB_EINVAL, "%s", ms ? "both messageSignature and dsseEnvelope are present"
						    : "neither messageSignature nor dsseEnvelope is present");
	else
		rc = ms ? check_message(key, ms, &t, e) : check_dsse(key, env, &t, e);
	json_free(doc);
	return rc;
}

int cosign_bundle_check(const struct cosign_key *key, const void *bundle, size_t len, const struct cosign_want *want,
			struct cb_err *e)
{
	int rc = check_bundle(key, bundle, len, want, e);
	if (rc)
		cb_err_prefix(e, "bundle: ");
	return rc;
}

int cosign_verify_bundle(const struct cosign_key *key, const void *bundle, size_t len, const struct cosign_want *want,
			 struct cb_err *e)
{
	int rc = cosign_bundle_check(key, bundle, len, want, e);
	if (rc)
		cb_err_prefix(e, "cosign: ");
	return rc;
}
