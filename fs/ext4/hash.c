/* hash.c: the ext3/ext4 htree directory hashes (legacy, half-MD4, TEA; signed and unsigned char variants),
 * bit-compatible with Linux fs/ext4/hash.c, so lookups can descend the index instead of scanning. */
#include <string.h>

#include "ext4_int.h"

#define HTREE_EOF_32BIT 0x7fffffffu

static uint32_t rol32(uint32_t w, unsigned s) { return (w << s) | (w >> (32 - s)); }

static void tea_transform(uint32_t buf[4], const uint32_t in[4])
{
	uint32_t sum = 0, b0 = buf[0], b1 = buf[1];
	uint32_t a = in[0], b = in[1], c = in[2], d = in[3];
	for (int n = 0; n < 16; n++) {
		sum += 0x9E3779B9u;
		b0 += ((b1 << 4) + a) ^ (b1 + sum) ^ ((b1 >> 5) + b);
		b1 += ((b0 << 4) + c) ^ (b0 + sum) ^ ((b0 >> 5) + d);
	}
	buf[0] += b0;
	buf[1] += b1;
}

#define F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define G(x, y, z) (((x) & (y)) + (((x) ^ (y)) & (z)))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define ROUND(f, a, b, c, d, x, s) (a += f(b, c, d) + (x), a = rol32(a, s))
#define K1 0u
#define K2 013240474631u
#define K3 015666365641u

static void half_md4_transform(uint32_t buf[4], const uint32_t in[8])
{
	uint32_t a = buf[0], b = buf[1], c = buf[2], d = buf[3];
	ROUND(F, a, b, c, d, in[0] + K1, 3);
	ROUND(F, d, a, b, c, in[1] + K1, 7);
	ROUND(F, c, d, a, b, in[2] + K1, 11);
	ROUND(F, b, c, d, a, in[3] + K1, 19);
	ROUND(F, a, b, c, d, in[4] + K1, 3);
	ROUND(F, d, a, b, c, in[5] + K1, 7);
	ROUND(F, c, d, a, b, in[6] + K1, 11);
	ROUND(F, b, c, d, a, in[7] + K1, 19);
	ROUND(G, a, b, c, d, in[1] + K2, 3);
	ROUND(G, d, a, b, c, in[3] + K2, 5);
	ROUND(G, c, d, a, b, in[5] + K2, 9);
	ROUND(G, b, c, d, a, in[7] + K2, 13);
	ROUND(G, a, b, c, d, in[0] + K2, 3);
	ROUND(G, d, a, b, c, in[2] + K2, 5);
	ROUND(G, c, d, a, b, in[4] + K2, 9);
	ROUND(G, b, c, d, a, in[6] + K2, 13);
	ROUND(H, a, b, c, d, in[3] + K3, 3);
	ROUND(H, d, a, b, c, in[7] + K3, 9);
	ROUND(H, c, d, a, b, in[2] + K3, 11);
	ROUND(H, b, c, d, a, in[6] + K3, 15);
	ROUND(H, a, b, c, d, in[1] + K3, 3);
	ROUND(H, d, a, b, c, in[5] + K3, 9);
	ROUND(H, c, d, a, b, in[0] + K3, 11);
	ROUND(H, b, c, d, a, in[4] + K3, 15);
	buf[0] += a;
	buf[1] += b;
	buf[2] += c;
	buf[3] += d;
}

static uint32_t dx_hack_hash(const char *name, size_t len, bool uns)
{
	uint32_t hash, hash0 = 0x12a3fe2d, hash1 = 0x37abe8f9;
	for (size_t i = 0; i < len; i++) {
		int c = uns ? (int)(unsigned char)name[i] : (int)(signed char)name[i];
		hash = hash1 + (hash0 ^ (uint32_t)(c * 7152373));
		if (hash & 0x80000000u)
			hash -= 0x7fffffff;
		hash1 = hash0;
		hash0 = hash;
	}
	return hash0 << 1;
}

static void str2hashbuf(const char *msg, size_t len, uint32_t *buf, int num, bool uns)
{
	uint32_t pad = (uint32_t)len | ((uint32_t)len << 8), val;
	pad |= pad << 16;
	val = pad;
	if (len > (size_t)num * 4)
		len = (size_t)num * 4;
	for (size_t i = 0; i < len; i++) {
		int c = uns ? (int)(unsigned char)msg[i] : (int)(signed char)msg[i];
		val = (uint32_t)c + (val << 8);
		if ((i % 4) == 3) {
			*buf++ = val;
			val = pad;
			num--;
		}
	}
	if (--num >= 0)
		*buf++ = val;
	while (--num >= 0)
		*buf++ = pad;
}

int ext4_dx_hash(const uint32_t seed[4], unsigned version, const char *name, size_t len, uint32_t *out)
{
	uint32_t buf[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 }, in[8], hash;
	if (seed[0] | seed[1] | seed[2] | seed[3])
		memcpy(buf, seed, sizeof(buf));
	bool uns = version >= 3;
	switch (version) {
	case 0:
	case 3:
		hash = dx_hack_hash(name, len, uns);
		break;
	case 1:
	case 4:
		for (long rem = (long)len; rem > 0; rem -= 32, name += 32) {
			str2hashbuf(name, (size_t)rem, in, 8, uns);
			half_md4_transform(buf, in);
		}
		hash = buf[1];
		break;
	case 2:
	case 5:
		for (long rem = (long)len; rem > 0; rem -= 16, name += 16) {
			str2hashbuf(name, (size_t)rem, in, 4, uns);
			tea_transform(buf, in);
		}
		hash = buf[0];
		break;
	default:
		return CB_EUNSUP;
	}
	hash &= ~1u;
	if (hash == (HTREE_EOF_32BIT << 1))
		hash = (HTREE_EOF_32BIT - 1) << 1;
	*out = hash;
	return 0;
}
