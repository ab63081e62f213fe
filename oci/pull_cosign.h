/* pull_cosign.h: keyed cosign as oci_pull_boot's signature hook: each signature manifest found goes through
 * cosign_verify_sig_manifest, its layers fetched with oci_sig_fetch. The policy (key or not) is the caller's. */
#ifndef OCI_PULL_COSIGN_H
#define OCI_PULL_COSIGN_H

#include "cb_err.h"
#include "cosign.h"
#include "pull.h"

/* Told the verdict on each signature manifest: rc 0 when it verified (then msg is ""), else why not. */
typedef void (*oci_cosign_log_fn)(void *ctx, const struct oci_sig_found *sig, int rc, const char *msg);

struct oci_cosign_hook {
	struct oci_sig_hook hook; /* what oci_pull_opts.sig points at */
	const struct cosign_key *key;
	oci_cosign_log_fn log;    /* NULL: silent */
	void *log_ctx;
};

/* Sets up h so that &h->hook verifies with key. key and h must outlive the pulls that use it. */
void oci_cosign_hook_init(struct oci_cosign_hook *h, const struct cosign_key *key, oci_cosign_log_fn log,
                          void *log_ctx);

#endif
