/* pem_fuzz.c: libFuzzer target for PEM armour (pem_scan.c) and the P-256 SPKI reader (oci/pem.c, der.c).
 * Input byte 0 picks the mode: even = the rest is PEM text; odd = the rest is DER the harness wraps in PEM. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "pem.h"

static void check(const char *pem, size_t n)
{
	struct cosign_key k;
	struct cb_err e;
	int rc = pem_ec_p256_pubkey(pem, n, &k, &e);
	if (rc == 0 && k.q[0] != 0x04)
		abort();
	if (rc && (rc > 0 || !e.msg[0] || e.code != rc || strncmp(e.msg, "pem: ", 5) != 0))
		abort();
	struct pem_block b;
	rc = pem_decode(pem, n, &b, &e);
	if (rc == 0) {
		if (!b.der || !b.label[0])
			abort();
		free(b.der);
	} else if (b.der) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (!(data[0] & 1)) {
		check((const char *)data + 1, size - 1);
		return 0;
	}
	size_t n = size - 1;
	char *pem = malloc(b64_encoded_len(n) + 64);
	int k = sprintf(pem, "-----BEGIN PUBLIC KEY-----\n");
	b64_encode(data + 1, n, pem + k);
	strcat(pem, "\n-----END PUBLIC KEY-----\n");
	check(pem, strlen(pem));
	free(pem);
	return 0;
}
