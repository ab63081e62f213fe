/* elf2efi: places the PE image: ImageBase, one section per PT_LOAD (RVA, name, characteristics), the
 * .reloc section after them, file offsets, SizeOfHeaders and SizeOfImage, all checked to fit in 32 bits. */
#include <inttypes.h>

#include "elf2efi.h"
#include "elf64.h"
#include "pe32plus.h"

static void name_section(struct e2e_segment *s)
{
	const char *name;
	uint32_t c = IMAGE_SCN_MEM_READ; /* UEFI has no execute-only or write-only memory */

	if (s->flags & PF_X) {
		name = ".text";
		c |= IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE;
	} else {
		c |= s->filesz ? IMAGE_SCN_CNT_INITIALIZED_DATA : IMAGE_SCN_CNT_UNINITIALIZED_DATA;
		if (s->flags & PF_W) {
			name = s->filesz ? ".data" : ".bss";
			c |= IMAGE_SCN_MEM_WRITE;
		} else {
			name = s->relro ? ".relro" : ".rodata";
		}
	}
	for (unsigned i = 0; i < sizeof(s->name); i++) {
		s->name[i] = *name;
		if (*name)
			name++;
	}
	s->characteristics = c;
}

/* ImageBase: the PE image keeps the ELF virtual addresses (RVA = vaddr - ImageBase), so relocated words
 * keep their ELF values. ImageBase is the first PT_LOAD address less room for the headers, rounded down
 * to 64 KiB; with ld.lld --image-base=0x1000 that is 0 and the first section sits at RVA 0x1000. */
static int place_base(struct e2e_image *img)
{
	/* small: nseg <= E2E_MAX_SEGMENTS */
	uint64_t sz = e2e_round_up(SECTAB_OFF + (uint64_t)(img->nseg + 1) * SECHDR_SIZE, PE_FILE_ALIGN);
	uint64_t hdr_pages = e2e_round_up(sz, PE_SECTION_ALIGN);
	const struct e2e_segment *first = &img->seg[0];

	img->size_of_headers = (uint32_t)sz;
	if (first->vaddr < hdr_pages)
		return e2e_fail(img->diag, "first PT_LOAD segment (program header %u) at 0x%" PRIx64 " leaves no room "
				"below it for the PE headers (need 0x%" PRIx64 " bytes; link with --image-base=0x1000)",
				first->phdr, first->vaddr, hdr_pages);
	img->image_base = (first->vaddr - hdr_pages) & ~(uint64_t)(PE_IMAGE_BASE_ALIGN - 1);
	return 0;
}

static int place_sections(struct e2e_image *img)
{
	bool entry_ok = false;

	for (unsigned i = 0; i < img->nseg; i++) {
		struct e2e_segment *s = &img->seg[i];
		uint64_t rva = s->vaddr - img->image_base, end;

		if (!e2e_align_up(rva + s->memsz, PE_SECTION_ALIGN, &end) || end > UINT32_MAX - PE_SECTION_ALIGN)
			return e2e_fail(img->diag, "PT_LOAD segment (program header %u) at 0x%" PRIx64 " size 0x%" PRIx64
					" ends beyond the 4 GiB a PE image can span", s->phdr, s->vaddr, s->memsz);
		s->rva = (uint32_t)rva;
		name_section(s);
		if ((s->flags & PF_X) && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz) {
			img->entry_rva = (uint32_t)(img->entry - img->image_base);
			entry_ok = true;
		}
	}
	if (!entry_ok)
		return e2e_fail(img->diag, "entry point 0x%" PRIx64 " is not inside an executable PT_LOAD segment",
				img->entry);
	return 0;
}

static int place_file(struct e2e_image *img)
{
	const struct e2e_segment *last = &img->seg[img->nseg - 1];
	uint64_t pos = img->size_of_headers, raw;
	uint64_t end = e2e_round_up((uint64_t)last->rva + last->memsz, PE_SECTION_ALIGN); /* < 4 GiB, checked */

	img->reloc_rva = (uint32_t)end;
	end = e2e_round_up(end + img->reloc_size, PE_SECTION_ALIGN); /* both < 2^32 */
	if (end > UINT32_MAX)
		return e2e_fail(img->diag, "image with its .reloc section exceeds the 4 GiB a PE image can span");
	img->size_of_image = (uint32_t)end;

	for (unsigned i = 0; i < img->nseg; i++) {
		struct e2e_segment *s = &img->seg[i];
		raw = e2e_round_up(s->filesz, PE_FILE_ALIGN); /* filesz <= file length < 4 GiB */
		if (raw > UINT32_MAX || pos + raw > UINT32_MAX)
			return e2e_fail(img->diag, "output would exceed 4 GiB");
		s->raw_size = (uint32_t)raw;
		s->raw_ptr = raw ? (uint32_t)pos : 0;
		pos += raw;
	}
	raw = e2e_round_up(img->reloc_size, PE_FILE_ALIGN);
	if (pos + raw > UINT32_MAX)
		return e2e_fail(img->diag, "output would exceed 4 GiB");
	img->reloc_raw_size = (uint32_t)raw;
	img->reloc_raw_ptr = (uint32_t)pos;
	img->file_size = (uint32_t)(pos + raw);
	return 0;
}

int e2e_layout(struct e2e_image *img)
{
	if (place_base(img) < 0 || place_sections(img) < 0 || e2e_build_basereloc(img) < 0 || place_file(img) < 0)
		return -1;
	return 0;
}
