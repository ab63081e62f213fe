/* cosign_fuzz_key.h: a fixed ECDSA P-256 key pair for the cosign fuzz targets, so they can sign what they
 * generate and reach the parsers behind the signature check. Test-only; never a key anything trusts. */
#ifndef COSIGN_FUZZ_KEY_H
#define COSIGN_FUZZ_KEY_H

#include <bearssl.h>
#include <stdlib.h>
#include <string.h>

#include "cosign.h"

static const unsigned char fuzz_sk_x[32] = { 0x1f, 0x2e, 0x3d, 0x4c, 0x5b, 0x6a, 0x79, 0x88, 0x97, 0xa6, 0xb5,
					     0xc4, 0xd3, 0xe2, 0xf1, 0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67,
					     0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0x10, 0x21 };

/* The public half, checked through cosign_key_from_point. */
static inline struct cosign_key fuzz_key(void)
{
	static struct cosign_key k;
	static int done;
	if (!done) {
		unsigned char q[65];
		struct cb_err e;
		if (br_ec_p256_m31.mulgen(q, fuzz_sk_x, sizeof(fuzz_sk_x), BR_EC_secp256r1) != 65 ||
		    cosign_key_from_point(q, sizeof(q), &k, &e) != 0)
			abort();
		done = 1;
	}
	return k;
}

/* DER ECDSA signature over SHA-256(data) into sig (72 bytes); returns its length. */
static inline size_t fuzz_sign_hash(const unsigned char h[32], unsigned char *sig)
{
	br_ec_private_key sk = { BR_EC_secp256r1, (unsigned char *)fuzz_sk_x, sizeof(fuzz_sk_x) };
	size_t n = br_ecdsa_i31_sign_asn1(&br_ec_p256_m31, &br_sha256_vtable, h, &sk, sig);
	if (n == 0)
		abort();
	return n;
}

static inline size_t fuzz_sign(const void *data, size_t len, unsigned char *sig)
{
	unsigned char h[32];
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, data, len);
	br_sha256_out(&c, h);
	return fuzz_sign_hash(h, sig);
}

#endif
