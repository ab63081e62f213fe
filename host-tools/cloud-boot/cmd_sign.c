/* cmd_sign.c: `cloud-boot sign`: keyed cosign signatures of a manifest digest, written the way cosign writes
 * them: the legacy `sha256-<hex>.sig` tag (layers appended) or an OCI 1.1 referrer (plus the referrers tag
 * index when the registry does not index subjects itself). Verification is oci/cosign*.c's, not here. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "cmd.h"
#include "cosign.h"
#include "json.h"
#include "manifest.h"
#include "opts.h"
#include "push_doc.h"
#include "regconn.h"
#include "registry_push.h"
#include "signkey.h"

#define SIG_ARTIFACT_TYPE "application/vnd.dev.cosign.artifact.sig.v1+json"
#define SIG_CONFIG_TYPE "application/vnd.oci.image.config.v1+json"
#define MAX_SIG_LAYERS 64

static const char sign_help[] =
	"Usage: cloud-boot sign --key KEY [--mode legacy|oci-1-1] [OPTIONS] REFERENCE\n"
	"\n"
	"Sign the manifest REFERENCE names with a cosign key, the way 'cosign sign --key' does, so that both\n"
	"cosign and the boot loader verify it. Prints the digest that was signed on stdout.\n"
	"\n"
	"  --key FILE         the private key: cosign.key (encrypted; password from $" SIGNKEY_PASSWORD_ENV " or a\n"
	"                     prompt), or a PEM \"EC PRIVATE KEY\" / \"PRIVATE KEY\" on P-256\n"
	"  --mode MODE        legacy (default): a layer added to the tag sha256-<hex>.sig, which keeps the\n"
	"                     signatures already there; oci-1-1: a referrer manifest (subject = the signed\n"
	"                     manifest), listed in the tag sha256-<hex> when the registry has no referrers API\n"
	CB_REG_OPTS_HELP
	"  -h, --help         this text\n"
	"\n"
	"REFERENCE: [oci://]host[:port]/repo@sha256:... (a tag is resolved to the digest it names now, with a\n"
	"warning: sign digests). " CB_REG_CREDS_HELP
	"\n"
	"Exit status: 0 success, 1 operational error (stderr names the reference and why), 2 usage.\n";

struct sign_opts {
	const char *key, *mode, *ref;
	bool oci11;
	struct cb_reg_opts reg;
};

/* What is signed: the manifest's digest, size and media type (a referrer's subject needs all three). */
struct signed_desc {
	char digest[OCI_DIGEST_SIZE];
	char media_type[128];
	uint64_t size;
};

static int resolve(struct cb_regconn *c, const struct oci_ref *ref, struct signed_desc *s, struct cb_err *e)
{
	uint8_t *bytes = NULL;
	size_t len = 0;
	int rc = oci_get_manifest(c->reg, ref, NULL, &bytes, &len, s->digest, s->media_type, e);
	struct oci_manifest m;
	if (!rc && !(rc = oci_manifest_parse(bytes, len, s->media_type, &m, e))) {
		snprintf(s->media_type, sizeof(s->media_type), "%s", m.media_type);
		oci_manifest_free(&m);
	}
	s->size = len;
	free(bytes);
	if (!rc && !ref->digest)
		cb_error("sign: warning: signing %s, what the tag %s names now (sign digests, not tags)", s->digest,
		         ref->tag);
	return rc;
}

/* cosign's simple-signing payload for the repository and digest. */
static char *payload_for(const struct oci_ref *ref, const char *digest)
{
	const char *reg = strcmp(ref->registry, OCI_DOCKER_HUB) ? ref->registry : "index.docker.io";
	size_t n = strlen(reg) + strlen(ref->repo) + strlen(digest) + 192;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "{\"critical\":{\"identity\":{\"docker-reference\":\"%s/%s\"},\"image\":{\"docker-manifest-"
		         "digest\":\"%s\"},\"type\":\"" COSIGN_PAYLOAD_TYPE "\"},\"optional\":null}", reg, ref->repo, digest);
	return p;
}

/* The tag of the signature manifest (legacy) or of the referrers index: sha256-<hex>[.sig]. */
static void sig_tag(const char *digest, bool legacy, char *tag, size_t cap)
{
	snprintf(tag, cap, "sha256-%.64s%s", digest + 7, legacy ? ".sig" : "");
}

/* Fetches the manifest at tag in ref's repository; CB_ENOENT when there is none. */
static int get_tagged(struct cb_regconn *c, const struct oci_ref *ref, const char *tag, const char *accept,
                      uint8_t **bytes, size_t *len, char *digest, struct cb_err *e)
{
	char full[OCI_REF_MAX + 160];
	snprintf(full, sizeof(full), "%s/%s:%s", ref->registry, ref->repo, tag);
	struct oci_ref t;
	int rc = oci_ref_parse(full, &t, e);
	if (!rc) {
		rc = oci_get_manifest(c->reg, &t, accept, bytes, len, digest, NULL, e);
		oci_ref_free(&t);
	}
	return rc;
}

/* cosign's signature-image config: an image config whose diff_ids are the layers' digests. */
static int push_sig_config(struct cb_regconn *c, const struct oci_ref *ref, const struct push_layer *l, size_t n,
                           struct push_desc *cfg, char digest[OCI_DIGEST_SIZE], struct cb_err *e)
{
	size_t cap = 256 + n * (OCI_DIGEST_SIZE + 3);
	char *doc = malloc(cap);
	if (!doc)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	size_t o = (size_t)snprintf(doc, cap, "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":"
	                            "[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\","
	                            "\"diff_ids\":[");
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(doc + o, cap - o, "%s\"%s\"", i ? "," : "", l[i].d.digest);
	o += (size_t)snprintf(doc + o, cap - o, "]},\"config\":{}}");
	int rc = oci_push_blob_mem(c->reg, ref, doc, o, digest, e);
	*cfg = (struct push_desc){ SIG_CONFIG_TYPE, digest, o };
	free(doc);
	return rc;
}

/* Legacy: the existing sha256-<hex>.sig layers, annotations and all (unless one is this very signature), plus
 * ours. */
static int sign_legacy(struct cb_regconn *c, const struct oci_ref *ref, const struct signed_desc *s,
                       const struct push_layer *mine, struct cb_err *e)
{
	char tag[96], old_digest[OCI_DIGEST_SIZE];
	sig_tag(s->digest, true, tag, sizeof(tag));
	uint8_t *bytes = NULL;
	size_t len = 0;
	struct oci_manifest old = { 0 };
	bool have = false;
	int rc = get_tagged(c, ref, tag, OCI_MT_MANIFEST, &bytes, &len, old_digest, e);
	if (rc == CB_ENOENT)
		rc = 0;
	else if (!rc && !(rc = oci_manifest_parse(bytes, len, NULL, &old, e)))
		have = true;
	if (!rc && have && old.kind != OCI_KIND_MANIFEST)
		rc = cb_errf(e, CB_EINVAL, "not an image manifest");
	if (!rc && have && old.n >= MAX_SIG_LAYERS)
		rc = cb_errf(e, CB_ELIMIT, "more than %d signatures already", MAX_SIG_LAYERS - 1);
	if (rc && have)
		cb_err_prefix(e, "%s:%s: ", ref->repo, tag);
	struct push_layer l[MAX_SIG_LAYERS];
	size_t n = 0;
	bool dup = false;
	for (size_t i = 0; !rc && have && i < old.n; i++) {
		const struct oci_descriptor *o = &old.desc[i];
		const char *sig = json_get_str(o->annotations, COSIGN_SIGNATURE_ANNOTATION);
		dup |= !strcmp(o->digest, mine->d.digest) && sig && !strcmp(sig, mine->signature);
		l[n++] = (struct push_layer){ { o->media_type, o->digest, o->size }, NULL, NULL, o->annotations };
	}
	if (!dup)
		l[n++] = *mine;
	char cfg_digest[OCI_DIGEST_SIZE], digest[OCI_DIGEST_SIZE];
	struct push_manifest m = { .layers = l, .n = n };
	char *doc = NULL;
	if (!rc)
		rc = push_sig_config(c, ref, l, n, &m.config, cfg_digest, e);
	if (!rc)
		rc = push_doc_manifest(&m, &doc, &len, e);
	if (!rc)
		rc = oci_put_manifest(c->reg, ref, tag, OCI_MT_MANIFEST, doc, len, digest, NULL, e);
	if (!rc)
		fprintf(stderr, "signature %s:%s %s (%zu signature%s)\n", ref->repo, tag, digest, n, n == 1 ? "" : "s");
	free(doc);
	free(bytes);
	if (have)
		oci_manifest_free(&old);
	return rc;
}

/* Adds the referrer to the index at tag sha256-<hex> (the referrers tag schema), keeping what is listed. */
static int update_referrers_tag(struct cb_regconn *c, const struct oci_ref *ref, const char *signed_digest,
                                 const char *digest, size_t size, struct cb_err *e)
{
	char tag[96], old_digest[OCI_DIGEST_SIZE];
	sig_tag(signed_digest, false, tag, sizeof(tag));
	uint8_t *bytes = NULL;
	size_t len = 0;
	struct oci_manifest old = { 0 };
	bool have = false;
	int rc = get_tagged(c, ref, tag, OCI_MT_INDEX, &bytes, &len, old_digest, e);
	if (rc == CB_ENOENT)
		rc = 0;
	else if (!rc && !(rc = oci_manifest_parse(bytes, len, NULL, &old, e)))
		have = true;
	if (!rc && have && old.kind != OCI_KIND_INDEX)
		rc = cb_errf(e, CB_EINVAL, "%s:%s is not an index (refusing to replace it)", ref->repo, tag);
	size_t n = have ? old.n : 0;
	struct push_index_entry *refs = calloc(n + 1, sizeof(*refs));
	if (!rc && !refs)
		rc = cb_errf(e, CB_ENOMEM, "out of memory");
	size_t k = 0;
	bool listed = false;
	for (size_t i = 0; !rc && i < n; i++)
		listed |= !strcmp(old.desc[i].digest, digest);
	for (size_t i = 0; !rc && i < n + !listed; i++) {
		const struct oci_descriptor *d = i < n ? &old.desc[i] : NULL;
		struct push_index_entry *x = &refs[k++];
		snprintf(x->media_type, sizeof(x->media_type), "%s", d ? d->media_type : OCI_MT_MANIFEST);
		snprintf(x->digest, sizeof(x->digest), "%s", d ? d->digest : digest);
		x->size = d ? d->size : size;
		snprintf(x->artifact_type, sizeof(x->artifact_type), "%s",
		         d ? (d->artifact_type ? d->artifact_type : "") : SIG_ARTIFACT_TYPE);
		x->annotations = d ? d->annotations : NULL;
		if (d && d->has_platform)
			rc = cb_errf(e, CB_EINVAL, "%s:%s lists platforms: not a referrers index", ref->repo, tag);
	}
	char *doc = NULL;
	size_t dl = 0;
	char new_digest[OCI_DIGEST_SIZE];
	if (!rc && !listed && !(rc = push_doc_index(refs, k, &doc, &dl, e)))
		rc = oci_put_manifest(c->reg, ref, tag, OCI_MT_INDEX, doc, dl, new_digest, NULL, e);
	if (!rc)
		fprintf(stderr, "referrers %s:%s lists %zu referrer%s\n", ref->repo, tag, k, k == 1 ? "" : "s");
	free(doc);
	free(refs);
	free(bytes);
	if (have)
		oci_manifest_free(&old);
	return rc;
}

static int sign_oci11(struct cb_regconn *c, const struct oci_ref *ref, const struct signed_desc *s,
                      const struct push_layer *mine, struct cb_err *e)
{
	char empty[OCI_DIGEST_SIZE], digest[OCI_DIGEST_SIZE];
	struct push_desc subject = { s->media_type, s->digest, s->size };
	struct push_manifest m = { .artifact_type = SIG_ARTIFACT_TYPE, .layers = mine, .n = 1, .subject = &subject };
	char *doc = NULL;
	size_t len = 0;
	bool indexed = false;
	int rc = oci_push_blob_mem(c->reg, ref, PUSH_EMPTY_JSON, strlen(PUSH_EMPTY_JSON), empty, e);
	if (!rc)
		rc = push_doc_manifest(&m, &doc, &len, e);
	if (!rc)
		rc = oci_put_manifest(c->reg, ref, NULL, OCI_MT_MANIFEST, doc, len, digest, &indexed, e);
	if (!rc)
		fprintf(stderr, "referrer %s/%s@%s%s\n", ref->registry, ref->repo, digest,
		        indexed ? " (the registry indexes it)" : "");
	if (!rc && !indexed)
		rc = update_referrers_tag(c, ref, s->digest, digest, len, e);
	free(doc);
	return rc;
}

static int sign(const struct sign_opts *o, const struct oci_ref *ref, struct cb_err *e)
{
	struct cb_signkey key;
	int rc = signkey_load(o->key, NULL, &key, e);
	if (rc)
		return rc;
	struct cb_regconn c;
	struct signed_desc s;
	char *payload = NULL, *sig_b64 = NULL, pdigest[OCI_DIGEST_SIZE];
	if (!(rc = regconn_open(&c, &o->reg, NULL, e)) && !(rc = resolve(&c, ref, &s, e))) {
		uint8_t sig[SIGNKEY_SIG_MAX];
		size_t sig_len = 0;
		payload = payload_for(ref, s.digest);
		if (!payload)
			rc = cb_errf(e, CB_ENOMEM, "out of memory");
		else if (!(rc = signkey_sign(&key, payload, strlen(payload), sig, &sig_len, e)) &&
		         !(sig_b64 = malloc(b64_encoded_len(sig_len) + 1)))
			rc = cb_errf(e, CB_ENOMEM, "out of memory");
		if (!rc) {
			b64_encode(sig, sig_len, sig_b64);
			rc = oci_push_blob_mem(c.reg, ref, payload, strlen(payload), pdigest, e);
		}
	}
	signkey_wipe(&key);
	if (!rc) {
		struct push_layer mine = { { COSIGN_SIMPLESIGNING_TYPE, pdigest, strlen(payload) }, NULL, sig_b64, NULL };
		rc = o->oci11 ? sign_oci11(&c, ref, &s, &mine, e) : sign_legacy(&c, ref, &s, &mine, e);
	}
	if (!rc)
		printf("%s\n", s.digest);
	free(payload);
	free(sig_b64);
	regconn_close(&c);
	return rc;
}

static int parse_args(int argc, char **argv, struct sign_opts *o)
{
	const struct cb_opt opts[] = {
		{ "--key", NULL, &o->key, NULL },
		{ "--mode", NULL, &o->mode, NULL },
		CB_REG_OPTS(&o->reg),
	};
	char *pos[1];
	size_t npos;
	int rc = cb_opts_parse("sign", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), pos, 1, &npos);
	if (rc != EXIT_OK)
		return rc;
	o->ref = npos ? pos[0] : NULL;
	if (!o->key)
		return cb_usage_err("sign", "%s is required", "--key FILE");
	if (!o->ref)
		return cb_usage_err("sign", "%s is required", "REFERENCE");
	if (o->mode && strcmp(o->mode, "legacy") && strcmp(o->mode, "oci-1-1"))
		return cb_usage_err("sign", "--mode '%s': legacy or oci-1-1", o->mode);
	o->oci11 = o->mode && !strcmp(o->mode, "oci-1-1");
	const char *env = regconn_env_problem();
	return env ? cb_usage_err("sign", "%s", env) : EXIT_OK;
}

static int run_sign(int argc, char **argv)
{
	int rc = cb_help_first(argc, argv, sign_help);
	if (rc >= 0)
		return rc;
	struct sign_opts o = { 0 };
	rc = parse_args(argc, argv, &o);
	if (rc != EXIT_OK)
		return rc;
	struct cb_err e = { 0 };
	struct oci_ref ref;
	if (oci_ref_parse(o.ref, &ref, &e))
		return cb_usage_err("sign", "%s", e.msg);
	rc = sign(&o, &ref, &e);
	fflush(stdout);
	if (rc)
		cb_error("sign %s: %s", o.ref, e.msg[0] ? e.msg : cb_status_str(e.code));
	oci_ref_free(&ref);
	return rc ? EXIT_FAIL : EXIT_OK;
}

const struct cb_cmd cmd_sign = {
	.name = "sign",
	.summary = "sign a manifest digest with a cosign key (legacy .sig tag or OCI 1.1 referrer)",
	.run = run_sign,
};
