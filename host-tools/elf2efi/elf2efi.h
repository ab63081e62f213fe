/* elf2efi: the in-memory model of one ELF64 static-PIE -> PE32+ conversion, shared by the stage files
 * (header, segments, dynamic, relocations, layout, emission). Every stage refuses hostile input via e2e_fail. */
#ifndef ELF2EFI_H
#define ELF2EFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define E2E_MAX_SEGMENTS 96 /* the Windows loader's section limit; far above what a loader needs */
#define E2E_DIAG_MAX 512

struct e2e_diag {
	char msg[E2E_DIAG_MAX];
};

/* Formats a refusal reason into d and returns -1 so callers can `return e2e_fail(...)`. */
int e2e_fail(struct e2e_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct e2e_segment {
	unsigned phdr; /* index in the ELF program header table */
	uint64_t offset, vaddr, filesz, memsz;
	uint32_t flags; /* PF_* after the RELRO adjustment */
	bool relro;     /* PF_W dropped: the whole segment is PT_GNU_RELRO */
	/* PE layout */
	uint32_t rva, raw_size, raw_ptr, characteristics;
	char name[8];
};

/* One R_*_RELATIVE relocation: the 64-bit word at vaddr must hold value (a preferred-base address). */
struct e2e_reloc {
	uint64_t vaddr;
	uint64_t value;
	size_t index; /* position across all relocation tables, for messages */
};

enum { E2E_TAB_RELA, E2E_TAB_REL, E2E_TAB_JMPREL, E2E_NTABS };

struct e2e_reltab {
	bool present;
	bool rela; /* entries carry an explicit addend */
	uint64_t vaddr, size, entsize;
	bool has_vaddr, has_size, has_entsize;
};

struct e2e_image {
	const uint8_t *in;
	size_t len;
	struct e2e_diag *diag;
	uint16_t subsystem;

	/* ELF header */
	uint16_t e_machine, pe_machine;
	uint64_t entry, phoff;
	uint16_t phnum;

	/* program headers; seg[] sorted by vaddr */
	struct e2e_segment seg[E2E_MAX_SEGMENTS];
	unsigned nseg;
	bool has_dynamic, has_relro;
	unsigned dyn_phdr;
	uint64_t dyn_offset, dyn_size;
	uint64_t relro_start, relro_end;

	/* dynamic relocations */
	struct e2e_reltab tab[E2E_NTABS];
	uint64_t pltrel; /* DT_PLTREL value */
	struct e2e_reloc *relocs;
	size_t nrelocs;

	/* PE output */
	uint64_t image_base;
	uint32_t size_of_headers, size_of_image, entry_rva, file_size;
	uint8_t *reloc_blob;
	uint32_t reloc_size, reloc_rva, reloc_raw_ptr, reloc_raw_size;
};

struct e2e_options {
	uint16_t subsystem;
};

struct e2e_output {
	uint8_t *data;
	size_t len;
};

/* Stages, in order. Each returns 0 or -1 (reason in img->diag). */
int e2e_parse_header(struct e2e_image *img);
int e2e_parse_segments(struct e2e_image *img);
int e2e_parse_dynamic(struct e2e_image *img);
int e2e_collect_relocs(struct e2e_image *img);
int e2e_build_basereloc(struct e2e_image *img);
int e2e_layout(struct e2e_image *img);
int e2e_emit(struct e2e_image *img, struct e2e_output *out);

/* Whole conversion; frees everything but out->data (caller frees). */
int e2e_convert(const uint8_t *in, size_t len, const struct e2e_options *opt, struct e2e_output *out,
		struct e2e_diag *diag);

/* Helpers */
const char *e2e_reloc_type_name(uint16_t e_machine, uint32_t type);
uint32_t e2e_relative_type(uint16_t e_machine);
/* Maps [vaddr, vaddr+size) to a file offset inside one PT_LOAD's file-backed bytes; false if it isn't. */
bool e2e_vaddr_to_offset(const struct e2e_image *img, uint64_t vaddr, uint64_t size, uint64_t *offset);
uint32_t e2e_pe_checksum(const uint8_t *file, size_t len, size_t checksum_off);

static inline bool e2e_align_up(uint64_t v, uint64_t align, uint64_t *out)
{
	uint64_t t;
	if (__builtin_add_overflow(v, align - 1, &t))
		return false;
	*out = t & ~(align - 1);
	return true;
}

/* For values already proven far below 2^64 (callers say why). */
static inline uint64_t e2e_round_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

#endif
