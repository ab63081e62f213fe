/* rng.h: unpredictable bytes for the loader (TLS seeds): the firmware's RNG, else documented, weaker
 * fallbacks. Never a fixed seed. */
#ifndef CB_RNG_H
#define CB_RNG_H

#include <stdbool.h>
#include <stddef.h>

/* Fills buf with len bytes. From EFI_RNG_PROTOCOL when the firmware has it (*weak = false). Otherwise from the
 * CPU's random instruction (arch_random: RDSEED/RDRAND, RNDR) mixed with cycle-counter timing jitter, or from
 * jitter alone (*weak = true; a warning is logged once naming the source). Returns 0: some source always
 * exists. The shape of tls_config.entropy; ctx is unused. */
int rt_random(void *ctx, void *buf, size_t len, bool *weak);

#endif
