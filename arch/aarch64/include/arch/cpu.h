/* cpu.h (aarch64): the per-CPU primitives the runtime needs: name, PE machine, cycle counter, barriers, RNG. */
#ifndef CB_ARCH_CPU_H
#define CB_ARCH_CPU_H
#include <stdbool.h>
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

/* One number from RNDR (FEAT_RNG: ID_AA64ISAR0_EL1.RNDR != 0), retried a few times; false when the CPU has
 * no RNDR or it keeps reporting failure (PSTATE.Z set). */
#define ARCH_RANDOM_NAME "RNDR"
static inline bool arch_random(uint64_t *v)
{
	uint64_t isar0;
	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if (((isar0 >> 60) & 0xf) == 0)
		return false;
	for (int i = 0; i < 16; i++) {
		uint64_t x, nzcv;
		__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tmrs %1, nzcv" : "=r"(x), "=r"(nzcv) : : "cc");
		if (!(nzcv & (1ull << 30))) {
			*v = x;
			return true;
		}
	}
	return false;
}

#endif
