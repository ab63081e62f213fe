/* signkey.c: loading a signing key from a file (password from the caller, $COSIGN_PASSWORD or the terminal) and
 * ECDSA P-256 signing with it (BearSSL, RFC 6979). The key-file formats are signkey_parse.c's; no key generation. */
#include <bearssl.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "pem.h"
#include "signkey_internal.h"

/* The order n of P-256, big-endian. */
static const uint8_t p256_order[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

int signkey_from_scalar(const uint8_t d[32], struct cb_signkey *k, struct cb_err *e)
{
	uint8_t zero = 0;
	int below = 0; /* d < n, decided at the first differing byte */
	for (size_t i = 0; i < 32; i++) {
		if (d[i] != p256_order[i]) {
			below = d[i] < p256_order[i];
			break;
		}
	}
	for (size_t i = 0; i < 32; i++)
		zero |= d[i];
	if (!zero || !below)
		return cb_errf(e, CB_EINVAL, "P-256 private key is out of range (must be 1 .. n-1)");
	memcpy(k->d, d, 32);
	br_ec_private_key sk = { BR_EC_secp256r1, k->d, 32 };
	if (br_ec_compute_pub(&br_ec_p256_m31, NULL, k->pub.q, &sk) != sizeof(k->pub.q)) {
		signkey_wipe(k);
		return cb_errf(e, CB_EINVAL, "P-256 public key computation failed");
	}
	return 0;
}

int signkey_scrypt(const char *pw, const uint8_t *salt, size_t salt_len, uint64_t n, uint32_t r, uint32_t p,
		   uint8_t key[32], struct cb_err *e)
{
	if (sodium_init() < 0)
		return cb_errf(e, CB_EIO, "libsodium failed to initialise");
	if (crypto_pwhash_scryptsalsa208sha256_ll((const uint8_t *)pw, strlen(pw), salt, salt_len, n, r, p, key, 32))
		return cb_errf(e, CB_ENOMEM, "scrypt (N=%llu r=%u p=%u) failed: %s", (unsigned long long)n, r, p,
			       strerror(errno));
	return 0;
}

struct load_pass {
	const char *given;
	char buf[SIGNKEY_PASSWORD_MAX + 1];
};

static int load_password(void *ctx, const char **pw, struct cb_err *e)
{
	struct load_pass *lp = ctx;
	if (lp->given) {
		*pw = lp->given;
		return 0;
	}
	return signkey_password("Enter password for private key", false, lp->buf, pw, e);
}

int signkey_load(const char *path, const char *password, struct cb_signkey *k, struct cb_err *e)
{
	memset(k, 0, sizeof(*k));
	char *text = NULL;
	size_t len = 0;
	int rc = fileio_read_small(path, PEM_MAX, &text, &len, e);
	if (!rc) {
		struct load_pass lp = { .given = password };
		rc = signkey_parse_mem(text, len, load_password, &lp, SIGNKEY_LOG2N_MAX, k, e);
		explicit_bzero(&lp, sizeof(lp));
		explicit_bzero(text, len);
		free(text);
	}
	return rc ? cb_err_prefix(e, "%s: ", path) : 0;
}

int signkey_sign(const struct cb_signkey *k, const void *msg, size_t len, uint8_t sig[SIGNKEY_SIG_MAX],
		 size_t *sig_len, struct cb_err *e)
{
	uint8_t hash[32], d[32];
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, msg, len);
	br_sha256_out(&c, hash);
	memcpy(d, k->d, sizeof(d));
	br_ec_private_key sk = { BR_EC_secp256r1, d, sizeof(d) };
	size_t n = br_ecdsa_i31_sign_asn1(&br_ec_p256_m31, &br_sha256_vtable, hash, &sk, sig);
	explicit_bzero(d, sizeof(d));
	if (n == 0 || n > SIGNKEY_SIG_MAX)
		return cb_errf(e, CB_EINVAL, "ECDSA P-256 signing failed (invalid private key)");
	*sig_len = n;
	return 0;
}

void signkey_wipe(struct cb_signkey *k)
{
	explicit_bzero(k->d, sizeof(k->d));
}
