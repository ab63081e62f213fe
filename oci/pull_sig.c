/* pull_sig.c: finds the signature manifests of a manifest digest (legacy `sha256-<hex>.sig` tag, OCI 1.1
 * referrers API, referrers tag schema `sha256-<hex>`) and hands each to the verification hook. No crypto here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_internal.h"
#include "pull_internal.h"

struct sigs {
	struct oci_registry *reg;
	const struct oci_ref *ref;
	const char *digest;
	const struct oci_sig_hook *hook;
	unsigned found;
	struct cb_err last; /* the last hook or fetch failure */
};

/* 0 when the hook accepted this manifest. */
static int offer(struct sigs *s, const char *source, const uint8_t *bytes, size_t len, const char *mdigest)
{
	struct oci_sig_found f = { .signed_digest = s->digest, .source = source, .manifest = bytes, .len = len,
		                   .manifest_digest = mdigest, .reg = s->reg, .repo = s->ref };
	s->found++;
	struct cb_err e = { 0 };
	int rc = s->hook->verify(s->hook->ctx, &f, &e);
	if (!rc)
		return 0;
	if (!e.msg[0])
		cb_errf(&e, rc, "%s", cb_status_str(rc));
	cb_errf(&s->last, rc, "%s: %s", source, e.msg);
	return rc;
}

/* A tag in the signed manifest's repository. */
static int tag_ref(const struct sigs *s, const char *tag, struct oci_ref *out, struct cb_err *e)
{
	int rc = oci_ref_copy(s->ref, out, e);
	if (rc)
		return rc;
	free(out->tag);
	free(out->digest);
	out->digest = NULL;
	if (!(out->tag = oci_strndup(tag, strlen(tag)))) {
		oci_ref_free(out);
		return cb_errf(e, CB_ENOMEM, "oci: out of memory");
	}
	return 0;
}

/* The manifests listed in a referrers index (from the API or the tag schema), each fetched by digest. */
static int offer_index(struct sigs *s, const char *source, const uint8_t *bytes, size_t len)
{
	struct oci_manifest idx;
	struct cb_err e;
	if (oci_manifest_parse(bytes, len, OCI_MT_INDEX, &idx, &e)) {
		cb_errf(&s->last, e.code, "%s: %s", source, e.msg);
		return CB_EVERIFY;
	}
	int rc = CB_EVERIFY;
	size_t tried = 0;
	for (size_t i = 0; i < idx.n && rc && tried < OCI_PULL_MAX_SIGS; i++) {
		const struct oci_descriptor *d = &idx.desc[i];
		if (!oci_media_type_is_manifest(d->media_type) || !oci_digest_is_sha256(d->digest))
			continue;
		tried++;
		struct oci_ref r;
		if (oci_ref_copy(s->ref, &r, &e)) {
			s->last = e;
			break;
		}
		free(r.tag);
		r.tag = NULL;
		free(r.digest);
		r.digest = oci_strndup(d->digest, strlen(d->digest));
		uint8_t *m = NULL;
		size_t mlen;
		char got[OCI_DIGEST_SIZE];
		if (!r.digest)
			cb_errf(&s->last, CB_ENOMEM, "oci: out of memory");
		else if (oci_get_manifest(s->reg, &r, NULL, &m, &mlen, got, NULL, &e))
			cb_errf(&s->last, e.code, "%s: %s", source, e.msg);
		else
			rc = offer(s, source, m, mlen, got);
		free(m);
		oci_ref_free(&r);
	}
	oci_manifest_free(&idx);
	return rc;
}

int oci_pull_check_sigs(struct oci_registry *reg, const struct oci_ref *ref, const char *digest,
                        const struct oci_sig_hook *hook, struct cb_err *e)
{
	char what[OCI_REF_MAX + 16];
	snprintf(what, sizeof(what), "%s/%s@%s", ref->registry, ref->repo, digest);
	if (!oci_digest_is_sha256(digest))
		return cb_errf(e, CB_EUNSUP, "oci: %s: only sha256 manifests can be checked for signatures", what);
	struct sigs s = { .reg = reg, .ref = ref, .digest = digest, .hook = hook };
	char tag[80], source[96];
	snprintf(tag, sizeof(tag), "sha256-%s.sig", digest + 7);
	snprintf(source, sizeof(source), "tag %s", tag);

	/* 1. cosign's legacy tag. */
	struct oci_ref tr;
	uint8_t *bytes = NULL;
	size_t len;
	char got[OCI_DIGEST_SIZE];
	int rc = tag_ref(&s, tag, &tr, e);
	if (rc)
		return rc;
	rc = oci_get_manifest(reg, &tr, NULL, &bytes, &len, got, NULL, e);
	oci_ref_free(&tr);
	if (!rc) {
		rc = offer(&s, source, bytes, len, got);
		free(bytes);
		if (!rc)
			return 0;
	} else if (rc != CB_ENOENT) {
		return rc; /* the registry failed: no verdict */
	}

	/* 2. the referrers API, else 3. the referrers tag schema. */
	rc = oci_get_referrers(reg, ref, digest, NULL, &bytes, &len, e);
	if (!rc) {
		rc = offer_index(&s, "referrers API", bytes, len);
		free(bytes);
		if (!rc)
			return 0;
	} else if (rc == CB_ENOENT) {
		snprintf(tag, sizeof(tag), "sha256-%s", digest + 7);
		snprintf(source, sizeof(source), "tag %s", tag);
		if ((rc = tag_ref(&s, tag, &tr, e)))
			return rc;
		rc = oci_get_manifest(reg, &tr, OCI_MT_INDEX, &bytes, &len, got, NULL, e);
		oci_ref_free(&tr);
		if (!rc) {
			rc = offer_index(&s, source, bytes, len);
			free(bytes);
			if (!rc)
				return 0;
		} else if (rc != CB_ENOENT) {
			return rc;
		}
	} else {
		return rc;
	}
	if (!s.found && !s.last.msg[0])
		return cb_errf(e, CB_EVERIFY, "oci: %s: no signature found (tried the .sig tag, the referrers API "
		               "and the referrers tag)", what);
	return cb_errf(e, CB_EVERIFY, "oci: %s: no valid signature among %u found; last: %s", what, s.found,
	               s.last.msg);
}
