/* elf2efi: builds the .reloc section contents: one IMAGE_REL_BASED_DIR64 entry per relocation, grouped
 * in 4 KiB page blocks, each block padded to a multiple of 4 bytes with an ABSOLUTE entry. */
#include <stdlib.h>

#include "elf2efi.h"
#include "le.h"
#include "pe32plus.h"

#define BLOCK_HDR 8

int e2e_build_basereloc(struct e2e_image *img)
{
	size_t cap, pos = 0;

	/* Worst case: every relocation alone in its block (8-byte header + entry + pad entry). */
	if (__builtin_mul_overflow(img->nrelocs, (size_t)(BLOCK_HDR + 4), &cap) ||
	    __builtin_add_overflow(cap, (size_t)(BLOCK_HDR + 4), &cap) || cap > UINT32_MAX)
		return e2e_fail(img->diag, "too many relocations (%zu)", img->nrelocs);
	img->reloc_blob = calloc(cap, 1);
	if (!img->reloc_blob)
		return e2e_fail(img->diag, "out of memory for %zu relocations", img->nrelocs);

	if (img->nrelocs == 0) {
		/* No relocation at all: the code is position-independent already. We still emit a valid,
		 * non-empty base relocation directory (one block, two ABSOLUTE no-op entries, as gnu-efi does)
		 * rather than an empty one or IMAGE_FILE_RELOCS_STRIPPED: EDK2 accepts either, but with
		 * RELOCS_STRIPPED it insists on loading at ImageBase (fails: ImageBase is below 1 MiB), and some
		 * loaders (older firmware, shim, which wants a ".reloc" section matching the directory) treat
		 * a missing or empty directory as "not relocatable". DYNAMIC_BASE stays set. */
		put32(img->reloc_blob, img->seg[0].rva);
		put32(img->reloc_blob + 4, BLOCK_HDR + 4);
		img->reloc_size = BLOCK_HDR + 4;
		return 0;
	}

	for (size_t i = 0; i < img->nrelocs;) {
		uint32_t page = (uint32_t)(img->relocs[i].vaddr - img->image_base) & ~(uint32_t)(PE_SECTION_ALIGN - 1);
		size_t block = pos, n = 0;

		pos += BLOCK_HDR;
		for (; i < img->nrelocs; i++, n++) {
			uint32_t rva = (uint32_t)(img->relocs[i].vaddr - img->image_base);
			if ((rva & ~(uint32_t)(PE_SECTION_ALIGN - 1)) != page)
				break;
			put16(img->reloc_blob + pos, (uint16_t)(IMAGE_REL_BASED_DIR64 << 12 | (rva & 0xfff)));
			pos += 2;
		}
		if (n % 2) {
			put16(img->reloc_blob + pos, IMAGE_REL_BASED_ABSOLUTE << 12);
			pos += 2;
		}
		put32(img->reloc_blob + block, page);
		put32(img->reloc_blob + block + 4, (uint32_t)(pos - block));
	}
	img->reloc_size = (uint32_t)pos;
	return 0;
}
