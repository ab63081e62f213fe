/* cosign_manifest.c: reads a cosign signature manifest (`.sig` tag or OCI 1.1 referrer) into its layer list
 * and verifies it with cosign's "any layer" rule. Blobs come from the caller's fetch callback; no registry I/O. */
#include <stdlib.h>
#include <string.h>

#include "cosign_internal.h"
#include "json.h"

#define SHOW_MAX 80

static bool is_bundle_type(const char *mt)
{
	return strncmp(mt, COSIGN_BUNDLE_TYPE_PREFIX, strlen(COSIGN_BUNDLE_TYPE_PREFIX)) == 0;
}

static int parse_layer(const struct json_value *v, struct cosign_sig_layer *l, struct cb_err *e)
{
	struct cosign_digest d;
	int64_t size;
	if (json_type(v) != JSON_OBJECT)
		return cb_errf(e, CB_EINVAL, "not an object");
	l->media_type = json_get_str(v, "mediaType");
	if (!l->media_type)
		return cb_errf(e, CB_EINVAL, "no mediaType string");
	l->digest = json_get_str(v, "digest");
	if (cosign_digest_parse(l->digest, false, "digest", &d, e))
		return CB_EINVAL;
	if (!json_int64(json_get(v, "size"), &size) || size < 0)
		return cb_errf(e, CB_EINVAL, "size is not a non-negative integer");
	l->size = (uint64_t)size;
	const struct json_value *ann = json_get(v, "annotations");
	if (ann && json_type(ann) != JSON_OBJECT)
		return cb_errf(e, CB_EINVAL, "annotations is not an object");
	const struct json_value *sig = json_get(ann, COSIGN_SIGNATURE_ANNOTATION);
	l->signature = json_str(sig, NULL);
	if (sig && !l->signature)
		return cb_errf(e, CB_EINVAL, COSIGN_SIGNATURE_ANNOTATION " is not a string");
	return 0;
}

static int parse_manifest(const void *buf, size_t len, struct cosign_sig_manifest *m, struct cb_err *e)
{
	int rc = cosign_json_parse(buf, len, COSIGN_MANIFEST_MAX, NULL, &m->doc, e);
	if (rc)
		return rc;
	const struct json_value *root = json_root(m->doc);
	int64_t ver;
	if (json_type(root) != JSON_OBJECT)
		return cb_errf(e, CB_EINVAL, "not a JSON object");
	if (!json_int64(json_get(root, "schemaVersion"), &ver) || ver != 2)
		return cb_errf(e, CB_EINVAL, "schemaVersion is not 2");
	const struct json_value *subj = json_get(root, "subject");
	if (subj) {
		struct cosign_digest d;
		m->subject = json_get_str(subj, "digest");
		if (cosign_digest_parse(m->subject, false, "subject digest", &d, e))
			return CB_EINVAL;
	}
	const struct json_value *layers = json_get(root, "layers");
	size_t n = json_count(layers);
	if (json_type(layers) != JSON_ARRAY || n == 0)
		return cb_errf(e, CB_EINVAL, "no layers");
	if (n > COSIGN_MAX_LAYERS)
		return cb_errf(e, CB_EINVAL, "%zu layers, limit %u", n, COSIGN_MAX_LAYERS);
	m->layers = calloc(n, sizeof(*m->layers));
	if (!m->layers)
		return cb_errf(e, CB_ENOMEM, "out of memory for %zu layers", n);
	for (m->n = 0; m->n < n; m->n++) {
		rc = parse_layer(json_at(layers, m->n), &m->layers[m->n], e);
		if (rc)
			return cb_err_prefix(e, "layer %zu: ", m->n + 1);
	}
	return 0;
}

int cosign_sig_manifest_parse(const void *buf, size_t len, struct cosign_sig_manifest *out, struct cb_err *e)
{
	memset(out, 0, sizeof(*out));
	int rc = parse_manifest(buf, len, out, e);
	if (rc) {
		cosign_sig_manifest_free(out);
		cb_err_prefix(e, "cosign: signature manifest: ");
	}
	return rc;
}

void cosign_sig_manifest_free(struct cosign_sig_manifest *m)
{
	if (!m)
		return;
	free(m->layers);
	json_free(m->doc);
	memset(m, 0, sizeof(*m));
}

/* Refuses a layer that cannot be a signature before anything is fetched. */
static int precheck_layer(const struct cosign_sig_layer *l, struct cb_err *e)
{
	uint64_t max;
	if (strcmp(l->media_type, COSIGN_SIMPLESIGNING_TYPE) == 0)
		max = COSIGN_PAYLOAD_MAX;
	else if (is_bundle_type(l->media_type))
		max = COSIGN_BUNDLE_MAX;
	else
		return cb_errf(e, CB_EVERIFY, "media type \"%.*s\" is not a cosign signature", SHOW_MAX, l->media_type);
	if (l->size > max)
		return cb_errf(e, CB_EINVAL, "blob is %llu bytes, limit %llu", (unsigned long long)l->size,
			       (unsigned long long)max);
	return 0;
}

/* The blob must be the one the layer names; then the check its media type calls for. */
static int check_blob(const struct cosign_key *key, const struct cosign_sig_layer *l, const void *blob, size_t len,
		      const struct cosign_want *want, struct cb_err *e)
{
	uint8_t h[32];
	char name[72];
	cosign_sha256(blob, len, h);
	cosign_sha256_name(h, name);
	if (len != l->size || strcmp(name, l->digest) != 0)
		return cb_errf(e, CB_EVERIFY, "blob (%zu bytes, %s) does not match the layer (%llu bytes, %s)", len, name,
			       (unsigned long long)l->size, l->digest);
	if (is_bundle_type(l->media_type))
		return cosign_bundle_check(key, blob, len, want, e);
	return cosign_simplesigning_check(key, blob, len, l->signature, want, e);
}

int cosign_verify_layer(const struct cosign_key *key, const struct cosign_sig_layer *layer, const void *blob,
			size_t len, const struct cosign_want *want, struct cb_err *e)
{
	int rc = precheck_layer(layer, e);
	if (!rc)
		rc = check_blob(key, layer, blob, len, want, e);
	if (rc)
		cb_err_prefix(e, "cosign: ");
	return rc;
}

static int verify_manifest(const struct cosign_key *key, const struct cosign_sig_manifest *m,
			   const struct cosign_want *want, cosign_fetch_fn fetch, void *ctx, struct cb_err *e)
{
	struct cosign_digest wd, sd;
	if (cosign_digest_parse(want ? want->digest : NULL, false, "expected manifest digest", &wd, e)) {
		cb_err_prefix(e, "cosign: ");
		return CB_EINVAL;
	}
	if (m->subject && (cosign_digest_parse(m->subject, false, "subject", &sd, e) || memcmp(sd.v, wd.v, 32) != 0))
		return cb_errf(e, CB_EVERIFY, "cosign: signature manifest is for %s, not %s", m->subject, want->digest);
	int rc = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct cosign_sig_layer *l = &m->layers[i];
		void *blob = NULL;
		size_t len = 0;
		if (e)
			e->msg[0] = 0;
		rc = precheck_layer(l, e);
		if (!rc)
			rc = fetch(ctx, l, &blob, &len, e);
		if (!rc)
			rc = check_blob(key, l, blob, len, want, e);
		free(blob);
		if (!rc)
			return 0;
		if (e)
			e->code = rc;
		cb_err_prefix(e, "cosign: no valid signature among %zu layer%s; layer %zu: ", m->n, m->n == 1 ? "" : "s",
			      i + 1);
	}
	return rc;
}

int cosign_verify_sig_manifest(const struct cosign_key *key, const void *manifest, size_t len,
			       const struct cosign_want *want, cosign_fetch_fn fetch, void *ctx, struct cb_err *e)
{
	struct cosign_sig_manifest m;
	int rc = cosign_sig_manifest_parse(manifest, len, &m, e);
	if (rc)
		return rc;
	rc = verify_manifest(key, &m, want, fetch, ctx, e);
	cosign_sig_manifest_free(&m);
	return rc;
}
