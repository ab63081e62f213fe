/* elf2efi: reads the program header table into the segment list: refuses PT_INTERP, PT_TLS, W+X,
 * misaligned, truncated or overlapping PT_LOADs; records PT_DYNAMIC and PT_GNU_RELRO. */
#include <inttypes.h>
#include <stdlib.h>

#include "elf2efi.h"
#include "elf64.h"
#include "le.h"
#include "pe32plus.h"

static int add_load(struct e2e_image *img, unsigned i, const uint8_t *ph)
{
	uint32_t flags = le32(ph + PH_FLAGS);
	uint64_t off = le64(ph + PH_OFFSET), vaddr = le64(ph + PH_VADDR);
	uint64_t filesz = le64(ph + PH_FILESZ), memsz = le64(ph + PH_MEMSZ), end;

	if ((flags & PF_W) && (flags & PF_X))
		return e2e_fail(img->diag, "PT_LOAD segment (program header %u) at 0x%" PRIx64
				" is both writable and executable", i, vaddr);
	if (filesz > memsz)
		return e2e_fail(img->diag, "PT_LOAD segment (program header %u) at 0x%" PRIx64 ": p_filesz 0x%" PRIx64
				" > p_memsz 0x%" PRIx64, i, vaddr, filesz, memsz);
	if (__builtin_add_overflow(off, filesz, &end) || end > img->len)
		return e2e_fail(img->diag, "PT_LOAD segment (program header %u) at file offset 0x%" PRIx64 " size 0x%" PRIx64
				" extends beyond the end of the file (0x%zx bytes)", i, off, filesz, img->len);
	if (vaddr % PE_SECTION_ALIGN != 0)
		return e2e_fail(img->diag, "PT_LOAD segment (program header %u) at 0x%" PRIx64 " is not aligned to %u "
				"(link with -z separate-loadable-segments -z max-page-size=4096)", i, vaddr,
				PE_SECTION_ALIGN);
	if (__builtin_add_overflow(vaddr, memsz, &end) || !e2e_align_up(end, PE_SECTION_ALIGN, &end))
		return e2e_fail(img->diag, "PT_LOAD segment (program header %u) at 0x%" PRIx64 " size 0x%" PRIx64
				" wraps the address space", i, vaddr, memsz);
	if (memsz == 0)
		return 0; /* nothing to load, no section */
	if (img->nseg == E2E_MAX_SEGMENTS)
		return e2e_fail(img->diag, "more than %d PT_LOAD segments", E2E_MAX_SEGMENTS);

	struct e2e_segment *s = &img->seg[img->nseg++];
	s->phdr = i;
	s->offset = off;
	s->vaddr = vaddr;
	s->filesz = filesz;
	s->memsz = memsz;
	s->flags = flags;
	return 0;
}

static int by_vaddr(const void *a, const void *b)
{
	const struct e2e_segment *x = a, *y = b;
	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* A writable PT_LOAD lying entirely inside PT_GNU_RELRO (rounded inwards to pages, as a dynamic loader
 * would mprotect it) is only written by relocation, which the PE loader does before the image runs:
 * it becomes a read-only section. */
static void apply_relro(struct e2e_image *img)
{
	uint64_t start, end;

	if (!img->has_relro)
		return;
	end = img->relro_end & ~(uint64_t)(PE_SECTION_ALIGN - 1);
	start = img->relro_start;
	for (unsigned i = 0; i < img->nseg; i++) {
		struct e2e_segment *s = &img->seg[i];
		uint64_t seg_end = e2e_round_up(s->vaddr + s->memsz, PE_SECTION_ALIGN); /* checked in add_load */
		if (!(s->flags & PF_W))
			continue;
		if (start <= s->vaddr && seg_end <= end) {
			s->flags &= ~PF_W;
			s->relro = true;
		}
	}
}

int e2e_parse_segments(struct e2e_image *img)
{
	for (unsigned i = 0; i < img->phnum; i++) {
		const uint8_t *ph = img->in + img->phoff + (uint64_t)i * PH_SIZE;
		uint32_t type = le32(ph + PH_TYPE);
		uint64_t end;

		switch (type) {
		case PT_LOAD:
			if (add_load(img, i, ph) < 0)
				return -1;
			break;
		case PT_DYNAMIC:
			if (img->has_dynamic)
				return e2e_fail(img->diag, "more than one PT_DYNAMIC (program header %u)", i);
			img->has_dynamic = true;
			img->dyn_phdr = i;
			img->dyn_offset = le64(ph + PH_OFFSET);
			img->dyn_size = le64(ph + PH_FILESZ);
			if (__builtin_add_overflow(img->dyn_offset, img->dyn_size, &end) || end > img->len)
				return e2e_fail(img->diag, "truncated PT_DYNAMIC (program header %u): file offset 0x%" PRIx64
						" size 0x%" PRIx64 " extends beyond the end of the file (0x%zx bytes)",
						i, img->dyn_offset, img->dyn_size, img->len);
			break;
		case PT_INTERP:
			return e2e_fail(img->diag, "PT_INTERP (program header %u) present: a dynamically linked program "
					"cannot run under UEFI (link with --no-dynamic-linker -static)", i);
		case PT_TLS:
			return e2e_fail(img->diag, "PT_TLS (program header %u) present: thread-local storage is not "
					"supported under UEFI", i);
		case PT_SHLIB:
			return e2e_fail(img->diag, "PT_SHLIB (program header %u) present", i);
		case PT_GNU_RELRO:
			if (img->has_relro)
				return e2e_fail(img->diag, "more than one PT_GNU_RELRO (program header %u)", i);
			img->has_relro = true;
			img->relro_start = le64(ph + PH_VADDR);
			if (__builtin_add_overflow(img->relro_start, le64(ph + PH_MEMSZ), &img->relro_end))
				return e2e_fail(img->diag, "PT_GNU_RELRO (program header %u) wraps the address space", i);
			break;
		default:
			break; /* PT_PHDR, PT_NOTE, PT_GNU_STACK, PT_GNU_EH_FRAME, arch attributes: not loaded */
		}
	}
	if (img->nseg == 0)
		return e2e_fail(img->diag, "no PT_LOAD segment");

	qsort(img->seg, img->nseg, sizeof(img->seg[0]), by_vaddr);
	for (unsigned i = 1; i < img->nseg; i++) {
		const struct e2e_segment *a = &img->seg[i - 1], *b = &img->seg[i];
		uint64_t a_end = e2e_round_up(a->vaddr + a->memsz, PE_SECTION_ALIGN); /* checked in add_load */
		if (b->vaddr < a_end)
			return e2e_fail(img->diag, "PT_LOAD segments (program headers %u and %u) overlap: 0x%" PRIx64
					"-0x%" PRIx64 " and 0x%" PRIx64 "-0x%" PRIx64 " (page-rounded)", a->phdr, b->phdr,
					a->vaddr, a_end, b->vaddr, b->vaddr + b->memsz);
	}
	apply_relro(img);
	return 0;
}

bool e2e_vaddr_to_offset(const struct e2e_image *img, uint64_t vaddr, uint64_t size, uint64_t *offset)
{
	uint64_t end;

	if (__builtin_add_overflow(vaddr, size, &end))
		return false;
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct e2e_segment *s = &img->seg[i];
		if (vaddr >= s->vaddr && end <= s->vaddr + s->filesz) {
			*offset = s->offset + (vaddr - s->vaddr);
			return true;
		}
	}
	return false;
}
