/* pe_append.c: the UKI layout writer: stub bytes kept as they are, new section headers after the existing
 * ones, section data appended at FileAlignment, VAs at SectionAlignment, header totals and CheckSum redone. */
#include "pe_append.h"

#include <stdlib.h>
#include <string.h>

#include "../elf2efi/elf2efi.h"
#include "cb_checked.h"
#include "../../boot/uki/pe_sections.h"

#define SCN_CNT_CODE 0x00000020u
#define SCN_CNT_INITIALIZED_DATA 0x00000040u
#define SCN_MEM_READ 0x40000000u

/* v rounded up to align (a power of two); false past 4 GiB. */
static bool align32(uint64_t v, uint32_t align, uint64_t *out)
{
	*out = (v + align - 1) & ~(uint64_t)(align - 1); /* v < 2^33 here: no overflow */
	return *out <= UINT32_MAX;
}

static int check_stub(const uint8_t *stub, size_t len, const struct pe_image *pe, const struct pe_new_section *secs,
                      size_t n, uint64_t *hdr_end, struct cb_err *e)
{
	if (pe->subsystem != PE_SUBSYSTEM_EFI_APPLICATION)
		return cb_errf(e, CB_EUNSUP, "PE subsystem %u is not an EFI application (10)", pe->subsystem);
	if (pe->security_off || pe->security_size)
		return cb_errf(e, CB_EUNSUP, "the stub is signed (certificate table at 0x%x): appending would break the "
		               "signature; sign the UKI instead", pe->security_off);
	if (pe->symtab_ptr)
		return cb_errf(e, CB_EUNSUP, "the stub has a COFF symbol table at 0x%x: strip it first", pe->symtab_ptr);
	if (n > (size_t)(PE_MAX_SECTIONS - pe->nsections))
		return cb_errf(e, CB_ELIMIT, "%u + %zu sections (limit %u)", pe->nsections, n, PE_MAX_SECTIONS);
	uint64_t first_raw = UINT64_MAX;
	for (unsigned i = 0; i < pe->nsections; i++) {
		const struct pe_section *s = &pe->sec[i];
		if (!s->raw_size)
			continue;
		if (s->raw_ptr % pe->file_align)
			return cb_errf(e, CB_EINVAL, "section %u (%s): raw data at 0x%x is not FileAlignment (0x%x) aligned",
			               i, s->name, s->raw_ptr, pe->file_align);
		if (s->raw_ptr < first_raw)
			first_raw = s->raw_ptr;
	}
	for (size_t k = 0; k < n; k++) {
		size_t l = strlen(secs[k].name);
		if (l < 1 || l > 8)
			return cb_errf(e, CB_EINVAL, "section name \"%s\" is not 1 to 8 bytes", secs[k].name);
		if (pe_find(pe, secs[k].name))
			return cb_errf(e, CB_EINVAL, "the stub already has a %s section (already a UKI?)", secs[k].name);
	}
	/* The header area may grow to the FileAlignment boundary: the first section's data starts at one. */
	if (!align32(pe->size_of_headers, pe->file_align, hdr_end))
		return cb_errf(e, CB_EINVAL, "SizeOfHeaders 0x%x", pe->size_of_headers);
	if (*hdr_end > len || *hdr_end > first_raw)
		return cb_errf(e, CB_EINVAL, "the headers (0x%x bytes, 0x%llx aligned) overlap section data at 0x%llx or "
		               "pass the end of the file (%zu bytes)", pe->size_of_headers, (unsigned long long)*hdr_end,
		               (unsigned long long)(first_raw == UINT64_MAX ? len : first_raw), len);
	uint64_t used = pe->sectab_off + (uint64_t)pe->nsections * PE_SECTION_HEADER_SIZE;
	uint64_t need = used + (uint64_t)n * PE_SECTION_HEADER_SIZE;
	if (need > *hdr_end)
		return cb_errf(e, CB_ELIMIT, "no room for %zu more section headers: the section table (at 0x%x, %u "
		               "entries) would end at 0x%llx, past the 0x%llx bytes of headers", n, pe->sectab_off,
		               pe->nsections, (unsigned long long)need, (unsigned long long)*hdr_end);
	for (uint64_t i = used; i < need; i++)
		if (stub[i])
			return cb_errf(e, CB_EINVAL, "header byte 0x%llx after the section table is in use (0x%02x): no free "
			               "room for section headers", (unsigned long long)i, stub[i]);
	return CB_OK;
}

int pe_append_sections(const uint8_t *stub, size_t stub_len, const struct pe_new_section *secs, size_t n,
                       uint8_t **out, size_t *out_len, struct cb_err *e)
{
	*out = NULL;
	*out_len = 0;
	struct pe_image *pe = malloc(sizeof(*pe));
	if (!pe)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	uint64_t hdr_end = 0;
	int rc = pe_parse(stub, stub_len, PE_VIEW_FILE, pe, e);
	if (rc || (rc = check_stub(stub, stub_len, pe, secs, n, &hdr_end, e))) {
		free(pe);
		return rc;
	}

	/* Memory: after every stub section and SizeOfImage. File: after every byte of the stub. */
	uint64_t va_end = pe->size_of_image;
	for (unsigned i = 0; i < pe->nsections; i++) {
		const struct pe_section *s = &pe->sec[i];
		uint64_t end = (uint64_t)s->rva + (s->vsize ? s->vsize : s->raw_size);
		if (end > va_end)
			va_end = end;
	}
	uint64_t file_end = stub_len, init_data = pe->size_of_init_data;
	uint32_t va[PE_MAX_SECTIONS], vsize[PE_MAX_SECTIONS], ptr[PE_MAX_SECTIONS], raw[PE_MAX_SECTIONS];
	for (size_t k = 0; k < n; k++) {
		uint64_t v, p, r, vs = secs[k].len > secs[k].vsize ? secs[k].len : secs[k].vsize;
		if (vs > UINT32_MAX || !align32(va_end, pe->section_align, &v) || !align32(file_end, pe->file_align, &p) ||
		    !align32(secs[k].len, pe->file_align, &r) || v + vs > UINT32_MAX || p + r > UINT32_MAX) {
			free(pe);
			return cb_errf(e, CB_ELIMIT, "section %s (%zu bytes) would end past the 4 GiB a PE image can span",
			               secs[k].name, secs[k].len);
		}
		va[k] = (uint32_t)v, vsize[k] = (uint32_t)vs, ptr[k] = (uint32_t)p, raw[k] = (uint32_t)r;
		va_end = v + vs;
		file_end = p + r;
		init_data += vs;
	}
	uint64_t size_of_image;
	if (!align32(va_end, pe->section_align, &size_of_image) || init_data > UINT32_MAX) {
		free(pe);
		return cb_errf(e, CB_ELIMIT, "the UKI would span more than 4 GiB");
	}

	uint8_t *o = calloc(1, file_end ? file_end : 1);
	if (!o) {
		free(pe);
		return cb_errf(e, CB_ENOMEM, "no memory for a %llu-byte UKI", (unsigned long long)file_end);
	}
	memcpy(o, stub, stub_len);
	uint8_t *h = o + pe->sectab_off + (size_t)pe->nsections * PE_SECTION_HEADER_SIZE;
	for (size_t k = 0; k < n; k++, h += PE_SECTION_HEADER_SIZE) {
		memcpy(h, secs[k].name, strlen(secs[k].name));
		cb_put_le32(h + 8, vsize[k]);
		cb_put_le32(h + 12, va[k]);
		cb_put_le32(h + 16, raw[k]);
		cb_put_le32(h + 20, ptr[k]);
		cb_put_le32(h + 36, SCN_MEM_READ | (secs[k].code ? SCN_CNT_CODE : SCN_CNT_INITIALIZED_DATA));
		if (secs[k].len)
			memcpy(o + ptr[k], secs[k].data, secs[k].len);
	}
	cb_put_le16(o + pe->coff_off + PE_COFF_NSECTIONS, (uint16_t)(pe->nsections + n));
	uint8_t *opt = o + pe->opt_off;
	cb_put_le32(opt + PE_OPT_SIZE_OF_INIT_DATA, (uint32_t)init_data);
	cb_put_le32(opt + PE_OPT_SIZE_OF_IMAGE, (uint32_t)size_of_image);
	cb_put_le32(opt + PE_OPT_SIZE_OF_HEADERS, (uint32_t)hdr_end);
	cb_put_le32(opt + PE_OPT_CHECKSUM, 0);
	cb_put_le32(opt + PE_OPT_CHECKSUM, e2e_pe_checksum(o, file_end, pe->opt_off + PE_OPT_CHECKSUM));
	free(pe);
	*out = o;
	*out_len = file_end;
	return CB_OK;
}
