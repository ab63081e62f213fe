/* signkey_gen.c: `cosign generate-key-pair` done here: a random P-256 key written as PREFIX.key (cosign's encrypted
 * sigstore format, byte for byte the same layout) and PREFIX.pub (SPKI PEM). Not a key reader (signkey_parse.c). */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "base64.h"
#include "fileio.h"
#include "outfile.h"
#include "signkey_internal.h"

#define PEM_LINE 64
#define B64_LEN(n) (((n) + 2) / 3 * 4)

/* PKCS#8 PrivateKeyInfo as Go's x509.MarshalPKCS8PrivateKey writes it for P-256 (the inner ECPrivateKey without
 * parameters, with the public key): this template, then d (32 bytes), then 0xa1 0x44 0x03 0x42 0x00 and Q. */
static const uint8_t pkcs8_head[] = {
	0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
	0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20,
};
static const uint8_t pkcs8_pub[] = { 0xa1, 0x44, 0x03, 0x42, 0x00 };
#define PKCS8_LEN (sizeof(pkcs8_head) + 32 + sizeof(pkcs8_pub) + 65)

/* SubjectPublicKeyInfo for P-256: this template, then Q (65 bytes). */
static const uint8_t spki_head[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
	0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
};
#define SPKI_LEN (sizeof(spki_head) + 65)

_Static_assert(PKCS8_LEN == 138 && SPKI_LEN == 91, "DER templates");

static int random_bytes(void *buf, size_t n, struct cb_err *e)
{
	uint8_t *p = buf;
	while (n) {
		ssize_t k = getrandom(p, n, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return cb_errf(e, CB_EIO, "getrandom: %s", strerror(errno));
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* A uniformly random key: 32 random bytes, retried in the ~2^-32 case they are 0 or >= n. */
static int random_key(struct cb_signkey *k, struct cb_err *e)
{
	uint8_t d[32];
	int rc = CB_EINVAL;
	for (int tries = 0; tries < 16 && rc == CB_EINVAL; tries++)
		if ((rc = random_bytes(d, sizeof(d), e)) == 0)
			rc = signkey_from_scalar(d, k, e);
	explicit_bzero(d, sizeof(d));
	return rc;
}

/* "-----BEGIN label-----\n", the base64 of der in lines of 64, "-----END label-----\n"; malloc'd, NULL when out of
 * memory. */
static char *pem_text(const char *label, const void *der, size_t len)
{
	size_t b64 = b64_encoded_len(len), cap = 2 * (strlen(label) + 17) + b64 + b64 / PEM_LINE + 2;
	char *enc = malloc(b64 + 1), *out = malloc(cap);
	if (!enc || !out) {
		free(enc);
		free(out);
		return NULL;
	}
	b64_encode(der, len, enc);
	size_t at = (size_t)snprintf(out, cap, "-----BEGIN %s-----\n", label);
	for (size_t i = 0; i < b64; i += PEM_LINE) {
		size_t n = b64 - i < PEM_LINE ? b64 - i : PEM_LINE;
		memcpy(out + at, enc + i, n);
		at += n;
		out[at++] = '\n';
	}
	snprintf(out + at, cap - at, "-----END %s-----\n", label);
	free(enc);
	return out;
}

/* The encrypted key's PEM text: JSON in cosign's field order around secretbox(scrypt(pw), PKCS#8). */
static int encrypted_pem(const struct cb_signkey *k, const char *pw, char **out, struct cb_err *e)
{
	uint8_t plain[PKCS8_LEN], ct[PKCS8_LEN + crypto_secretbox_MACBYTES], salt[SIGNKEY_SALT_LEN],
		nonce[SIGNKEY_NONCE_LEN], key[crypto_secretbox_KEYBYTES];
	uint8_t *p = plain;
	memcpy(p, pkcs8_head, sizeof(pkcs8_head));
	memcpy(p += sizeof(pkcs8_head), k->d, 32);
	memcpy(p += 32, pkcs8_pub, sizeof(pkcs8_pub));
	memcpy(p + sizeof(pkcs8_pub), k->pub.q, 65);
	int rc = random_bytes(salt, sizeof(salt), e);
	if (!rc)
		rc = random_bytes(nonce, sizeof(nonce), e);
	if (!rc)
		rc = signkey_scrypt(pw, salt, sizeof(salt), 1ull << SIGNKEY_GEN_LOG2N, SIGNKEY_GEN_R, SIGNKEY_GEN_P, key, e);
	if (!rc && crypto_secretbox_easy(ct, plain, sizeof(plain), nonce, key) != 0)
		rc = cb_errf(e, CB_EIO, "secretbox encryption failed");
	explicit_bzero(plain, sizeof(plain));
	explicit_bzero(key, sizeof(key));
	if (rc)
		return rc;
	char s64[B64_LEN(sizeof(salt)) + 1], n64[B64_LEN(sizeof(nonce)) + 1], c64[B64_LEN(sizeof(ct)) + 1], json[512];
	b64_encode(salt, sizeof(salt), s64);
	b64_encode(nonce, sizeof(nonce), n64);
	b64_encode(ct, sizeof(ct), c64);
	int n = snprintf(json, sizeof(json),
			 "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":%llu,\"r\":%u,\"p\":%u},\"salt\":\"%s\"},"
			 "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"%s\"},\"ciphertext\":\"%s\"}",
			 1ull << SIGNKEY_GEN_LOG2N, SIGNKEY_GEN_R, SIGNKEY_GEN_P, s64, n64, c64);
	if (n < 0 || (size_t)n >= sizeof(json))
		return cb_errf(e, CB_EIO, "encrypted key JSON does not fit");
	*out = pem_text(SIGNKEY_LABEL_SIGSTORE, json, (size_t)n);
	return *out ? 0 : cb_errf(e, CB_ENOMEM, "out of memory");
}

/* Both files or neither: both are opened (and refused when they exist) before the password is asked for, and
 * committed only once both are written. */
int signkey_generate(const char *prefix, const char *password, bool force, struct cb_err *e)
{
	size_t n = strlen(prefix) + sizeof(".key");
	char *paths[2] = { malloc(n), malloc(n) }, *texts[2] = { NULL, NULL }, pwbuf[SIGNKEY_PASSWORD_MAX + 1];
	struct outfile out[2];
	size_t opened = 0;
	int rc = paths[0] && paths[1] ? 0 : cb_errf(e, CB_ENOMEM, "out of memory");
	if (!rc) {
		snprintf(paths[0], n, "%s.key", prefix);
		snprintf(paths[1], n, "%s.pub", prefix);
	}
	for (; opened < 2 && !rc; opened++)
		if ((rc = outfile_open(&out[opened], paths[opened], force, e)))
			cb_err_prefix(e, "%s: ", paths[opened]);
	const char *pw = password;
	if (!rc && !pw)
		rc = signkey_password("Enter password for private key", true, pwbuf, &pw, e);
	struct cb_signkey k;
	if (!rc && !(rc = random_key(&k, e))) {
		uint8_t spki[SPKI_LEN];
		memcpy(spki, spki_head, sizeof(spki_head));
		memcpy(spki + sizeof(spki_head), k.pub.q, sizeof(k.pub.q));
		rc = encrypted_pem(&k, pw, &texts[0], e);
		signkey_wipe(&k);
		if (!rc && !(texts[1] = pem_text("PUBLIC KEY", spki, sizeof(spki))))
			rc = cb_errf(e, CB_ENOMEM, "out of memory");
	}
	explicit_bzero(pwbuf, sizeof(pwbuf));
	if (!rc)
		out[0].mode = 0600; /* the private key, as cosign writes it */
	for (size_t i = 0; i < 2 && !rc; i++)
		if ((rc = fileio_write_all(out[i].fd, texts[i], strlen(texts[i]), e)))
			cb_err_prefix(e, "%s: ", paths[i]);
	for (size_t i = 0; i < 2 && !rc; i++)
		if ((rc = outfile_commit(&out[i], e)))
			cb_err_prefix(e, "%s: ", paths[i]);
	for (size_t i = 0; i < opened; i++)
		outfile_abort(&out[i]);
	free(texts[0]);
	free(texts[1]);
	free(paths[0]);
	free(paths[1]);
	return rc;
}
