/* crc32.h: CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as used by GPT headers and entry arrays.
 * One table-driven implementation for all of fs/; not for ext4 metadata (that is crc32c.h). */
#ifndef FS_CRC32_H
#define FS_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continues a CRC: crc32_update(0, …) starts one; the result is the finished CRC (pre/post inverted),
 * so crc32_update(crc32_update(0, a), b) == crc32(a ‖ b). crc32("123456789") == 0xCBF43926. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);
static inline uint32_t crc32(const void *buf, size_t len) { return crc32_update(0, buf, len); }

#endif
