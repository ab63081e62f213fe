/* iso_pe.c: the PE/COFF header check cloud-boot-iso runs on every input before it writes anything: a PE32+
 * EFI application whose headers and section data lie inside the file. It reads headers only, never code. */
#include <string.h>

#include "cb_checked.h"
#include "iso.h"

#define PE_MAX_SECTIONS 96u
#define PE_SECTION_SIZE 40u
#define PE_OPT_MIN 72u /* up to and including Subsystem (offset 68) and DllCharacteristics */

/* "needs bytes A..B": past the end of the file (truncated) or only past the part we read. */
static int out_of_head(uint64_t off, uint64_t len, size_t head_len, uint64_t file_size, const char *what,
		       struct cb_err *e)
{
	uint64_t end;
	if (!cb_add_ok(off, len, &end))
		end = UINT64_MAX;
	if (end > file_size)
		return cb_errf(e, CB_EINVAL, "truncated: the %s (bytes %llu..%llu) ends past the end of the file "
			       "(%llu bytes)", what, (unsigned long long)off, (unsigned long long)(end - 1),
			       (unsigned long long)file_size);
	return cb_errf(e, CB_EINVAL, "the %s (bytes %llu..%llu) lies beyond the first %zu bytes, where PE headers "
		       "belong", what, (unsigned long long)off, (unsigned long long)(end - 1), head_len);
}

static void section_name(const uint8_t *s, char out[9])
{
	size_t i;
	for (i = 0; i < 8 && s[i]; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
	out[i] = 0;
}

int iso_pe_check(const uint8_t *head, size_t head_len, uint64_t file_size, struct iso_pe_info *out,
		 struct cb_err *e)
{
	if (head_len > file_size)
		head_len = (size_t)file_size;
	if (head_len < 64)
		return cb_errf(e, CB_EINVAL, "truncated: %llu bytes is too short for a DOS (MZ) header",
			       (unsigned long long)file_size);
	if (head[0] != 'M' || head[1] != 'Z')
		return cb_errf(e, CB_EINVAL, "no MZ signature: not a PE/EFI image");
	uint32_t pe = cb_le32(head + 0x3c);
	if (!cb_in_bounds(pe, 24, head_len))
		return out_of_head(pe, 24, head_len, file_size, "PE header", e);
	if (memcmp(head + pe, "PE\0\0", 4) != 0)
		return cb_errf(e, CB_EINVAL, "no PE signature at offset %u: not a PE/EFI image", pe);
	const uint8_t *coff = head + pe + 4;
	uint16_t machine = cb_le16(coff), nsec = cb_le16(coff + 2), optsize = cb_le16(coff + 16);
	uint64_t opt = (uint64_t)pe + 24;
	if (optsize < PE_OPT_MIN)
		return cb_errf(e, CB_EINVAL, "optional header of %u bytes is too small for a PE32+ image (at least %u)",
			       optsize, PE_OPT_MIN);
	if (!cb_in_bounds(opt, optsize, head_len))
		return out_of_head(opt, optsize, head_len, file_size, "optional header", e);
	uint16_t magic = cb_le16(head + opt);
	if (magic == 0x10b)
		return cb_errf(e, CB_EINVAL, "a PE32 (32-bit) image: UEFI on 64-bit CPUs needs PE32+");
	if (magic != 0x20b)
		return cb_errf(e, CB_EINVAL, "optional header magic 0x%04x is not PE32+ (0x020b)", magic);
	uint32_t size_of_headers = cb_le32(head + opt + 60);
	uint16_t subsystem = cb_le16(head + opt + 68);
	if (subsystem != 10)
		return cb_errf(e, CB_EINVAL, "PE subsystem %u is not an EFI application (10)", subsystem);
	if (nsec == 0 || nsec > PE_MAX_SECTIONS)
		return cb_errf(e, CB_EINVAL, "%u sections (an EFI image has 1..%u)", nsec, PE_MAX_SECTIONS);
	uint64_t tbl = opt + optsize;
	if (!cb_in_bounds(tbl, (uint64_t)nsec * PE_SECTION_SIZE, head_len))
		return out_of_head(tbl, (uint64_t)nsec * PE_SECTION_SIZE, head_len, file_size, "section table", e);
	if (size_of_headers > file_size)
		return cb_errf(e, CB_EINVAL, "truncated: SizeOfHeaders is %u bytes but the file has %llu", size_of_headers,
			       (unsigned long long)file_size);
	for (uint16_t i = 0; i < nsec; i++) {
		const uint8_t *s = head + tbl + (size_t)i * PE_SECTION_SIZE;
		uint32_t raw_size = cb_le32(s + 16), raw_ptr = cb_le32(s + 20);
		uint64_t end = (uint64_t)raw_ptr + raw_size;
		if (raw_size && end > file_size) {
			char name[9];
			section_name(s, name);
			return cb_errf(e, CB_EINVAL, "truncated: section %u '%s' (file bytes %u..%llu) ends past the end of "
				       "the file (%llu bytes)", i + 1, name, raw_ptr, (unsigned long long)(end - 1),
				       (unsigned long long)file_size);
		}
	}
	out->machine = machine;
	out->subsystem = subsystem;
	out->nsections = nsec;
	return 0;
}
