/* elf2efi: validates the ELF64 file header (class, byte order, type, machine, program header table
 * bounds) and maps e_machine to the PE Machine value. */
#include <inttypes.h>
#include <string.h>

#include "elf2efi.h"
#include "elf64.h"
#include "le.h"
#include "pe32plus.h"

static const char *type_name(uint16_t t)
{
	switch (t) {
	case ET_REL: return "ET_REL";
	case ET_EXEC: return "ET_EXEC";
	case ET_DYN: return "ET_DYN";
	case ET_CORE: return "ET_CORE";
	default: return "unknown";
	}
}

int e2e_parse_header(struct e2e_image *img)
{
	const uint8_t *h = img->in;
	uint64_t table, end;

	if (img->len < EH_SIZE)
		return e2e_fail(img->diag, "truncated ELF header (file is %zu bytes, need %d)", img->len, EH_SIZE);
	if (memcmp(h, "\177ELF", 4) != 0)
		return e2e_fail(img->diag, "not an ELF file (bad magic)");
	if (h[EI_CLASS] == ELFCLASS32)
		return e2e_fail(img->diag, "ELFCLASS32 not supported (need ELFCLASS64)");
	if (h[EI_CLASS] != ELFCLASS64)
		return e2e_fail(img->diag, "unknown ELF class %u (need ELFCLASS64)", h[EI_CLASS]);
	if (h[EI_DATA] == ELFDATA2MSB)
		return e2e_fail(img->diag, "big-endian ELF (ELFDATA2MSB) not supported (need little-endian)");
	if (h[EI_DATA] != ELFDATA2LSB)
		return e2e_fail(img->diag, "unknown ELF data encoding %u (need ELFDATA2LSB)", h[EI_DATA]);
	if (h[EI_VERSION] != EV_CURRENT)
		return e2e_fail(img->diag, "unknown ELF version %u", h[EI_VERSION]);

	uint16_t type = le16(h + EH_TYPE);
	if (type != ET_DYN)
		return e2e_fail(img->diag, "e_type %u (%s) not supported: need ET_DYN, a static PIE "
			"(ld.lld -pie --no-dynamic-linker -static)", type, type_name(type));

	img->e_machine = le16(h + EH_MACHINE);
	switch (img->e_machine) {
	case EM_X86_64: img->pe_machine = PE_MACHINE_AMD64; break;
	case EM_AARCH64: img->pe_machine = PE_MACHINE_ARM64; break;
	case EM_RISCV: img->pe_machine = PE_MACHINE_RISCV64; break;
	case EM_LOONGARCH: img->pe_machine = PE_MACHINE_LOONGARCH64; break;
	default:
		return e2e_fail(img->diag, "e_machine %u not supported (x86_64, aarch64, riscv64, loongarch64 only)",
				img->e_machine);
	}

	img->entry = le64(h + EH_ENTRY);
	img->phoff = le64(h + EH_PHOFF);
	img->phnum = le16(h + EH_PHNUM);
	uint16_t phentsize = le16(h + EH_PHENTSIZE);
	if (img->phnum == 0)
		return e2e_fail(img->diag, "no program headers (e_phnum is 0)");
	if (img->phnum == PN_XNUM)
		return e2e_fail(img->diag, "extended program header numbering (e_phnum 0xffff) not supported");
	if (phentsize != PH_SIZE)
		return e2e_fail(img->diag, "e_phentsize %u not supported (need %d)", phentsize, PH_SIZE);
	if (__builtin_mul_overflow((uint64_t)img->phnum, (uint64_t)PH_SIZE, &table) ||
	    __builtin_add_overflow(img->phoff, table, &end) || end > img->len)
		return e2e_fail(img->diag, "truncated program header table (e_phoff 0x%" PRIx64 ", %u entries, "
				"file is 0x%zx bytes)", img->phoff, img->phnum, img->len);
	return 0;
}
