/* elf2efi: the PE optional-header CheckSum (16-bit one's-complement-style word sum with carry folding,
 * plus the file length), computed with the CheckSum field itself taken as zero. */
#include "elf2efi.h"
#include "le.h"

uint32_t e2e_pe_checksum(const uint8_t *file, size_t len, size_t checksum_off)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i += 2) {
		uint32_t w;
		if (i >= checksum_off && i < checksum_off + 4)
			continue;
		w = i + 1 < len ? le16(file + i) : file[i];
		sum += w;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)(sum + len);
}
