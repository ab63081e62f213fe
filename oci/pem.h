/* pem.h: PEM key files (armour read by pem_scan.h) and the one key shape keyed cosign uses: an ECDSA P-256
 * SubjectPublicKeyInfo. Not an X.509 or PKCS#8 parser beyond that; other key types are named and refused. */
#ifndef OCI_PEM_H
#define OCI_PEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "cosign.h"
#include "der.h"
#include "pem_scan.h"

#define PEM_MAX (64u * 1024)  /* PEM text accepted */

/* The first PEM block of pem[0..len) (pem_scan.h: its label, e.g. "PUBLIC KEY", and its decoded bytes, malloc'd:
 * free()); text before it is skipped. 0, or CB_EINVAL / CB_EUNSUP / CB_ENOMEM with "pem: <reason>"
 * ("pem: no -----BEGIN line (not a PEM text)", "pem: PEM line 1: BEGIN PUBLIC KEY without END"); out->der is
 * NULL on failure. */
int pem_decode(const char *pem, size_t len, struct pem_block *out, struct cb_err *e);

/* Reads a `-----BEGIN PUBLIC KEY-----` SubjectPublicKeyInfo holding an id-ecPublicKey on prime256v1 with an
 * uncompressed point on the curve. Other key types and curves are refused by name, e.g. "pem: RSA keys are not
 * supported (keyed cosign needs ECDSA P-256)". */
int pem_ec_p256_pubkey(const char *pem, size_t len, struct cosign_key *out, struct cb_err *e);

/* Key-type OIDs (DER contents) for readers of other key containers (the host's private keys): true for
 * id-ecPublicKey / prime256v1; the name of a refused algorithm ("RSA", "Ed25519", ...) or curve ("secp384r1",
 * ...), NULL when unknown. */
bool pem_oid_is_ec_public_key(const struct der *oid);
bool pem_oid_is_p256(const struct der *oid);
const char *pem_key_alg_name(const struct der *oid);
const char *pem_curve_name(const struct der *oid);

#endif
