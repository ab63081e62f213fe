/* pull_file.c: oci_pull_file: plans and other single-file artifacts, with the same digest and signature checks
 * as oci_pull_boot. */
#include "pull_file.h"

#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "pull_internal.h"
#include "registry.h"

#define PULL_FILE_MAX_DEFAULT (256u * 1024)

static int get_manifest(struct oci_registry *reg, const struct oci_ref *ref, char digest[OCI_DIGEST_SIZE],
                        struct oci_manifest *m, struct cb_err *e)
{
	uint8_t *bytes = NULL;
	size_t len = 0;
	char mt[128];
	int rc = oci_get_manifest(reg, ref, NULL, &bytes, &len, digest, mt, e);
	if (rc)
		return rc;
	rc = oci_manifest_parse(bytes, len, mt, m, e);
	free(bytes);
	return rc;
}

static bool type_is(const char *mt, const char *want)
{
	size_t n = strlen(want);
	return mt && strncmp(mt, want, n) == 0 && (mt[n] == 0 || mt[n] == ';');
}

static bool title_ends(const char *title, const char *suffix)
{
	size_t t = title ? strlen(title) : 0, s = suffix ? strlen(suffix) : 0;
	return s && t >= s && strcmp(title + t - s, suffix) == 0;
}

/* The layer to take, or NULL with e set. */
static const struct oci_descriptor *pick(const struct oci_manifest *m, const char *media_type, const char *suffix,
                                         const char *what, struct cb_err *e)
{
	const struct oci_descriptor *by_title = NULL;
	size_t titled = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (type_is(m->desc[i].media_type, media_type))
			return &m->desc[i];
		if (title_ends(m->desc[i].title, suffix)) {
			by_title = &m->desc[i];
			titled++;
		}
	}
	if (titled == 1)
		return by_title;
	if (m->n == 1)
		return &m->desc[0];
	cb_errf(e, CB_ENOENT, "oci: %s: no layer of type %s%s%s among %zu layers", what, media_type,
	        suffix ? " or titled *" : "", suffix ? suffix : "", m->n);
	return NULL;
}

int oci_pull_file(struct oci_registry *reg, const struct oci_ref *ref, const struct oci_pull_opts *opts,
                  const char *media_type, const char *title_suffix, uint8_t **bytes, size_t *len, struct cb_err *e)
{
	*bytes = NULL;
	*len = 0;
	char what[OCI_REF_MAX + 16];
	oci_ref_format(ref, what, sizeof(what));
	uint64_t max = opts->max_file ? opts->max_file : PULL_FILE_MAX_DEFAULT;
	char digest[OCI_DIGEST_SIZE], mdigest[OCI_DIGEST_SIZE];
	struct oci_manifest top, img;
	memset(&img, 0, sizeof(img));
	int rc = get_manifest(reg, ref, digest, &top, e);
	if (rc)
		return rc;
	struct oci_ref pinned = { 0 };
	const struct oci_manifest *m = &top;
	memcpy(mdigest, digest, sizeof(mdigest));
	if (top.kind == OCI_KIND_INDEX) {
		const struct oci_descriptor *d;
		if ((rc = oci_manifest_select(&top, &opts->platform, &d, e)) || (rc = oci_ref_copy(ref, &pinned, e)))
			goto out;
		free(pinned.digest);
		if (!(pinned.digest = strdup(d->digest))) {
			rc = cb_errf(e, CB_ENOMEM, "oci: out of memory");
			goto out;
		}
		if ((rc = get_manifest(reg, &pinned, mdigest, &img, e)))
			goto out;
		m = &img;
	}
	/* The index (or the manifest itself) is what gets signed; a signed platform manifest also counts. */
	if (opts->sig && (rc = oci_pull_check_sigs(reg, ref, digest, opts->sig, e)) && strcmp(digest, mdigest) != 0)
		rc = oci_pull_check_sigs(reg, ref, mdigest, opts->sig, e);
	if (rc)
		goto out;
	const struct oci_descriptor *layer = pick(m, media_type, title_suffix, what, e);
	if (!layer) {
		rc = CB_ENOENT;
		goto out;
	}
	if ((rc = oci_get_blob_mem(reg, ref, layer->digest, layer->size, max, bytes, e)))
		goto out;
	*len = (size_t)layer->size;
out:
	oci_ref_free(&pinned);
	oci_manifest_free(&img);
	oci_manifest_free(&top);
	return rc;
}
