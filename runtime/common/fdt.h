/* fdt.h: a bounded reader for one thing in a flattened device tree: a 32- or 64-bit property of a node
 * named by its full path. Enough for the firmware's DTB (e.g. riscv64's /cpus/timebase-frequency). */
#ifndef CB_FDT_H
#define CB_FDT_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

/* Reads property `prop` of the node at `path` ("/cpus") from the DTB in blob[0..size). The blob is
 * untrusted: every offset is checked, nesting is bounded. 0, CB_ENOENT when absent, CB_EINVAL when
 * malformed (with the reason in e). */
int fdt_read_uint(const void *blob, size_t size, const char *path, const char *prop, uint64_t *out,
                  struct cb_err *e);

#endif
