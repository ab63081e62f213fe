/* fdt_fuzz.c: libFuzzer target for runtime/common/fdt.c: arbitrary blobs as the firmware's device tree.
 * Links: runtime/common/{fdt,cb_err}.c, include dir runtime/common. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cb_err e;
	uint64_t v;
	uint8_t *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	fdt_read_uint(copy, size, "/cpus", "timebase-frequency", &v, &e);
	fdt_read_uint(copy, size, "/", "#address-cells", &v, &e);
	fdt_read_uint(copy, size, "/soc/serial@10000000", "clock-frequency", &v, &e);
	free(copy);
	return 0;
}
