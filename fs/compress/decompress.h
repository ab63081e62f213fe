/* decompress.h: whole-buffer gzip and zstd decompression for compressed kernels and initrds (Debian's
 * vmlinuz on some CPUs, initrd.img-*), over the vendored zlib (inflate) and zstd (decompress). */
#ifndef FS_DECOMPRESS_H
#define FS_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

enum decompress_format { DECOMPRESS_NONE, DECOMPRESS_GZIP, DECOMPRESS_ZSTD };

/* By magic number: 1f 8b 08 (gzip, deflate) or 28 b5 2f fd (zstd frame); else DECOMPRESS_NONE. */
enum decompress_format decompress_detect(const void *in, size_t n);
const char *decompress_format_name(enum decompress_format f);

/* The decompressed size the stream announces: gzip's ISIZE trailer (single member, < 4 GiB), zstd's frame
 * content size (must be present). CB_EINVAL when the stream does not say or is too short. */
int decompress_size(const void *in, size_t n, uint64_t *size, struct cb_err *e);

/* Decompresses all of in into out, which must receive exactly out_size bytes: a stream that is corrupt,
 * truncated, longer or shorter than announced fails with CB_EINVAL and the reason. */
int decompress_into(const void *in, size_t n, void *out, size_t out_size, struct cb_err *e);

#endif
