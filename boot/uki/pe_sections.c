/* pe_sections.c: the PE32+ header and section-table reader behind the UKI stub and `cloud-boot build`: every
 * offset and size is checked against the buffer before use. It relocates, loads and verifies nothing. */
#include "pe_sections.h"

#include <stdbool.h>
#include <string.h>

#include "cb_checked.h"

#define PE_DOS_SIZE 0x40
#define PE_COFF_SIZE 20
#define PE_OPT_MIN 112 /* through NumberOfRvaAndSizes: every field this reader uses */
#define PE_DIR_SECURITY 4

static bool pow2(uint32_t v) { return v && !(v & (v - 1)); }

/* Bytes the section occupies once loaded: VirtualSize, or SizeOfRawData when a linker left it 0. */
static uint32_t mem_size(const struct pe_section *s) { return s->vsize ? s->vsize : s->raw_size; }

uint32_t pe_section_file_bytes(const struct pe_section *s)
{
	uint32_t m = mem_size(s);
	return s->raw_size < m ? s->raw_size : m;
}

static int parse_headers(const uint8_t *b, size_t len, struct pe_image *pe, struct cb_err *e)
{
	if (len < PE_DOS_SIZE || b[0] != 'M' || b[1] != 'Z')
		return cb_errf(e, CB_EINVAL, "not a PE image (no MZ header)");
	uint32_t pe_off = cb_le32(b + 0x3c);
	if (!cb_in_bounds(pe_off, 4 + PE_COFF_SIZE, len))
		return cb_errf(e, CB_EINVAL, "PE header offset 0x%x is beyond the end of the file (%zu bytes)", pe_off, len);
	if (memcmp(b + pe_off, "PE\0\0", 4) != 0)
		return cb_errf(e, CB_EINVAL, "no PE signature at 0x%x", pe_off);
	const uint8_t *coff = b + pe_off + 4;
	pe->coff_off = pe_off + 4;
	pe->machine = cb_le16(coff);
	pe->nsections = cb_le16(coff + PE_COFF_NSECTIONS);
	pe->symtab_ptr = cb_le32(coff + 8);
	pe->opt_size = cb_le16(coff + 16);
	pe->opt_off = pe->coff_off + PE_COFF_SIZE;
	if (pe->opt_size < PE_OPT_MIN)
		return cb_errf(e, CB_EINVAL, "optional header is %u bytes (a PE32+ image has at least %u)", pe->opt_size,
		               PE_OPT_MIN);
	if (!cb_in_bounds(pe->opt_off, pe->opt_size, len))
		return cb_errf(e, CB_EINVAL, "optional header at 0x%x (%u bytes) is cut off at %zu bytes", pe->opt_off,
		               pe->opt_size, len);
	const uint8_t *opt = b + pe->opt_off;
	if (cb_le16(opt) != PE_OPT_MAGIC_PE32PLUS)
		return cb_errf(e, CB_EUNSUP, "not a PE32+ image (optional header magic 0x%x)", cb_le16(opt));
	pe->size_of_init_data = cb_le32(opt + PE_OPT_SIZE_OF_INIT_DATA);
	pe->section_align = cb_le32(opt + 32);
	pe->file_align = cb_le32(opt + 36);
	pe->size_of_image = cb_le32(opt + PE_OPT_SIZE_OF_IMAGE);
	pe->size_of_headers = cb_le32(opt + PE_OPT_SIZE_OF_HEADERS);
	pe->subsystem = cb_le16(opt + 68);
	if (!pow2(pe->section_align) || !pow2(pe->file_align))
		return cb_errf(e, CB_EINVAL, "SectionAlignment 0x%x and FileAlignment 0x%x must be powers of two",
		               pe->section_align, pe->file_align);
	uint32_t ndirs = cb_le32(opt + 108);
	pe->security_off = pe->security_size = 0;
	if (ndirs > PE_DIR_SECURITY && pe->opt_size >= PE_OPT_MIN + (PE_DIR_SECURITY + 1) * 8) {
		pe->security_off = cb_le32(opt + PE_OPT_MIN + PE_DIR_SECURITY * 8);
		pe->security_size = cb_le32(opt + PE_OPT_MIN + PE_DIR_SECURITY * 8 + 4);
	}
	pe->sectab_off = pe->opt_off + pe->opt_size; /* both < len <= SIZE_MAX, sum < 2^32 + 2^16 */
	if (pe->nsections > PE_MAX_SECTIONS)
		return cb_errf(e, CB_ELIMIT, "%u sections (limit %u)", pe->nsections, PE_MAX_SECTIONS);
	uint64_t tab = (uint64_t)pe->nsections * PE_SECTION_HEADER_SIZE;
	if (!cb_in_bounds(pe->sectab_off, tab, len) || !cb_in_bounds(pe->sectab_off, tab, pe->size_of_headers))
		return cb_errf(e, CB_EINVAL, "section table at 0x%x (%u sections) extends past the headers (0x%x bytes, "
		               "file %zu bytes)", pe->sectab_off, pe->nsections, pe->size_of_headers, len);
	return CB_OK;
}

static int parse_section(const uint8_t *b, size_t len, enum pe_view view, const struct pe_image *pe, unsigned i,
                         struct pe_section *s, struct cb_err *e)
{
	const uint8_t *h = b + pe->sectab_off + (size_t)i * PE_SECTION_HEADER_SIZE;
	for (unsigned k = 0; k < 8; k++)
		s->name[k] = (h[k] >= 0x20 && h[k] < 0x7f) || !h[k] ? (char)h[k] : '?';
	s->name[8] = 0;
	s->vsize = cb_le32(h + 8);
	s->rva = cb_le32(h + 12);
	s->raw_size = cb_le32(h + 16);
	s->raw_ptr = cb_le32(h + 20);
	s->characteristics = cb_le32(h + 36);
	if (view == PE_VIEW_FILE) {
		if (s->raw_size && !cb_in_bounds(s->raw_ptr, s->raw_size, len))
			return cb_errf(e, CB_EINVAL, "section %u (%s): raw data at 0x%x (%u bytes) ends past the end of the "
			               "file (%zu bytes): truncated?", i, s->name, s->raw_ptr, s->raw_size, len);
	} else if (!cb_in_bounds(s->rva, mem_size(s), pe->size_of_image) || !cb_in_bounds(s->rva, mem_size(s), len)) {
		return cb_errf(e, CB_EINVAL, "section %u (%s) at RVA 0x%x (%u bytes) ends past the image (0x%x bytes)", i,
		               s->name, s->rva, mem_size(s), pe->size_of_image);
	}
	return CB_OK;
}

int pe_parse(const void *buf, size_t len, enum pe_view view, struct pe_image *pe, struct cb_err *e)
{
	const uint8_t *b = buf;
	int rc = parse_headers(b, len, pe, e);
	if (rc)
		return rc;
	for (unsigned i = 0; i < pe->nsections; i++)
		if ((rc = parse_section(b, len, view, pe, i, &pe->sec[i], e)))
			return rc;
	return CB_OK;
}

const struct pe_section *pe_find(const struct pe_image *pe, const char *name)
{
	for (unsigned i = 0; i < pe->nsections; i++)
		if (strcmp(pe->sec[i].name, name) == 0)
			return &pe->sec[i];
	return NULL;
}

const uint8_t *pe_section_bytes(const void *buf, enum pe_view view, const struct pe_section *s, size_t *len)
{
	const uint8_t *b = buf;
	if (view == PE_VIEW_MEMORY) {
		*len = mem_size(s);
		return b + s->rva;
	}
	*len = pe_section_file_bytes(s);
	return b + s->raw_ptr;
}
