/* pem.c: PEM armour decoding and the ECDSA P-256 SubjectPublicKeyInfo reader behind pem.h (strict DER walk via
 * der.h). It does not read private keys or certificates; those labels are named and refused here. */
#include "pem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "cosign_internal.h"
#include "der.h"

#define SUPPORTED "(keyed cosign needs ECDSA P-256)"

/* First occurrence of needle in hay[0..n), or NULL. */
static const char *find(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return hay + i;
	return NULL;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int decode_body(const char *p, size_t n, struct pem_block *out, struct cb_err *e)
{
	char *text = malloc(n ? n : 1);
	if (!text)
		return cb_errf(e, CB_ENOMEM, "pem: out of memory");
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == ':') {
			free(text);
			return cb_errf(e, CB_EINVAL, "pem: %s block has RFC 1421 headers (encrypted PEM is not supported)",
				       out->label);
		}
		if (!is_space(p[i]))
			text[k++] = p[i];
	}
	if (k == 0) {
		free(text);
		return cb_errf(e, CB_EINVAL, "pem: %s block is empty", out->label);
	}
	size_t cap = b64_decoded_max(k);
	out->der = malloc(cap);
	if (!out->der) {
		free(text);
		return cb_errf(e, CB_ENOMEM, "pem: out of memory");
	}
	int rc = b64_decode(text, k, out->der, cap, &out->len, e);
	free(text);
	if (rc) {
		free(out->der);
		out->der = NULL;
		cb_err_prefix(e, "pem: %s body is not base64: ", out->label);
		return CB_EINVAL;
	}
	return 0;
}

int pem_decode(const char *pem, size_t len, struct pem_block *out, struct cb_err *e)
{
	static const char begin[] = "-----BEGIN ", dashes[] = "-----";
	memset(out, 0, sizeof(*out));
	if (len > PEM_MAX)
		return cb_errf(e, CB_EINVAL, "pem: %zu bytes, limit %u", len, PEM_MAX);
	const char *b = find(pem, len, begin);
	if (!b)
		return cb_errf(e, CB_EINVAL, "pem: no -----BEGIN line (not a PEM text)");
	const char *lab = b + strlen(begin), *end = pem + len;
	const char *lab_end = find(lab, (size_t)(end - lab), dashes);
	size_t ll = lab_end ? (size_t)(lab_end - lab) : 0;
	if (!lab_end || ll == 0 || ll >= PEM_LABEL_MAX)
		return cb_errf(e, CB_EINVAL, "pem: malformed -----BEGIN line");
	for (size_t i = 0; i < ll; i++)
		if (lab[i] < 0x20 || lab[i] > 0x7e)
			return cb_errf(e, CB_EINVAL, "pem: malformed -----BEGIN line");
	memcpy(out->label, lab, ll);
	out->label[ll] = 0;
	const char *body = lab_end + strlen(dashes);
	char end_line[PEM_LABEL_MAX + 16];
	snprintf(end_line, sizeof(end_line), "-----END %s-----", out->label);
	const char *fin = find(body, (size_t)(end - body), end_line);
	if (!fin)
		return cb_errf(e, CB_EINVAL, "pem: no %s line", end_line);
	return decode_body(body, (size_t)(fin - body), out, e);
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
