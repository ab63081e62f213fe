/* elf2efi: serializes the laid-out image into the output bytes: DOS header, PE signature, COFF header,
 * PE32+ optional header, section table, section data with relocated words patched, .reloc, CheckSum. */
#include <stdlib.h>
#include <string.h>

#include "elf2efi.h"
#include "elf64.h"
#include "le.h"
#include "pe32plus.h"

static void section_header(uint8_t *h, const char name[8], uint32_t vsize, uint32_t rva, uint32_t raw_size,
			   uint32_t raw_ptr, uint32_t characteristics)
{
	memcpy(h + SH_NAME, name, 8);
	put32(h + SH_VSIZE, vsize);
	put32(h + SH_VADDR, rva);
	put32(h + SH_RAWSIZE, raw_size);
	put32(h + SH_RAWPTR, raw_ptr);
	put32(h + SH_CHARACTERISTICS, characteristics);
}

static void optional_header(const struct e2e_image *img, uint8_t *o)
{
	uint32_t code = 0, data = 0, bss = 0, base_of_code = 0;

	for (unsigned i = 0; i < img->nseg; i++) {
		const struct e2e_segment *s = &img->seg[i];
		if (s->characteristics & IMAGE_SCN_CNT_CODE) {
			if (!code)
				base_of_code = s->rva;
			code += s->raw_size;
		} else if (s->characteristics & IMAGE_SCN_CNT_INITIALIZED_DATA) {
			data += s->raw_size;
		} else {
			bss += (uint32_t)s->memsz; /* < 4 GiB, checked in layout */
		}
	}
	data += img->reloc_raw_size;

	put16(o + OPT_MAGIC, PE32PLUS_MAGIC);
	put32(o + OPT_SIZEOFCODE, code);
	put32(o + OPT_SIZEOFINITDATA, data);
	put32(o + OPT_SIZEOFUNINITDATA, bss);
	put32(o + OPT_ENTRY, img->entry_rva);
	put32(o + OPT_BASEOFCODE, base_of_code);
	put64(o + OPT_IMAGEBASE, img->image_base);
	put32(o + OPT_SECTALIGN, PE_SECTION_ALIGN);
	put32(o + OPT_FILEALIGN, PE_FILE_ALIGN);
	put32(o + OPT_SIZEOFIMAGE, img->size_of_image);
	put32(o + OPT_SIZEOFHEADERS, img->size_of_headers);
	put16(o + OPT_SUBSYSTEM, img->subsystem);
	/* W+X segments are refused, so every section is W^X: NX_COMPAT holds. DYNAMIC_BASE: .reloc is complete. */
	put16(o + OPT_DLLCHARACTERISTICS, IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE | IMAGE_DLLCHARACTERISTICS_NX_COMPAT);
	/* Unused by UEFI loaders; the usual linker defaults. */
	put64(o + OPT_STACKRESERVE, 0x100000);
	put64(o + OPT_STACKCOMMIT, 0x1000);
	put64(o + OPT_HEAPRESERVE, 0x100000);
	put64(o + OPT_HEAPCOMMIT, 0x1000);
	put32(o + OPT_NUMRVAANDSIZES, PE_NUM_DATADIRS);
	put32(o + OPT_DATADIR + PE_DIR_BASERELOC * 8, img->reloc_rva);
	put32(o + OPT_DATADIR + PE_DIR_BASERELOC * 8 + 4, img->reloc_size);
}

int e2e_emit(struct e2e_image *img, struct e2e_output *out)
{
	static const char reloc_name[8] = ".reloc";
	uint8_t *f = calloc(img->file_size, 1);
	unsigned s = 0;

	if (!f)
		return e2e_fail(img->diag, "out of memory for a 0x%x-byte output", img->file_size);

	f[0] = 'M';
	f[1] = 'Z';
	put32(f + DOS_E_LFANEW, PE_SIG_OFF);
	memcpy(f + PE_SIG_OFF, "PE\0\0", 4);

	uint8_t *coff = f + COFF_OFF;
	put16(coff + COFF_MACHINE, img->pe_machine);
	put16(coff + COFF_NSECTIONS, (uint16_t)(img->nseg + 1));
	put32(coff + COFF_TIMESTAMP, 0); /* reproducible output */
	put16(coff + COFF_SIZEOFOPT, OPT_SIZE);
	put16(coff + COFF_CHARACTERISTICS, IMAGE_FILE_EXECUTABLE_IMAGE | IMAGE_FILE_LINE_NUMS_STRIPPED |
		IMAGE_FILE_LOCAL_SYMS_STRIPPED | IMAGE_FILE_LARGE_ADDRESS_AWARE);
	optional_header(img, f + OPT_OFF);

	for (unsigned i = 0; i < img->nseg; i++) {
		const struct e2e_segment *g = &img->seg[i];
		section_header(f + SECTAB_OFF + i * SECHDR_SIZE, g->name, (uint32_t)g->memsz, g->rva, g->raw_size,
			       g->raw_ptr, g->characteristics);
		if (g->filesz)
			memcpy(f + g->raw_ptr, img->in + g->offset, g->filesz);
	}
	section_header(f + SECTAB_OFF + img->nseg * SECHDR_SIZE, reloc_name, img->reloc_size, img->reloc_rva,
		       img->reloc_raw_size, img->reloc_raw_ptr,
		       IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_DISCARDABLE);
	memcpy(f + img->reloc_raw_ptr, img->reloc_blob, img->reloc_size);

	/* Relocations and segments are both sorted by address: walk them together. Every target was proven
	 * to be 8 file-backed bytes of one segment (relocs.c), so the write stays inside its raw data. */
	for (size_t i = 0; i < img->nrelocs; i++) {
		const struct e2e_reloc *r = &img->relocs[i];
		while (r->vaddr >= img->seg[s].vaddr + img->seg[s].filesz)
			s++;
		put64(f + img->seg[s].raw_ptr + (r->vaddr - img->seg[s].vaddr), r->value);
	}

	put32(f + OPT_OFF + OPT_CHECKSUM, e2e_pe_checksum(f, img->file_size, OPT_OFF + OPT_CHECKSUM));
	out->data = f;
	out->len = img->file_size;
	return 0;
}
