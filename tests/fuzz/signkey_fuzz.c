/* signkey_fuzz.c: libFuzzer target for the signing-key file parser (host-tools/cloud-boot/signkey_parse.c): PEM,
 * cosign's encrypted JSON envelope (password "fuzz", scrypt N capped at 2^10 so inputs stay fast), PKCS#8, SEC1. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "signkey_internal.h"

static int fuzz_password(void *ctx, const char **pw, struct cb_err *e)
{
	(void)ctx;
	(void)e;
	*pw = "fuzz";
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cb_signkey k;
	struct cb_err e = { 0 };
	if (signkey_parse_mem((const char *)data, size, fuzz_password, NULL, SIGNKEY_LOG2N_MIN, &k, &e) == 0) {
		uint8_t sig[SIGNKEY_SIG_MAX];
		size_t n;
		if (signkey_sign(&k, data, size, sig, &n, &e) != 0 || n > SIGNKEY_SIG_MAX)
			abort();
		signkey_wipe(&k);
	} else if (!e.msg[0] || memchr(e.msg, '\n', strlen(e.msg))) {
		abort(); /* every refusal is one non-empty line */
	}
	return 0;
}
