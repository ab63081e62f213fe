/* arch/cc.h: cloud-boot's lwIP compiler/platform port (types, byte order, diagnostics, random source),
 * shared by the UEFI builds (freestanding, runtime/include libc) and the host build. Written for lwIP 2.1.3. */
#ifndef CB_LWIP_ARCH_CC_H
#define CB_LWIP_ARCH_CC_H

#include <stdint.h>
#include <limits.h>

/* ---- Port hooks, implemented outside lwIP (with the network driver / runtime) ------------------------
 * lwip_port_rand: 32 random bits for DHCP/DNS transaction ids, initial ports and TCP ISNs; called from
 *   lwip_init() already, so it must be usable before that.
 * lwip_port_assert: a failed LWIP_ASSERT (msg is lwIP's text). lwIP continues after it returns, so it may
 *   log and return or panic; it is not declared noreturn.
 * lwip_port_diag: printf-style diagnostics, only called when built with -DCB_LWIP_DEBUG.
 * sys_now() (milliseconds, wrapping u32) is declared by lwip/sys.h and also supplied by the port. */
uint32_t lwip_port_rand(void);
void lwip_port_assert(const char *msg, const char *file, int line);
void lwip_port_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define LWIP_RAND() ((u32_t)lwip_port_rand())
#define LWIP_PLATFORM_DIAG(x) do { lwip_port_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) do { lwip_port_assert((x), __FILE__, __LINE__); } while (0)

/* ---- Byte order --------------------------------------------------------------------------------------
 * x86_64, aarch64, riscv64 and loongarch64 UEFI are all little endian. lwip/arch.h defines LITTLE_ENDIAN
 * (1234) before including this file; a hosted libc's <endian.h> may define BYTE_ORDER too (same value). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "cloud-boot's lwIP port assumes a little-endian CPU"
#endif
#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif

/* ---- Types and printf formatters ---------------------------------------------------------------------
 * u8_t..u64_t come from <stdint.h>; X8_F, U16_F, ..., SZT_F from <inttypes.h> (runtime/include has every
 * PRI* macro lwIP uses: PRIx8 PRIu16 PRId16 PRIx16 PRIu32 PRId32 PRIx32 PRIuPTR). */
#define LWIP_NO_STDINT_H 0
#define LWIP_NO_STDDEF_H 0
#define LWIP_NO_INTTYPES_H 0
#define LWIP_NO_LIMITS_H 0
#define LWIP_NO_CTYPE_H 0        /* ctype.h: runtime/include has isdigit & co. */

/* ssize_t (only etharp_find_addr returns one): lwIP includes <unistd.h> if <limits.h> defines SSIZE_MAX,
 * else typedefs int. The freestanding build has neither unistd.h nor SSIZE_MAX, so define the LP64 POSIX
 * type here (long): should the runtime ever declare ssize_t, it must be long as well. */
#ifndef SSIZE_MAX
#define LWIP_NO_UNISTD_H 1
#define SSIZE_MAX LONG_MAX
typedef long ssize_t;
#endif

/* ---- errno -------------------------------------------------------------------------------------------
 * lwIP never provides its own errno (no LWIP_PROVIDE_ERRNO): lwip/errno.h includes the libc's <errno.h>
 * (runtime/include/errno.h in UEFI builds: a plain global, no TLS). With NO_SYS and no sockets lwIP does not
 * touch errno at all; this only keeps lwip/errno.h consistent with the runtime's values. */
#define LWIP_ERRNO_STDINCLUDE 1

/* ---- Struct packing (clang/gcc) ----------------------------------------------------------------------- */
#define PACK_STRUCT_BEGIN
#define PACK_STRUCT_END
#define PACK_STRUCT_STRUCT __attribute__((packed))
#define PACK_STRUCT_FIELD(x) x
#define PACK_STRUCT_FLD_8(x) PACK_STRUCT_FIELD(x)
#define PACK_STRUCT_FLD_S(x) PACK_STRUCT_FIELD(x)

#endif
