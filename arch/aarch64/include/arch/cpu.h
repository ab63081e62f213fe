/* cpu.h (aarch64): the per-CPU primitives the runtime needs: name, PE machine, cycle counter, barriers. */
#ifndef CB_ARCH_CPU_H
#define CB_ARCH_CPU_H
#include <stdint.h>

#define ARCH_NAME "aarch64"
#define ARCH_OCI_NAME "arm64"
#define ARCH_EFI_SUFFIX "AA64"
#define ARCH_PE_MACHINE 0xAA64 /* PE/COFF Machine of EFI images for this CPU */

/* The generic timer's virtual count; CNTFRQ_EL0 gives its frequency. */
static inline uint64_t arch_counter(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline uint64_t arch_counter_hz(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static inline void arch_barrier(void) { __asm__ volatile("dsb sy" ::: "memory"); }
static inline void arch_relax(void) { __asm__ volatile("yield"); }

#endif
