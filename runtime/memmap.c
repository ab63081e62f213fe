/* memmap.c: reads the firmware memory map, growing the buffer until it fits (the map can change size
 * between the two calls because our own allocation adds a descriptor). */
#include "memmap.h"

#include <stdlib.h>

#include "rt.h"

efi_status memmap_get(struct memmap *out)
{
	uint64_t size = 0;
	out->buf = NULL;
	for (int tries = 0; tries < 8; tries++) {
		out->size = size;
		efi_status s = rt_bs->get_memory_map(&out->size, (efi_memory_descriptor *)out->buf, &out->key,
		                                     &out->desc_size, &out->version);
		if (s == EFI_SUCCESS)
			return out->desc_size >= sizeof(efi_memory_descriptor) ? EFI_SUCCESS : EFI_PROTOCOL_ERROR;
		if (s != EFI_BUFFER_TOO_SMALL)
			return s;
		free(out->buf);
		size = out->size + 4 * (out->desc_size ? out->desc_size : 64);
		out->buf = malloc(size);
		if (!out->buf)
			return EFI_OUT_OF_RESOURCES;
	}
	return EFI_BUFFER_TOO_SMALL;
}

void memmap_free(struct memmap *m)
{
	free(m->buf);
	m->buf = NULL;
}
