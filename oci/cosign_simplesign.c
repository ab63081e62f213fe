/* cosign_simplesign.c: verifies a cosign "simple signing" payload and its signature annotation (legacy
 * `sha256-<hex>.sig` tags and OCI 1.1 referrers carry the same thing). Not the manifest walk: cosign_manifest.c. */
#include <stdlib.h>
#include <string.h>

#include "cosign_internal.h"
#include "json.h"

#define SHOW_MAX 80

/* A string member of obj at path a.b.c (NULL-terminated list of keys), or NULL. */
static const char *str_at(const struct json_value *v, const char *const *path)
{
	for (; *path; path++)
		v = json_get(v, *path);
	return json_str(v, NULL);
}

static int check_payload(const struct json_value *root, const struct cosign_digest *want_d,
			 const struct cosign_want *want, struct cb_err *e)
{
	static const char *const type_path[] = { "critical", "type", NULL };
	static const char *const digest_path[] = { "critical", "image", "docker-manifest-digest", NULL };
	static const char *const ref_path[] = { "critical", "identity", "docker-reference", NULL };
	if (json_type(root) != JSON_OBJECT || json_type(json_get(root, "critical")) != JSON_OBJECT)
		return cb_errf(e, CB_EINVAL, "payload has no \"critical\" object");
	const char *type = str_at(root, type_path);
	if (!type)
		return cb_errf(e, CB_EINVAL, "payload has no critical.type string");
	if (strcmp(type, COSIGN_PAYLOAD_TYPE) != 0)
		return cb_errf(e, CB_EVERIFY, "payload type is \"%.*s\", not \"" COSIGN_PAYLOAD_TYPE "\"", SHOW_MAX, type);
	const char *dig = str_at(root, digest_path);
	struct cosign_digest got;
	if (cosign_digest_parse(dig, false, "payload critical.image.docker-manifest-digest", &got, e))
		return CB_EINVAL;
	if (memcmp(got.v, want_d->v, 32) != 0)
		return cb_errf(e, CB_EVERIFY, "payload signs %s, not %s", dig, want->digest);
	if (want->docker_reference) {
		const char *ref = str_at(root, ref_path);
		if (!ref)
			return cb_errf(e, CB_EINVAL, "payload has no critical.identity.docker-reference string");
		if (strcmp(ref, want->docker_reference) != 0)
			return cb_errf(e, CB_EVERIFY, "payload names docker-reference \"%.*s\", not \"%s\"", SHOW_MAX, ref,
				       want->docker_reference);
	}
	return 0;
}

int cosign_simplesigning_check(const struct cosign_key *key, const void *payload, size_t len, const char *sig_b64,
			       const struct cosign_want *want, struct cb_err *e)
{
	struct cosign_digest want_d;
	if (cosign_digest_parse(want ? want->digest : NULL, false, "expected manifest digest", &want_d, e))
		return CB_EINVAL;
	if (!sig_b64)
		return cb_errf(e, CB_EINVAL, "no " COSIGN_SIGNATURE_ANNOTATION " annotation");
	if (len > COSIGN_PAYLOAD_MAX)
		return cb_errf(e, CB_EINVAL, "payload is %zu bytes, limit %u", len, COSIGN_PAYLOAD_MAX);
	uint8_t *sig;
	size_t sig_len;
	int rc = cosign_b64_alloc(sig_b64, strlen(sig_b64), 1024, "signature annotation", &sig, &sig_len, e);
	if (rc)
		return rc;
	uint8_t h[32];
	cosign_sha256(payload, len, h);
	rc = cosign_ecdsa_check(key, h, sig, sig_len, e);
	free(sig);
	if (rc)
		return rc;
	/* Only signed bytes are parsed from here on. */
	struct json_doc *doc;
	rc = cosign_json_parse(payload, len, COSIGN_PAYLOAD_MAX, "payload", &doc, e);
	if (rc)
		return rc;
	rc = check_payload(json_root(doc), &want_d, want, e);
	json_free(doc);
	return rc;
}

int cosign_verify_simplesigning(const struct cosign_key *key, const void *payload, size_t len, const char *sig_b64,
				const struct cosign_want *want, struct cb_err *e)
{
	int rc = cosign_simplesigning_check(key, payload, len, sig_b64, want, e);
	if (rc)
		cb_err_prefix(e, "cosign: ");
	return rc;
}
