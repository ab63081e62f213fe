/* signkey_parse.c: reads a P-256 private key file in memory: PEM (pem_scan.h), cosign's scrypt + nacl/secretbox JSON
 * envelope (json.h, libsodium), PKCS#8 and SEC1 (der.h). It does not read files or ask for passwords (signkey.c). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "cb_checked.h"
#include "der.h"
#include "json.h"
#include "pem.h"
#include "signkey_internal.h"

#define SUPPORTED "(signing keys must be ECDSA P-256)"
#define ENVELOPE_MAX 16384u   /* the JSON inside an encrypted key's PEM */
#define SALT_MIN 8u
#define SALT_MAX 64u
#define CIPHERTEXT_MAX 4096u  /* a P-256 PKCS#8 is ~140 bytes; room for attributes */
#define SHOW_MAX 40           /* bytes of a hostile string echoed in a message */
#define PKCS8_PUBLIC_KEY 0x81 /* OneAsymmetricKey publicKey: [1] IMPLICIT BIT STRING */

/* PEM labels of other private keys, refused by name. */
static const struct { const char *label, *why; } other_labels[] = {
	{ "RSA PRIVATE KEY", "RSA keys are not supported " SUPPORTED },
	{ "DSA PRIVATE KEY", "DSA keys are not supported " SUPPORTED },
	{ "OPENSSH PRIVATE KEY", "OpenSSH private keys are not supported " SUPPORTED },
	{ "ENCRYPTED PRIVATE KEY", "password-protected PKCS#8 (\"ENCRYPTED PRIVATE KEY\") is not supported: use a cosign "
				   "key, or decrypt it with `openssl pkey`" },
};

/* At most SHOW_MAX bytes of s for a message, other than printable ASCII shown as '?'. */
static const char *shown(const char *s, char out[SHOW_MAX + 4])
{
	size_t i = 0;
	for (; s[i] && i < SHOW_MAX; i++)
		out[i] = s[i] < 0x20 || s[i] > 0x7e ? '?' : s[i];
	memcpy(out + i, s[i] ? "..." : "", s[i] ? 4 : 1);
	return out;
}

static int check_curve(const struct der *curve, struct cb_err *e)
{
	if (pem_oid_is_p256(curve))
		return 0;
	const char *name = pem_curve_name(curve);
	return cb_errf(e, CB_EUNSUP, "EC keys on %s are not supported " SUPPORTED, name ? name : "an unknown curve");
}

/* The named curve of EC parameters (a SEQUENCE there means explicit parameters). */
static int read_curve(struct der *c, struct cb_err *e)
{
	struct der curve;
	if (der_peek(c) == DER_SEQUENCE)
		return cb_errf(e, CB_EUNSUP, "explicit EC curve parameters are not supported " SUPPORTED);
	int rc = der_read(c, DER_OID, "namedCurve", &curve, e);
	if (!rc)
		rc = der_expect_end(c, "namedCurve", e);
	return rc ? rc : check_curve(&curve, e);
}

/* ECPrivateKey (RFC 5915) in the window c; curve_known: the PKCS#8 wrapper already named P-256. */
static int read_ec(struct der c, bool curve_known, struct cb_signkey *k, struct cb_err *e)
{
	struct der seq, ver, d, params, pubw, bits = { 0 };
	int rc = der_read(&c, DER_SEQUENCE, "ECPrivateKey", &seq, e);
	if (!rc)
		rc = der_expect_end(&c, "ECPrivateKey", e);
	if (!rc)
		rc = der_read_uint(&seq, "ECPrivateKey version", &ver, e);
	if (rc)
		return rc;
	if (der_len(&ver) != 1 || der_ptr(&ver)[0] != 1)
		return cb_errf(e, CB_EINVAL, "ECPrivateKey version is not 1");
	if ((rc = der_read(&seq, DER_OCTET_STRING, "privateKey", &d, e)))
		return rc;
	if (der_peek(&seq) == DER_CTX(0)) {
		if ((rc = der_read(&seq, DER_CTX(0), "parameters", &params, e)) || (rc = read_curve(&params, e)))
			return rc;
		curve_known = true;
	}
	if (der_peek(&seq) == DER_CTX(1)) {
		if ((rc = der_read(&seq, DER_CTX(1), "publicKey", &pubw, e)) ||
		    (rc = der_read_bits(&pubw, "publicKey", &bits, e)) || (rc = der_expect_end(&pubw, "publicKey", e)))
			return rc;
	}
	if ((rc = der_expect_end(&seq, "ECPrivateKey", e)))
		return rc;
	if (!curve_known)
		return cb_errf(e, CB_EUNSUP, "EC private key names no curve " SUPPORTED);
	if (der_len(&d) == 0 || der_len(&d) > 32)
		return cb_errf(e, CB_EINVAL, "P-256 private key is %zu bytes, expected 32", der_len(&d));
	uint8_t x[32] = { 0 };
	memcpy(x + 32 - der_len(&d), der_ptr(&d), der_len(&d));
	rc = signkey_from_scalar(x, k, e);
	explicit_bzero(x, sizeof(x));
	if (!rc && bits.buf && !der_eq(&bits, k->pub.q, sizeof(k->pub.q))) {
		signkey_wipe(k);
		rc = cb_errf(e, CB_EINVAL, "the public key stored with the private key does not match it");
	}
	return rc;
}

/* PrivateKeyInfo / OneAsymmetricKey (RFC 5208, 5958) holding an id-ecPublicKey on prime256v1. */
static int read_pkcs8(const uint8_t *buf, size_t len, struct cb_signkey *k, struct cb_err *e)
{
	struct der c = der_init(buf, len), pki, ver, alg, oid, priv, skip, pub = { 0 };
	int rc = der_read(&c, DER_SEQUENCE, "PrivateKeyInfo", &pki, e);
	if (!rc)
		rc = der_expect_end(&c, "PrivateKeyInfo", e);
	if (!rc)
		rc = der_read_uint(&pki, "version", &ver, e);
	if (rc)
		return rc;
	if (der_len(&ver) != 1 || der_ptr(&ver)[0] > 1)
		return cb_errf(e, CB_EINVAL, "PKCS#8 version is not 0 or 1");
	if ((rc = der_read(&pki, DER_SEQUENCE, "privateKeyAlgorithm", &alg, e)) ||
	    (rc = der_read(&alg, DER_OID, "algorithm", &oid, e)))
		return rc;
	if (!pem_oid_is_ec_public_key(&oid)) {
		const char *name = pem_key_alg_name(&oid);
		if (name)
			return cb_errf(e, CB_EUNSUP, "%s keys are not supported " SUPPORTED, name);
		return cb_errf(e, CB_EUNSUP, "unknown key algorithm (OID of %zu bytes) is not supported " SUPPORTED,
			       der_len(&oid));
	}
	if ((rc = read_curve(&alg, e)) || (rc = der_read(&pki, DER_OCTET_STRING, "privateKey", &priv, e)))
		return rc;
	if (der_peek(&pki) == DER_CTX(0) && (rc = der_read(&pki, DER_CTX(0), "attributes", &skip, e)))
		return rc;
	if (der_peek(&pki) == PKCS8_PUBLIC_KEY && (rc = der_read(&pki, PKCS8_PUBLIC_KEY, "publicKey", &pub, e)))
		return rc;
	if ((rc = der_expect_end(&pki, "PrivateKeyInfo", e)) || (rc = read_ec(priv, true, k, e)))
		return rc;
	/* OneAsymmetricKey's [1] IMPLICIT BIT STRING: no unused bits, then the point. */
	if (pub.buf && !(der_len(&pub) == 1 + sizeof(k->pub.q) && der_ptr(&pub)[0] == 0 &&
			 memcmp(der_ptr(&pub) + 1, k->pub.q, sizeof(k->pub.q)) == 0)) {
		signkey_wipe(k);
		return cb_errf(e, CB_EINVAL, "the public key stored with the private key does not match it");
	}
	return 0;
}

/* One base64 member of an envelope object into out[0..*n), n in [min, cap]. */
static int get_b64(const struct json_value *obj, const char *key, const char *what, size_t min, size_t cap,
		   uint8_t *out, size_t *n, struct cb_err *e)
{
	size_t len;
	const char *s = json_str(json_get(obj, key), &len);
	if (!s)
		return cb_errf(e, CB_EINVAL, "encrypted key: %s is missing or not a string", what);
	int rc = b64_decode(s, len, out, cap, n, e);
	if (rc == CB_ELIMIT)
		return cb_errf(e, CB_EINVAL, "encrypted key: %s is longer than %zu bytes", what, cap);
	if (rc)
		return cb_err_prefix(e, "encrypted key: %s is not base64: ", what);
	if (*n < min)
		return cb_errf(e, CB_EINVAL, "encrypted key: %s is %zu bytes, expected %s%zu", what, *n,
			       min == cap ? "" : "at least ", min);
	return 0;
}

static int get_uint(const struct json_value *params, const char *key, uint64_t *v, struct cb_err *e)
{
	if (!json_uint64(json_get(params, key), v))
		return cb_errf(e, CB_EINVAL, "encrypted key: kdf.params.%s is missing or not an unsigned integer", key);
	return 0;
}

/* The sane range of scrypt parameters. */
static int check_scrypt(uint64_t n, uint64_t r, uint64_t p, unsigned max_log2n, struct cb_err *e)
{
	unsigned log2n = 0;
	while (log2n < 63 && (1ull << log2n) < n)
		log2n++;
	if (n != 1ull << log2n || log2n < SIGNKEY_LOG2N_MIN || log2n > max_log2n)
		return cb_errf(e, CB_EINVAL, "encrypted key: scrypt N=%llu is not a power of two from 2^%u to 2^%u",
			       (unsigned long long)n, SIGNKEY_LOG2N_MIN, max_log2n);
	if (r == 0 || p == 0 || r > SIGNKEY_RP_MAX || p > SIGNKEY_RP_MAX || r * p > SIGNKEY_RP_MAX)
		return cb_errf(e, CB_EINVAL, "encrypted key: scrypt r=%llu p=%llu out of range (r, p >= 1, r*p <= %u)",
			       (unsigned long long)r, (unsigned long long)p, SIGNKEY_RP_MAX);
	if (128 * r * n > SIGNKEY_SCRYPT_MEM_MAX)
		return cb_errf(e, CB_EINVAL, "encrypted key: scrypt N=%llu r=%llu needs more than %llu MiB",
			       (unsigned long long)n, (unsigned long long)r, SIGNKEY_SCRYPT_MEM_MAX >> 20);
	return 0;
}

/* An object member that must be there and be an object. */
static const struct json_value *get_obj(const struct json_value *obj, const char *key, const char *what,
					struct cb_err *e)
{
	const struct json_value *v = json_get(obj, key);
	if (json_type(v) != JSON_OBJECT)
		cb_errf(e, CB_EINVAL, "encrypted key: %s is missing or not an object", what);
	return json_type(v) == JSON_OBJECT ? v : NULL;
}

/* A name member that must equal `want`. */
static int check_name(const struct json_value *obj, const char *what, const char *want, struct cb_err *e)
{
	const char *name = json_get_str(obj, "name");
	char show[SHOW_MAX + 4];
	if (!name)
		return cb_errf(e, CB_EINVAL, "encrypted key: %s.name is missing or not a string", what);
	if (strcmp(name, want) != 0)
		return cb_errf(e, CB_EUNSUP, "encrypted key: unknown %s \"%s\" (expected \"%s\")", what,
			       shown(name, show), want);
	return 0;
}

struct envelope {
	uint64_t n, r, p;
	uint8_t salt[SALT_MAX], nonce[SIGNKEY_NONCE_LEN], ct[CIPHERTEXT_MAX];
	size_t salt_len, nonce_len, ct_len;
};

static int read_envelope(const struct json_value *root, unsigned max_log2n, struct envelope *v, struct cb_err *e)
{
	if (json_type(root) != JSON_OBJECT)
		return cb_errf(e, CB_EINVAL, "encrypted key: not a JSON object");
	const struct json_value *kdf = get_obj(root, "kdf", "kdf", e), *params;
	if (!kdf)
		return CB_EINVAL;
	int rc = check_name(kdf, "kdf", "scrypt", e);
	if (rc)
		return rc;
	if (!(params = get_obj(kdf, "params", "kdf.params", e)))
		return CB_EINVAL;
	if (!(rc = get_uint(params, "N", &v->n, e)) && !(rc = get_uint(params, "r", &v->r, e)) &&
	    !(rc = get_uint(params, "p", &v->p, e)) && !(rc = check_scrypt(v->n, v->r, v->p, max_log2n, e)))
		rc = get_b64(kdf, "salt", "kdf.salt", SALT_MIN, SALT_MAX, v->salt, &v->salt_len, e);
	if (rc)
		return rc;
	const struct json_value *cipher = get_obj(root, "cipher", "cipher", e);
	if (!cipher)
		return CB_EINVAL;
	if (!(rc = check_name(cipher, "cipher", "nacl/secretbox", e)))
		rc = get_b64(cipher, "nonce", "cipher.nonce", SIGNKEY_NONCE_LEN, SIGNKEY_NONCE_LEN, v->nonce,
			     &v->nonce_len, e);
	if (!rc)
		rc = get_b64(root, "ciphertext", "ciphertext", crypto_secretbox_MACBYTES + 1, CIPHERTEXT_MAX, v->ct,
			     &v->ct_len, e);
	return rc;
}

/* cosign's envelope: JSON {kdf: scrypt, cipher: nacl/secretbox, ciphertext} around a PKCS#8 key. */
static int read_encrypted(const uint8_t *json, size_t len, signkey_pass_fn pass, void *ctx, unsigned max_log2n,
			  struct cb_signkey *k, struct cb_err *e)
{
	struct json_limits lim = { .max_bytes = ENVELOPE_MAX, .max_depth = 4, .max_values = 64,
				   .max_string = ENVELOPE_MAX };
	struct json_doc *doc;
	int rc = json_parse(json, len, &lim, &doc, e);
	if (rc) {
		cb_err_prefix(e, "encrypted key is not valid JSON: ");
		return rc == CB_ELIMIT ? (e->code = CB_EINVAL) : rc;
	}
	struct envelope *v = calloc(1, sizeof(*v));
	if (!v)
		rc = cb_errf(e, CB_ENOMEM, "out of memory");
	else
		rc = read_envelope(json_root(doc), max_log2n, v, e);
	json_free(doc);
	const char *pw = NULL;
	uint8_t key[crypto_secretbox_KEYBYTES], plain[CIPHERTEXT_MAX];
	size_t plain_len = 0;
	if (!rc)
		rc = pass(ctx, &pw, e);
	if (!rc)
		rc = signkey_scrypt(pw, v->salt, v->salt_len, v->n, (uint32_t)v->r, (uint32_t)v->p, key, e);
	if (!rc) {
		plain_len = v->ct_len - crypto_secretbox_MACBYTES;
		if (crypto_secretbox_open_easy(plain, v->ct, v->ct_len, v->nonce, key) != 0)
			rc = cb_errf(e, CB_EVERIFY, "wrong password or corrupted key (secretbox authentication failed)");
		else if ((rc = read_pkcs8(plain, plain_len, k, e)))
			cb_err_prefix(e, "decrypted key: ");
	}
	explicit_bzero(key, sizeof(key));
	explicit_bzero(plain, sizeof(plain));
	free(v);
	return rc;
}

/* The first PEM block that is not "EC PARAMETERS" (openssl ecparam -genkey writes one before the key). */
static int next_key_block(const char *text, size_t len, struct pem_block *b, struct cb_err *e)
{
	struct pem_scan s;
	pem_scan_init(&s, text, len, PEM_MAX);
	for (;;) {
		int rc = pem_scan_next(&s, b, e);
		if (rc == 0)
			return cb_errf(e, CB_EINVAL, "no private key PEM block (not a key file)");
		if (rc < 0)
			return cb_err_prefix(e, "pem: ");
		if (strcmp(b->label, "EC PARAMETERS") != 0)
			return 0;
		free(b->der);
	}
}

int signkey_parse_mem(const char *text, size_t len, signkey_pass_fn pass, void *ctx, unsigned max_log2n,
		      struct cb_signkey *k, struct cb_err *e)
{
	memset(k, 0, sizeof(*k));
	if (len > PEM_MAX)
		return cb_errf(e, CB_ELIMIT, "larger than %u bytes", PEM_MAX);
	if (max_log2n > SIGNKEY_LOG2N_MAX)
		max_log2n = SIGNKEY_LOG2N_MAX;
	struct pem_block b;
	int rc = next_key_block(text, len, &b, e);
	if (rc)
		return rc;
	if (strcmp(b.label, SIGNKEY_LABEL_SIGSTORE) == 0 || strcmp(b.label, SIGNKEY_LABEL_COSIGN) == 0) {
		rc = read_encrypted(b.der, b.len, pass, ctx, max_log2n, k, e);
	} else if (strcmp(b.label, "PRIVATE KEY") == 0) {
		if ((rc = read_pkcs8(b.der, b.len, k, e)))
			cb_err_prefix(e, "PRIVATE KEY: ");
	} else if (strcmp(b.label, "EC PRIVATE KEY") == 0) {
		if ((rc = read_ec(der_init(b.der, b.len), false, k, e)))
			cb_err_prefix(e, "EC PRIVATE KEY: ");
	} else {
		rc = cb_errf(e, CB_EINVAL, "found a \"%s\" block, expected a private key (\"" SIGNKEY_LABEL_SIGSTORE
			     "\", \"EC PRIVATE KEY\" or \"PRIVATE KEY\")", b.label);
		for (size_t i = 0; i < sizeof(other_labels) / sizeof(other_labels[0]); i++)
			if (strcmp(b.label, other_labels[i].label) == 0)
				rc = cb_errf(e, CB_EUNSUP, "%s", other_labels[i].why);
	}
	explicit_bzero(b.der, b.len);
	free(b.der);
	if (rc)
		signkey_wipe(k);
	return rc;
}
