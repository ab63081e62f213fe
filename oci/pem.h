/* pem.h: PEM armour (RFC 7468) and the one key shape keyed cosign uses: an ECDSA P-256 SubjectPublicKeyInfo.
 * Not an X.509 or PKCS#8 parser beyond that; other key types are named and refused. */
#ifndef OCI_PEM_H
#define OCI_PEM_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "cosign.h"

#define PEM_MAX (64u * 1024)  /* PEM text accepted */
#define PEM_LABEL_MAX 48

/* The first PEM block of a text: its label ("PUBLIC KEY") and its decoded bytes (malloc'd, free()). */
struct pem_block {
	char label[PEM_LABEL_MAX];
	uint8_t *der;
	size_t len;
};

/* Finds the first "-----BEGIN <label>-----" ... "-----END <label>-----" block in pem[0..len) and decodes its
 * base64 body (line breaks and spaces between base64 lines are allowed, RFC 1421 headers are not). 0, or
 * CB_EINVAL / CB_ENOMEM with "pem: <reason>". */
int pem_decode(const char *pem, size_t len, struct pem_block *out, struct cb_err *e);

/* Reads a `-----BEGIN PUBLIC KEY-----` SubjectPublicKeyInfo holding an id-ecPublicKey on prime256v1 with an
 * uncompressed point on the curve. Other key types and curves are refused by name, e.g. "pem: RSA keys are not
 * supported (keyed cosign needs ECDSA P-256)". */
int pem_ec_p256_pubkey(const char *pem, size_t len, struct cosign_key *out, struct cb_err *e);

#endif
