/* image_buf.c: kernel/initrd buffers in EFI_LOADER_DATA pages, and kernel decompression into a new buffer. */
#include "image_buf.h"

#include "decompress.h"
#include "log.h"
#include "rt.h"

#define KERNEL_DECOMPRESSED_MAX (512ull << 20)

int image_buf_alloc(struct image_buf *b, size_t size, struct cb_err *e)
{
	size_t pages = size / EFI_PAGE_SIZE + 1;
	efi_physical_addr pa = 0;
	efi_status s = rt_bs->allocate_pages(EFI_ALLOCATE_ANY_PAGES, EFI_LOADER_DATA, pages, &pa);
	if (s != EFI_SUCCESS)
		return cb_errf(e, CB_ENOMEM, "no memory for %zu bytes: %s", size, efi_status_str(s));
	b->data = (uint8_t *)(uintptr_t)pa;
	b->size = size;
	b->pages = pages;
	return CB_OK;
}

void image_buf_free(struct image_buf *b)
{
	if (b->data)
		rt_bs->free_pages((efi_physical_addr)(uintptr_t)b->data, b->pages);
	b->data = NULL;
	b->size = b->pages = 0;
}

int image_buf_decompress_kernel(struct image_buf *b, struct cb_err *e)
{
	enum decompress_format f = decompress_detect(b->data, b->size);
	if (f == DECOMPRESS_NONE)
		return CB_OK;
	uint64_t size = 0;
	int rc = decompress_size(b->data, b->size, &size, e);
	if (rc)
		return cb_err_prefix(e, "kernel: ");
	if (size > KERNEL_DECOMPRESSED_MAX)
		return cb_errf(e, CB_ELIMIT, "kernel: %s data announces %llu bytes (limit %llu)",
		               decompress_format_name(f), (unsigned long long)size, KERNEL_DECOMPRESSED_MAX);
	struct image_buf out = { 0 };
	if ((rc = image_buf_alloc(&out, (size_t)size, e)))
		return cb_err_prefix(e, "kernel: ");
	if ((rc = decompress_into(b->data, b->size, out.data, out.size, e))) {
		image_buf_free(&out);
		return cb_err_prefix(e, "kernel: ");
	}
	log_info("kernel: %s, %zu bytes decompressed to %zu", decompress_format_name(f), b->size, out.size);
	image_buf_free(b);
	*b = out;
	return CB_OK;
}
