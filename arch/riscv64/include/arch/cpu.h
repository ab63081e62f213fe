/* cpu.h (riscv64): the per-CPU primitives the runtime needs: name, PE machine, cycle counter, barriers, RNG. */
#ifndef CB_ARCH_CPU_H
#define CB_ARCH_CPU_H
#include <stdbool.h>
#include <stdint.h>

#define ARCH_NAME "riscv64"
#define ARCH_OCI_NAME "riscv64"
#define ARCH_EFI_SUFFIX "RISCV64"
#define ARCH_PE_MACHINE 0x5064 /* PE/COFF Machine of EFI images for this CPU */

/* The time CSR; its rate (the device tree's timebase-frequency) is calibrated by the runtime. */
static inline uint64_t arch_counter(void)
{
	uint64_t v;
	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

static inline uint64_t arch_counter_hz(void) { return 0; }

static inline void arch_barrier(void) { __asm__ volatile("fence iorw, iorw" ::: "memory"); }
static inline void arch_relax(void) { __asm__ volatile("nop"); }

/* No random instruction is usable here: Zkr's `seed` CSR traps in S-mode unless M-mode firmware enabled it,
 * and probing would take the trap. The runtime falls back to timing jitter. */
#define ARCH_RANDOM_NAME "none"
static inline bool arch_random(uint64_t *v)
{
	(void)v;
	return false;
}

#endif
