/* pull.c: oci_pull_boot: reference → (index → platform) → image manifest → signature hook → boot files from
 * per-file layers (kernel, initrd, cmdline). Tar layers are boot_pick.c's, signature discovery pull_sig.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_internal.h"
#include "pull_internal.h"

void oci_boot_files_free(struct oci_boot_files *f)
{
	if (!f)
		return;
	free(f->kernel);
	free(f->initrd);
	free(f->cmdline);
	memset(f, 0, sizeof(*f));
}

int oci_sig_fetch(const struct oci_sig_found *sig, const char *digest, uint64_t size, uint64_t max,
                  uint8_t **bytes, struct cb_err *e)
{
	return oci_get_blob_mem(sig->reg, sig->repo, digest, size, max, bytes, e);
}

static int fetch_manifest(struct oci_registry *reg, const struct oci_ref *ref, char digest[OCI_DIGEST_SIZE],
                          struct oci_manifest *m, struct cb_err *e)
{
	uint8_t *bytes;
	size_t len;
	char mt[128];
	int rc = oci_get_manifest(reg, ref, NULL, &bytes, &len, digest, mt, e);
	if (rc)
		return rc;
	if ((rc = oci_manifest_parse(bytes, len, mt, m, e))) {
		char what[OCI_REF_MAX + 16];
		oci_ref_format(ref, what, sizeof(what));
		cb_err_prefix(e, "oci: %s: ", what);
	}
	free(bytes);
	return rc;
}

static int fetch_file(struct oci_registry *reg, const struct oci_ref *repo, const struct oci_descriptor *d,
                      uint64_t max, const char *role, uint8_t **bytes, size_t *len, struct cb_err *e)
{
	int rc = oci_get_blob_mem(reg, repo, d->digest, d->size, max, bytes, e);
	if (rc)
		return cb_err_prefix(e, "%s: ", role);
	*len = (size_t)d->size;
	return 0;
}

static int take_cmdline(uint8_t *bytes, size_t len, char **out, struct cb_err *e)
{
	if (memchr(bytes, 0, len)) {
		free(bytes);
		return cb_errf(e, CB_EINVAL, "cmdline: contains a NUL byte");
	}
	while (len && (bytes[len - 1] == '\n' || bytes[len - 1] == '\r' || bytes[len - 1] == ' ' ||
	               bytes[len - 1] == '\t'))
		len--;
	bytes[len] = 0;
	*out = (char *)bytes;
	return 0;
}

static int per_file(struct oci_registry *reg, const struct oci_ref *repo, const struct oci_manifest *m,
                    const struct oci_artifact *art, uint64_t max_file, struct oci_boot_files *out, struct cb_err *e)
{
	int rc = fetch_file(reg, repo, art->kernel, max_file, "kernel", &out->kernel, &out->kernel_len, e);
	snprintf(out->kernel_from, sizeof(out->kernel_from), "layers[%zu]", (size_t)(art->kernel - m->desc));
	if (!rc && art->initrd) {
		rc = fetch_file(reg, repo, art->initrd, max_file, "initrd", &out->initrd, &out->initrd_len, e);
		snprintf(out->initrd_from, sizeof(out->initrd_from), "layers[%zu]", (size_t)(art->initrd - m->desc));
	}
	if (!rc && art->cmdline) {
		uint8_t *b = NULL;
		size_t n = 0;
		if (!(rc = fetch_file(reg, repo, art->cmdline, OCI_PULL_CMDLINE_MAX, "cmdline", &b, &n, e)))
			rc = take_cmdline(b, n, &out->cmdline, e);
	}
	return rc;
}

int oci_pull_boot(struct oci_registry *reg, const struct oci_ref *ref, const struct oci_pull_opts *opts,
                  struct oci_boot_files *out, struct cb_err *e)
{
	memset(out, 0, sizeof(*out));
	uint64_t max_file = opts->max_file ? opts->max_file : OCI_PULL_MAX_FILE_DEFAULT;
	uint64_t max_layer = opts->max_layer ? opts->max_layer : OCI_PULL_MAX_LAYER_DEFAULT;
	char what[OCI_REF_MAX + 16];
	oci_ref_format(ref, what, sizeof(what));
	struct oci_manifest top, img;
	memset(&img, 0, sizeof(img));
	int rc = fetch_manifest(reg, ref, out->digest, &top, e);
	if (rc)
		return rc;
	struct oci_ref pinned = { 0 };
	const struct oci_manifest *m = &top;
	memcpy(out->manifest_digest, out->digest, OCI_DIGEST_SIZE);
	if (top.kind == OCI_KIND_INDEX) {
		const struct oci_descriptor *d;
		if ((rc = oci_manifest_select(&top, &opts->platform, &d, e))) {
			cb_err_prefix(e, "oci: %s: ", what);
			goto out;
		}
		if (!oci_digest_is_sha256(d->digest)) {
			rc = cb_errf(e, CB_EUNSUP, "oci: %s: platform manifest %s is not a sha256 digest", what, d->digest);
			goto out;
		}
		if ((rc = oci_ref_copy(ref, &pinned, e)))
			goto out;
		free(pinned.digest);
		if (!(pinned.digest = oci_strndup(d->digest, strlen(d->digest)))) {
			rc = cb_errf(e, CB_ENOMEM, "oci: out of memory");
			goto out;
		}
		if ((rc = fetch_manifest(reg, &pinned, out->manifest_digest, &img, e)))
			goto out;
		if (img.kind != OCI_KIND_MANIFEST) {
			rc = cb_errf(e, CB_EUNSUP, "oci: %s: the platform entry is an index too (nested indexes are not "
			             "supported)", what);
			goto out;
		}
		m = &img;
	}
	if (opts->sig) {
		rc = oci_pull_check_sigs(reg, ref, out->digest, opts->sig, e);
		if (rc && strcmp(out->digest, out->manifest_digest) != 0) {
			struct cb_err first = *e;
			rc = oci_pull_check_sigs(reg, ref, out->manifest_digest, opts->sig, e);
			if (rc)
				*e = first; /* report what failed for the reference itself */
		}
		if (rc)
			goto out;
	}
	struct oci_artifact *art = malloc(sizeof(*art));
	if (!art) {
		rc = cb_errf(e, CB_ENOMEM, "oci: out of memory");
		goto out;
	}
	if ((rc = oci_manifest_classify(m, art, e))) {
		cb_err_prefix(e, "oci: %s: ", what);
	} else if (art->kernel) {
		rc = per_file(reg, ref, m, art, max_file, out, e);
	} else if (art->n_tars) {
		rc = oci_pull_from_tars(reg, ref, art, max_file, max_layer, out, e);
	} else {
		rc = cb_errf(e, CB_ENOENT, "oci: %s: no kernel layer (media type " OCI_MT_KERNEL " or title vmlinuz*) "
		             "and no tar layer", what);
	}
	free(art);
out:
	if (rc)
		oci_boot_files_free(out);
	oci_ref_free(&pinned);
	oci_manifest_free(&img);
	oci_manifest_free(&top);
	return rc;
}
