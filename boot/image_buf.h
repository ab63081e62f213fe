/* image_buf.h: page-allocated buffers for whole kernels and initrds (too large for the pool allocator to be
 * a good idea), and the in-place swap of a gzip/zstd kernel for its decompressed image. */
#ifndef BOOT_IMAGE_BUF_H
#define BOOT_IMAGE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

struct image_buf {
	uint8_t *data;
	size_t size;  /* bytes in use */
	size_t pages; /* allocated */
};

int image_buf_alloc(struct image_buf *b, size_t size, struct cb_err *e);
void image_buf_free(struct image_buf *b); /* zeroed or freed buffers are fine */

/* A kernel that is gzip or zstd data (not an EFI zboot image, which starts with MZ and stays as it is) is
 * replaced by its decompressed bytes; anything else is left alone. */
int image_buf_decompress_kernel(struct image_buf *b, struct cb_err *e);

#endif
