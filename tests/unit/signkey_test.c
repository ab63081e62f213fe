/* signkey_test.c: host tests of host-tools/cloud-boot/signkey*.c: a key made by cosign 3.1.1, envelopes built here
 * with libsodium, PKCS#8 and SEC1 keys, refusals with their messages, RFC 6979 signatures checked by oci/cosign, and
 * the files signkey_generate writes. Usage: signkey_test WORK-DIR */
#include <bearssl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base64.h"
#include "check.h"
#include "cosign.h"
#include "pem.h"
#include "signkey_internal.h"

static const char *work;

/* ---- vectors ---- */

/* `COSIGN_PASSWORD=pw cosign generate-key-pair` (cosign 3.1.1) and its cosign.pub. */
static const char cosign_key[] =
	"-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
	"eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6\n"
	"OCwicCI6MX0sInNhbHQiOiJTNzY5OTR1UFhybURpSEFCcnUrNEhhL014RGtUSjFz\n"
	"RG5jbEdQV29DRlRZPSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94\n"
	"Iiwibm9uY2UiOiI4aFlwYUpyQzE0a1FnclVzZnUrRzFkemt2ZjZ5emNaMSJ9LCJj\n"
	"aXBoZXJ0ZXh0IjoiVmJZdVRYNk5wY3JWWlNzS2pnSjZBb21maWJCSWFwZU1XaGt1\n"
	"SEZ5ZFR2R3JzQlBMY29QOGpjR2lXTmV0cUNhc1RuL0V0VEt1aHhvSStaaTEyd1dM\n"
	"M2JaVHdaZ0crK1l3WVFSMWRsd1JYaHF6UlhjQXhhLzhLUFFxMHI3KzhkZGJZWUZM\n"
	"TjBpQkEzaUt0NWtTMEhnNVVTRmxIOFQ1RHRTanh3anBLR0hrN3NhcmVJb1cxQjlO\n"
	"Zzk4SCt6TWR0RGVIbVFLU21BTGxZdCtzWXc9PSJ9\n"
	"-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
static const char cosign_pub[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsl46taUIhKOfpEs6ARSZoMIqU9/g\n"
	"/ZfzJiDInJk4iGUityl5BrB8KBDMotdbHrWa7HNRMTTIfPa0qXbXXJcVJA==\n"
	"-----END PUBLIC KEY-----\n";

/* openssl 3.0: `ecparam -name prime256v1 -genkey` (EC PARAMETERS first), secp384r1, RSA-1024 and Ed25519. */
static const char openssl_p256_sec1[] =
	"-----BEGIN EC PARAMETERS-----\n"
	"BggqhkjOPQMBBw==\n"
	"-----END EC PARAMETERS-----\n"
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHcCAQEEIAo4gQ7ZBZzEyk8K8sN+bqaXcrySbDarcdWZnDcUcDzNoAoGCCqGSM49\n"
	"AwEHoUQDQgAE4K2E436vLMaHK0FYOfl2zCFqVAGraAvhOdYUpAbKc91SSgou1ZYP\n"
	"fNw1B/le+NLd85IvmuFeIP8D99PiKhAyRw==\n"
	"-----END EC PRIVATE KEY-----\n";
static const char openssl_p384_sec1[] =
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MIGkAgEBBDBIXoIKSkcVJIpKOCnvlMWswJoz9/CsY/Z47T0sKtqHOqqoox/B6ywu\n"
	"YlPBIU/mWOGgBwYFK4EEACKhZANiAAQ4YdVMZyq340z1/1q3gyrv5OW39i+3XlYT\n"
	"dtywHJLVBbdkBnH1urUdAVFnqFQ3rY8oTfvNgqOvggVUlJqlmdPnQKLln76lHGQW\n"
	"c0sdEM4oTZiywCqHF4SW1EVwbeY9wCg=\n"
	"-----END EC PRIVATE KEY-----\n";
static const char openssl_p384_pkcs8[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDBIXoIKSkcVJIpKOCnv\n"
	"lMWswJoz9/CsY/Z47T0sKtqHOqqoox/B6ywuYlPBIU/mWOGhZANiAAQ4YdVMZyq3\n"
	"40z1/1q3gyrv5OW39i+3XlYTdtywHJLVBbdkBnH1urUdAVFnqFQ3rY8oTfvNgqOv\n"
	"ggVUlJqlmdPnQKLln76lHGQWc0sdEM4oTZiywCqHF4SW1EVwbeY9wCg=\n"
	"-----END PRIVATE KEY-----\n";
static const char openssl_rsa_pkcs8[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAK+eDpKTkif4GztU\n"
	"QzF2851y525PGg1xCbpWBkikFj2OaGHkxg656e0rNoGGxyGj99YOI+Zv93j1S6NN\n"
	"KPxGRiCDgwkNVbvvlgjUrvNIgfc449+guULvK4+mEsQA0DkptRTVe4q3UuRKMwPw\n"
	"jjinQhvcDO7Id1f58bBt5JB8NKwtAgMBAAECgYEAh70UKGkVm/0iFz5u3SnC7Jym\n"
	"ktVjHqaTTUo2eykQ461RsvCfwTwjuiQfcggZnD/fTL0LNI6wafa26ta16h/rDOh/\n"
	"4DVvcrRtHaGQHVCl4cAp2Y5Ao43zrZZ8FDW+h7HDjBidg5nLueRVxvsHNy6UMSAj\n"
	"XIMo6i3Ec40ztb3/f2UCQQDbkRuxWFkxhyNn42g6mDrm7UNo/nBUD7YZm3l6bIfw\n"
	"ZX/3O8nQyhSjE6uhtqF9wztmrZpQ4k1FS0qVAWqz3/vPAkEAzMIJ9QponEolh2jf\n"
	"nZtJ4b2imaGDpcA7W+kqLnrfL8iCanqJxaxJCiSjxbD2mAzwwqcOIDHieA1C3I4W\n"
	"YpYrQwJBAIpSnVaZaP95ukVtjzEyzBDFMm2Hta5Pg5IYT2xfyTgaSYawpNCjLmMa\n"
	"NksXah93igmCnrAMEU/xQdgjX1xYZCMCQQCf4vjxfkI3oHJzrUHICSWE/5aDjqqE\n"
	"+HmhiI2mo825u0GTMcJ5N9IE+J1l1oyIKLqr1NTj8PAdvIU0QkNaklaPAkB/lk6F\n"
	"YztJcdYB3sfi6UCFVRLjcB+xAswRnpFWK5jOhhkJ5y4+BoshxWVHD5neWHFp0bSX\n"
	"4kmv1dOHJnl92dSy\n"
	"-----END PRIVATE KEY-----\n";
static const char openssl_ed25519_pkcs8[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MC4CAQAwBQYDK2VwBCIEIOWWaz1xpo3/T0SSaxu7xzaD2kwHXuitH196Up+ZMk44\n"
	"-----END PRIVATE KEY-----\n";

/* RFC 6979 A.2.5: the P-256 key, its public point, and the SHA-256 signatures of "sample" and "test". */
static const uint8_t rfc_d[32] = {
	0xc9, 0xaf, 0xa9, 0xd8, 0x45, 0xba, 0x75, 0x16, 0x6b, 0x5c, 0x21, 0x57, 0x67, 0xb1, 0xd6, 0x93,
	0x4e, 0x50, 0xc3, 0xdb, 0x36, 0xe8, 0x9b, 0x12, 0x7b, 0x8a, 0x62, 0x2b, 0x12, 0x0f, 0x67, 0x21,
};
static const uint8_t rfc_q[65] = {
	0x04, 0x60, 0xfe, 0xd4, 0xba, 0x25, 0x5a, 0x9d, 0x31, 0xc9, 0x61, 0xeb, 0x74, 0xc6, 0x35, 0x6d, 0x68,
	0xc0, 0x49, 0xb8, 0x92, 0x3b, 0x61, 0xfa, 0x6c, 0xe6, 0x69, 0x62, 0x2e, 0x60, 0xf2, 0x9f, 0xb6, 0x79,
	0x03, 0xfe, 0x10, 0x08, 0xb8, 0xbc, 0x99, 0xa4, 0x1a, 0xe9, 0xe9, 0x56, 0x28, 0xbc, 0x64, 0xf2, 0xf1,
	0xb2, 0x0c, 0x2d, 0x7e, 0x9f, 0x51, 0x77, 0xa3, 0xc2, 0x94, 0xd4, 0x46, 0x22, 0x99,
};
static const char rfc_sig_sample[] = "3046022100efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716022100"
				     "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";
static const char rfc_sig_test[] = "3045022100f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d383670220"
				   "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083";
/* The order n of P-256. */
static const uint8_t p256_n[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};
static const uint8_t oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const uint8_t alg_ec_p256[] = { 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
				       0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };

/* ---- builders ---- */

struct buf {
	uint8_t b[4096];
	size_t n;
};

static void put(struct buf *x, const void *p, size_t n)
{
	if (x->n + n > sizeof(x->b))
		abort();
	memcpy(x->b + x->n, p, n);
	x->n += n;
}

static void put_bytes(struct buf *x, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		uint8_t c = (uint8_t)va_arg(ap, int);
		put(x, &c, 1);
	}
	va_end(ap);
}

/* tag, short or 0x81 length, contents */
static void put_tlv(struct buf *x, uint8_t tag, const struct buf *in)
{
	if (in->n < 0x80)
		put_bytes(x, 2, tag, (int)in->n);
	else
		put_bytes(x, 3, tag, 0x81, (int)in->n);
	put(x, in->b, in->n);
}

enum { SEC1_PARAMS = 1, SEC1_PUB = 2 };

/* ECPrivateKey { version, d, [0] prime256v1, [1] q }; q NULL: no [1]. */
static struct buf sec1(int version, const uint8_t *d, size_t dlen, bool params, const uint8_t *q)
{
	struct buf in = { .n = 0 }, out = { .n = 0 }, t = { .n = 0 };
	put_bytes(&in, 3, 0x02, 0x01, version);
	put_bytes(&in, 2, 0x04, (int)dlen);
	put(&in, d, dlen);
	if (params) {
		put(&t, oid_p256, sizeof(oid_p256));
		put_tlv(&in, 0xa0, &t);
	}
	if (q) {
		t.n = 0;
		put_bytes(&t, 3, 0x03, 0x42, 0x00);
		put(&t, q, 65);
		put_tlv(&in, 0xa1, &t);
	}
	put_tlv(&out, 0x30, &in);
	return out;
}

/* PrivateKeyInfo { version, ecPublicKey/prime256v1, OCTET STRING inner, [1] q }; q NULL: no [1]. */
static struct buf pkcs8_pub(int version, const struct buf *inner, const uint8_t *q)
{
	struct buf in = { .n = 0 }, out = { .n = 0 };
	put_bytes(&in, 3, 0x02, 0x01, version);
	put(&in, alg_ec_p256, sizeof(alg_ec_p256));
	put_tlv(&in, 0x04, inner);
	if (q) {
		put_bytes(&in, 3, 0x81, 0x42, 0x00);
		put(&in, q, 65);
	}
	put_tlv(&out, 0x30, &in);
	return out;
}

static struct buf pkcs8(int version, const struct buf *inner) { return pkcs8_pub(version, inner, NULL); }

/* PEM text with the whole body on one line. */
static char *pem(const char *label, const void *der, size_t len)
{
	size_t cap = b64_encoded_len(len) + 2 * strlen(label) + 40;
	char *out = malloc(cap), *b64 = malloc(b64_encoded_len(len) + 1);
	if (!out || !b64)
		abort();
	b64_encode(der, len, b64);
	snprintf(out, cap, "-----BEGIN %s-----\n%s\n-----END %s-----\n", label, b64, label);
	free(b64);
	return out;
}

static char *b64(const void *p, size_t n)
{
	char *s = malloc(b64_encoded_len(n) + 1);
	if (!s)
		abort();
	b64_encode(p, n, s);
	return s;
}

/* An encrypted key: cosign's JSON with these fields. params is the literal "params" object; the secretbox key is
 * scrypt(pw, salt, n, r, p) when n is not 0, else all zero (for envelopes refused before decryption). */
struct env {
	const char *kdf, *params, *cipher, *pw;
	uint64_t n;
	uint32_t r, p;
	size_t salt_len, nonce_len;
	const void *plain;
	size_t plain_len;
	int flip; /* ciphertext byte to flip + 1, or 0 */
};

static char *envelope(const char *label, const struct env *v)
{
	uint8_t salt[128], nonce[64], key[32] = { 0 }, ct[4096];
	for (size_t i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)(i * 7 + 1);
	for (size_t i = 0; i < sizeof(nonce); i++)
		nonce[i] = (uint8_t)(i * 13 + 5);
	if (v->n && crypto_pwhash_scryptsalsa208sha256_ll((const uint8_t *)v->pw, strlen(v->pw), salt, v->salt_len,
							   v->n, v->r, v->p, key, sizeof(key)))
		abort();
	size_t ct_len = v->plain_len + crypto_secretbox_MACBYTES;
	crypto_secretbox_easy(ct, v->plain, v->plain_len, nonce, key);
	if (v->flip)
		ct[v->flip - 1] ^= 0x01;
	char *s = b64(salt, v->salt_len), *nn = b64(nonce, v->nonce_len), *c = b64(ct, ct_len), json[8192];
	int len = snprintf(json, sizeof(json),
			   "{\"kdf\":{\"name\":\"%s\",\"params\":%s,\"salt\":\"%s\"},\"cipher\":{\"name\":\"%s\","
			   "\"nonce\":\"%s\"},\"ciphertext\":\"%s\"}",
			   v->kdf, v->params, s, v->cipher, nn, c);
	free(s);
	free(nn);
	free(c);
	return pem(label, json, (size_t)len);
}

/* ---- parsing ---- */

struct pass {
	const char *pw;
	int calls;
	int fail; /* return this instead */
};

static int pass_fn(void *ctx, const char **pw, struct cb_err *e)
{
	struct pass *p = ctx;
	p->calls++;
	if (p->fail)
		return cb_errf(e, p->fail, "no password here");
	*pw = p->pw;
	return 0;
}

/* Parses text (freed when owned) and checks the outcome: want_rc 0 also checks the public point. */
static void parse_case(const char *what, const char *text, bool owned, const char *pw, unsigned max_log2n,
		       int want_rc, const char *want_msg, int want_calls, const uint8_t *want_q)
{
	struct cb_err e = { 0 };
	struct cb_signkey k;
	struct pass p = { .pw = pw };
	int rc = signkey_parse_mem(text, strlen(text), pass_fn, &p, max_log2n, &k, &e);
	EXPECT(rc, e, want_rc, want_msg, what);
	CHECK(p.calls == want_calls, "%s: password asked %d times, want %d", what, p.calls, want_calls);
	if (!rc && want_q)
		CHECK(memcmp(k.pub.q, want_q, 65) == 0, "%s: wrong public key", what);
	if (rc) {
		static const uint8_t zero[32];
		CHECK(memcmp(k.d, zero, 32) == 0, "%s: secret left in the key after a failure", what);
	}
	if (owned)
		free((char *)text);
}

static void test_accept(void)
{
	struct cosign_key cpub;
	struct cb_err e = { 0 };
	EXPECT(pem_ec_p256_pubkey(cosign_pub, strlen(cosign_pub), &cpub, &e), e, 0, NULL, "cosign.pub");
	parse_case("cosign 3.1.1 key", cosign_key, false, "pw", SIGNKEY_LOG2N_MAX, 0, NULL, 1, cpub.q);
	parse_case("cosign 3.1.1 key, wrong password", cosign_key, false, "pw2", SIGNKEY_LOG2N_MAX, CB_EVERIFY,
		   "wrong password or corrupted key (secretbox authentication failed)", 1, NULL);

	struct buf s = sec1(1, rfc_d, 32, true, rfc_q), s_nopub = sec1(1, rfc_d, 32, true, NULL);
	struct buf go_inner = sec1(1, rfc_d, 32, false, rfc_q), p8 = pkcs8(0, &go_inner), p8v1 = pkcs8(1, &go_inner);
	parse_case("SEC1", pem("EC PRIVATE KEY", s.b, s.n), true, NULL, 20, 0, NULL, 0, rfc_q);
	parse_case("SEC1 without public key", pem("EC PRIVATE KEY", s_nopub.b, s_nopub.n), true, NULL, 20, 0, NULL, 0,
		   rfc_q);
	parse_case("PKCS#8 (Go's layout)", pem("PRIVATE KEY", p8.b, p8.n), true, NULL, 20, 0, NULL, 0, rfc_q);
	parse_case("PKCS#8 v1 (OneAsymmetricKey)", pem("PRIVATE KEY", p8v1.b, p8v1.n), true, NULL, 20, 0, NULL, 0, rfc_q);
	struct buf p8pub = pkcs8_pub(1, &go_inner, rfc_q);
	parse_case("PKCS#8 v1 with its [1] public key", pem("PRIVATE KEY", p8pub.b, p8pub.n), true, NULL, 20, 0, NULL, 0,
		   rfc_q);
	struct buf p8_inner_params = pkcs8(0, &s);
	parse_case("PKCS#8 with inner parameters", pem("PRIVATE KEY", p8_inner_params.b, p8_inner_params.n), true, NULL,
		   20, 0, NULL, 0, rfc_q);
	parse_case("openssl ecparam -genkey (EC PARAMETERS first)", openssl_p256_sec1, false, NULL, 20, 0, NULL, 0, NULL);

	/* A scalar shorter than 32 bytes is left-padded. */
	uint8_t short_d[31];
	memcpy(short_d, rfc_d + 1, 31);
	struct buf sd = sec1(1, short_d, 31, true, NULL);
	struct cb_signkey k;
	struct pass p = { .pw = "" };
	char *t = pem("EC PRIVATE KEY", sd.b, sd.n);
	EXPECT(signkey_parse_mem(t, strlen(t), pass_fn, &p, 20, &k, &e), e, 0, NULL, "31-byte scalar");
	CHECK(k.d[0] == 0 && memcmp(k.d + 1, rfc_d + 1, 31) == 0, "31-byte scalar: not left-padded");
	free(t);

	struct env v = { "scrypt", "{\"N\":1024,\"r\":8,\"p\":1}", "nacl/secretbox", "secret", 1024, 8, 1, 32, 24,
			 p8.b, p8.n, 0 };
	parse_case("envelope N=2^10", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "secret", 20, 0, NULL, 1, rfc_q);
	parse_case("older ENCRYPTED COSIGN PRIVATE KEY label", envelope(SIGNKEY_LABEL_COSIGN, &v), true, "secret", 20, 0,
		   NULL, 1, rfc_q);
	parse_case("envelope at the fuzzer's cap", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "secret", 10, 0, NULL, 1,
		   rfc_q);
	v.pw = "";
	parse_case("empty password", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "", 20, 0, NULL, 1, rfc_q);
	struct env v2 = v;
	v2.params = "{\"p\":1,\"r\":8,\"N\":1024,\"x\":[1]}";
	parse_case("params in another order, unknown member", envelope(SIGNKEY_LABEL_SIGSTORE, &v2), true, "", 20, 0,
		   NULL, 1, rfc_q);
}

static void test_refuse(void)
{
	/* PEM and labels */
	size_t half = strlen(cosign_key) / 2;
	char *trunc = strndup(cosign_key, half);
	parse_case("truncated PEM", trunc, true, "pw", 20, CB_EINVAL,
		   "pem: PEM line 1: BEGIN ENCRYPTED SIGSTORE PRIVATE KEY without END", 0, NULL);
	char *cut = strdup(cosign_key), *last = strstr(cut, "Zzk4SCt6");
	memmove(last, last + 41, strlen(last + 41) + 1);
	parse_case("PEM without its last line", cut, true, "pw", 20, CB_EINVAL,
		   "encrypted key is not valid JSON: json: offset 203: unterminated string", 0, NULL);
	parse_case("not PEM", "hello\n", false, NULL, 20, CB_EINVAL, "no private key PEM block (not a key file)", 0,
		   NULL);
	parse_case("EC PARAMETERS only", "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n",
		   false, NULL, 20, CB_EINVAL, "no private key PEM block (not a key file)", 0, NULL);
	parse_case("public key", cosign_pub, false, NULL, 20, CB_EINVAL,
		   "found a \"PUBLIC KEY\" block, expected a private key (\"ENCRYPTED SIGSTORE PRIVATE KEY\", \"EC PRIVATE "
		   "KEY\" or \"PRIVATE KEY\")", 0, NULL);
	parse_case("RSA PRIVATE KEY label", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
		   false, NULL, 20, CB_EUNSUP, "RSA keys are not supported (signing keys must be ECDSA P-256)", 0, NULL);
	parse_case("encrypted PKCS#8", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
		   false, NULL, 20, CB_EUNSUP, "password-protected PKCS#8 (\"ENCRYPTED PRIVATE KEY\") is not supported", 0,
		   NULL);
	parse_case("RSA PKCS#8", openssl_rsa_pkcs8, false, NULL, 20, CB_EUNSUP,
		   "PRIVATE KEY: RSA keys are not supported (signing keys must be ECDSA P-256)", 0, NULL);
	parse_case("Ed25519 PKCS#8", openssl_ed25519_pkcs8, false, NULL, 20, CB_EUNSUP,
		   "PRIVATE KEY: Ed25519 keys are not supported", 0, NULL);
	parse_case("secp384r1 SEC1", openssl_p384_sec1, false, NULL, 20, CB_EUNSUP,
		   "EC PRIVATE KEY: EC keys on secp384r1 are not supported (signing keys must be ECDSA P-256)", 0, NULL);
	parse_case("secp384r1 PKCS#8", openssl_p384_pkcs8, false, NULL, 20, CB_EUNSUP,
		   "PRIVATE KEY: EC keys on secp384r1 are not supported", 0, NULL);
	char *big = malloc(PEM_MAX + 2);
	memset(big, 'A', PEM_MAX + 1);
	big[PEM_MAX + 1] = 0;
	parse_case("too large", big, true, NULL, 20, CB_ELIMIT, "larger than 65536 bytes", 0, NULL);

	/* DER */
	struct buf b;
	uint8_t d[33] = { 0 };
	b = sec1(1, d, 32, true, NULL);
	parse_case("d = 0", pem("EC PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EINVAL,
		   "EC PRIVATE KEY: P-256 private key is out of range (must be 1 .. n-1)", 0, NULL);
	b = sec1(1, p256_n, 32, true, NULL);
	parse_case("d = n", pem("EC PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EINVAL, "private key is out of range", 0,
		   NULL);
	memcpy(d, p256_n, 32);
	d[31]--;
	b = sec1(1, d, 32, true, NULL);
	parse_case("d = n-1", pem("EC PRIVATE KEY", b.b, b.n), true, NULL, 20, 0, NULL, 0, NULL);
	d[32] = 1;
	b = sec1(1, d, 33, true, NULL);
	parse_case("33-byte d", pem("EC PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EINVAL,
		   "EC PRIVATE KEY: P-256 private key is 33 bytes, expected 32", 0, NULL);
	b = sec1(1, rfc_d, 0, true, NULL);
	parse_case("empty d", pem("EC PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EINVAL,
		   "P-256 private key is 0 bytes, expected 32", 0, NULL);
	b = sec1(2, rfc_d, 32, true, NULL);
	parse_case("SEC1 version 2", pem("EC PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EINVAL,
		   "EC PRIVATE KEY: ECPrivateKey version is not 1", 0, NULL);
	b = sec1(1, rfc_d, 32, false, NULL);
	parse_case("SEC1 without curve", pem("EC PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EUNSUP,
		   "EC PRIVATE KEY: EC private key names no curve (signing keys must be ECDSA P-256)", 0, NULL);
	uint8_t other_q[65];
	memcpy(other_q, rfc_q, 65);
	other_q[64] ^= 1;
	b = sec1(1, rfc_d, 32, true, other_q);
	parse_case("public key mismatch", pem("EC PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EINVAL,
		   "EC PRIVATE KEY: the public key stored with the private key does not match it", 0, NULL);
	b = sec1(1, rfc_d, 32, true, rfc_q);
	put_bytes(&b, 1, 0);
	parse_case("trailing byte", pem("EC PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EINVAL,
		   "EC PRIVATE KEY: der: offset 121: trailing bytes after ECPrivateKey", 0, NULL);
	b = sec1(1, rfc_d, 32, true, rfc_q);
	b.n -= 10;
	parse_case("truncated DER", pem("EC PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EINVAL,
		   "EC PRIVATE KEY: der: offset 0: ECPrivateKey: length 119 runs past the end (109 bytes left)", 0, NULL);
	struct buf inner = sec1(1, rfc_d, 32, false, rfc_q);
	b = pkcs8_pub(1, &inner, other_q);
	parse_case("PKCS#8 [1] public key mismatch", pem("PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EINVAL,
		   "PRIVATE KEY: the public key stored with the private key does not match it", 0, NULL);
	b = pkcs8(2, &inner);
	parse_case("PKCS#8 version 2", pem("PRIVATE KEY", b.b, b.n), true, NULL, 20, CB_EINVAL,
		   "PRIVATE KEY: PKCS#8 version is not 0 or 1", 0, NULL);

	/* The envelope: everything before the password is checked first (the password is not asked for). */
	struct buf p8 = pkcs8(0, &inner);
	const struct env ok = { "scrypt", "{\"N\":1024,\"r\":8,\"p\":1}", "nacl/secretbox", "pw", 1024, 8, 1, 32, 24,
				p8.b, p8.n, 0 };
	static const struct {
		const char *what, *params;
		const char *msg;
	} params[] = {
		{ "N not a power of two", "{\"N\":1000,\"r\":8,\"p\":1}",
		  "encrypted key: scrypt N=1000 is not a power of two from 2^10 to 2^20" },
		{ "N below 2^10", "{\"N\":512,\"r\":8,\"p\":1}", "scrypt N=512 is not a power of two from 2^10 to 2^20" },
		{ "N above 2^20", "{\"N\":2097152,\"r\":8,\"p\":1}", "scrypt N=2097152 is not a power of two" },
		{ "N = 0", "{\"N\":0,\"r\":8,\"p\":1}", "scrypt N=0 is not a power of two" },
		{ "N = 2^64-1", "{\"N\":18446744073709551615,\"r\":8,\"p\":1}", "scrypt N=18446744073709551615 is not" },
		{ "N negative", "{\"N\":-1024,\"r\":8,\"p\":1}",
		  "encrypted key: kdf.params.N is missing or not an unsigned integer" },
		{ "N fractional", "{\"N\":1024.5,\"r\":8,\"p\":1}", "kdf.params.N is missing or not an unsigned integer" },
		{ "N a string", "{\"N\":\"1024\",\"r\":8,\"p\":1}", "kdf.params.N is missing or not an unsigned integer" },
		{ "r missing", "{\"N\":1024,\"p\":1}", "kdf.params.r is missing or not an unsigned integer" },
		{ "r = 0", "{\"N\":1024,\"r\":0,\"p\":1}",
		  "encrypted key: scrypt r=0 p=1 out of range (r, p >= 1, r*p <= 64)" },
		{ "p = 0", "{\"N\":1024,\"r\":8,\"p\":0}", "scrypt r=8 p=0 out of range" },
		{ "r*p = 65", "{\"N\":1024,\"r\":13,\"p\":5}", "scrypt r=13 p=5 out of range (r, p >= 1, r*p <= 64)" },
		{ "r huge", "{\"N\":1024,\"r\":4294967297,\"p\":1}", "scrypt r=4294967297 p=1 out of range" },
		{ "memory", "{\"N\":1048576,\"r\":16,\"p\":1}",
		  "encrypted key: scrypt N=1048576 r=16 needs more than 1024 MiB" },
		{ "params not an object", "[1024,8,1]", "encrypted key: kdf.params is missing or not an object" },
	};
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		struct env v = ok;
		v.params = params[i].params;
		v.n = 0;
		parse_case(params[i].what, envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EINVAL, params[i].msg,
			   0, NULL);
	}
	struct env v = ok;
	v.params = "{\"N\":2048,\"r\":8,\"p\":1}";
	v.n = 0;
	parse_case("N over the caller's cap", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 10, CB_EINVAL,
		   "scrypt N=2048 is not a power of two from 2^10 to 2^10", 0, NULL);
	v = ok;
	v.kdf = "argon2\\u0001";
	parse_case("unknown kdf", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EUNSUP,
		   "encrypted key: unknown kdf \"argon2?\" (expected \"scrypt\")", 0, NULL);
	v = ok;
	v.cipher = "aes-256-gcm";
	parse_case("unknown cipher", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EUNSUP,
		   "encrypted key: unknown cipher \"aes-256-gcm\" (expected \"nacl/secretbox\")", 0, NULL);
	v = ok;
	v.salt_len = 4;
	v.n = 0;
	parse_case("short salt", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EINVAL,
		   "encrypted key: kdf.salt is 4 bytes, expected at least 8", 0, NULL);
	v.salt_len = 100;
	parse_case("long salt", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EINVAL,
		   "encrypted key: kdf.salt is longer than 64 bytes", 0, NULL);
	v = ok;
	v.nonce_len = 12;
	v.n = 0;
	parse_case("short nonce", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EINVAL,
		   "encrypted key: cipher.nonce is 12 bytes, expected 24", 0, NULL);
	v = ok;
	v.plain_len = 0;
	v.n = 0;
	parse_case("MAC-only ciphertext", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EINVAL,
		   "encrypted key: ciphertext is 16 bytes, expected at least 17", 0, NULL);
	v = ok;
	v.flip = 20;
	parse_case("tampered ciphertext", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EVERIFY,
		   "wrong password or corrupted key (secretbox authentication failed)", 1, NULL);
	v.flip = 1;
	parse_case("tampered MAC", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EVERIFY,
		   "wrong password or corrupted key (secretbox authentication failed)", 1, NULL);
	v = ok;
	parse_case("wrong password", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "PW", 20, CB_EVERIFY,
		   "wrong password or corrupted key (secretbox authentication failed)", 1, NULL);
	v.plain = "hello";
	v.plain_len = 5;
	parse_case("plaintext not PKCS#8", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EINVAL,
		   "decrypted key: der: offset 0: PrivateKeyInfo: expected tag 0x30, found 0x68", 1, NULL);
	v.plain = inner.b;
	v.plain_len = inner.n;
	parse_case("plaintext SEC1, not PKCS#8", envelope(SIGNKEY_LABEL_SIGSTORE, &v), true, "pw", 20, CB_EINVAL,
		   "decrypted key: der: offset 5: privateKeyAlgorithm: expected tag 0x30, found 0x04", 1, NULL);

	static const struct {
		const char *what, *json, *msg;
	} json[] = {
		{ "bad JSON", "{\"kdf\":", "encrypted key is not valid JSON: json: offset 7: " },
		{ "JSON array", "[]", "encrypted key: not a JSON object" },
		{ "kdf missing", "{\"cipher\":{}}", "encrypted key: kdf is missing or not an object" },
		{ "kdf name missing", "{\"kdf\":{}}", "encrypted key: kdf.name is missing or not a string" },
		{ "params missing", "{\"kdf\":{\"name\":\"scrypt\"}}", "encrypted key: kdf.params is missing or not an object" },
		{ "salt missing", "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1024,\"r\":8,\"p\":1}}}",
		  "encrypted key: kdf.salt is missing or not a string" },
		{ "salt not base64", "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1024,\"r\":8,\"p\":1},\"salt\":\"AA*A\"}}",
		  "encrypted key: kdf.salt is not base64: base64: offset 2: " },
		{ "cipher missing",
		  "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1024,\"r\":8,\"p\":1},\"salt\":\"AAAAAAAAAAAA\"}}",
		  "encrypted key: cipher is missing or not an object" },
		{ "ciphertext missing",
		  "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1024,\"r\":8,\"p\":1},\"salt\":\"AAAAAAAAAAAA\"},"
		  "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}",
		  "encrypted key: ciphertext is missing or not a string" },
		{ "duplicate key", "{\"kdf\":{},\"kdf\":{}}", "encrypted key is not valid JSON: json: offset " },
		{ "too deep", "{\"kdf\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}", "encrypted key is not valid JSON: json: " },
	};
	for (size_t i = 0; i < sizeof(json) / sizeof(json[0]); i++)
		parse_case(json[i].what, pem(SIGNKEY_LABEL_SIGSTORE, json[i].json, strlen(json[i].json)), true, "pw", 20,
			   CB_EINVAL, json[i].msg, 0, NULL);

	/* The password source's own failure passes through. */
	struct cb_err e = { 0 };
	struct cb_signkey k;
	struct pass p = { .fail = CB_ENOENT };
	char *t = envelope(SIGNKEY_LABEL_SIGSTORE, &ok);
	EXPECT(signkey_parse_mem(t, strlen(t), pass_fn, &p, 20, &k, &e), e, CB_ENOENT, "no password here",
	       "password source fails");
	free(t);
}

/* ---- signing ---- */

static void hex(const char *h, uint8_t *out, size_t *n)
{
	*n = strlen(h) / 2;
	for (size_t i = 0; i < *n; i++)
		sscanf(h + 2 * i, "%2hhx", &out[i]);
}

static void test_sign(void)
{
	struct cb_signkey k;
	struct cb_err e = { 0 };
	EXPECT(signkey_from_scalar(rfc_d, &k, &e), e, 0, NULL, "RFC 6979 key");
	CHECK(memcmp(k.pub.q, rfc_q, 65) == 0, "RFC 6979 key: wrong public point");
	static const struct {
		const char *msg, *sig;
	} rfc[] = { { "sample", rfc_sig_sample }, { "test", rfc_sig_test } };
	for (size_t i = 0; i < 2; i++) {
		uint8_t sig[SIGNKEY_SIG_MAX], want[SIGNKEY_SIG_MAX];
		size_t n = 0, wn;
		hex(rfc[i].sig, want, &wn);
		EXPECT(signkey_sign(&k, rfc[i].msg, strlen(rfc[i].msg), sig, &n, &e), e, 0, NULL, rfc[i].msg);
		CHECK(n == wn && memcmp(sig, want, wn) == 0, "RFC 6979 \"%s\": signature differs (%zu bytes)", rfc[i].msg,
		      n);
	}

	/* A simple-signing payload signed here verifies with the loader's verifier; a changed byte does not. */
	char payload[] = "{\"critical\":{\"identity\":{\"docker-reference\":\"reg.example/boot/linux\"},\"image\":{"
			 "\"docker-manifest-digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
			 "abcdef\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
	uint8_t sig[SIGNKEY_SIG_MAX];
	size_t n;
	EXPECT(signkey_sign(&k, payload, strlen(payload), sig, &n, &e), e, 0, NULL, "sign payload");
	char *sig64 = b64(sig, n);
	struct cosign_want want = {
		.digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		.docker_reference = "reg.example/boot/linux",
	};
	EXPECT(cosign_verify_simplesigning(&k.pub, payload, strlen(payload), sig64, &want, &e), e, 0, NULL,
	       "cosign_verify_simplesigning");
	payload[strlen(payload) - 2] = 'x';
	EXPECT(cosign_verify_simplesigning(&k.pub, payload, strlen(payload), sig64, &want, &e), e, CB_EVERIFY,
	       "cosign: signature does not verify with the configured key", "changed payload");
	free(sig64);

	/* The cosign-made key signs too; BearSSL's verifier agrees. */
	struct pass p = { .pw = "pw" };
	EXPECT(signkey_parse_mem(cosign_key, strlen(cosign_key), pass_fn, &p, 20, &k, &e), e, 0, NULL, "cosign key");
	uint8_t hash[32];
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, "blob", 4);
	br_sha256_out(&c, hash);
	EXPECT(signkey_sign(&k, "blob", 4, sig, &n, &e), e, 0, NULL, "sign blob");
	br_ec_public_key pk = { BR_EC_secp256r1, k.pub.q, 65 };
	CHECK(br_ecdsa_i31_vrfy_asn1(&br_ec_p256_m31, hash, 32, &pk, sig, n) == 1, "cosign key: signature does not verify");
	signkey_wipe(&k);
	static const uint8_t zero[32];
	CHECK(memcmp(k.d, zero, 32) == 0, "signkey_wipe left the secret");
}

/* ---- files ---- */

static char *path(const char *name)
{
	static char buf[4][1024];
	static int i;
	char *p = buf[i++ & 3];
	snprintf(p, sizeof(buf[0]), "%s/%s", work, name);
	return p;
}

static void spit(const char *p, const char *text)
{
	FILE *f = fopen(p, "wb");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", p);
		exit(2);
	}
}

static char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	if (!f)
		return NULL;
	char *b = malloc(65536);
	*len = b ? fread(b, 1, 65535, f) : 0;
	fclose(f);
	if (!b)
		abort();
	b[*len] = 0;
	return b;
}

static void test_load(void)
{
	struct cb_signkey k;
	struct cb_err e = { 0 };
	char msg[1200];
	const char *key = path("cosign.key");
	spit(key, cosign_key);
	unsetenv(SIGNKEY_PASSWORD_ENV);
	EXPECT(signkey_load(key, "pw", &k, &e), e, 0, NULL, "load with a password");
	snprintf(msg, sizeof(msg), "%s: wrong password or corrupted key (secretbox authentication failed)", key);
	EXPECT(signkey_load(key, "nope", &k, &e), e, CB_EVERIFY, msg, "load, wrong password");
	CHECK(strncmp(e.msg, key, strlen(key)) == 0, "message does not start with the path: %s", e.msg);
	setenv(SIGNKEY_PASSWORD_ENV, "pw", 1);
	EXPECT(signkey_load(key, NULL, &k, &e), e, 0, NULL, "load, " SIGNKEY_PASSWORD_ENV);
	EXPECT(signkey_load(key, "nope", &k, &e), e, CB_EVERIFY, "wrong password", "the argument wins over the env");
	setenv(SIGNKEY_PASSWORD_ENV, "", 1);
	EXPECT(signkey_load(key, NULL, &k, &e), e, CB_EVERIFY, "wrong password", "empty " SIGNKEY_PASSWORD_ENV " is set");
	unsetenv(SIGNKEY_PASSWORD_ENV);
	int tty = open("/dev/tty", O_RDWR | O_NOCTTY);
	if (tty < 0) {
		snprintf(msg, sizeof(msg), "%s: a password is needed and there is no terminal to ask for it: set "
			 SIGNKEY_PASSWORD_ENV " (it may be empty)", key);
		EXPECT(signkey_load(key, NULL, &k, &e), e, CB_ENOENT, msg, "no password, no terminal");
	} else {
		close(tty);
		printf("signkey_test: a terminal is attached: the no-terminal case is not run\n");
	}
	const char *ec = path("ec.pem");
	spit(ec, openssl_p256_sec1);
	EXPECT(signkey_load(ec, NULL, &k, &e), e, 0, NULL, "unencrypted key needs no password");
	const char *p384 = path("p384.pem");
	spit(p384, openssl_p384_sec1);
	snprintf(msg, sizeof(msg), "%s: EC PRIVATE KEY: EC keys on secp384r1 are not supported", p384);
	EXPECT(signkey_load(p384, NULL, &k, &e), e, CB_EUNSUP, msg, "load P-384");
	snprintf(msg, sizeof(msg), "%s: No such file or directory", path("missing.key"));
	EXPECT(signkey_load(path("missing.key"), "pw", &k, &e), e, CB_ENOENT, msg, "missing file");
}

/* The PEM body lines of text joined, and whether every line but the last has 64 characters. */
static bool pem_lines_ok(const char *text, const char *label, char *body, size_t cap)
{
	char begin[96], end[96];
	snprintf(begin, sizeof(begin), "-----BEGIN %s-----\n", label);
	snprintf(end, sizeof(end), "-----END %s-----\n", label);
	size_t bl = strlen(begin), el = strlen(end), tl = strlen(text), n = 0;
	if (tl < bl + el || strncmp(text, begin, bl) != 0 || strcmp(text + tl - el, end) != 0)
		return false;
	const char *p = text + bl, *stop = text + tl - el;
	while (p < stop) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		if (!nl || (nl - p != 64 && nl + 1 != stop) || nl - p > 64 || n + (size_t)(nl - p) >= cap)
			return false;
		memcpy(body + n, p, (size_t)(nl - p));
		n += (size_t)(nl - p);
		p = nl + 1;
	}
	body[n] = 0;
	return true;
}

static void test_generate(void)
{
	struct cb_err e = { 0 };
	char prefix[1024], key[1100], pub[1100], msg[1200];
	snprintf(prefix, sizeof(prefix), "%s/gen", work);
	snprintf(key, sizeof(key), "%s.key", prefix);
	snprintf(pub, sizeof(pub), "%s.pub", prefix);
	unlink(key);
	unlink(pub);
	EXPECT(signkey_generate(prefix, "secret", false, &e), e, 0, NULL, "generate");
	struct stat st;
	CHECK(stat(key, &st) == 0 && (st.st_mode & 0777) == 0600, "%s: mode %o, want 0600", key, st.st_mode & 0777);
	size_t klen, plen;
	char *ktext = slurp(key, &klen), *ptext = slurp(pub, &plen);
	CHECK(ktext && klen == 653, "%s: %zu bytes, want 653 (cosign's size)", key, klen);
	CHECK(ptext && plen == 178, "%s: %zu bytes, want 178", pub, plen);
	if (!ktext || !ptext)
		return;
	char body[2048], json[2048];
	CHECK(pem_lines_ok(ktext, SIGNKEY_LABEL_SIGSTORE, body, sizeof(body)), "%s: not 64-column PEM", key);
	size_t jn = 0;
	CHECK(b64_decode(body, strlen(body), json, sizeof(json) - 1, &jn, &e) == 0, "%s: body not base64", key);
	json[jn] = 0;
	static const char head[] = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":65536,\"r\":8,\"p\":1},\"salt\":\"",
			  mid1[] = "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"", mid2[] = "\"},\"ciphertext\":\"";
	const char *nonce = strstr(json, mid1), *ct = strstr(json, mid2);
	CHECK(strncmp(json, head, strlen(head)) == 0 && nonce == json + strlen(head) + 44 && ct &&
	      ct == nonce + strlen(mid1) + 32 && strlen(ct) == strlen(mid2) + 208 + 2 &&
	      strcmp(ct + strlen(mid2) + 208, "\"}") == 0,
	      "%s: JSON is not cosign's layout: %s", key, json);
	CHECK(pem_lines_ok(ptext, "PUBLIC KEY", body, sizeof(body)), "%s: not 64-column PEM", pub);

	struct cosign_key pk;
	struct cb_signkey k;
	EXPECT(pem_ec_p256_pubkey(ptext, plen, &pk, &e), e, 0, NULL, "read generated .pub");
	EXPECT(signkey_load(key, "secret", &k, &e), e, 0, NULL, "load generated .key");
	CHECK(memcmp(k.pub.q, pk.q, 65) == 0, "generated .key and .pub do not match");
	EXPECT(signkey_load(key, "Secret", &k, &e), e, CB_EVERIFY, "wrong password", "generated .key, wrong password");

	snprintf(msg, sizeof(msg), "%s: exists (use --force to replace it)", key);
	EXPECT(signkey_generate(prefix, "other", false, &e), e, CB_EINVAL, msg, "generate again");
	size_t k2len;
	char *k2 = slurp(key, &k2len);
	CHECK(k2 && k2len == klen && memcmp(k2, ktext, klen) == 0, "refused generate changed %s", key);
	free(k2);
	unlink(key);
	snprintf(msg, sizeof(msg), "%s: exists (use --force to replace it)", pub);
	EXPECT(signkey_generate(prefix, "other", false, &e), e, CB_EINVAL, msg, "only .pub exists");
	CHECK(access(key, F_OK) != 0, "refused generate left %s", key);

	setenv(SIGNKEY_PASSWORD_ENV, "", 1);
	EXPECT(signkey_generate(prefix, NULL, true, &e), e, 0, NULL, "generate --force, empty " SIGNKEY_PASSWORD_ENV);
	EXPECT(signkey_load(key, "", &k, &e), e, 0, NULL, "load, empty password");
	char *p2 = slurp(pub, &plen);
	EXPECT(pem_ec_p256_pubkey(p2, plen, &pk, &e), e, 0, NULL, "read replaced .pub");
	CHECK(memcmp(k.pub.q, pk.q, 65) == 0, "replaced .key and .pub do not match");
	CHECK(stat(key, &st) == 0 && (st.st_mode & 0777) == 0600, "%s: mode %o after --force", key, st.st_mode & 0777);
	unsetenv(SIGNKEY_PASSWORD_ENV);
	free(p2);
	free(ktext);
	free(ptext);
	signkey_wipe(&k);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: signkey_test WORK-DIR\n");
		return 2;
	}
	work = argv[1];
	if (mkdir(work, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "cannot create %s: %s\n", work, strerror(errno));
		return 2;
	}
	if (sodium_init() < 0)
		return 2;
	test_accept();
	test_refuse();
	test_sign();
	test_load();
	test_generate();
	return check_summary("signkey_test");
}
