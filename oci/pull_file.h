/* pull_file.h: one named file out of a single-file OCI artifact (a plan), checked like a boot artifact:
 * manifest digest, signatures through the same hook, blob digest and size. */
#ifndef OCI_PULL_FILE_H
#define OCI_PULL_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "pull.h"

#define OCI_MT_PLAN "application/vnd.cloudboot.plan.v1+hcl"

/* Resolves ref (an index is resolved for opts->platform), checks signatures through opts->sig (when set) before
 * fetching anything else, then returns the layer whose media type is `media_type` (parameters ignored), else
 * the only layer whose title ends in `title_suffix` (e.g. ".hcl"), else the only layer. At most opts->max_file
 * bytes (0 = 256 KiB). *bytes is malloc'ed and NUL-terminated (*len without the NUL). */
int oci_pull_file(struct oci_registry *reg, const struct oci_ref *ref, const struct oci_pull_opts *opts,
                  const char *media_type, const char *title_suffix, uint8_t **bytes, size_t *len, struct cb_err *e);

#endif
