/* elf2efi: turns the dynamic relocation tables into a sorted (target, value) list: only R_*_RELATIVE
 * (R_*_NONE skipped), each target 8 file-backed PT_LOAD bytes, no two targets overlapping. */
#include <inttypes.h>
#include <stdlib.h>

#include "elf2efi.h"
#include "elf64.h"
#include "le.h"

static const char *const tab_name[E2E_NTABS] = {"DT_RELA", "DT_REL", "DT_JMPREL"};

static int check_target(struct e2e_image *img, size_t index, uint64_t vaddr)
{
	uint64_t end;

	if (__builtin_add_overflow(vaddr, 8, &end))
		return e2e_fail(img->diag, "relocation %zu at 0x%" PRIx64 ": target is outside every PT_LOAD segment",
				index, vaddr);
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct e2e_segment *s = &img->seg[i];
		if (vaddr < s->vaddr || vaddr >= s->vaddr + s->memsz)
			continue;
		if (end > s->vaddr + s->filesz)
			return e2e_fail(img->diag, "relocation %zu at 0x%" PRIx64 ": target is not inside the file-backed "
					"bytes of its PT_LOAD segment (program header %u, p_filesz 0x%" PRIx64 ")",
					index, vaddr, s->phdr, s->filesz);
		return 0;
	}
	return e2e_fail(img->diag, "relocation %zu at 0x%" PRIx64 ": target is outside every PT_LOAD segment", index,
			vaddr);
}

static int read_table(struct e2e_image *img, int which, size_t *index)
{
	const struct e2e_reltab *t = &img->tab[which];
	uint32_t relative = e2e_relative_type(img->e_machine);
	uint64_t base;

	if (!t->present)
		return 0;
	if (!e2e_vaddr_to_offset(img, t->vaddr, t->size, &base))
		return e2e_fail(img->diag, "%s table is not inside a PT_LOAD segment", tab_name[which]);
	for (uint64_t off = 0; off < t->size; off += t->entsize) {
		const uint8_t *e = img->in + base + off;
		uint64_t r_offset = le64(e), r_info = le64(e + 8);
		uint32_t type = (uint32_t)r_info, sym = (uint32_t)(r_info >> 32);
		size_t idx = (*index)++;
		uint64_t value;

		if (type == 0)
			continue; /* R_*_NONE: a no-op by definition */
		if (type != relative)
			return e2e_fail(img->diag, "relocation %zu at 0x%" PRIx64 ": type %" PRIu32 " (%s) not supported",
					idx, r_offset, type, e2e_reloc_type_name(img->e_machine, type));
		if (sym != 0)
			return e2e_fail(img->diag, "relocation %zu at 0x%" PRIx64 ": %s with symbol index %" PRIu32
					" not supported", idx, r_offset, e2e_reloc_type_name(img->e_machine, type), sym);
		if (check_target(img, idx, r_offset) < 0)
			return -1;
		if (t->rela) {
			value = le64(e + 16);
		} else {
			uint64_t at;
			e2e_vaddr_to_offset(img, r_offset, 8, &at); /* proven by check_target */
			value = le64(img->in + at);
		}
		/* The PE image keeps the ELF addresses (RVA = vaddr - ImageBase, see pe_layout.c), so the value
		 * the PE loader must find before adding (actual base - ImageBase) is the ELF link-time address:
		 * ImageBase + (addend - ImageBase) = addend. */
		img->relocs[img->nrelocs++] = (struct e2e_reloc){.vaddr = r_offset, .value = value, .index = idx};
	}
	return 0;
}

static int by_target(const void *a, const void *b)
{
	const struct e2e_reloc *x = a, *y = b;
	if (x->vaddr != y->vaddr)
		return x->vaddr < y->vaddr ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int e2e_collect_relocs(struct e2e_image *img)
{
	size_t total = 0, index = 0;

	for (int i = 0; i < E2E_NTABS; i++)
		if (img->tab[i].present)
			total += img->tab[i].size / img->tab[i].entsize; /* each table lies inside the file */
	img->relocs = calloc(total ? total : 1, sizeof(*img->relocs));
	if (!img->relocs)
		return e2e_fail(img->diag, "out of memory for %zu relocations", total);
	for (int i = 0; i < E2E_NTABS; i++)
		if (read_table(img, i, &index) < 0)
			return -1;

	qsort(img->relocs, img->nrelocs, sizeof(*img->relocs), by_target);
	for (size_t i = 1; i < img->nrelocs; i++) {
		const struct e2e_reloc *a = &img->relocs[i - 1], *b = &img->relocs[i];
		if (b->vaddr - a->vaddr < 8)
			return e2e_fail(img->diag, "relocation %zu at 0x%" PRIx64 " and relocation %zu at 0x%" PRIx64
					" overlap (each patches 8 bytes)", a->index, a->vaddr, b->index, b->vaddr);
	}
	return 0;
}
