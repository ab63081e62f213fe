/* manifest.h: OCI image manifests and indexes and Docker schema2 manifests and lists: parsing, platform
 * selection from an index, and which layer holds the kernel, initrd or cmdline. No fetching here. */
#ifndef OCI_MANIFEST_H
#define OCI_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "json.h"

#define OCI_MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define OCI_MT_INDEX "application/vnd.oci.image.index.v1+json"
#define OCI_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define OCI_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define OCI_MT_KERNEL "application/vnd.cloudboot.kernel.v1"
#define OCI_MT_INITRD "application/vnd.cloudboot.initrd.v1"
#define OCI_MT_CMDLINE "application/vnd.cloudboot.cmdline.v1"
#define OCI_ANN_TITLE "org.opencontainers.image.title"
/* The Accept header value for manifests: all four types above. */
#define OCI_ACCEPT_MANIFESTS OCI_MT_MANIFEST ", " OCI_MT_INDEX ", " OCI_MT_DOCKER_MANIFEST ", " OCI_MT_DOCKER_LIST

#define OCI_MANIFEST_MAX (4u * 1024 * 1024) /* bytes of one manifest or index */
#define OCI_MAX_DESCRIPTORS 1024            /* layers or manifests in one document */
#define OCI_MAX_TAR_LAYERS 128              /* tar layers considered in one image (docker's own cap is 127) */

struct oci_platform {
	const char *architecture; /* amd64, arm64, riscv64, loong64 (x86_64/aarch64/loongarch64 accepted as aliases) */
	const char *os;           /* NULL = "linux" when selecting */
	const char *variant;      /* NULL = any (arm64: v8 preferred) */
};

/* Every string points into the manifest's JSON document and lives as long as the manifest. */
struct oci_descriptor {
	const char *media_type;
	const char *digest;        /* syntax checked (oci_digest_valid); fetching requires sha256 */
	uint64_t size;
	const char *artifact_type; /* or NULL */
	const char *title;         /* annotation org.opencontainers.image.title, or NULL */
	const struct json_value *annotations; /* object or NULL */
	bool has_platform;
	struct oci_platform platform;
};

enum oci_manifest_kind { OCI_KIND_MANIFEST, OCI_KIND_INDEX };

struct oci_manifest {
	enum oci_manifest_kind kind;
	const char *media_type;     /* from the document, else the Content-Type given, else the OCI type of its kind */
	bool docker;                /* Docker schema2 manifest or list */
	const char *artifact_type;  /* or NULL */
	bool has_config;
	struct oci_descriptor config;
	struct oci_descriptor *desc; /* layers (manifest) or manifests (index) */
	size_t n;
	bool has_subject;
	struct oci_descriptor subject;
	const struct json_value *annotations;
	struct json_doc *doc;
};

/* Parses buf[0..len) (at most OCI_MANIFEST_MAX bytes). content_type (NULL ok) is used only when the document
 * has no mediaType. Without either, `manifests` makes an index and `layers` a manifest. 0, or
 * CB_EINVAL/CB_EUNSUP/CB_ELIMIT/CB_ENOMEM with "manifest: <why>" ("manifest: layers[2]: missing digest").
 * Free with oci_manifest_free. */
int oci_manifest_parse(const void *buf, size_t len, const char *content_type, struct oci_manifest *m,
                       struct cb_err *e);
void oci_manifest_free(struct oci_manifest *m);

/* True for the four manifest media types above (parameters after ';' ignored). */
bool oci_media_type_is_manifest(const char *mt);

/* Picks from an index the entry whose platform matches: architecture (aliases normalised), os (default linux),
 * then variant: an exact variant wins; without a wanted variant an entry without one wins (for arm64 "v8"
 * counts as none). Entries that are not manifests (or are attestations, platform unknown/unknown) are
 * skipped. CB_ENOENT "index has no manifest for linux/riscv64 (it has linux/amd64, linux/arm64/v8)". */
int oci_manifest_select(const struct oci_manifest *index, const struct oci_platform *want,
                        const struct oci_descriptor **out, struct cb_err *e);

/* Canonical architecture name (amd64, arm64, riscv64, loong64) for a Go/OCI or kernel/UEFI spelling, or the
 * input itself when unknown. */
const char *oci_arch_normalize(const char *arch);

enum oci_compression { OCI_COMP_NONE, OCI_COMP_GZIP, OCI_COMP_ZSTD };

/* Which layers of an image manifest hold what. */
struct oci_artifact {
	const struct oci_descriptor *kernel, *initrd, *cmdline; /* per-file shape (any may be NULL) */
	enum oci_compression initrd_compression;                /* from the initrd media type suffix */
	const struct oci_descriptor *tars[OCI_MAX_TAR_LAYERS]; /* tar(.gz/.zst) layers, in manifest order */
	size_t n_tars;
};

/* Classifies the layers of an image manifest: per-file layers by our media types
 * (application/vnd.cloudboot.{kernel,initrd,cmdline}.v1, initrd with +gzip/+zstd) or else by the title
 * annotation's base name (vmlinuz*, bzImage*, Image*, kernel* → kernel; initrd*, initramfs* → initrd;
 * cmdline* → cmdline; `oras push` gives plain files the tar media type and a title, so a title wins over
 * it). Remaining tar layers (OCI and Docker layer types) are listed for the container-image shape. CB_EINVAL
 * for an index, two layers in the same role ("manifest: layers[1] and layers[3] are both the kernel") or
 * more than OCI_MAX_TAR_LAYERS tar layers. */
int oci_manifest_classify(const struct oci_manifest *m, struct oci_artifact *out, struct cb_err *e);

#endif
