/* iso_pe_fuzz.c: libFuzzer target for cloud-boot-iso's PE header check (host-tools/iso/iso_pe.c): the input
 * is the head of a file, checked as the whole file and as the head of a larger and of a huge one. */
#include <stdint.h>
#include <stdlib.h>

#include "iso.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iso_pe_info pe;
	struct cb_err e = { 0, "" };
	if (iso_pe_check(data, size, size, &pe, &e) == 0 && (pe.subsystem != 10 || pe.nsections == 0))
		abort();
	iso_pe_check(data, size, (uint64_t)size + 4096, &pe, &e);
	iso_pe_check(data, size, UINT64_MAX, &pe, &e);
	return 0;
}
