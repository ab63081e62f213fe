/* clock.c: converts the per-CPU counter (arch/<cpu>/include/arch/cpu.h) to time since loader start.
 * Where the CPU does not say how fast the counter runs, it is measured once against a 10 ms firmware Stall. */
#include "clock.h"

#include <arch/cpu.h>

#include "rt.h"

static uint64_t start_count;
static uint64_t hz = 1;

void clock_init(void)
{
	uint64_t f = arch_counter_hz();
	if (f == 0) {
		uint64_t a = arch_counter();
		rt_bs->stall(10000);
		uint64_t b = arch_counter();
		f = (b - a) * 100;
	}
	hz = f ? f : 1;
	start_count = arch_counter();
}

uint64_t clock_counter_hz(void) { return hz; }

/* (ticks * unit / hz) without overflowing 64 bits for any realistic uptime. */
static uint64_t ticks_to(uint64_t ticks, uint64_t unit) { return ticks / hz * unit + ticks % hz * unit / hz; }

uint64_t clock_ms(void) { return ticks_to(arch_counter() - start_count, 1000); }
uint64_t clock_us(void) { return ticks_to(arch_counter() - start_count, 1000000); }
