/* pe_sections_fuzz.c: libFuzzer target for the PE reader (boot/uki/pe_sections.c, file and memory views), the
 * UKI section appender (pe_append.c, whose output must parse back with the data in place) and the kernel-side
 * parsing of `cloud-boot build` (uki_parts.c: kernel check, version scan, .sbat merge). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../boot/uki/pe_sections.h"
#include "../../host-tools/cloud-boot/pe_append.h"
#include "../../host-tools/cloud-boot/uki_parts.h"

static struct pe_image pe, back;

/* Reads every byte a section claims, so ASan sees any view that escapes the buffer. */
static unsigned touch_sections(const uint8_t *data, enum pe_view view)
{
	unsigned sum = 0;
	for (unsigned i = 0; i < pe.nsections; i++) {
		size_t n;
		const uint8_t *p = pe_section_bytes(data, view, &pe.sec[i], &n);
		for (size_t k = 0; k < n; k++)
			sum += p[k];
	}
	return sum;
}

static void check_append(const uint8_t *data, size_t size)
{
	size_t half = size / 2;
	struct pe_new_section secs[2] = {
		{ ".linux", data, half, (uint32_t)size * 3, true },
		{ ".sbat", "sbat,1\n", 8, 0, false },
	};
	uint8_t *out;
	size_t len;
	struct cb_err e;
	if (pe_append_sections(data, size, secs, 2, &out, &len, &e) != CB_OK)
		return;
	if (pe_parse(out, len, PE_VIEW_FILE, &back, &e) != CB_OK || back.nsections != pe.nsections + 2)
		__builtin_trap();
	const struct pe_section *l = pe_find(&back, ".linux");
	size_t n;
	const uint8_t *p = l ? pe_section_bytes(out, PE_VIEW_FILE, l, &n) : NULL;
	if (!p || n < half || memcmp(p, data, half) != 0 || memcmp(out, data, 2) != 0)
		__builtin_trap();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cb_err e;
	volatile unsigned sink = 0;
	if (pe_parse(data, size, PE_VIEW_MEMORY, &pe, &e) == CB_OK)
		sink += touch_sections(data, PE_VIEW_MEMORY);
	if (pe_parse(data, size, PE_VIEW_FILE, &pe, &e) == CB_OK) {
		sink += touch_sections(data, PE_VIEW_FILE);
		check_append(data, size);
		const struct pe_section *s = pe_find(&pe, ".sbat");
		size_t n = 0;
		const uint8_t *p = s ? pe_section_bytes(data, PE_VIEW_FILE, s, &n) : NULL;
		char *sbat;
		size_t len;
		unsigned merged;
		if (uki_make_sbat("0.1.0", p, n, &sbat, &len, &merged, &e) == CB_OK) {
			if (strlen(sbat) + 1 != len)
				__builtin_trap();
			free(sbat);
		}
	}
	if (uki_kernel_check(data, size, uki_arch_find("x86_64"), &pe, &e) == CB_OK)
		sink++;
	char v[UKI_VERSION_MAX];
	if (uki_kernel_version(data, size, v, &e) == CB_OK && uki_version_check(v, &e) != CB_OK)
		__builtin_trap();
	(void)sink;
	return 0;
}
