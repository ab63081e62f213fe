/* manifest.c: OCI image manifest/index and Docker schema2 manifest/list documents: validation into
 * descriptors, platform selection and layer classification. The bytes come from the registry client. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "oci_internal.h"
#include "ref.h"

static const char *const manifest_types[] = { OCI_MT_MANIFEST, OCI_MT_INDEX, OCI_MT_DOCKER_MANIFEST,
	                                      OCI_MT_DOCKER_LIST };

/* Length of the media type before parameters (";") and trailing spaces. */
static size_t mt_len(const char *mt)
{
	size_t n = strcspn(mt, ";");
	while (n && (mt[n - 1] == ' ' || mt[n - 1] == '\t'))
		n--;
	return n;
}

static int known_type(const char *mt)
{
	size_t n = mt_len(mt);
	for (int i = 0; i < 4; i++)
		if (strlen(manifest_types[i]) == n && !strncmp(manifest_types[i], mt, n))
			return i;
	return -1;
}

bool oci_media_type_is_manifest(const char *mt)
{
	return mt && known_type(mt) >= 0;
}

void oci_manifest_free(struct oci_manifest *m)
{
	if (!m)
		return;
	free(m->desc);
	json_free(m->doc);
	memset(m, 0, sizeof(*m));
}

/* Optional string member: NULL when absent, CB_EINVAL when present but not a string. */
static int opt_str(const struct json_value *obj, const char *key, const char **out, const char *where,
                   struct cb_err *e)
{
	const struct json_value *v = json_get(obj, key);
	*out = NULL;
	if (!v)
		return 0;
	if (json_type(v) != JSON_STRING)
		return cb_errf(e, CB_EINVAL, "manifest: %s%s%s is not a string", where, *where ? "." : "", key);
	*out = json_str(v, NULL);
	return 0;
}

static int parse_descriptor(const struct json_value *v, const char *where, bool need_platform_ok,
                            struct oci_descriptor *d, struct cb_err *e)
{
	memset(d, 0, sizeof(*d));
	if (json_type(v) != JSON_OBJECT)
		return cb_errf(e, CB_EINVAL, "manifest: %s is not an object", where);
	int rc;
	if ((rc = opt_str(v, "mediaType", &d->media_type, where, e)) || (rc = opt_str(v, "digest", &d->digest, where, e)) ||
	    (rc = opt_str(v, "artifactType", &d->artifact_type, where, e)))
		return rc;
	if (!d->media_type)
		return cb_errf(e, CB_EINVAL, "manifest: %s: missing mediaType", where);
	if (!d->digest)
		return cb_errf(e, CB_EINVAL, "manifest: %s: missing digest", where);
	char ex[OCI_EXCERPT_SIZE];
	if (!oci_digest_valid(d->digest))
		return cb_errf(e, CB_EINVAL, "manifest: %s: invalid digest %s", where,
		               oci_excerpt_str(d->digest, ex, sizeof(ex)));
	if (!strncmp(d->digest, "sha256:", 7) && !oci_digest_is_sha256(d->digest))
		return cb_errf(e, CB_EINVAL, "manifest: %s: invalid sha256 digest %s", where,
		               oci_excerpt_str(d->digest, ex, sizeof(ex)));
	const struct json_value *size = json_get(v, "size");
	if (!size)
		return cb_errf(e, CB_EINVAL, "manifest: %s: missing size", where);
	if (!json_uint64(size, &d->size) || d->size > INT64_MAX)
		return cb_errf(e, CB_EINVAL, "manifest: %s: size is not a non-negative integer", where);
	const struct json_value *ann = json_get(v, "annotations");
	if (ann) {
		if (json_type(ann) != JSON_OBJECT)
			return cb_errf(e, CB_EINVAL, "manifest: %s.annotations is not an object", where);
		d->annotations = ann;
		char w[96];
		snprintf(w, sizeof(w), "%s.annotations", where);
		if ((rc = opt_str(ann, OCI_ANN_TITLE, &d->title, w, e)))
			return rc;
	}
	const struct json_value *pl = json_get(v, "platform");
	if (pl) {
		if (!need_platform_ok)
			return 0; /* a layer's platform means nothing to us */
		if (json_type(pl) != JSON_OBJECT)
			return cb_errf(e, CB_EINVAL, "manifest: %s.platform is not an object", where);
		char w[96];
		snprintf(w, sizeof(w), "%s.platform", where);
		if ((rc = opt_str(pl, "architecture", &d->platform.architecture, w, e)) ||
		    (rc = opt_str(pl, "os", &d->platform.os, w, e)) ||
		    (rc = opt_str(pl, "variant", &d->platform.variant, w, e)))
			return rc;
		if (!d->platform.architecture || !d->platform.os)
			return cb_errf(e, CB_EINVAL, "manifest: %s.platform: missing architecture or os", where);
		d->has_platform = true;
	}
	return 0;
}

static int parse_doc(const char *content_type, struct oci_manifest *m, struct cb_err *e)
{
	const struct json_value *root = json_root(m->doc);
	if (json_type(root) != JSON_OBJECT)
		return cb_errf(e, CB_EINVAL, "manifest: not a JSON object");
	const struct json_value *sv = json_get(root, "schemaVersion");
	int64_t ver;
	if (!sv)
		return cb_errf(e, CB_EINVAL, "manifest: missing schemaVersion");
	if (!json_int64(sv, &ver))
		return cb_errf(e, CB_EINVAL, "manifest: schemaVersion is not an integer");
	if (ver != 2)
		return cb_errf(e, CB_EUNSUP, "manifest: schemaVersion %lld is not supported (only 2)", (long long)ver);
	int rc;
	const char *mt;
	if ((rc = opt_str(root, "mediaType", &mt, "", e)) || (rc = opt_str(root, "artifactType", &m->artifact_type, "", e)))
		return rc;
	const struct json_value *layers = json_get(root, "layers"), *manifests = json_get(root, "manifests");
	char ex[OCI_EXCERPT_SIZE];
	int t = -1;
	if (mt) {
		if ((t = known_type(mt)) < 0)
			return cb_errf(e, CB_EUNSUP, "manifest: unsupported mediaType %s", oci_excerpt_str(mt, ex, sizeof(ex)));
		m->media_type = mt;
	} else if (content_type && (t = known_type(content_type)) >= 0) {
		m->media_type = manifest_types[t];
	} else if (layers && manifests) {
		return cb_errf(e, CB_EINVAL, "manifest: both layers and manifests, and no mediaType");
	} else if (manifests) {
		t = 1;
	} else if (layers) {
		t = 0;
	} else {
		return cb_errf(e, CB_EINVAL, "manifest: neither layers nor manifests");
	}
	if (!m->media_type)
		m->media_type = manifest_types[t];
	m->kind = (t == 1 || t == 3) ? OCI_KIND_INDEX : OCI_KIND_MANIFEST;
	m->docker = t >= 2;

	const struct json_value *list = m->kind == OCI_KIND_INDEX ? manifests : layers;
	const char *lname = m->kind == OCI_KIND_INDEX ? "manifests" : "layers";
	if (!list)
		return cb_errf(e, CB_EINVAL, "manifest: %s without %s", m->media_type, lname);
	if (json_type(list) != JSON_ARRAY)
		return cb_errf(e, CB_EINVAL, "manifest: %s is not an array", lname);
	if (m->kind == OCI_KIND_INDEX && layers)
		return cb_errf(e, CB_EINVAL, "manifest: an index with layers");
	if (m->kind == OCI_KIND_MANIFEST && manifests)
		return cb_errf(e, CB_EINVAL, "manifest: an image manifest with manifests");
	size_t n = json_count(list);
	if (n > OCI_MAX_DESCRIPTORS)
		return cb_errf(e, CB_ELIMIT, "manifest: %zu %s exceed the limit of %d", n, lname, OCI_MAX_DESCRIPTORS);
	if (n) {
		m->desc = calloc(n, sizeof(*m->desc));
		if (!m->desc)
			return cb_errf(e, CB_ENOMEM, "manifest: out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		char w[32];
		snprintf(w, sizeof(w), "%s[%zu]", lname, i);
		if ((rc = parse_descriptor(json_at(list, i), w, m->kind == OCI_KIND_INDEX, &m->desc[i], e)))
			return rc;
		m->n++;
	}
	if (m->kind == OCI_KIND_MANIFEST) {
		const struct json_value *cfg = json_get(root, "config");
		if (!cfg)
			return cb_errf(e, CB_EINVAL, "manifest: missing config");
		if ((rc = parse_descriptor(cfg, "config", false, &m->config, e)))
			return rc;
		m->has_config = true;
	}
	const struct json_value *subj = json_get(root, "subject");
	if (subj) {
		if ((rc = parse_descriptor(subj, "subject", false, &m->subject, e)))
			return rc;
		m->has_subject = true;
	}
	const struct json_value *ann = json_get(root, "annotations");
	if (ann && json_type(ann) != JSON_OBJECT)
		return cb_errf(e, CB_EINVAL, "manifest: annotations is not an object");
	m->annotations = ann;
	return 0;
}

int oci_manifest_parse(const void *buf, size_t len, const char *content_type, struct oci_manifest *m,
                       struct cb_err *e)
{
	memset(m, 0, sizeof(*m));
	if (len > OCI_MANIFEST_MAX)
		return cb_errf(e, CB_ELIMIT, "manifest: %zu bytes exceed the limit of %u", len, OCI_MANIFEST_MAX);
	struct json_limits lim;
	json_limits_default(&lim);
	lim.max_bytes = OCI_MANIFEST_MAX;
	lim.max_depth = 16;
	lim.max_values = 200000;
	lim.max_string = 256 * 1024;
	int rc = json_parse(buf, len, &lim, &m->doc, e);
	if (rc) {
		cb_err_prefix(e, "manifest: ");
		return rc;
	}
	if ((rc = parse_doc(content_type, m, e)))
		oci_manifest_free(m);
	return rc;
}

const char *oci_arch_normalize(const char *arch)
{
	static const char *const alias[][2] = { { "x86_64", "amd64" }, { "x86-64", "amd64" }, { "aarch64", "arm64" },
		                                { "loongarch64", "loong64" }, { "riscv64gc", "riscv64" } };
	if (!arch)
		return NULL;
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (!strcmp(arch, alias[i][0]))
			return alias[i][1];
	return arch;
}

static bool no_variant(const char *arch, const char *variant)
{
	return !variant || !*variant || (!strcmp(arch, "arm64") && !strcmp(variant, "v8"));
}

/* 0: no match; higher is better. */
static int score(const struct oci_descriptor *d, const char *arch, const char *os, const char *variant)
{
	if (!d->has_platform || !oci_media_type_is_manifest(d->media_type))
		return 0;
	if (strcmp(oci_arch_normalize(d->platform.architecture), arch) != 0 || strcmp(d->platform.os, os) != 0)
		return 0;
	const char *v = d->platform.variant;
	if (variant) {
		if (v && !strcmp(v, variant))
			return 3;
		return no_variant(arch, v) && no_variant(arch, variant) ? 3 : 0;
	}
	return no_variant(arch, v) ? 2 : 1;
}

int oci_manifest_select(const struct oci_manifest *idx, const struct oci_platform *want,
                        const struct oci_descriptor **out, struct cb_err *e)
{
	*out = NULL;
	if (idx->kind != OCI_KIND_INDEX)
		return cb_errf(e, CB_EINVAL, "manifest: platform selection needs an index, not %s", idx->media_type);
	const char *arch = oci_arch_normalize(want->architecture), *os = want->os ? want->os : "linux";
	if (!arch)
		return cb_errf(e, CB_EINVAL, "manifest: no architecture to select");
	int best = 0;
	for (size_t i = 0; i < idx->n; i++) {
		int s = score(&idx->desc[i], arch, os, want->variant);
		if (s > best) {
			best = s;
			*out = &idx->desc[i];
		}
	}
	if (*out)
		return 0;
	char have[200];
	size_t o = 0, shown = 0;
	have[0] = 0;
	for (size_t i = 0; i < idx->n && o < sizeof(have); i++) {
		const struct oci_descriptor *d = &idx->desc[i];
		if (!d->has_platform || !strcmp(d->platform.architecture, "unknown"))
			continue;
		char ex1[OCI_EXCERPT_SIZE], ex2[OCI_EXCERPT_SIZE], ex3[OCI_EXCERPT_SIZE];
		oci_excerpt_str(d->platform.os, ex1, sizeof(ex1));
		oci_excerpt_str(d->platform.architecture, ex2, sizeof(ex2));
		oci_excerpt_str(d->platform.variant ? d->platform.variant : "", ex3, sizeof(ex3));
		ex1[strlen(ex1) - 1] = ex2[strlen(ex2) - 1] = ex3[strlen(ex3) - 1] = 0; /* without the quotes */
		int k = snprintf(have + o, sizeof(have) - o, "%s%s/%s%s%s", shown ? ", " : "", ex1 + 1, ex2 + 1,
		                 d->platform.variant ? "/" : "", ex3 + 1);
		o += k > 0 ? (size_t)k : 0;
		shown++;
	}
	if (o >= sizeof(have))
		memcpy(have + sizeof(have) - 4, "...", 4);
	return cb_errf(e, CB_ENOENT, "manifest: index has no manifest for %s/%s%s%s (it has %s)", os, arch,
	               want->variant ? "/" : "", want->variant ? want->variant : "", shown ? have : "none");
}

enum role { ROLE_NONE, ROLE_KERNEL, ROLE_INITRD, ROLE_CMDLINE };

static const char *const role_names[] = { "", "kernel", "initrd", "cmdline" };

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static enum role role_by_type(const char *mt, enum oci_compression *comp)
{
	*comp = OCI_COMP_NONE;
	if (!strcmp(mt, OCI_MT_KERNEL))
		return ROLE_KERNEL;
	if (!strcmp(mt, OCI_MT_CMDLINE))
		return ROLE_CMDLINE;
	if (!strcmp(mt, OCI_MT_INITRD))
		return ROLE_INITRD;
	if (!strcmp(mt, OCI_MT_INITRD "+gzip")) {
		*comp = OCI_COMP_GZIP;
		return ROLE_INITRD;
	}
	if (!strcmp(mt, OCI_MT_INITRD "+zstd")) {
		*comp = OCI_COMP_ZSTD;
		return ROLE_INITRD;
	}
	return ROLE_NONE;
}

static enum role role_by_title(const char *title)
{
	if (!title)
		return ROLE_NONE;
	const char *base = strrchr(title, '/');
	base = base ? base + 1 : title;
	if (starts(base, "vmlinuz") || starts(base, "bzImage") || starts(base, "Image") || starts(base, "kernel"))
		return ROLE_KERNEL;
	if (starts(base, "initrd") || starts(base, "initramfs"))
		return ROLE_INITRD;
	if (starts(base, "cmdline"))
		return ROLE_CMDLINE;
	return ROLE_NONE;
}

static bool is_tar_type(const char *mt)
{
	static const char *const tars[] = {
		"application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar+gzip",
		"application/vnd.oci.image.layer.v1.tar+zstd", "application/vnd.docker.image.rootfs.diff.tar",
		"application/vnd.docker.image.rootfs.diff.tar.gzip", "application/vnd.docker.image.rootfs.diff.tar.zstd",
	};
	for (size_t i = 0; i < sizeof(tars) / sizeof(tars[0]); i++)
		if (!strcmp(mt, tars[i]))
			return true;
	return false;
}

int oci_manifest_classify(const struct oci_manifest *m, struct oci_artifact *out, struct cb_err *e)
{
	memset(out, 0, sizeof(*out));
	if (m->kind != OCI_KIND_MANIFEST)
		return cb_errf(e, CB_EINVAL, "manifest: an index has no layers to classify (select a platform first)");
	size_t at[4] = { 0 };
	for (size_t i = 0; i < m->n; i++) {
		const struct oci_descriptor *d = &m->desc[i];
		enum oci_compression comp;
		enum role r = role_by_type(d->media_type, &comp);
		if (r == ROLE_NONE)
			r = role_by_title(d->title);
		if (r == ROLE_NONE) {
			if (!is_tar_type(d->media_type))
				continue;
			if (out->n_tars == OCI_MAX_TAR_LAYERS)
				return cb_errf(e, CB_ELIMIT, "manifest: more than %d tar layers", OCI_MAX_TAR_LAYERS);
			out->tars[out->n_tars++] = d;
			continue;
		}
		const struct oci_descriptor **slot = r == ROLE_KERNEL ? &out->kernel : r == ROLE_INITRD ? &out->initrd
		                                                                                      : &out->cmdline;
		if (*slot)
			return cb_errf(e, CB_EINVAL, "manifest: layers[%zu] and layers[%zu] are both the %s", at[r], i,
			               role_names[r]);
		*slot = d;
		at[r] = i;
		if (r == ROLE_INITRD)
			out->initrd_compression = comp;
	}
	return 0;
}
