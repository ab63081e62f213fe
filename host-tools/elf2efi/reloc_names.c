/* elf2efi: names of the dynamic relocation types a linker may leave behind, per machine, so a refusal
 * says "type 7 (R_X86_64_JUMP_SLOT)" rather than a bare number; and the R_*_RELATIVE type per machine. */
#include <stddef.h>

#include "elf2efi.h"
#include "elf64.h"

struct name {
	uint32_t type;
	const char *name;
};

static const struct name x86_64[] = {
	{0, "R_X86_64_NONE"}, {1, "R_X86_64_64"}, {2, "R_X86_64_PC32"}, {5, "R_X86_64_COPY"},
	{6, "R_X86_64_GLOB_DAT"}, {7, "R_X86_64_JUMP_SLOT"}, {8, "R_X86_64_RELATIVE"},
	{16, "R_X86_64_DTPMOD64"}, {17, "R_X86_64_DTPOFF64"}, {18, "R_X86_64_TPOFF64"},
	{36, "R_X86_64_TLSDESC"}, {37, "R_X86_64_IRELATIVE"}, {0, NULL},
};

static const struct name aarch64[] = {
	{0, "R_AARCH64_NONE"}, {257, "R_AARCH64_ABS64"}, {1024, "R_AARCH64_COPY"},
	{1025, "R_AARCH64_GLOB_DAT"}, {1026, "R_AARCH64_JUMP_SLOT"}, {1027, "R_AARCH64_RELATIVE"},
	{1028, "R_AARCH64_TLS_DTPMOD64"}, {1029, "R_AARCH64_TLS_DTPREL64"}, {1030, "R_AARCH64_TLS_TPREL64"},
	{1031, "R_AARCH64_TLSDESC"}, {1032, "R_AARCH64_IRELATIVE"}, {0, NULL},
};

static const struct name riscv[] = {
	{0, "R_RISCV_NONE"}, {1, "R_RISCV_32"}, {2, "R_RISCV_64"}, {3, "R_RISCV_RELATIVE"},
	{4, "R_RISCV_COPY"}, {5, "R_RISCV_JUMP_SLOT"}, {7, "R_RISCV_TLS_DTPMOD64"},
	{9, "R_RISCV_TLS_DTPREL64"}, {11, "R_RISCV_TLS_TPREL64"}, {12, "R_RISCV_TLSDESC"},
	{58, "R_RISCV_IRELATIVE"}, {0, NULL},
};

static const struct name loongarch[] = {
	{0, "R_LARCH_NONE"}, {1, "R_LARCH_32"}, {2, "R_LARCH_64"}, {3, "R_LARCH_RELATIVE"},
	{4, "R_LARCH_COPY"}, {5, "R_LARCH_JUMP_SLOT"}, {7, "R_LARCH_TLS_DTPMOD64"},
	{9, "R_LARCH_TLS_DTPREL64"}, {11, "R_LARCH_TLS_TPREL64"}, {12, "R_LARCH_IRELATIVE"},
	{14, "R_LARCH_TLS_DESC64"}, {0, NULL},
};

const char *e2e_reloc_type_name(uint16_t e_machine, uint32_t type)
{
	const struct name *t;

	switch (e_machine) {
	case EM_X86_64: t = x86_64; break;
	case EM_AARCH64: t = aarch64; break;
	case EM_RISCV: t = riscv; break;
	case EM_LOONGARCH: t = loongarch; break;
	default: return "unknown";
	}
	for (; t->name; t++)
		if (t->type == type)
			return t->name;
	return "unknown";
}

uint32_t e2e_relative_type(uint16_t e_machine)
{
	switch (e_machine) {
	case EM_X86_64: return R_X86_64_RELATIVE;
	case EM_AARCH64: return R_AARCH64_RELATIVE;
	case EM_RISCV: return R_RISCV_RELATIVE;
	case EM_LOONGARCH: return R_LARCH_RELATIVE;
	default: return UINT32_MAX;
	}
}
