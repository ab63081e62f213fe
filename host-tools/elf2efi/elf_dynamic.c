/* elf2efi: walks PT_DYNAMIC to locate the relocation tables (DT_RELA, DT_REL, DT_JMPREL) and refuses
 * what a PE image cannot express: DT_NEEDED, DT_TEXTREL, DT_RELR and Android packed relocations. */
#include <inttypes.h>

#include "elf2efi.h"
#include "elf64.h"
#include "le.h"

static int set_once(struct e2e_image *img, const char *name, bool *has, uint64_t *field, uint64_t val)
{
	if (*has)
		return e2e_fail(img->diag, "PT_DYNAMIC: duplicate %s", name);
	*has = true;
	*field = val;
	return 0;
}

static int check_table(struct e2e_image *img, struct e2e_reltab *t, const char *addr_tag, const char *size_tag,
		       const char *ent_tag, uint64_t want_ent)
{
	uint64_t off;

	if (!t->has_vaddr && !t->has_size)
		return 0;
	if (!t->has_vaddr)
		return e2e_fail(img->diag, "PT_DYNAMIC: %s without %s", size_tag, addr_tag);
	if (!t->has_size)
		return e2e_fail(img->diag, "PT_DYNAMIC: %s without %s", addr_tag, size_tag);
	if (ent_tag) {
		if (!t->has_entsize)
			return e2e_fail(img->diag, "PT_DYNAMIC: %s without %s", addr_tag, ent_tag);
		if (t->entsize != want_ent)
			return e2e_fail(img->diag, "PT_DYNAMIC: %s is %" PRIu64 ", need %" PRIu64, ent_tag, t->entsize,
					want_ent);
	}
	t->entsize = want_ent;
	if (t->size % want_ent != 0)
		return e2e_fail(img->diag, "PT_DYNAMIC: %s 0x%" PRIx64 " is not a multiple of the entry size %" PRIu64,
				size_tag, t->size, want_ent);
	if (t->size == 0)
		return 0;
	if (!e2e_vaddr_to_offset(img, t->vaddr, t->size, &off))
		return e2e_fail(img->diag, "%s table 0x%" PRIx64 "+0x%" PRIx64 " is not inside the file-backed part of "
				"a PT_LOAD segment", addr_tag, t->vaddr, t->size);
	t->present = true;
	return 0;
}

int e2e_parse_dynamic(struct e2e_image *img)
{
	struct e2e_reltab *rela = &img->tab[E2E_TAB_RELA], *rel = &img->tab[E2E_TAB_REL],
			  *jmp = &img->tab[E2E_TAB_JMPREL];
	bool has_pltrel = false, terminated = false;
	uint64_t n = img->dyn_size / DYN_SIZE;

	if (!img->has_dynamic)
		return e2e_fail(img->diag, "no PT_DYNAMIC: not a static PIE (link with -pie --no-dynamic-linker -static)");

	for (uint64_t i = 0; i < n && !terminated; i++) {
		const uint8_t *d = img->in + img->dyn_offset + i * DYN_SIZE;
		int64_t tag = (int64_t)le64(d);
		uint64_t val = le64(d + 8);
		int r = 0;

		switch (tag) {
		case DT_NULL: terminated = true; break;
		case DT_RELA: r = set_once(img, "DT_RELA", &rela->has_vaddr, &rela->vaddr, val); break;
		case DT_RELASZ: r = set_once(img, "DT_RELASZ", &rela->has_size, &rela->size, val); break;
		case DT_RELAENT: r = set_once(img, "DT_RELAENT", &rela->has_entsize, &rela->entsize, val); break;
		case DT_REL: r = set_once(img, "DT_REL", &rel->has_vaddr, &rel->vaddr, val); break;
		case DT_RELSZ: r = set_once(img, "DT_RELSZ", &rel->has_size, &rel->size, val); break;
		case DT_RELENT: r = set_once(img, "DT_RELENT", &rel->has_entsize, &rel->entsize, val); break;
		case DT_JMPREL: r = set_once(img, "DT_JMPREL", &jmp->has_vaddr, &jmp->vaddr, val); break;
		case DT_PLTRELSZ: r = set_once(img, "DT_PLTRELSZ", &jmp->has_size, &jmp->size, val); break;
		case DT_PLTREL: r = set_once(img, "DT_PLTREL", &has_pltrel, &img->pltrel, val); break;
		case DT_NEEDED:
			return e2e_fail(img->diag, "PT_DYNAMIC: DT_NEEDED present: shared library dependencies are not "
					"supported");
		case DT_TEXTREL:
			return e2e_fail(img->diag, "PT_DYNAMIC: DT_TEXTREL present: relocations in read-only segments "
					"(link with -z text)");
		case DT_FLAGS:
			if (val & DF_TEXTREL)
				return e2e_fail(img->diag, "PT_DYNAMIC: DT_FLAGS has DF_TEXTREL: relocations in read-only "
						"segments (link with -z text)");
			break;
		case DT_RELR:
		case DT_RELRSZ:
		case DT_RELRENT:
			return e2e_fail(img->diag, "PT_DYNAMIC: DT_RELR present: packed relative relocations are not "
					"supported (do not link with -z pack-relative-relocs)");
		case DT_ANDROID_REL:
		case DT_ANDROID_RELSZ:
		case DT_ANDROID_RELA:
		case DT_ANDROID_RELASZ:
		case DT_ANDROID_RELR:
		case DT_ANDROID_RELRSZ:
			return e2e_fail(img->diag, "PT_DYNAMIC: Android packed relocations (tag 0x%" PRIx64 ") are not "
					"supported", (uint64_t)tag);
		default:
			break;
		}
		if (r < 0)
			return -1;
	}
	if (!terminated)
		return e2e_fail(img->diag, "truncated PT_DYNAMIC (program header %u): no DT_NULL within its 0x%" PRIx64
				" bytes", img->dyn_phdr, img->dyn_size);

	rela->rela = true;
	if (check_table(img, rela, "DT_RELA", "DT_RELASZ", "DT_RELAENT", RELA_SIZE) < 0 ||
	    check_table(img, rel, "DT_REL", "DT_RELSZ", "DT_RELENT", REL_SIZE) < 0)
		return -1;
	if (jmp->has_vaddr || jmp->has_size) {
		if (!has_pltrel)
			return e2e_fail(img->diag, "PT_DYNAMIC: DT_JMPREL without DT_PLTREL");
		if (img->pltrel != DT_RELA && img->pltrel != DT_REL)
			return e2e_fail(img->diag, "PT_DYNAMIC: DT_PLTREL %" PRIu64 " is neither DT_RELA nor DT_REL",
					img->pltrel);
		jmp->rela = img->pltrel == DT_RELA;
		if (check_table(img, jmp, "DT_JMPREL", "DT_PLTRELSZ", NULL, jmp->rela ? RELA_SIZE : REL_SIZE) < 0)
			return -1;
	}
	return 0;
}
