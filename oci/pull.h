/* pull.h: "give me the kernel, initrd and cmdline of this reference for this CPU": index → platform manifest →
 * signature hook → per-file layers or a tar(.gz/.zst) layer's boot/ files. Shared by the loader and host tools. */
#ifndef OCI_PULL_H
#define OCI_PULL_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "manifest.h"
#include "ref.h"
#include "registry.h"

#define OCI_PULL_MAX_FILE_DEFAULT (1024ull << 20)  /* 1 GiB: one kernel, initrd or extracted file */
#define OCI_PULL_MAX_LAYER_DEFAULT (4096ull << 20) /* 4 GiB: one compressed tar layer */
#define OCI_PULL_CMDLINE_MAX 65536
#define OCI_PULL_MAX_SIGS 16                       /* signature manifests tried per signed digest */

/* One signature manifest found for a signed digest, handed to the verification hook. */
struct oci_sig_found {
	const char *signed_digest;   /* the manifest digest the signature must vouch for */
	const char *source;          /* "tag sha256-<hex>.sig", "referrers API", "tag sha256-<hex>" */
	const uint8_t *manifest;     /* the signature manifest's exact bytes (digest-checked when fetched by digest) */
	size_t len;
	const char *manifest_digest;
	struct oci_registry *reg;    /* for oci_sig_fetch */
	const struct oci_ref *repo;
};

struct oci_sig_hook {
	/* Called for each signature manifest found; 0 when it verifies (nothing more is tried), else a CB_E*
	 * code with e set, and the next one is tried. */
	int (*verify)(void *ctx, const struct oci_sig_found *sig, struct cb_err *e);
	void *ctx;
};

/* For the hook: one blob of the signature's repository into memory (size <= max), verified against digest
 * and size before it is returned; free() it. */
int oci_sig_fetch(const struct oci_sig_found *sig, const char *digest, uint64_t size, uint64_t max,
                  uint8_t **bytes, struct cb_err *e);

struct oci_pull_opts {
	struct oci_platform platform;   /* architecture required (amd64, arm64, riscv64, loong64); os NULL = linux */
	uint64_t max_file;              /* 0 = OCI_PULL_MAX_FILE_DEFAULT */
	uint64_t max_layer;             /* 0 = OCI_PULL_MAX_LAYER_DEFAULT */
	const struct oci_sig_hook *sig; /* NULL: signatures are not looked at */
};

struct oci_boot_files {
	uint8_t *kernel;                         /* always set on success */
	size_t kernel_len;
	uint8_t *initrd;                         /* NULL when the artifact has none */
	size_t initrd_len;
	char *cmdline;                           /* NULL when none; trailing white space removed */
	char digest[OCI_DIGEST_SIZE];            /* what the reference resolved to (index or manifest) */
	char manifest_digest[OCI_DIGEST_SIZE];   /* the image manifest used (== digest without an index) */
	char kernel_from[160], initrd_from[160]; /* "layers[0]", "boot/vmlinuz-6.1.0 in layers[1]" */
};

/* Resolves ref for opts->platform, checks signatures through opts->sig before any blob is fetched, then
 * fetches the boot files. Every byte is digest-checked before it is returned. Per-file layers (see
 * oci_manifest_classify) win; otherwise every tar layer is read in order and the files are picked from what
 * the image's boot/ holds in the end: the target of a boot/vmlinuz link, else boot/vmlinuz, else the
 * lexically largest boot/vmlinuz-*; the initrd likewise from boot/initrd.img, else the one with the kernel's
 * version suffix (initrd.img-V, initrd-V(.img), initramfs-V(.img)), else the largest boot/initrd*|initramfs*.
 * 0, or a CB_E* code with one line in e. Free *out with oci_boot_files_free. */
int oci_pull_boot(struct oci_registry *reg, const struct oci_ref *ref, const struct oci_pull_opts *opts,
                  struct oci_boot_files *out, struct cb_err *e);
void oci_boot_files_free(struct oci_boot_files *f);

#endif
