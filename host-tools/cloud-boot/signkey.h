/* signkey.h: cosign-compatible ECDSA P-256 signing keys for the host CLI: load a key file, sign bytes, make a new
 * encrypted key pair like `cosign generate-key-pair`. Host only (POSIX, libsodium); verification is oci/cosign.h's. */
#ifndef CLOUD_BOOT_SIGNKEY_H
#define CLOUD_BOOT_SIGNKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "cosign.h"

#define SIGNKEY_PASSWORD_ENV "COSIGN_PASSWORD"
#define SIGNKEY_SIG_MAX 72 /* ASN.1 DER ECDSA P-256 signature */

/* d: the private scalar (big-endian, 1 <= d < n); pub: d·G as 0x04 || X || Y. */
struct cb_signkey {
	uint8_t d[32];
	struct cosign_key pub;
};

/* Reads a P-256 private key from path: "ENCRYPTED SIGSTORE PRIVATE KEY" / "ENCRYPTED COSIGN PRIVATE KEY" (cosign's
 * scrypt + nacl/secretbox JSON around PKCS#8), "EC PRIVATE KEY" (SEC1) or "PRIVATE KEY" (PKCS#8). The password of
 * an encrypted key is `password` when not NULL, else $COSIGN_PASSWORD when set (even empty), else asked on
 * /dev/tty without echo, else an error saying to set COSIGN_PASSWORD. Messages start with "<path>: ", e.g.
 * "<path>: wrong password or corrupted key (secretbox authentication failed)". */
int signkey_load(const char *path, const char *password, struct cb_signkey *k, struct cb_err *e);
/* ECDSA P-256 over SHA-256(msg[0..len)), deterministic (RFC 6979), as an ASN.1 DER signature in sig[0..*sig_len). */
int signkey_sign(const struct cb_signkey *k, const void *msg, size_t len, uint8_t sig[SIGNKEY_SIG_MAX],
		 size_t *sig_len, struct cb_err *e);
/* Erases the secret (explicit_bzero). */
void signkey_wipe(struct cb_signkey *k);
/* Makes a random key pair and writes PREFIX.key (cosign's encrypted format: scrypt N=65536 r=8 p=1, 32-byte salt,
 * nacl/secretbox with a 24-byte nonce, mode 0600) and PREFIX.pub ("PUBLIC KEY" SPKI). Both files or neither; an
 * existing one is refused unless force ("<file>: exists (use --force to replace it)"). The password is `password`
 * when not NULL, else $COSIGN_PASSWORD when set, else asked twice on /dev/tty (the answers must match). */
int signkey_generate(const char *prefix, const char *password, bool force, struct cb_err *e);

#endif
