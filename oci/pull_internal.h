/* pull_internal.h: the pieces oci_pull_boot is assembled from: signature discovery (pull_sig.c) and picking
 * boot files out of tar layers (boot_pick.c). Not a public API. */
#ifndef OCI_PULL_INTERNAL_H
#define OCI_PULL_INTERNAL_H

#include "pull.h"

/* Finds signature manifests for `digest` (legacy .sig tag, referrers API, referrers tag schema) and calls the
 * hook for each until one verifies. CB_EVERIFY when none was found or none verified. */
int oci_pull_check_sigs(struct oci_registry *reg, const struct oci_ref *ref, const char *digest,
                        const struct oci_sig_hook *hook, struct cb_err *e);

/* Streams every tar layer of the manifest (in order) and picks the kernel and initrd (see pull.h). */
int oci_pull_from_tars(struct oci_registry *reg, const struct oci_ref *repo, const struct oci_artifact *art,
                       uint64_t max_file, uint64_t max_layer, struct oci_boot_files *out, struct cb_err *e);

#endif
