/* memmap.h: a snapshot of the firmware memory map, in a heap buffer owned by the caller. */
#ifndef CB_MEMMAP_H
#define CB_MEMMAP_H

#include "efi/efi.h"

struct memmap {
	uint8_t *buf;
	uint64_t size;      /* bytes used in buf */
	uint64_t desc_size; /* stride: firmware descriptors may be larger than efi_memory_descriptor */
	uint64_t key;
	uint32_t version;
};

efi_status memmap_get(struct memmap *out);
void memmap_free(struct memmap *m);
static inline size_t memmap_count(const struct memmap *m) { return m->size / m->desc_size; }
static inline const efi_memory_descriptor *memmap_at(const struct memmap *m, size_t i)
{
	return (const efi_memory_descriptor *)(m->buf + i * m->desc_size);
}

#endif
