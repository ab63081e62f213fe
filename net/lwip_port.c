/* lwip_port.c: the hooks lwIP 2.1.3 (NO_SYS) needs from the loader: a millisecond clock, random numbers,
 * assertion and diagnostic output. See lwip/include/arch/cc.h for their contracts. */
#include <arch/cpu.h>
#include <stdarg.h>
#include <stdio.h>

#include "clock.h"
#include "log.h"
#include "lwip/sys.h"

u32_t sys_now(void) { return (u32_t)clock_ms(); }

/* Not cryptographic: DHCP/DNS transaction ids, ephemeral ports and TCP initial sequence numbers only need
 * to be unpredictable enough not to collide. Seeded from the CPU counter, which must work before
 * lwip_init() (lwIP draws its first ports there); mixed with the counter on every call. */
uint32_t lwip_port_rand(void)
{
	static uint64_t state;
	if (state == 0)
		state = arch_counter() | 1;
	state ^= arch_counter() << 17;
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)(state >> 16);
}

void lwip_port_assert(const char *msg, const char *file, int line)
{
	log_error("lwip: assertion \"%s\" failed at %s:%d", msg, file, line);
}

void lwip_port_diag(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_debug("lwip: %s", buf);
}
