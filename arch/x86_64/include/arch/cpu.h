/* cpu.h (x86_64): the per-CPU primitives the runtime needs: name, PE machine, cycle counter, barriers. */
#ifndef CB_ARCH_CPU_H
#define CB_ARCH_CPU_H
#include <stdint.h>

#define ARCH_NAME "x86_64"
#define ARCH_OCI_NAME "amd64"
#define ARCH_EFI_SUFFIX "X64"
#define ARCH_PE_MACHINE 0x8664 /* PE/COFF Machine of EFI images for this CPU */

/* The TSC: constant-rate on anything UEFI runs on; its frequency is calibrated by the runtime. */
static inline uint64_t arch_counter(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t arch_counter_hz(void) { return 0; }

static inline void arch_barrier(void) { __asm__ volatile("mfence" ::: "memory"); }
static inline void arch_relax(void) { __asm__ volatile("pause"); }

#endif
