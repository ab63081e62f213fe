/* crc32c.h: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) for ext4 metadata_csum (and anything
 * else in fs/ that needs it). One table-driven implementation; no hardware paths (firmware, four CPUs). */
#ifndef FS_CRC32C_H
#define FS_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* The raw register update, no pre/post inversion: this is what ext4 calls crc32c(seed, buf, len)
 * (Linux lib/crc32c, e2fsprogs ext2fs_crc32c_le). */
uint32_t crc32c_raw(uint32_t crc, const void *buf, size_t len);
/* The standard CRC-32C: crc32c("123456789") == 0xE3069283. */
static inline uint32_t crc32c(const void *buf, size_t len) { return ~crc32c_raw(~0u, buf, len); }

#endif
