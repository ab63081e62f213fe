/* cpu.h (loongarch64): the per-CPU primitives the runtime needs: name, PE machine, cycle counter, barriers, RNG. */
#ifndef CB_ARCH_CPU_H
#define CB_ARCH_CPU_H
#include <stdbool.h>
#include <stdint.h>

#define ARCH_NAME "loongarch64"
#define ARCH_OCI_NAME "loong64"
#define ARCH_EFI_SUFFIX "LOONGARCH64"
#define ARCH_PE_MACHINE 0x6264 /* PE/COFF Machine of EFI images for this CPU */

/* The stable counter; CPUCFG words 4 and 5 give its frequency (base * mul / div). */
static inline uint64_t arch_counter(void)
{
	uint64_t v;
	__asm__ volatile("rdtime.d %0, $zero" : "=r"(v));
	return v;
}

static inline uint64_t arch_counter_hz(void)
{
	uint32_t base, mul_div;
	__asm__ volatile("cpucfg %0, %1" : "=r"(base) : "r"(4));
	__asm__ volatile("cpucfg %0, %1" : "=r"(mul_div) : "r"(5));
	uint32_t mul = mul_div & 0xffff, div = mul_div >> 16;
	if (base == 0 || mul == 0 || div == 0)
		return 0;
	return (uint64_t)base * mul / div;
}

static inline void arch_barrier(void) { __asm__ volatile("dbar 0" ::: "memory"); }
static inline void arch_relax(void) { __asm__ volatile("nop"); }

/* LoongArch has no random number instruction; the runtime falls back to timing jitter. */
#define ARCH_RANDOM_NAME "none"
static inline bool arch_random(uint64_t *v)
{
	(void)v;
	return false;
}

#endif
