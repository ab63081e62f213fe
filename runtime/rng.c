/* rng.c: rt_random(): EFI_RNG_PROTOCOL first; without it, the CPU's random instruction XORed with timing
 * jitter of the cycle counter, reported as weak so TLS asks for more and conditions it through HMAC-DRBG. */
#include "rng.h"

#include <arch/cpu.h>

#include "efi/protocols.h"
#include "log.h"
#include "rt.h"

/* EFI_RNG_PROTOCOL (UEFI 2.10 section 37.5); a NULL algorithm selects the firmware's default. */
typedef struct efi_rng efi_rng;
struct efi_rng {
	efi_status(EFIAPI *get_info)(efi_rng *self, uint64_t *list_size, efi_guid *list);
	efi_status(EFIAPI *get_rng)(efi_rng *self, const efi_guid *algorithm, uint64_t len, uint8_t *value);
};

/* Eight timings of a short loop whose duration depends on caches, TLB, the bus and interrupts, folded into
 * one byte. Each timing carries little entropy: callers take many bytes. */
static uint8_t jitter_byte(void)
{
	static volatile uint8_t scratch[4096];
	uint64_t acc = 0;
	for (int round = 0; round < 8; round++) {
		uint64_t t0 = arch_counter();
		for (unsigned i = 0; i < 64; i++)
			scratch[(i * 67u + (unsigned)t0) & 4095u] += (uint8_t)i;
		uint64_t d = arch_counter() - t0;
		acc = (acc << 7 | acc >> 57) ^ d;
	}
	return (uint8_t)(acc ^ acc >> 8 ^ acc >> 16 ^ acc >> 24);
}

static bool firmware_rng(void *buf, size_t len)
{
	efi_guid guid = EFI_RNG_PROTOCOL_GUID;
	efi_rng *rng = NULL;
	return rt_bs->locate_protocol(&guid, NULL, (void **)&rng) == EFI_SUCCESS && rng &&
	       rng->get_rng(rng, NULL, len, buf) == EFI_SUCCESS;
}

int rt_random(void *ctx, void *buf, size_t len, bool *weak)
{
	static bool told;
	(void)ctx;
	uint8_t *out = buf;
	if (firmware_rng(buf, len)) {
		*weak = false;
		if (!told)
			log_debug("rng: EFI_RNG_PROTOCOL");
		told = true;
		return 0;
	}
	bool hw = true;
	for (size_t i = 0; i < len; i += 8) {
		uint64_t r = 0;
		hw = hw && arch_random(&r);
		for (size_t k = 0; k < 8 && i + k < len; k++)
			out[i + k] = (uint8_t)(r >> (8 * k)) ^ jitter_byte();
	}
	*weak = true;
	if (!told)
		log_warn("rng: no EFI_RNG_PROTOCOL: seeding from %s (weaker; give the VM a virtio-rng device)",
		         hw && len ? ARCH_RANDOM_NAME " and timing jitter" : "timing jitter only");
	told = true;
	return 0;
}
