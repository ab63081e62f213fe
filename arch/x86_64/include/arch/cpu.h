/* cpu.h (x86_64): the per-CPU primitives the runtime needs: name, PE machine, cycle counter, barriers, RNG. */
#ifndef CB_ARCH_CPU_H
#define CB_ARCH_CPU_H
#include <stdbool.h>
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

static inline void arch_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

/* One number from the CPU's random number generator: RDSEED (CPUID.7.EBX[18]), else RDRAND (CPUID.1.ECX[30]),
 * each retried a few times. false when there is neither, or they keep failing (or return the all-zeros or
 * all-ones values of known-broken parts). */
#define ARCH_RANDOM_NAME "RDSEED/RDRAND"
static inline bool arch_random(uint64_t *v)
{
	uint32_t r[4];
	arch_cpuid(0, 0, r);
	uint32_t max_leaf = r[0];
	arch_cpuid(1, 0, r);
	bool rdrand = r[2] & (1u << 30), rdseed = false;
	if (max_leaf >= 7) {
		arch_cpuid(7, 0, r);
		rdseed = r[1] & (1u << 18);
	}
	for (int i = 0; i < 32; i++) {
		uint64_t x;
		uint8_t ok;
		if (rdseed && i < 16)
			__asm__ volatile("rdseed %0; setc %1" : "=r"(x), "=qm"(ok) : : "cc");
		else if (rdrand)
			__asm__ volatile("rdrand %0; setc %1" : "=r"(x), "=qm"(ok) : : "cc");
		else
			continue;
		if (ok && x != 0 && x != ~(uint64_t)0) {
			*v = x;
			return true;
		}
	}
	return false;
}

#endif
