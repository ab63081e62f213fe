/* fs_crc_test.c: CRC-32 (GPT) and CRC-32C (ext4) against published vectors and a bitwise reference over
 * random lengths, alignments and splits. */
#include <stdint.h>
#include <stdlib.h>

#include "crc32.h"
#include "crc32c.h"
#include "fs_test.h"

static uint32_t ref(uint32_t poly, uint32_t crc, const uint8_t *p, size_t n)
{
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc & 1) ? (crc >> 1) ^ poly : crc >> 1;
	}
	return crc;
}

int main(void)
{
	static const struct { const char *s; uint32_t crc32, crc32c; } vec[] = {
		{ "", 0x00000000, 0x00000000 },
		{ "a", 0xE8B7BE43, 0xC1D04330 },
		{ "123456789", 0xCBF43926, 0xE3069283 },
		{ "The quick brown fox jumps over the lazy dog", 0x414FA339, 0x22620404 },
	};
	for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		CHECK_INT(crc32(vec[i].s, strlen(vec[i].s)), vec[i].crc32, vec[i].s);
		CHECK_INT(crc32c(vec[i].s, strlen(vec[i].s)), vec[i].crc32c, vec[i].s);
	}
	/* RFC 3720 (iSCSI) CRC-32C vectors. */
	uint8_t b[48];
	memset(b, 0, 32);
	CHECK_INT(crc32c(b, 32), 0x8A9136AA, "32 x 00");
	memset(b, 0xFF, 32);
	CHECK_INT(crc32c(b, 32), 0x62A8AB43, "32 x FF");
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	CHECK_INT(crc32c(b, 32), 0x46DD794E, "00..1F");
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)(31 - i);
	CHECK_INT(crc32c(b, 32), 0x113FDB5C, "1F..00");
	/* The raw form is what ext4 stores: no final inversion. */
	CHECK_INT(crc32c_raw(~0u, "123456789", 9), ~0xE3069283u, "raw");

	/* Random buffers: table-driven (slicing-by-8 for crc32c) == bitwise, at every alignment, and
	 * continuing a CRC over a split gives the same result. */
	srand(7);
	uint8_t *buf = malloc(4096 + 16);
	for (int i = 0; i < 4096 + 16; i++)
		buf[i] = (uint8_t)rand();
	for (int t = 0; t < 2000; t++) {
		size_t off = (size_t)rand() % 16, len = (size_t)rand() % 4096, cut = len ? (size_t)rand() % len : 0;
		const uint8_t *p = buf + off;
		uint32_t want32 = ~ref(0xEDB88320, ~0u, p, len), want32c = ref(0x82F63B78, 0x12345678, p, len);
		CHECK(crc32(p, len) == want32, "crc32 len %zu off %zu", len, off);
		CHECK(crc32_update(crc32(p, cut), p + cut, len - cut) == want32, "crc32 split %zu/%zu", cut, len);
		CHECK(crc32c_raw(0x12345678, p, len) == want32c, "crc32c len %zu off %zu", len, off);
		CHECK(crc32c_raw(crc32c_raw(0x12345678, p, cut), p + cut, len - cut) == want32c, "crc32c split");
	}
	free(buf);
	return fs_test_done("fs_crc");
}
