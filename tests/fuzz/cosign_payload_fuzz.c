/* cosign_payload_fuzz.c: libFuzzer target for cosign simple-signing payloads and signature manifests.
 * Input byte 0 picks the mode: 0 payload signed by the harness, 1 payload + signature from the input, 2 manifest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "cosign.h"
#include "cosign_fuzz_key.h"

#define DIGEST "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"

static void check_err(int rc, const struct cb_err *e)
{
	if (rc == 0)
		return;
	if (rc > 0 || !e->msg[0] || e->code != rc || strncmp(e->msg, "cosign: ", 8) != 0)
		abort();
}

struct blob {
	const uint8_t *p;
	size_t n;
};

static int fetch(void *ctx, const struct cosign_sig_layer *l, void **bytes, size_t *len, struct cb_err *e)
{
	const struct blob *b = ctx;
	if (l->size > 1000000)
		return cb_errf(e, CB_EINVAL, "too big");
	*bytes = malloc(b->n + 1);
	if (!*bytes)
		return cb_errf(e, CB_ENOMEM, "oom");
	memcpy(*bytes, b->p, b->n);
	*len = b->n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct cosign_key key = fuzz_key();
	struct cb_err e;
	struct cosign_want want = { DIGEST, (data[0] & 0x10) ? "reg.example/a:b" : NULL, NULL, 0 };
	const uint8_t *in = data + 1;
	size_t n = size - 1;
	int mode = data[0] % 3;
	if (mode == 0) {
		unsigned char sig[80];
		char sig64[120];
		b64_encode(sig, fuzz_sign(in, n, sig), sig64);
		int rc = cosign_verify_simplesigning(&key, in, n, sig64, &want, &e);
		check_err(rc, &e);
		if (rc && strcmp(e.msg, "cosign: signature does not verify with the configured key") == 0)
			abort(); /* the harness signed exactly these bytes */
	} else if (mode == 1) {
		/* "<signature text>\n<payload>" */
		const uint8_t *nl = memchr(in, '\n', n);
		size_t sl = nl ? (size_t)(nl - in) : n;
		char *sig = malloc(sl + 1);
		memcpy(sig, in, sl);
		sig[sl] = 0;
		const uint8_t *p = nl ? nl + 1 : in + n;
		check_err(cosign_verify_simplesigning(&key, p, (size_t)(in + n - p), sig, &want, &e), &e);
		free(sig);
	} else {
		/* "<manifest>\0<blob>" */
		const uint8_t *z = memchr(in, 0, n);
		size_t ml = z ? (size_t)(z - in) : n;
		struct blob b = { z ? z + 1 : in + n, z ? (size_t)(in + n - z - 1) : 0 };
		struct cosign_sig_manifest m;
		int rc = cosign_sig_manifest_parse(in, ml, &m, &e);
		check_err(rc, &e);
		if (rc == 0) {
			if (m.n == 0 || m.n > COSIGN_MAX_LAYERS)
				abort();
			for (size_t i = 0; i < m.n; i++)
				if (!m.layers[i].media_type || strlen(m.layers[i].digest) != 71)
					abort();
			cosign_sig_manifest_free(&m);
		}
		check_err(cosign_verify_sig_manifest(&key, in, ml, &want, fetch, &b, &e), &e);
	}
	return 0;
}
