/* cosign_common.c: the pieces every cosign signature shape shares: the pinned key, digests, ECDSA P-256
 * verification (BearSSL), and base64/JSON decoding with cosign's limits. No signature format lives here. */
#include <bearssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "cosign_internal.h"
#include "der.h"
#include "json.h"

#define SHOW_MAX 80 /* bytes of a hostile string echoed in a message */

int cosign_key_check(const void *q, size_t len, struct cosign_key *out, struct cb_err *e)
{
	static const uint8_t one = 1;
	uint8_t tmp[sizeof(out->q)];
	if (len != sizeof(out->q))
		return cb_errf(e, CB_EINVAL, "P-256 public key is %zu bytes, expected %zu (uncompressed point)", len,
			       sizeof(out->q));
	memcpy(tmp, q, len);
	if (tmp[0] != 0x04)
		return cb_errf(e, CB_EINVAL, "P-256 public key is not an uncompressed point (first byte 0x%02x)", tmp[0]);
	/* mul() decodes the point and refuses one that is not on the curve; multiplying by 1 changes nothing. */
	if (!br_ec_p256_m31.mul(tmp, len, &one, 1, BR_EC_secp256r1))
		return cb_errf(e, CB_EINVAL, "P-256 public key is not a point on the curve");
	memcpy(out->q, q, len);
	return 0;
}

int cosign_key_from_point(const void *q, size_t len, struct cosign_key *out, struct cb_err *e)
{
	int rc = cosign_key_check(q, len, out, e);
	if (rc)
		cb_err_prefix(e, "cosign: ");
	return rc;
}

bool cosign_hex_decode(const char *s, size_t n, bool lower_only, uint8_t *out)
{
	if (n % 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned v;
		if (c >= '0' && c <= '9')
			v = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = (unsigned)(c - 'a' + 10);
		else if (!lower_only && c >= 'A' && c <= 'F')
			v = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (i % 2)
			out[i / 2] = (uint8_t)(out[i / 2] | v);
		else
			out[i / 2] = (uint8_t)(v << 4);
	}
	return true;
}

int cosign_digest_parse(const char *s, bool allow_sha512, const char *what, struct cosign_digest *d,
			struct cb_err *e)
{
	static const struct {
		const char *alg;
		size_t len;
	} algs[] = { { "sha256", 32 }, { "sha512", 64 } };
	size_t n = s ? strlen(s) : 0;
	for (size_t i = 0; s && i < (allow_sha512 ? 2u : 1u); i++) {
		size_t al = strlen(algs[i].alg);
		if (n == al + 1 + 2 * algs[i].len && memcmp(s, algs[i].alg, al) == 0 && s[al] == ':' &&
		    cosign_hex_decode(s + al + 1, 2 * algs[i].len, true, d->v)) {
			d->alg = algs[i].alg;
			d->len = algs[i].len;
			return 0;
		}
	}
	if (!s)
		return cb_errf(e, CB_EINVAL, "%s is missing", what);
	return cb_errf(e, CB_EINVAL, "%s \"%.*s%s\" is not a %s digest (\"sha256:\" and 64 lowercase hex digits)",
		       what, SHOW_MAX, s, n > SHOW_MAX ? "..." : "", allow_sha512 ? "sha256 or sha512" : "sha256");
}

void cosign_sha256(const void *data, size_t len, uint8_t out[32])
{
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, data, len);
	br_sha256_out(&c, out);
}

void cosign_sha256_name(const uint8_t h[32], char out[72])
{
	static const char hex[] = "0123456789abcdef";
	memcpy(out, "sha256:", 7);
	for (size_t i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[h[i] >> 4];
		out[8 + 2 * i] = hex[h[i] & 15];
	}
	out[71] = 0;
}

/* SEQUENCE { INTEGER r, INTEGER s }, each positive, minimal and at most 32 bytes of magnitude. */
static int check_der_sig(const void *sig, size_t len, struct cb_err *e)
{
	struct der c = der_init(sig, len), seq, r, s;
	int rc = der_read(&c, DER_SEQUENCE, "signature", &seq, e);
	if (!rc)
		rc = der_expect_end(&c, "signature", e);
	if (!rc)
		rc = der_read_uint(&seq, "r", &r, e);
	if (!rc)
		rc = der_read_uint(&seq, "s", &s, e);
	if (!rc)
		rc = der_expect_end(&seq, "s", e);
	if (!rc && (der_len(&r) > 32 || der_len(&s) > 32))
		rc = cb_errf(e, CB_EINVAL, "der: r or s is longer than 32 bytes");
	if (rc)
		cb_err_prefix(e, "signature is not an ASN.1 DER ECDSA signature: ");
	return rc;
}

int cosign_ecdsa_check(const struct cosign_key *key, const uint8_t hash[32], const void *sig, size_t sig_len,
		       struct cb_err *e)
{
	int rc = check_der_sig(sig, sig_len, e);
	if (rc)
		return rc;
	uint8_t q[sizeof(key->q)];
	memcpy(q, key->q, sizeof(q));
	br_ec_public_key pk = { BR_EC_secp256r1, q, sizeof(q) };
	if (!br_ecdsa_i31_vrfy_asn1(&br_ec_p256_m31, hash, 32, &pk, sig, sig_len))
		return cb_errf(e, CB_EVERIFY, "signature does not verify with the configured key");
	return 0;
}

int cosign_b64_alloc(const char *s, size_t n, size_t max, const char *what, uint8_t **out, size_t *out_len,
		     struct cb_err *e)
{
	size_t cap = b64_decoded_max(n);
	if (cap > max)
		return cb_errf(e, CB_EINVAL, "%s is too long (%zu base64 characters, limit %zu bytes)", what, n, max);
	uint8_t *buf = malloc(cap ? cap : 1);
	if (!buf)
		return cb_errf(e, CB_ENOMEM, "%s: out of memory", what);
	int rc = b64_decode(s, n, buf, cap, out_len, e);
	if (rc) {
		free(buf);
		cb_err_prefix(e, "%s is not base64: ", what);
		return CB_EINVAL;
	}
	*out = buf;
	return 0;
}

int cosign_json_parse(const void *buf, size_t len, size_t max, const char *what, struct json_doc **doc,
		      struct cb_err *e)
{
	struct json_limits lim;
	json_limits_default(&lim);
	lim.max_bytes = max;
	lim.max_depth = 32;
	lim.max_string = max;
	int rc = json_parse(buf, len, &lim, doc, e);
	if (rc) {
		if (rc != CB_ENOMEM)
			rc = e ? (e->code = CB_EINVAL) : CB_EINVAL;
		if (what)
			cb_err_prefix(e, "%s is not valid JSON: ", what);
		else
			cb_err_prefix(e, "not valid JSON: ");
	}
	return rc;
}
