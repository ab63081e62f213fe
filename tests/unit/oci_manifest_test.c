/* oci_manifest_test.c: oci/manifest.c on real-shaped documents (oras artifacts, OCI and Docker indexes with
 * attestations, Docker schema2 images, cosign referrers): parsed fields, platform selection, layer roles, and
 * malformed documents with exact messages. */
#include <stdlib.h>

#include "http_test_util.h"
#include "manifest.h"

#define DA "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DB "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define DC "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define DD "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
#define DE "sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"

#define CFG "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" DE "\",\"size\":2}"
#define LAYER(mt, d, n, title) \
	"{\"mediaType\":\"" mt "\",\"digest\":\"" d "\",\"size\":" #n \
	",\"annotations\":{\"org.opencontainers.image.title\":\"" title "\"}}"

/* What `oras push reg/x:1 vmlinuz initrd.img cmdline` makes: tar media type + titles. */
static const char oras_doc[] =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	"\"artifactType\":\"application/vnd.unknown.artifact.v1\"," CFG ",\"layers\":["
	LAYER("application/vnd.oci.image.layer.v1.tar", DA, 11, "vmlinuz") ","
	LAYER("application/vnd.oci.image.layer.v1.tar", DB, 22, "initrd.img") ","
	LAYER("application/vnd.oci.image.layer.v1.tar", DC, 5, "cmdline") "],"
	"\"annotations\":{\"org.opencontainers.image.created\":\"2024-01-01T00:00:00Z\"}}";

/* Our media types, titles that would say otherwise. */
static const char typed_doc[] =
	"{\"schemaVersion\":2," CFG ",\"layers\":["
	LAYER("application/vnd.cloudboot.cmdline.v1", DA, 1, "vmlinuz") ","
	LAYER("application/vnd.cloudboot.initrd.v1+zstd", DB, 2, "x") ","
	LAYER("application/vnd.cloudboot.kernel.v1", DC, 3, "initrd") "]}";

/* A distribution's kernel container: tar+gzip layers, one with a title that means nothing to us. */
static const char image_doc[] =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
	"\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" DE "\",\"size\":7},"
	"\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\"" DA "\",\"size\":100},"
	"{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+zstd\",\"digest\":\"" DB "\",\"size\":200},"
	LAYER("application/vnd.oci.image.layer.v1.tar+gzip", DC, 300, "rootfs.tar.gz") ","
	"{\"mediaType\":\"application/octet-stream\",\"digest\":\"" DD "\",\"size\":1}]}";

#define ENTRY(mt, d, arch, os, extra) \
	"{\"mediaType\":\"" mt "\",\"digest\":\"" d "\",\"size\":500,\"platform\":{\"architecture\":\"" arch \
	"\",\"os\":\"" os "\"" extra "}}"

static const char index_doc[] =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
	ENTRY(OCI_MT_MANIFEST, DA, "unknown", "unknown", "") ","
	ENTRY(OCI_MT_MANIFEST, DB, "amd64", "linux", "") ","
	ENTRY(OCI_MT_MANIFEST, DC, "arm64", "linux", ",\"variant\":\"v8\"") ","
	ENTRY(OCI_MT_MANIFEST, DD, "riscv64", "linux", "") ","
	ENTRY(OCI_MT_MANIFEST, DE, "loong64", "linux", "") "]}";

static const char docker_list[] =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\",\"manifests\":["
	ENTRY(OCI_MT_DOCKER_MANIFEST, DA, "arm", "linux", ",\"variant\":\"v6\"") ","
	ENTRY(OCI_MT_DOCKER_MANIFEST, DB, "arm", "linux", ",\"variant\":\"v7\"") ","
	ENTRY(OCI_MT_DOCKER_MANIFEST, DC, "arm64", "linux", "") ","
	ENTRY(OCI_MT_DOCKER_MANIFEST, DD, "amd64", "windows", "") ","
	ENTRY(OCI_MT_DOCKER_MANIFEST, DE, "amd64", "linux", ",\"variant\":\"v3\"") "]}";

/* A cosign OCI 1.1 referrer (bundle) with a subject. */
static const char referrer_doc[] =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	"\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"," CFG ",\"layers\":["
	"{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"digest\":\"" DA "\",\"size\":3000}],"
	"\"subject\":{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"" DB "\",\"size\":1234}}";

static int parse(const char *doc, const char *ct, struct oci_manifest *m, struct cb_err *e)
{
	return oci_manifest_parse(doc, strlen(doc), ct, m, e);
}

static void manifests(void)
{
	struct oci_manifest m;
	struct oci_artifact art;
	struct cb_err e = { 0 };

	CHECK_INT(parse(oras_doc, NULL, &m, &e), 0, e.msg);
	CHECK_INT(m.kind, OCI_KIND_MANIFEST, "oras kind");
	CHECK_STR(m.media_type, OCI_MT_MANIFEST, "oras media type");
	CHECK_STR(m.artifact_type, "application/vnd.unknown.artifact.v1", "artifactType");
	CHECK(!m.docker && m.has_config && !m.has_subject, "oras flags");
	CHECK_STR(m.config.digest, DE, "config digest");
	CHECK_INT(m.config.size, 2, "config size");
	CHECK_INT(m.n, 3, "oras layers");
	CHECK_STR(m.desc[1].title, "initrd.img", "title");
	CHECK_INT(m.desc[1].size, 22, "size");
	CHECK_STR(json_get_str(m.annotations, "org.opencontainers.image.created"), "2024-01-01T00:00:00Z", "annotations");
	CHECK_INT(oci_manifest_classify(&m, &art, &e), 0, e.msg);
	CHECK(art.kernel == &m.desc[0] && art.initrd == &m.desc[1] && art.cmdline == &m.desc[2], "oras roles");
	CHECK_INT(art.n_tars, 0, "titled layers are not tars");
	CHECK_INT(art.initrd_compression, OCI_COMP_NONE, "no compression from a title");
	oci_manifest_free(&m);

	CHECK_INT(parse(typed_doc, NULL, &m, &e), 0, e.msg);
	CHECK_STR(m.media_type, OCI_MT_MANIFEST, "no mediaType: OCI manifest inferred");
	CHECK_INT(oci_manifest_classify(&m, &art, &e), 0, e.msg);
	CHECK(art.kernel == &m.desc[2] && art.initrd == &m.desc[1] && art.cmdline == &m.desc[0], "media types win");
	CHECK_INT(art.initrd_compression, OCI_COMP_ZSTD, "+zstd");
	oci_manifest_free(&m);

	CHECK_INT(parse(image_doc, NULL, &m, &e), 0, e.msg);
	CHECK(m.docker, "docker schema2");
	CHECK_INT(oci_manifest_classify(&m, &art, &e), 0, e.msg);
	CHECK(!art.kernel && !art.initrd && !art.cmdline, "no per-file layers");
	CHECK_INT(art.n_tars, 3, "three tar layers");
	CHECK(art.tars[0] == &m.desc[0] && art.tars[1] == &m.desc[1] && art.tars[2] == &m.desc[2], "tar order");
	oci_manifest_free(&m);

	CHECK_INT(parse(referrer_doc, NULL, &m, &e), 0, e.msg);
	CHECK(m.has_subject, "subject");
	CHECK_STR(m.subject.digest, DB, "subject digest");
	CHECK_STR(m.subject.media_type, OCI_MT_INDEX, "subject type");
	CHECK_INT(m.subject.size, 1234, "subject size");
	oci_manifest_free(&m);

	/* Content-Type decides when the document has no mediaType */
	const char *noidx = "{\"schemaVersion\":2,\"manifests\":[]}";
	CHECK_INT(parse(noidx, "application/vnd.docker.distribution.manifest.list.v2+json; charset=x", &m, &e), 0, e.msg);
	CHECK(m.kind == OCI_KIND_INDEX && m.docker, "list from Content-Type");
	CHECK_STR(m.media_type, OCI_MT_DOCKER_LIST, "media type from Content-Type");
	CHECK_INT(m.n, 0, "empty index");
	oci_manifest_free(&m);
	CHECK_INT(parse(noidx, "application/json", &m, &e), 0, e.msg);
	CHECK(m.kind == OCI_KIND_INDEX && !m.docker, "index inferred");
	oci_manifest_free(&m);
}

static void selection(void)
{
	struct oci_manifest m;
	const struct oci_descriptor *d;
	struct cb_err e = { 0 };
	CHECK_INT(parse(index_doc, NULL, &m, &e), 0, e.msg);
	static const struct {
		const char *arch, *os, *variant, *digest;
	} t[] = {
		{ "amd64", NULL, NULL, DB }, { "x86_64", "linux", NULL, DB }, { "arm64", NULL, NULL, DC },
		{ "aarch64", NULL, "v8", DC }, { "riscv64", NULL, NULL, DD }, { "loong64", NULL, NULL, DE },
		{ "loongarch64", NULL, NULL, DE },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct oci_platform p = { t[i].arch, t[i].os, t[i].variant };
		int rc = oci_manifest_select(&m, &p, &d, &e);
		CHECK(rc == 0 && d && !strcmp(d->digest, t[i].digest), "%s: rc %d %s", t[i].arch, rc, rc ? e.msg : d->digest);
	}
	struct oci_platform p = { "s390x", NULL, NULL };
	CHECK_INT(oci_manifest_select(&m, &p, &d, &e), CB_ENOENT, "s390x");
	CHECK_STR(e.msg, "manifest: index has no manifest for linux/s390x (it has linux/amd64, linux/arm64/v8, "
	                 "linux/riscv64, linux/loong64)", "no-match message");
	p = (struct oci_platform){ "arm64", NULL, "v9" };
	CHECK_INT(oci_manifest_select(&m, &p, &d, &e), CB_ENOENT, "arm64/v9");
	CHECK(strstr(e.msg, "no manifest for linux/arm64/v9") != NULL, "message: %s", e.msg);
	p = (struct oci_platform){ "amd64", "windows", NULL };
	CHECK_INT(oci_manifest_select(&m, &p, &d, &e), CB_ENOENT, "windows");
	oci_manifest_free(&m);

	CHECK_INT(parse(docker_list, NULL, &m, &e), 0, e.msg);
	p = (struct oci_platform){ "arm", NULL, "v7" };
	CHECK(oci_manifest_select(&m, &p, &d, &e) == 0 && !strcmp(d->digest, DB), "arm/v7");
	p = (struct oci_platform){ "arm", NULL, NULL };
	CHECK(oci_manifest_select(&m, &p, &d, &e) == 0 && !strcmp(d->digest, DA), "arm: first variant");
	p = (struct oci_platform){ "arm64", NULL, "v8" };
	CHECK(oci_manifest_select(&m, &p, &d, &e) == 0 && !strcmp(d->digest, DC), "arm64 v8 == no variant");
	p = (struct oci_platform){ "amd64", NULL, NULL };
	CHECK(oci_manifest_select(&m, &p, &d, &e) == 0 && !strcmp(d->digest, DE), "amd64/v3 when nothing better");
	oci_manifest_free(&m);

	CHECK_INT(parse(oras_doc, NULL, &m, &e), 0, e.msg);
	p = (struct oci_platform){ "amd64", NULL, NULL };
	CHECK_INT(oci_manifest_select(&m, &p, &d, &e), CB_EINVAL, "select on a manifest");
	CHECK_STR(e.msg, "manifest: platform selection needs an index, not " OCI_MT_MANIFEST, "message");
	oci_manifest_free(&m);
}

struct bad {
	const char *doc, *ct;
	int code;
	const char *msg;
};

#define L1(extra) "{\"schemaVersion\":2," CFG ",\"layers\":[" extra "]}"

static const struct bad bads[] = {
	{ "[]", NULL, CB_EINVAL, "manifest: not a JSON object" },
	{ "{", NULL, CB_EINVAL, "manifest: json: offset 1: " },
	{ "{}", NULL, CB_EINVAL, "manifest: missing schemaVersion" },
	{ "{\"schemaVersion\":\"2\"}", NULL, CB_EINVAL, "manifest: schemaVersion is not an integer" },
	{ "{\"schemaVersion\":1,\"fsLayers\":[]}", NULL, CB_EUNSUP, "manifest: schemaVersion 1 is not supported (only 2)" },
	{ "{\"schemaVersion\":2}", NULL, CB_EINVAL, "manifest: neither layers nor manifests" },
	{ "{\"schemaVersion\":2,\"layers\":[],\"manifests\":[]}", NULL, CB_EINVAL,
	  "manifest: both layers and manifests, and no mediaType" },
	{ "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\"}", NULL, CB_EUNSUP,
	  "manifest: unsupported mediaType \"application/vnd.oci.artifact.manifest.v1+json\"" },
	{ "{\"schemaVersion\":2,\"mediaType\":7}", NULL, CB_EINVAL, "manifest: mediaType is not a string" },
	{ "{\"schemaVersion\":2,\"mediaType\":\"" OCI_MT_INDEX "\"}", NULL, CB_EINVAL,
	  "manifest: " OCI_MT_INDEX " without manifests" },
	{ "{\"schemaVersion\":2,\"mediaType\":\"" OCI_MT_INDEX "\",\"manifests\":[],\"layers\":[]}", NULL, CB_EINVAL,
	  "manifest: an index with layers" },
	{ "{\"schemaVersion\":2,\"mediaType\":\"" OCI_MT_MANIFEST "\",\"manifests\":[],\"layers\":[]}", NULL, CB_EINVAL,
	  "manifest: an image manifest with manifests" },
	{ "{\"schemaVersion\":2,\"layers\":{}}", NULL, CB_EINVAL, "manifest: layers is not an array" },
	{ "{\"schemaVersion\":2,\"layers\":[]}", NULL, CB_EINVAL, "manifest: missing config" },
	{ L1("1"), NULL, CB_EINVAL, "manifest: layers[0] is not an object" },
	{ L1("{\"digest\":\"" DA "\",\"size\":1}"), NULL, CB_EINVAL, "manifest: layers[0]: missing mediaType" },
	{ L1("{\"mediaType\":\"x\",\"size\":1}"), NULL, CB_EINVAL, "manifest: layers[0]: missing digest" },
	{ L1("{\"mediaType\":\"x\",\"digest\":\"" DA "\"}"), NULL, CB_EINVAL, "manifest: layers[0]: missing size" },
	{ L1("{\"mediaType\":\"x\",\"digest\":\"" DA "\",\"size\":-1}"), NULL, CB_EINVAL,
	  "manifest: layers[0]: size is not a non-negative integer" },
	{ L1("{\"mediaType\":\"x\",\"digest\":\"" DA "\",\"size\":1.5}"), NULL, CB_EINVAL,
	  "manifest: layers[0]: size is not a non-negative integer" },
	{ L1("{\"mediaType\":\"x\",\"digest\":\"" DA "\",\"size\":9223372036854775808}"), NULL, CB_EINVAL,
	  "manifest: layers[0]: size is not a non-negative integer" },
	{ L1("{\"mediaType\":\"x\",\"digest\":\"md5\",\"size\":1}"), NULL, CB_EINVAL,
	  "manifest: layers[0]: invalid digest \"md5\"" },
	{ L1("{\"mediaType\":\"x\",\"digest\":\"sha256:abc\",\"size\":1}"), NULL, CB_EINVAL,
	  "manifest: layers[0]: invalid sha256 digest \"sha256:abc\"" },
	{ L1("{\"mediaType\":\"x\",\"digest\":\"" DA "\",\"size\":1,\"annotations\":[]}"), NULL, CB_EINVAL,
	  "manifest: layers[0].annotations is not an object" },
	{ L1("{\"mediaType\":\"x\",\"digest\":\"" DA "\",\"size\":1,\"annotations\":{\"org.opencontainers.image.title\":1}}"),
	  NULL, CB_EINVAL, "manifest: layers[0].annotations.org.opencontainers.image.title is not a string" },
	{ L1("{\"mediaType\":1,\"digest\":\"" DA "\",\"size\":1}"), NULL, CB_EINVAL,
	  "manifest: layers[0].mediaType is not a string" },
	{ "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" DA "\",\"size\":1,\"platform\":{\"os\":\"linux\"}}]}",
	  NULL, CB_EINVAL, "manifest: manifests[0].platform: missing architecture or os" },
	{ "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" DA "\",\"size\":1,\"platform\":7}]}",
	  NULL, CB_EINVAL, "manifest: manifests[0].platform is not an object" },
	{ "{\"schemaVersion\":2,\"layers\":[],\"config\":{}}", NULL, CB_EINVAL, "manifest: config: missing mediaType" },
	{ "{\"schemaVersion\":2,\"manifests\":[],\"subject\":[]}", NULL, CB_EINVAL, "manifest: subject is not an object" },
	{ "{\"schemaVersion\":2,\"manifests\":[],\"annotations\":1}", NULL, CB_EINVAL,
	  "manifest: annotations is not an object" },
	{ L1(LAYER("application/vnd.cloudboot.kernel.v1", DA, 1, "a") "," LAYER("x", DB, 1, "bzImage")), NULL, 0,
	  "manifest: layers[0] and layers[1] are both the kernel" },
	{ L1(LAYER("x", DA, 1, "boot/initramfs-6.1.img") "," LAYER("application/vnd.cloudboot.initrd.v1+gzip", DB, 1, "a")),
	  NULL, 0, "manifest: layers[0] and layers[1] are both the initrd" },
};

static void errors(void)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct oci_manifest m;
		struct cb_err e = { 0 };
		int rc = parse(bads[i].doc, bads[i].ct, &m, &e);
		if (bads[i].code == 0) { /* parses; classification fails */
			CHECK(rc == 0, "%zu: parse: %s", i, e.msg);
			struct oci_artifact art;
			if (!rc) {
				CHECK_INT(oci_manifest_classify(&m, &art, &e), CB_EINVAL, bads[i].msg);
				CHECK_STR(e.msg, bads[i].msg, "classify message");
				oci_manifest_free(&m);
			}
			continue;
		}
		CHECK(rc == bads[i].code, "%zu: rc %d, want %d (%s)", i, rc, bads[i].code, e.msg);
		CHECK(!strncmp(e.msg, bads[i].msg, strlen(bads[i].msg)), "%zu: \"%s\" does not start with \"%s\"", i,
		      e.msg, bads[i].msg);
		CHECK(m.doc == NULL && m.desc == NULL, "%zu: freed on failure", i);
	}
	/* sizes and counts */
	struct oci_manifest m;
	struct cb_err e = { 0 };
	CHECK_INT(oci_manifest_parse("{}", OCI_MANIFEST_MAX + 1, NULL, &m, &e), CB_ELIMIT, "4 MiB + 1");
	CHECK_STR(e.msg, "manifest: 4194305 bytes exceed the limit of 4194304", "size message");
	size_t cap = 128 * 1100 + 100, o = 0;
	char *doc = malloc(cap);
	o += (size_t)snprintf(doc + o, cap - o, "{\"schemaVersion\":2,\"manifests\":[");
	for (int i = 0; i < 1025; i++)
		o += (size_t)snprintf(doc + o, cap - o, "%s{\"mediaType\":\"x\",\"digest\":\"" DA "\",\"size\":1}",
		                      i ? "," : "");
	snprintf(doc + o, cap - o, "]}");
	CHECK_INT(parse(doc, NULL, &m, &e), CB_ELIMIT, "1025 manifests");
	CHECK_STR(e.msg, "manifest: 1025 manifests exceed the limit of 1024", "count message");
	free(doc);
	/* classify on an index */
	CHECK_INT(parse(index_doc, NULL, &m, &e), 0, e.msg);
	struct oci_artifact art;
	CHECK_INT(oci_manifest_classify(&m, &art, &e), CB_EINVAL, "classify an index");
	CHECK_STR(e.msg, "manifest: an index has no layers to classify (select a platform first)", "message");
	oci_manifest_free(&m);
	CHECK(oci_media_type_is_manifest(OCI_MT_DOCKER_MANIFEST " ; x=y"), "parameters ignored");
	CHECK(!oci_media_type_is_manifest("application/vnd.oci.image.manifest.v1+jsonx"), "no prefix match");
	CHECK_STR(oci_arch_normalize("riscv64"), "riscv64", "riscv64 stays");
	CHECK_STR(oci_arch_normalize("x86_64"), "amd64", "x86_64");
}

int main(void)
{
	manifests();
	selection();
	errors();
	return check_summary("oci_manifest");
}
