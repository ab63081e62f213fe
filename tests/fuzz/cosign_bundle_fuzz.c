/* cosign_bundle_fuzz.c: libFuzzer target for Sigstore bundle verification. Input byte 0 picks the mode:
 * even = the rest is a bundle; odd = the rest is an in-toto statement the harness wraps in a signed DSSE bundle. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "cosign.h"
#include "cosign_fuzz_key.h"

#define DIGEST "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf"
#define INTOTO "application/vnd.in-toto+json"

static void check_err(int rc, const struct cb_err *e)
{
	if (rc == 0)
		return;
	if (rc > 0 || !e->msg[0] || e->code != rc || strncmp(e->msg, "cosign: bundle: ", 16) != 0)
		abort();
}

/* {"mediaType":…,"dsseEnvelope":{"payload":b64(body),"payloadType":INTOTO,"signatures":[{"sig":…}]}} */
static char *wrap(const uint8_t *body, size_t n)
{
	char head[64];
	int hl = snprintf(head, sizeof(head), "DSSEv1 %zu " INTOTO " %zu ", strlen(INTOTO), n);
	unsigned char h[32], sig[80];
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, head, (size_t)hl);
	br_sha256_update(&c, body, n);
	br_sha256_out(&c, h);
	char sig64[120];
	b64_encode(sig, fuzz_sign_hash(h, sig), sig64);
	size_t cap = b64_encoded_len(n) + 512;
	char *out = malloc(cap), *p64 = malloc(b64_encoded_len(n) + 1);
	b64_encode(body, n, p64);
	snprintf(out, cap,
		 "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":{\"payload\":\"%s\","
		 "\"payloadType\":\"" INTOTO "\",\"signatures\":[{\"sig\":\"%s\"}]}}",
		 p64, sig64);
	free(p64);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct cosign_key key = fuzz_key();
	struct cb_err e;
	static const char art[] = "fuzz artifact";
	struct cosign_want want = { DIGEST, NULL, (data[0] & 2) ? art : NULL, (data[0] & 2) ? sizeof(art) - 1 : 0 };
	if (data[0] & 2)
		want.digest = (data[0] & 4) ? NULL : DIGEST;
	if (data[0] & 1) {
		char *b = wrap(data + 1, size - 1);
		int rc = cosign_verify_bundle(&key, b, strlen(b), &want, &e);
		check_err(rc, &e);
		if (rc && strcmp(e.msg, "cosign: bundle: DSSE signature 1 of 1: signature does not verify with the "
				      "configured key") == 0)
			abort(); /* the harness signed this envelope */
		free(b);
	} else {
		check_err(cosign_verify_bundle(&key, data + 1, size - 1, &want, &e), &e);
	}
	return 0;
}
