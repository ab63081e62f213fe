/* tar.h: streaming reader of tar archives (ustar, pax, GNU long names), gzip- or zstd-compressed or plain,
 * fed in arbitrary pieces as a layer blob arrives. It extracts nothing itself: a handler picks the entries. */
#ifndef OCI_TAR_H
#define OCI_TAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

#define OCI_TAR_NAME_MAX 4096      /* bytes of a path or link target */
#define OCI_TAR_PAX_MAX (64 * 1024) /* bytes of one pax extended header */

enum oci_tar_type { OCI_TAR_FILE, OCI_TAR_HARDLINK, OCI_TAR_SYMLINK, OCI_TAR_DIR, OCI_TAR_OTHER };

struct oci_tar_entry {
	const char *name;     /* leading "/" and "./" removed; valid during on_entry only */
	const char *linkname; /* links: the target as stored, else "" */
	enum oci_tar_type type;
	uint64_t size;        /* data bytes that follow (0 for links, directories and devices) */
};

struct oci_tar_handler {
	/* Each entry in order. Return 1 to get its data through on_data, 0 to skip it, or a CB_E* code (with e
	 * set) to stop the archive. */
	int (*on_entry)(void *ctx, const struct oci_tar_entry *ent, struct cb_err *e);
	/* Data of an accepted entry, in order; then on_end once its last byte was delivered. */
	int (*on_data)(void *ctx, const void *p, size_t n, struct cb_err *e);
	int (*on_end)(void *ctx, struct cb_err *e);
	void *ctx;
};

struct oci_tar;

/* The compression is detected from the first bytes (gzip 1f 8b, zstd 28 b5 2f fd, else plain tar).
 * max_output caps the decompressed bytes (0 = no cap): a guard against decompression bombs. */
int oci_tar_new(const struct oci_tar_handler *h, uint64_t max_output, struct oci_tar **out, struct cb_err *e);
/* Checks the whole input, not just the archive: a gzip or zstd stream must then end cleanly after the
 * end-of-archive blocks (no truncated or garbage tail). For validating files before upload; the loader needs
 * only the archive (its blobs are digest-checked) and stops reading at its end. Call before the first feed. */
void oci_tar_set_strict(struct oci_tar *t);
/* Feeds the next n bytes of the (compressed) archive. Errors: "tar: offset N: <why>" (N counted in the
 * uncompressed stream), "tar: gzip: <why>", "tar: zstd: <why>", or whatever a handler returned. After an
 * error the reader only reports it again. Bytes after the end-of-archive blocks are ignored. */
int oci_tar_feed(struct oci_tar *t, const void *p, size_t n, struct cb_err *e);
/* The input is complete: CB_EINVAL when it stopped inside an entry, a header or a compressed stream. */
int oci_tar_finish(struct oci_tar *t, struct cb_err *e);
void oci_tar_free(struct oci_tar *t);

#endif
