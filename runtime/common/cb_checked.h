/* cb_checked.h: overflow-checked arithmetic and bounds checks for parsers. Every length or offset that comes
 * from input goes through one of these before it is used to index a buffer. */
#ifndef CB_CHECKED_H
#define CB_CHECKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* true when [off, off + len) lies inside [0, size): no overflow, no read past the end. */
static inline bool cb_in_bounds(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* *out = a + b / a * b; false on overflow (then *out is unspecified). */
#define cb_add_ok(a, b, out) (!__builtin_add_overflow((a), (b), (out)))
#define cb_mul_ok(a, b, out) (!__builtin_mul_overflow((a), (b), (out)))

/* Little- and big-endian loads from byte buffers (no alignment assumptions). */
static inline uint16_t cb_le16(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)(b[0] | b[1] << 8);
}
static inline uint32_t cb_le32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static inline uint64_t cb_le64(const void *p) { return cb_le32(p) | (uint64_t)cb_le32((const uint8_t *)p + 4) << 32; }
static inline uint16_t cb_be16(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)(b[0] << 8 | b[1]);
}
static inline uint32_t cb_be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
static inline uint64_t cb_be64(const void *p) { return (uint64_t)cb_be32(p) << 32 | cb_be32((const uint8_t *)p + 4); }

/* Little-endian stores into byte buffers (on-disk and firmware structures the project writes). */
static inline void cb_put_le16(void *p, uint16_t v)
{
	uint8_t *b = p;
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}
static inline void cb_put_le32(void *p, uint32_t v)
{
	cb_put_le16(p, (uint16_t)v);
	cb_put_le16((uint8_t *)p + 2, (uint16_t)(v >> 16));
}
static inline void cb_put_le64(void *p, uint64_t v)
{
	cb_put_le32(p, (uint32_t)v);
	cb_put_le32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

#endif
