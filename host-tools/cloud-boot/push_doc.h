/* push_doc.h: the JSON documents cloud-boot pushes (image manifests of artifacts, plans, module packs and
 * signatures; multi-arch indexes), written byte-stable so the same input always gives the same digest. */
#ifndef CLOUD_BOOT_PUSH_DOC_H
#define CLOUD_BOOT_PUSH_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "ref.h"

#define PUSH_EMPTY_JSON "{}"
#define PUSH_MT_EMPTY "application/vnd.oci.empty.v1+json"
#define PUSH_AT_BOOT "application/vnd.cloudboot.boot.v1"
#define PUSH_AT_PLAN "application/vnd.cloudboot.plan.v1"
#define PUSH_AT_MODPACK "application/vnd.cloudboot.modpack.v1"
#define PUSH_MT_MODPACK "application/vnd.cloudboot.modpack.v1.tar"

struct push_desc {
	const char *media_type, *digest;
	uint64_t size;
};

struct json_value;

struct push_layer {
	struct push_desc d;
	const char *title;     /* org.opencontainers.image.title, or NULL */
	const char *signature; /* dev.cosignproject.cosign/signature, or NULL */
	const struct json_value *annotations; /* kept as they are (a layer already in the registry); then title and
	                                         signature are not used */
};

struct push_manifest {
	const char *artifact_type; /* or NULL */
	struct push_desc config;   /* media_type NULL: the OCI empty descriptor ("{}") */
	const struct push_layer *layers;
	size_t n;
	const struct push_desc *subject; /* or NULL */
};

/* An OCI image manifest; *doc malloc'ed (NUL-terminated, *len without it). */
int push_doc_manifest(const struct push_manifest *m, char **doc, size_t *len, struct cb_err *e);

struct push_index_entry {
	char media_type[128];
	char digest[OCI_DIGEST_SIZE];
	uint64_t size;
	char artifact_type[128];            /* "" when none (a referrer lists its artifactType) */
	const struct json_value *annotations; /* an entry already listed: its annotations, kept; else NULL */
	char os[16], arch[16], variant[16]; /* arch "" = no platform (referrers); variant "" when none */
};

/* An OCI image index of the entries in order (a multi-arch index, or a referrers tag index). */
int push_doc_index(const struct push_index_entry *ents, size_t n, char **doc, size_t *len, struct cb_err *e);

/* "amd64", "linux/arm64", "linux/arm64/v8" (aliases x86_64, aarch64, loongarch64) in s[0..n) into ent's
 * os/arch/variant; CB_EINVAL "'<s>': unknown arch (amd64, arm64, riscv64, loong64)". */
int push_parse_platform(const char *s, size_t n, struct push_index_entry *ent, struct cb_err *e);
bool push_platform_eq(const struct push_index_entry *a, const struct push_index_entry *b);

#endif
