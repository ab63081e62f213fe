/* pem.c: the ECDSA P-256 SubjectPublicKeyInfo reader behind pem.h (armour by pem_scan.c, strict DER walk via
 * der.h). It does not read private keys or certificates; those labels are named and refused here. */
#include "pem.h"

#include <stdlib.h>
#include <string.h>

#include "cosign_internal.h"
#include "der.h"

#define SUPPORTED "(keyed cosign needs ECDSA P-256)"

int pem_decode(const char *pem, size_t len, struct pem_block *out, struct cb_err *e)
{
	memset(out, 0, sizeof(*out));
	if (len > PEM_MAX)
		return cb_errf(e, CB_EINVAL, "pem: %zu bytes, limit %u", len, PEM_MAX);
	struct pem_scan s;
	pem_scan_init(&s, pem, len, PEM_MAX);
	int rc = pem_scan_next(&s, out, e);
	if (rc == 0)
		return cb_errf(e, CB_EINVAL, "pem: no -----BEGIN line (not a PEM text)");
	return rc < 0 ? cb_err_prefix(e, "pem: ") : 0;
}

/* Names for key algorithms and curves we refuse, keyed by the DER contents of their OID. */
struct oid_name {
	const uint8_t *oid;
	size_t len;
	const char *name;
};
#define OID(name, ...) { (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }), name }

static const uint8_t oid_ec_public_key[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 }; /* 1.2.840.10045.2.1 */
static const uint8_t oid_prime256v1[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 }; /* 1.2.840.10045.3.1.7 */

bool pem_oid_is_ec_public_key(const struct der *oid)
{
	return der_eq(oid, oid_ec_public_key, sizeof(oid_ec_public_key));
}

bool pem_oid_is_p256(const struct der *oid)
{
	return der_eq(oid, oid_prime256v1, sizeof(oid_prime256v1));
}

static const struct oid_name key_algs[] = {
	OID("RSA", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01),  /* rsaEncryption */
	OID("RSA", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a),  /* RSASSA-PSS */
	OID("DSA", 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01),
	OID("Ed25519", 0x2b, 0x65, 0x70),
	OID("Ed448", 0x2b, 0x65, 0x71),
	OID("X25519", 0x2b, 0x65, 0x6e),
	OID("X448", 0x2b, 0x65, 0x6f),
};
static const struct oid_name curves[] = {
	OID("secp384r1", 0x2b, 0x81, 0x04, 0x00, 0x22),
	OID("secp521r1", 0x2b, 0x81, 0x04, 0x00, 0x23),
	OID("secp256k1", 0x2b, 0x81, 0x04, 0x00, 0x0a),
	OID("secp224r1", 0x2b, 0x81, 0x04, 0x00, 0x21),
	OID("brainpoolP256r1", 0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07),
};

static const char *oid_lookup(const struct der *oid, const struct oid_name *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (der_eq(oid, t[i].oid, t[i].len))
			return t[i].name;
	return NULL;
}

const char *pem_key_alg_name(const struct der *oid)
{
	return oid_lookup(oid, key_algs, sizeof(key_algs) / sizeof(key_algs[0]));
}

const char *pem_curve_name(const struct der *oid)
{
	return oid_lookup(oid, curves, sizeof(curves) / sizeof(curves[0]));
}

static int read_spki(const uint8_t *der, size_t len, struct cosign_key *out, struct cb_err *e)
{
	struct der c = der_init(der, len), spki, alg, oid, curve, bits;
	int rc = der_read(&c, DER_SEQUENCE, "SubjectPublicKeyInfo", &spki, e);
	if (!rc)
		rc = der_expect_end(&c, "SubjectPublicKeyInfo", e);
	if (!rc)
		rc = der_read(&spki, DER_SEQUENCE, "AlgorithmIdentifier", &alg, e);
	if (!rc)
		rc = der_read(&alg, DER_OID, "algorithm", &oid, e);
	if (rc)
		return rc;
	if (!der_eq(&oid, oid_ec_public_key, sizeof(oid_ec_public_key))) {
		const char *name = oid_lookup(&oid, key_algs, sizeof(key_algs) / sizeof(key_algs[0]));
		if (name)
			return cb_errf(e, CB_EUNSUP, "%s keys are not supported " SUPPORTED, name);
		return cb_errf(e, CB_EUNSUP, "unknown key algorithm (OID of %zu bytes) is not supported " SUPPORTED,
			       der_len(&oid));
	}
	if (der_peek(&alg) == DER_SEQUENCE)
		return cb_errf(e, CB_EUNSUP, "explicit EC curve parameters are not supported " SUPPORTED);
	rc = der_read(&alg, DER_OID, "namedCurve", &curve, e);
	if (!rc)
		rc = der_expect_end(&alg, "namedCurve", e);
	if (rc)
		return rc;
	if (!der_eq(&curve, oid_prime256v1, sizeof(oid_prime256v1))) {
		const char *name = oid_lookup(&curve, curves, sizeof(curves) / sizeof(curves[0]));
		return cb_errf(e, CB_EUNSUP, "EC keys on %s are not supported " SUPPORTED, name ? name : "an unknown curve");
	}
	rc = der_read_bits(&spki, "subjectPublicKey", &bits, e);
	if (!rc)
		rc = der_expect_end(&spki, "subjectPublicKey", e);
	if (rc)
		return rc;
	const uint8_t *q = der_ptr(&bits);
	if (der_len(&bits) == 33 && (q[0] == 2 || q[0] == 3))
		return cb_errf(e, CB_EUNSUP, "compressed EC points are not supported");
	return cosign_key_check(q, der_len(&bits), out, e);
}

int pem_ec_p256_pubkey(const char *pem, size_t len, struct cosign_key *out, struct cb_err *e)
{
	struct pem_block b;
	int rc = pem_decode(pem, len, &b, e);
	if (rc)
		return rc;
	if (strcmp(b.label, "PUBLIC KEY") != 0) {
		rc = strcmp(b.label, "RSA PUBLIC KEY") == 0
			     ? cb_errf(e, CB_EUNSUP, "pem: RSA keys are not supported " SUPPORTED)
			     : cb_errf(e, CB_EINVAL, "pem: found a \"%s\" block, expected \"PUBLIC KEY\"", b.label);
	} else {
		rc = read_spki(b.der, b.len, out, e);
		if (rc)
			cb_err_prefix(e, "pem: ");
	}
	free(b.der);
	return rc;
}
