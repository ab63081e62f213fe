/* cosign_test.c: host tests of oci/cosign*.c, pem.c and der.c against the shared conformance vectors (read at
 * run time) and vectors made at test time with openssl. Usage: cosign_test VECTORS-DIR WORK-DIR */
#include <bearssl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base64.h"
#include "check.h"
#include "cosign.h"
#include "der.h"
#include "json.h"
#include "pem.h"

static const char *vectors, *work;

/* ---- small helpers ---- */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void *xmalloc(size_t n) { return xrealloc(NULL, n); }

static char *path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *path(const char *fmt, ...)
{
	static char buf[4][1024];
	static int k;
	char *p = buf[k++ & 3];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p, sizeof(buf[0]), fmt, ap);
	va_end(ap);
	return p;
}

/* Whole file, NUL-terminated (not counted in *len); NULL when it does not exist. */
static uint8_t *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	uint8_t *b = xmalloc(cap + 1);
	size_t r;
	while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			b = xrealloc(b, cap + 1);
		}
	}
	fclose(f);
	if (!b)
		abort();
	b[n] = 0;
	*len = n;
	return b;
}

static uint8_t *must_slurp(const char *p, size_t *len)
{
	uint8_t *b = slurp(p, len);
	if (!b) {
		fprintf(stderr, "cannot read %s\n", p);
		exit(2);
	}
	return b;
}

static void spit(const char *p, const void *data, size_t len)
{
	FILE *f = fopen(p, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", p);
		exit(2);
	}
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0) {
		fprintf(stderr, "command failed: %s\n", cmd);
		exit(2);
	}
}

static char *b64(const void *p, size_t n)
{
	char *s = xmalloc(b64_encoded_len(n) + 1);
	b64_encode(p, n, s);
	return s;
}

static void sha256_name(const void *p, size_t n, char out[72])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t h[32];
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, p, n);
	br_sha256_out(&c, h);
	memcpy(out, "sha256:", 7);
	for (int i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[h[i] >> 4];
		out[8 + 2 * i] = hex[h[i] & 15];
	}
	out[71] = 0;
}

static struct cosign_key load_key(const char *p)
{
	size_t n;
	struct cosign_key k;
	struct cb_err e = { 0 };
	char *pem = (char *)must_slurp(p, &n);
	if (pem_ec_p256_pubkey(pem, n, &k, &e) != 0) {
		fprintf(stderr, "%s: %s\n", p, e.msg);
		exit(2);
	}
	free(pem);
	return k;
}

/* ---- der ---- */

static void test_der(void)
{
	static const struct {
		const char *name;
		uint8_t in[8];
		size_t len;
		const char *err; /* NULL: reads one INTEGER of magnitude length `mag` */
		size_t mag;
	} cases[] = {
		{ "small", { 0x02, 0x01, 0x05 }, 3, NULL, 1 },
		{ "sign byte", { 0x02, 0x02, 0x00, 0x80 }, 4, NULL, 1 },
		{ "zero", { 0x02, 0x01, 0x00 }, 3, NULL, 1 },
		{ "negative", { 0x02, 0x01, 0x80 }, 3, "der: offset 0: x: negative INTEGER", 0 },
		{ "non-minimal int", { 0x02, 0x02, 0x00, 0x01 }, 4, "der: offset 0: x: INTEGER is not minimally encoded", 0 },
		{ "empty int", { 0x02, 0x00 }, 2, "der: offset 0: x: empty INTEGER", 0 },
		{ "wrong tag", { 0x04, 0x01, 0x00 }, 3, "der: offset 0: x: expected tag 0x02, found 0x04", 0 },
		{ "no length", { 0x02 }, 1, "der: offset 1: x: length missing", 0 },
		{ "indefinite", { 0x02, 0x80, 0x00, 0x00 }, 4, "der: offset 1: x: indefinite length is not DER", 0 },
		{ "long form short", { 0x02, 0x81, 0x01, 0x00 }, 4, "der: offset 1: x: length 1 is not minimally encoded", 0 },
		{ "leading zero len", { 0x02, 0x82, 0x00, 0x90 }, 4, "der: offset 1: x: length 144 is not minimally encoded", 0 },
		{ "huge len field", { 0x02, 0x84, 0x7f, 0xff, 0xff, 0xff }, 6, "der: offset 1: x: 4-byte length field is too long", 0 },
		{ "len field cut", { 0x02, 0x82, 0x01 }, 3, "der: offset 1: x: length field runs past the end", 0 },
		{ "overrun", { 0x02, 0x05, 0x01 }, 3, "der: offset 0: x: length 5 runs past the end (1 bytes left)", 0 },
		{ "empty input", { 0 }, 0, "der: offset 0: x missing (end of data)", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct der c = der_init(cases[i].in, cases[i].len), v;
		struct cb_err e = { 0 };
		int rc = der_read_uint(&c, "x", &v, &e);
		if (!cases[i].err) {
			CHECK(rc == 0 && der_len(&v) == cases[i].mag && der_empty(&c), "der %s: rc %d %s", cases[i].name, rc,
			      e.msg);
		} else {
			CHECK(rc == CB_EINVAL && strcmp(e.msg, cases[i].err) == 0, "der %s: rc %d \"%s\", want \"%s\"",
			      cases[i].name, rc, e.msg, cases[i].err);
		}
	}
	/* BIT STRING and trailing bytes */
	static const uint8_t bits_ok[] = { 0x03, 0x02, 0x00, 0xab, 0x05 }, bits_unused[] = { 0x03, 0x02, 0x03, 0xa8 };
	struct der c = der_init(bits_ok, sizeof(bits_ok)), v;
	struct cb_err e = { 0 };
	CHECK(der_read_bits(&c, "b", &v, &e) == 0 && der_len(&v) == 1 && der_ptr(&v)[0] == 0xab, "bits ok");
	CHECK(der_expect_end(&c, "b", &e) == CB_EINVAL && strcmp(e.msg, "der: offset 4: trailing bytes after b") == 0,
	      "trailing: %s", e.msg);
	CHECK(der_peek(&c) == 0x05, "peek");
	c = der_init(bits_unused, sizeof(bits_unused));
	CHECK(der_read_bits(&c, "b", &v, &e) == CB_EINVAL && strcmp(e.msg, "der: offset 0: b: BIT STRING has 3 unused bits") == 0,
	      "unused bits: %s", e.msg);
}

/* ---- PEM keys ---- */

/* The P-256 SPKI DER is a fixed 26-byte prefix followed by the 65-byte point. */
static void check_point(const char *pemfile)
{
	size_t n, dlen;
	char *pem = (char *)must_slurp(pemfile, &n);
	struct pem_block b;
	struct cb_err e = { 0 };
	CHECK(pem_decode(pem, n, &b, &e) == 0 && strcmp(b.label, "PUBLIC KEY") == 0 && b.len == 91, "%s: %s", pemfile,
	      e.msg);
	struct cosign_key k;
	CHECK(pem_ec_p256_pubkey(pem, n, &k, &e) == 0, "%s: %s", pemfile, e.msg);
	dlen = b.len;
	if (dlen == 91)
		CHECK(memcmp(k.q, b.der + 26, 65) == 0, "%s: point differs", pemfile);
	free(b.der);
	free(pem);
}

static char *pem_wrap(const char *label, const uint8_t *der, size_t n)
{
	char *body = b64(der, n);
	size_t bl = strlen(body);
	size_t cap = bl + bl / 64 + 2 * strlen(label) + 64;
	char *out = xmalloc(cap);
	size_t k = (size_t)snprintf(out, cap, "-----BEGIN %s-----\n", label);
	for (size_t i = 0; i < bl; i += 64) {
		size_t m = bl - i < 64 ? bl - i : 64;
		memcpy(out + k, body + i, m);
		k += m;
		out[k++] = '\n';
	}
	snprintf(out + k, cap - k, "-----END %s-----\n", label);
	free(body);
	return out;
}

static void expect_pem(const char *what, const char *pem, int want_rc, const char *msg)
{
	struct cosign_key k;
	struct cb_err e = { 0 };
	EXPECT(pem_ec_p256_pubkey(pem, strlen(pem), &k, &e), e, want_rc, msg, what);
}

static void expect_pem_file(const char *what, const char *file, int want_rc, const char *msg)
{
	size_t n;
	char *pem = (char *)must_slurp(file, &n);
	expect_pem(what, pem, want_rc, msg);
	free(pem);
}

static void test_pem(void)
{
	check_point(path("%s/cosign-legacy/cosign.pub", vectors));
	check_point(path("%s/cosign-legacy/cosign2.pub", vectors));
	check_point(path("%s/cosign-bundles/managed-key-happy-path/key.pub", vectors));
	check_point(path("%s/cosign-bundles/sigstore-go-example/publish_key.pub", vectors));
	/* upstream's "wrong key": the base64 tail was overwritten, the padding bits are not zero */
	expect_pem_file("wrong-key key.pub", path("%s/cosign-bundles/managed-key-wrong-key_fail/key.pub", vectors),
			CB_EINVAL, "pem: PEM line 1: PUBLIC KEY body is not base64: base64: offset 121: non-zero trailing bits");

	/* keys of other types, made by openssl now */
	sh("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out %s/rsa.key 2>/dev/null && "
	   "openssl pkey -in %s/rsa.key -pubout -out %s/rsa.pub && "
	   "openssl rsa -in %s/rsa.key -RSAPublicKey_out -out %s/rsa1.pub 2>/dev/null", work, work, work, work, work);
	sh("openssl genpkey -algorithm ed25519 -out %s/ed.key && openssl pkey -in %s/ed.key -pubout -out %s/ed.pub", work,
	   work, work);
	sh("openssl ecparam -name secp384r1 -genkey -noout -out %s/p384.key && "
	   "openssl ec -in %s/p384.key -pubout -out %s/p384.pub 2>/dev/null", work, work, work);
	sh("openssl ecparam -name secp256k1 -genkey -noout -out %s/secp256k1.key && "
	   "openssl ec -in %s/secp256k1.key -pubout -out %s/secp256k1.pub 2>/dev/null", work, work, work);
	sh("openssl ecparam -name prime256v1 -genkey -noout -out %s/c.key && "
	   "openssl ec -in %s/c.key -pubout -conv_form compressed -out %s/c.pub 2>/dev/null && "
	   "openssl ec -in %s/c.key -pubout -param_enc explicit -out %s/explicit.pub 2>/dev/null", work, work, work, work,
	   work);
	expect_pem_file("rsa spki", path("%s/rsa.pub", work), CB_EUNSUP,
			"pem: RSA keys are not supported (keyed cosign needs ECDSA P-256)");
	expect_pem_file("rsa pkcs1", path("%s/rsa1.pub", work), CB_EUNSUP,
			"pem: RSA keys are not supported (keyed cosign needs ECDSA P-256)");
	expect_pem_file("ed25519", path("%s/ed.pub", work), CB_EUNSUP,
			"pem: Ed25519 keys are not supported (keyed cosign needs ECDSA P-256)");
	expect_pem_file("p384", path("%s/p384.pub", work), CB_EUNSUP,
			"pem: EC keys on secp384r1 are not supported (keyed cosign needs ECDSA P-256)");
	expect_pem_file("secp256k1", path("%s/secp256k1.pub", work), CB_EUNSUP, "pem: EC keys on secp256k1 are not supported");
	expect_pem_file("compressed", path("%s/c.pub", work), CB_EUNSUP, "pem: compressed EC points are not supported");
	expect_pem_file("explicit", path("%s/explicit.pub", work), CB_EUNSUP,
			"pem: explicit EC curve parameters are not supported");
	expect_pem_file("private key", path("%s/c.key", work), CB_EINVAL,
			"pem: found a \"EC PRIVATE KEY\" block, expected \"PUBLIC KEY\"");

	/* armour problems */
	expect_pem("no begin", "hello", CB_EINVAL, "pem: no -----BEGIN line (not a PEM text)");
	expect_pem("bad begin", "-----BEGIN PUBLIC KEY\nabc", CB_EINVAL, "pem: no -----BEGIN line (not a PEM text)");
	expect_pem("one line", "-----BEGIN PUBLIC KEY-----AAAA-----END PUBLIC KEY-----\n", CB_EINVAL,
		   "pem: PEM line 1: BEGIN PUBLIC KEY-----AAAA-----END PUBLIC KEY without END");
	expect_pem("empty label", "-----BEGIN -----\n", CB_EINVAL, "pem: PEM line 1: bad BEGIN label");
	expect_pem("no end", "-----BEGIN PUBLIC KEY-----\nAAAA\n", CB_EINVAL,
		   "pem: PEM line 1: BEGIN PUBLIC KEY without END");
	expect_pem("other end", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", CB_EINVAL,
		   "pem: PEM line 3: END does not match BEGIN PUBLIC KEY (line 1)");
	expect_pem("empty", "-----BEGIN PUBLIC KEY-----\n\n-----END PUBLIC KEY-----\n", CB_EINVAL,
		   "pem: PEM line 1: empty PUBLIC KEY block");
	expect_pem("headers", "-----BEGIN PUBLIC KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END PUBLIC KEY-----\n",
		   CB_EUNSUP, "pem: PEM line 2: PUBLIC KEY block has RFC 1421 headers (encrypted PEM is not supported)");
	expect_pem("bad char", "-----BEGIN PUBLIC KEY-----\nAA*A\n-----END PUBLIC KEY-----\n", CB_EINVAL,
		   "pem: PEM line 1: PUBLIC KEY body is not base64: base64: offset 2: invalid character '*'");

	/* DER problems, built from a good key */
	size_t n;
	char *good = (char *)must_slurp(path("%s/cosign-legacy/cosign.pub", vectors), &n);
	struct pem_block b;
	struct cb_err e = { 0 };
	CHECK(pem_decode(good, n, &b, &e) == 0, "decode cosign.pub");
	uint8_t der[128];
	char *pem;
	memcpy(der, b.der, 91);
	der[90] ^= 1; /* off the curve */
	pem = pem_wrap("PUBLIC KEY", der, 91);
	expect_pem("off curve", pem, CB_EINVAL, "pem: P-256 public key is not a point on the curve");
	free(pem);
	memcpy(der, b.der, 91);
	der[26] = 0x05; /* not an uncompressed point */
	pem = pem_wrap("PUBLIC KEY", der, 91);
	expect_pem("point form", pem, CB_EINVAL, "pem: P-256 public key is not an uncompressed point (first byte 0x05)");
	free(pem);
	pem = pem_wrap("PUBLIC KEY", b.der, 90);
	expect_pem("truncated", pem, CB_EINVAL, "pem: der: offset 0: SubjectPublicKeyInfo: length 89 runs past the end");
	free(pem);
	memcpy(der, b.der, 91);
	der[91] = 0;
	pem = pem_wrap("PUBLIC KEY", der, 92);
	expect_pem("trailing", pem, CB_EINVAL, "pem: der: offset 91: trailing bytes after SubjectPublicKeyInfo");
	free(pem);
	memcpy(der, b.der, 91);
	der[24] = 0x41, der[25] = 0x00, der[26] = 0x04; /* BIT STRING of 64 bytes + inner trailing byte: point too short */
	pem = pem_wrap("PUBLIC KEY", der, 91);
	expect_pem("bit string len", pem, CB_EINVAL, "pem: der: offset 90: trailing bytes after subjectPublicKey");
	free(pem);
	memcpy(der, b.der, 91);
	der[12] = 0x03; /* algorithm OID changed to 1.2.840.10045.2.3 */
	pem = pem_wrap("PUBLIC KEY", der, 91);
	expect_pem("unknown alg", pem, CB_EUNSUP, "pem: unknown key algorithm (OID of 7 bytes) is not supported");
	free(pem);
	/* whitespace and CRLF between base64 lines are fine */
	char crlf[512];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (good[i] == '\n')
			crlf[k++] = '\r';
		crlf[k++] = good[i];
	}
	crlf[k] = 0;
	expect_pem("crlf", crlf, 0, NULL);
	/* text before the block (a comment line) is skipped */
	char *commented = xmalloc(n + 32);
	snprintf(commented, n + 32, "# cosign.pub\n%.*s", (int)n, good);
	expect_pem("comment first", commented, 0, NULL);
	free(commented);
	free(b.der);
	free(good);
	/* a raw point: wrong lengths */
	struct cosign_key key;
	EXPECT(cosign_key_from_point(der, 64, &key, &e), e, CB_EINVAL, "cosign: P-256 public key is 64 bytes, expected 65", "raw 64");
}

/* ---- cosign-legacy: containers/image's stored signatures ---- */

/* containers/image keeps one cosign signature as "\x00sigstore-json\n" + {mimeType, payload, annotations}. That
 * is its storage format, not something the loader reads, so it is parsed here in the test only. */
struct stored_sig {
	char *mime;
	uint8_t *payload;
	size_t len;
	char *sig;       /* dev.cosignproject.cosign/signature, NULL when absent */
	char *ann_json;  /* all annotations as a JSON object, for building a .sig manifest */
};

static bool read_stored_sig(const char *file, struct stored_sig *s)
{
	static const char magic[] = "\x00sigstore-json\n";
	size_t n;
	uint8_t *raw = slurp(file, &n);
	memset(s, 0, sizeof(*s));
	if (!raw || n < 15 || memcmp(raw, magic, 15) != 0) {
		free(raw);
		return false;
	}
	struct json_doc *doc;
	struct cb_err e = { 0 };
	if (json_parse(raw + 15, n - 15, NULL, &doc, &e) != 0) {
		fprintf(stderr, "%s: %s\n", file, e.msg);
		exit(2);
	}
	const struct json_value *root = json_root(doc), *ann = json_get(root, "annotations");
	s->mime = strdup(json_get_str(root, "mimeType"));
	size_t pl;
	const char *p64 = json_str(json_get(root, "payload"), &pl);
	s->payload = xmalloc(b64_decoded_max(pl) + 1);
	CHECK(b64_decode(p64, pl, s->payload, b64_decoded_max(pl) + 1, &s->len, &e) == 0, "%s payload: %s", file, e.msg);
	const char *sig = json_get_str(ann, COSIGN_SIGNATURE_ANNOTATION);
	s->sig = sig ? strdup(sig) : NULL;
	size_t cap = 16, k;
	for (size_t i = 0; i < json_count(ann); i++)
		cap += json_quote(NULL, 0, json_key_at(ann, i)) + json_quote(NULL, 0, json_str(json_at(ann, i), NULL)) + 2;
	s->ann_json = xmalloc(cap);
	k = (size_t)snprintf(s->ann_json, cap, "{");
	for (size_t i = 0; i < json_count(ann); i++) {
		k += json_quote(s->ann_json + k, cap - k, json_key_at(ann, i));
		s->ann_json[k++] = ':';
		k += json_quote(s->ann_json + k, cap - k, json_str(json_at(ann, i), NULL));
		if (i + 1 < json_count(ann))
			s->ann_json[k++] = ',';
	}
	strcpy(s->ann_json + k, "}");
	json_free(doc);
	free(raw);
	return true;
}

static void free_stored_sig(struct stored_sig *s)
{
	free(s->mime);
	free(s->payload);
	free(s->sig);
	free(s->ann_json);
}

/* The blobs a fake registry holds for the fetch callback. */
struct blobs {
	size_t n;
	const uint8_t *data[8];
	size_t len[8];
	int fetches;
	int fail_rc; /* != 0: every fetch fails with this */
};

static int fetch_blob(void *ctx, const struct cosign_sig_layer *l, void **bytes, size_t *len, struct cb_err *e)
{
	struct blobs *b = ctx;
	char name[72];
	b->fetches++;
	if (b->fail_rc)
		return cb_errf(e, b->fail_rc, "registry: GET blob %s: HTTP 404", l->digest);
	for (size_t i = 0; i < b->n; i++) {
		sha256_name(b->data[i], b->len[i], name);
		if (strcmp(name, l->digest) == 0) {
			*bytes = xmalloc(b->len[i] + 1);
			memcpy(*bytes, b->data[i], b->len[i]);
			*len = b->len[i];
			return 0;
		}
	}
	/* not found by digest: hand out the first blob (lets a test see the digest check) */
	*bytes = xmalloc(b->len[0] + 1);
	memcpy(*bytes, b->data[0], b->len[0]);
	*len = b->len[0];
	return 0;
}

/* A cosign `.sig` manifest (or, with subject, an OCI 1.1 referrer manifest) listing the stored signatures. */
static char *sig_manifest(struct stored_sig *s, size_t n, const char *subject)
{
	size_t cap = 1024;
	for (size_t i = 0; i < n; i++)
		cap += strlen(s[i].mime) + strlen(s[i].ann_json) + 256;
	char *m = xmalloc(cap);
	size_t k = (size_t)snprintf(m, cap, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
				      "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":233,"
				      "\"digest\":\"sha256:%064d\"},\"layers\":[", 0);
	for (size_t i = 0; i < n; i++) {
		char d[72];
		sha256_name(s[i].payload, s[i].len, d);
		k += (size_t)snprintf(m + k, cap - k, "%s{\"mediaType\":\"%s\",\"size\":%zu,\"digest\":\"%s\",\"annotations\":%s}",
				     i ? "," : "", s[i].mime, s[i].len, d, s[i].ann_json);
	}
	k += (size_t)snprintf(m + k, cap - k, "]");
	if (subject)
		k += (size_t)snprintf(m + k, cap - k, ",\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
					    "\"size\":428,\"digest\":\"%s\"}", subject);
	snprintf(m + k, cap - k, "}");
	return m;
}

/* The digest a registry client computes for manifest.json: sha256 of the bytes of a schema2 manifest; schema1
 * (its digest needs the JWS signatures stripped) and a missing manifest give none. */
static bool manifest_digest(const char *dir, char out[72])
{
	size_t n;
	uint8_t *m = slurp(path("%s/manifest.json", dir), &n);
	struct json_doc *doc;
	struct cb_err e = { 0 };
	int64_t v = 0;
	bool ok = m && json_parse(m, n, NULL, &doc, &e) == 0;
	if (ok) {
		ok = json_int64(json_get(json_root(doc), "schemaVersion"), &v) && v == 2;
		json_free(doc);
	}
	if (ok)
		sha256_name(m, n, out);
	free(m);
	return ok;
}

struct legacy_case {
	const char *dir;   /* under cosign-legacy/ */
	const char *key;
	const char *ref;   /* docker-reference the policy requires; NULL: not checked */
	int rc;
	const char *msg;
};

static void test_legacy(void)
{
	static const struct legacy_case cases[] = {
		{ "dir-img-cosign-valid", "cosign.pub", NULL, 0, NULL },
		{ "dir-img-cosign-valid", "cosign.pub", "192.168.64.2:5000/cosign-signed-single-sample", 0, NULL },
		{ "dir-img-cosign-valid", "cosign.pub", "192.168.64.2:5000/cosign-signed-single-sample:latest", CB_EVERIFY,
		  "cosign: no valid signature among 1 layer; layer 1: payload names docker-reference "
		  "\"192.168.64.2:5000/cosign-signed-single-sample\", not \"192.168.64.2:5000/cosign-signed-single-sample:latest\"" },
		{ "dir-img-cosign-valid", "cosign2.pub", NULL, CB_EVERIFY,
		  "cosign: no valid signature among 1 layer; layer 1: signature does not verify with the configured key" },
		{ "dir-img-cosign-valid-2", "cosign.pub", "192.168.64.2:5000/cosign-signed-single-sample", 0, NULL },
		{ "dir-img-cosign-valid-with-tag", "cosign.pub", "192.168.64.2:5000/skopeo-signed:tag", 0, NULL },
		{ "dir-img-cosign-valid-with-tag", "cosign.pub", "192.168.64.2:5000/skopeo-signed:othertag", CB_EVERIFY,
		  "payload names docker-reference \"192.168.64.2:5000/skopeo-signed:tag\", not "
		  "\"192.168.64.2:5000/skopeo-signed:othertag\"" },
		{ "dir-img-cosign-mixed", "cosign.pub", NULL, 0, NULL },
		{ "dir-img-cosign-modified-manifest", "cosign.pub", NULL, CB_EVERIFY,
		  "layer 1: payload signs sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00, not "
		  "sha256:d9dcafdb480aa7c475e91737b96925e45844213dcb0290b4a90017459121f71f" },
		{ "dir-img-cosign-manifest-digest-error", "cosign.pub", NULL, CB_EINVAL,
		  "cosign: expected manifest digest is missing" },
		{ "dir-img-cosign-no-manifest", "cosign.pub", NULL, CB_EINVAL, "cosign: expected manifest digest is missing" },
		{ "dir-img-cosign-other-attachment", "cosign.pub", NULL, CB_EVERIFY,
		  "cosign: no valid signature among 1 layer; layer 1: media type \"text/plain\" is not a cosign signature" },
		/* the Rekor SET in its dev.sigstore.cosign/bundle annotation is not checked in keyed mode */
		{ "dir-img-cosign-key-rekor-valid", "cosign2.pub", "192.168.64.2:5000/cosign-signed/key-1", 0, NULL },
		{ "dir-img-cosign-key-rekor-valid", "cosign.pub", NULL, CB_EVERIFY,
		  "layer 1: signature does not verify with the configured key" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct legacy_case *c = &cases[i];
		char dir[1024];
		snprintf(dir, sizeof(dir), "%s/cosign-legacy/%s", vectors, c->dir);
		struct cosign_key key = load_key(path("%s/cosign-legacy/%s", vectors, c->key));
		struct stored_sig sigs[4];
		struct blobs blobs = { 0 };
		size_t n = 0;
		while (n < 4 && read_stored_sig(path("%s/signature-%zu", dir, n + 1), &sigs[n])) {
			blobs.data[n] = sigs[n].payload;
			blobs.len[n] = sigs[n].len;
			n++;
		}
		blobs.n = n;
		CHECK(n > 0, "%s: no signatures", c->dir);
		char digest[72];
		bool have = manifest_digest(dir, digest);
		struct cosign_want want = { have ? digest : NULL, c->ref, NULL, 0 };
		char *m = sig_manifest(sigs, n, NULL);
		struct cb_err e = { 0 };
		EXPECT(cosign_verify_sig_manifest(&key, m, strlen(m), &want, fetch_blob, &blobs, &e), e, c->rc, c->msg,
		       c->dir);
		free(m);
		for (size_t j = 0; j < n; j++)
			free_stored_sig(&sigs[j]);
	}

	/* per-signature verdicts inside the multi-signature cases, through cosign_verify_simplesigning */
	struct cosign_key key = load_key(path("%s/cosign-legacy/cosign.pub", vectors));
	struct cosign_key key2 = load_key(path("%s/cosign-legacy/cosign2.pub", vectors));
	char digest[72];
	CHECK(manifest_digest(path("%s/cosign-legacy/dir-img-cosign-valid", vectors), digest), "valid digest");
	CHECK(strcmp(digest, "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00") == 0, "digest %s",
	      digest);
	struct cosign_want want = { digest, NULL, NULL, 0 };
	const struct {
		const char *file;
		const struct cosign_key *key;
		int rc;
		const char *msg;
	} one[] = {
		{ "dir-img-cosign-valid-2/signature-1", &key, 0, NULL },
		{ "dir-img-cosign-valid-2/signature-2", &key, 0, NULL },
		{ "dir-img-cosign-mixed/signature-1", &key, CB_EVERIFY,
		  "cosign: signature does not verify with the configured key" },
		{ "dir-img-cosign-mixed/signature-2", &key, 0, NULL },
		{ "unknown-cosign-key.signature", &key, CB_EVERIFY, "cosign: signature does not verify with the configured key" },
		{ "unknown-cosign-key.signature", &key2, CB_EVERIFY, "cosign: signature does not verify with the configured key" },
		/* a caller that ignored the text/plain media type still gets a refusal: the signature is not over it */
		{ "dir-img-cosign-other-attachment/signature-1", &key, CB_EVERIFY,
		  "cosign: signature does not verify with the configured key" },
	};
	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
		struct stored_sig s;
		struct cb_err e = { 0 };
		CHECK(read_stored_sig(path("%s/cosign-legacy/%s", vectors, one[i].file), &s), "%s", one[i].file);
		EXPECT(cosign_verify_simplesigning(one[i].key, s.payload, s.len, s.sig, &want, &e), e, one[i].rc, one[i].msg,
		       one[i].file);
		free_stored_sig(&s);
	}
	/* valid-2 really holds two distinct signatures */
	struct stored_sig s1, s2;
	read_stored_sig(path("%s/cosign-legacy/dir-img-cosign-valid-2/signature-1", vectors), &s1);
	read_stored_sig(path("%s/cosign-legacy/dir-img-cosign-valid-2/signature-2", vectors), &s2);
	CHECK(strcmp(s1.sig, s2.sig) != 0, "valid-2 signatures are the same");
	/* the schema1 manifest's raw bytes are not what was signed either */
	char d1[72];
	size_t n1;
	uint8_t *m1 = must_slurp(path("%s/cosign-legacy/dir-img-cosign-manifest-digest-error/manifest.json", vectors), &n1);
	sha256_name(m1, n1, d1);
	free(m1);
	struct cosign_want w1 = { d1, NULL, NULL, 0 };
	struct cb_err e = { 0 };
	EXPECT(cosign_verify_simplesigning(&key, s1.payload, s1.len, s1.sig, &w1, &e), e, CB_EVERIFY,
	       "cosign: payload signs sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00, not "
	       "sha256:dc6d2c1a204b02b1ed4d0a9b29f075d24317a37da08041f89a88a2ebffbe46d8",
	       "schema1 bytes");
	/* upstream's in-memory case: the annotation replaced by base64("invalid signature") */
	char *bad = b64("invalid signature", 17);
	EXPECT(cosign_verify_simplesigning(&key, s1.payload, s1.len, bad, &want, &e), e, CB_EINVAL,
	       "cosign: signature is not an ASN.1 DER ECDSA signature: der: offset 0: signature: expected tag 0x30, found 0x69",
	       "invalid signature");
	free(bad);
	/* no annotation at all, no digest, a malformed expected digest */
	EXPECT(cosign_verify_simplesigning(&key, s1.payload, s1.len, NULL, &want, &e), e, CB_EINVAL,
	       "cosign: no dev.cosignproject.cosign/signature annotation", "no annotation");
	struct cosign_want w2 = { "sha256:634A8F35B5F16DCF4AAA0822ADC0B1964BB786FCA12F6831DE8DDC45E5986A00", NULL, NULL, 0 };
	EXPECT(cosign_verify_simplesigning(&key, s1.payload, s1.len, s1.sig, &w2, &e), e, CB_EINVAL,
	       "cosign: expected manifest digest \"sha256:634A8F35", "uppercase digest");
	EXPECT(cosign_verify_simplesigning(&key, s1.payload, s1.len, s1.sig, NULL, &e), e, CB_EINVAL,
	       "cosign: expected manifest digest is missing", "want NULL");
	free_stored_sig(&s1);
	free_stored_sig(&s2);
}

/* ---- cosign-bundles: Sigstore bundles ---- */

/* The P-256 key of the bundle's leaf certificate (verificationMaterial.certificate or the first of
 * x509CertificateChain), taken out with BearSSL's X.509 decoder. Keyed mode never does this: it is how the
 * certificate cases become key cases for the signature/DSSE layer. */
static bool cert_key(const uint8_t *bundle, size_t len, struct cosign_key *k)
{
	struct json_doc *doc;
	struct cb_err e = { 0 };
	if (json_parse(bundle, len, NULL, &doc, &e) != 0)
		return false;
	const struct json_value *vm = json_get(json_root(doc), "verificationMaterial");
	const char *c64 = json_get_str(json_get(vm, "certificate"), "rawBytes");
	if (!c64)
		c64 = json_get_str(json_at(json_get(json_get(vm, "x509CertificateChain"), "certificates"), 0), "rawBytes");
	bool ok = false;
	if (c64) {
		size_t n = strlen(c64), dlen;
		uint8_t *der = xmalloc(b64_decoded_max(n) + 1);
		if (b64_decode(c64, n, der, b64_decoded_max(n) + 1, &dlen, &e) == 0) {
			br_x509_decoder_context dc;
			br_x509_decoder_init(&dc, NULL, NULL);
			br_x509_decoder_push(&dc, der, dlen);
			const br_x509_pkey *pk = br_x509_decoder_get_pkey(&dc);
			ok = pk && pk->key_type == BR_KEYTYPE_EC && pk->key.ec.curve == BR_EC_secp256r1 &&
			     cosign_key_from_point(pk->key.ec.q, pk->key.ec.qlen, k, &e) == 0;
		}
		free(der);
	}
	json_free(doc);
	return ok;
}

struct bundle_case {
	const char *dir;     /* under cosign-bundles/ */
	const char *key;     /* PEM file in dir; "@cert": the leaf certificate's key; "@other": an unrelated key */
	const char *bundle;  /* file in dir; NULL: bundle.sigstore.json */
	const char *digest;  /* file in dir holding the expected digest; NULL: the `artifact` bytes are given */
	int rc;
	const char *msg;
};

static void test_bundles(void)
{
	static const struct bundle_case cases[] = {
		{ "managed-key-happy-path", "key.pub", NULL, NULL, 0, NULL },
		{ "managed-key-and-trusted-root", "key.pub", NULL, NULL, 0, NULL },
		/* the corrupted key.pub does not even parse: refused before any bundle is looked at */
		{ "managed-key-wrong-key_fail", "key.pub", NULL, NULL, CB_EINVAL,
		  "pem: PEM line 1: PUBLIC KEY body is not base64" },
		/* no key supplied: the bundle's own publicKey hint is never used, so with whatever key is configured
		 * (here an unrelated one) it fails; with no key configured the loader has nothing to call this with */
		{ "managed-key-no-key_fail", "@other", NULL, NULL, CB_EVERIFY,
		  "cosign: bundle: signature does not verify with the configured key" },
		{ "happy-path-intoto-in-dsse-v3", "@cert", NULL, NULL, 0, NULL },
		{ "intoto-with-custom-trust-root", "@cert", NULL, NULL, 0, NULL },
		{ "rekor2-dsse-happy-path", "@cert", NULL, NULL, 0, NULL },
		{ "happy-path-v0.3", "@cert", NULL, NULL, 0, NULL },
		{ "dsse-invalid-sig_fail", "@cert", NULL, NULL, CB_EVERIFY,
		  "cosign: bundle: DSSE signature 1 of 1: signature does not verify with the configured key" },
		/* tlog-only failures: the envelope and its signature are valid under the key; only a Rekor body
		 * comparison catches them, and keyed mode does not check Rekor (docs/oci.md), so they PASS here */
		{ "dsse-mismatch-envelope_fail", "@cert", NULL, NULL, 0, NULL },
		{ "dsse-mismatch-sig_fail", "@cert", NULL, NULL, 0, NULL },
		{ "signature-mismatch_fail", "@cert", NULL, NULL, CB_EVERIFY,
		  "cosign: bundle: signature does not verify with the configured key" },
		{ "message-digest-mismatch_fail", "@cert", NULL, NULL, CB_EVERIFY,
		  "cosign: bundle: messageDigest is sha256:a1cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf, "
		  "the artifact is sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf" },
		{ "wrong-material_fail", "@cert", NULL, NULL, CB_EVERIFY,
		  "cosign: bundle: signature does not verify with the configured key" },
		{ "bundle-invalid-base64-signature_fail", "@cert", NULL, NULL, CB_EINVAL,
		  "cosign: bundle: messageSignature.signature is not base64: base64: length 31 is not a multiple of 4" },
		{ "bundle-malformed-json_fail", "@other", NULL, NULL, CB_EINVAL,
		  "cosign: bundle: not valid JSON: json: offset 4207: unterminated string" },
		{ "bundle-unknown-version_fail", "@cert", NULL, NULL, CB_EINVAL,
		  "cosign: bundle: unsupported media type \"application/vnd.dev.sigstore.bundle+json;version=99.9\" "
		  "(known: bundle v0.1, v0.2, v0.3)" },
		/* v0.1 DSSE signed with a plain key; the caller holds only the subject's sha512 */
		{ "sigstore-go-example", "publish_key.pub", "bundle-publish.json", "artifact-digest.txt", 0, NULL },
		/* key validity windows are not checked in keyed mode: the signature itself is fine */
		{ "sigstore-go-public-key-validity", "public-key-validity.pem", "public-key-validity.sigstore.json", NULL, 0,
		  NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bundle_case *c = &cases[i];
		char dir[1024];
		snprintf(dir, sizeof(dir), "%s/cosign-bundles/%s", vectors, c->dir);
		size_t blen, alen = 0;
		uint8_t *bundle = must_slurp(path("%s/%s", dir, c->bundle ? c->bundle : "bundle.sigstore.json"), &blen);
		uint8_t *art = NULL;
		char digest[160] = "";
		struct cosign_want want = { 0 };
		if (c->digest) {
			size_t dl;
			char *d = (char *)must_slurp(path("%s/%s", dir, c->digest), &dl);
			snprintf(digest, sizeof(digest), "%.*s", (int)strcspn(d, "\r\n"), d);
			free(d);
			want.digest = digest;
		} else {
			art = must_slurp(path("%s/artifact", dir), &alen);
			want.artifact = art;
			want.artifact_len = alen;
		}
		struct cosign_key key;
		struct cb_err e = { 0 };
		int rc;
		if (strcmp(c->key, "@cert") == 0) {
			CHECK(cert_key(bundle, blen, &key), "%s: no P-256 leaf certificate", c->dir);
			rc = cosign_verify_bundle(&key, bundle, blen, &want, &e);
		} else if (strcmp(c->key, "@other") == 0) {
			key = load_key(path("%s/cosign-legacy/cosign.pub", vectors));
			rc = cosign_verify_bundle(&key, bundle, blen, &want, &e);
		} else {
			size_t pl;
			char *pem = (char *)must_slurp(path("%s/%s", dir, c->key), &pl);
			rc = pem_ec_p256_pubkey(pem, pl, &key, &e);
			free(pem);
			if (!rc)
				rc = cosign_verify_bundle(&key, bundle, blen, &want, &e);
		}
		EXPECT(rc, e, c->rc, c->msg, c->dir);
		/* a passing messageSignature/DSSE case passes the same way with only the artifact's sha256 */
		if (c->rc == 0 && art) {
			char d[72];
			sha256_name(art, alen, d);
			struct cosign_want w = { d, NULL, NULL, 0 };
			EXPECT(cosign_verify_bundle(&key, bundle, blen, &w, &e), e, 0, NULL, c->dir);
			/* ... and refuses a caller whose digest and artifact disagree */
			struct cosign_want w2 = { "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00", NULL,
						  art, alen };
			EXPECT(cosign_verify_bundle(&key, bundle, blen, &w2, &e), e, CB_EINVAL,
			       "cosign: bundle: the artifact's sha256 does not match the expected digest sha256:634a8f35", c->dir);
		}
		free(bundle);
		free(art);
	}

	/* the unknown-version bundle verifies once its mediaType says 0.1: only the version check refuses it */
	size_t blen, alen;
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/cosign-bundles/bundle-unknown-version_fail", vectors);
	char *bundle = (char *)must_slurp(path("%s/bundle.sigstore.json", dir), &blen);
	uint8_t *art = must_slurp(path("%s/artifact", dir), &alen);
	char *v = strstr(bundle, "version=99.9\"");
	CHECK(v != NULL, "no version=99.9");
	struct cosign_key key;
	CHECK(cert_key((uint8_t *)bundle, blen, &key), "unknown-version cert");
	memcpy(v, "version=0.1\" ", 13);
	struct cosign_want want = { NULL, NULL, art, alen };
	struct cb_err e = { 0 };
	EXPECT(cosign_verify_bundle(&key, bundle, blen, &want, &e), e, 0, NULL, "unknown-version as 0.1");
	/* the sha512 DSSE case with a different sha512 is refused at the subject */
	free(bundle);
	free(art);
	snprintf(dir, sizeof(dir), "%s/cosign-bundles/sigstore-go-example", vectors);
	bundle = (char *)must_slurp(path("%s/bundle-publish.json", dir), &blen);
	key = load_key(path("%s/publish_key.pub", dir));
	char d512[7 + 128 + 1];
	memcpy(d512, "sha512:", 7);
	memset(d512 + 7, 'a', 128);
	d512[135] = 0;
	struct cosign_want w512 = { d512, NULL, NULL, 0 };
	EXPECT(cosign_verify_bundle(&key, bundle, blen, &w512, &e), e, CB_EVERIFY,
	       "cosign: bundle: in-toto statement subject does not name sha512:aaaa", "sha512 mismatch");
	/* a messageSignature cannot be checked against a sha512 alone */
	free(bundle);
	bundle = (char *)must_slurp(path("%s/cosign-bundles/managed-key-happy-path/bundle.sigstore.json", vectors), &blen);
	key = load_key(path("%s/cosign-bundles/managed-key-happy-path/key.pub", vectors));
	EXPECT(cosign_verify_bundle(&key, bundle, blen, &w512, &e), e, CB_EINVAL,
	       "cosign: bundle: messageSignature needs the artifact or its sha256 digest, not sha512", "msg sha512");
	struct cosign_want none = { 0 };
	EXPECT(cosign_verify_bundle(&key, bundle, blen, &none, &e), e, CB_EINVAL,
	       "cosign: bundle: neither an expected digest nor the artifact was given", "no want");
	free(bundle);
}

/* ---- own vectors, signed by openssl at test time ---- */

static void genkey(const char *name)
{
	sh("openssl ecparam -name prime256v1 -genkey -noout -out %s/%s.key && "
	   "openssl ec -in %s/%s.key -pubout -out %s/%s.pub 2>/dev/null",
	   work, name, work, name, work, name);
}

/* ECDSA P-256 / SHA-256 signature (DER) of data by key `name`, as `openssl dgst -sha256 -sign` makes it. */
static uint8_t *ossl_sign(const char *name, const void *data, size_t len, size_t *sig_len)
{
	spit(path("%s/msg", work), data, len);
	sh("openssl dgst -sha256 -sign %s/%s.key -out %s/msg.sig %s/msg", work, name, work, work);
	return must_slurp(path("%s/msg.sig", work), sig_len);
}

static char *ossl_sign_b64(const char *name, const void *data, size_t len)
{
	size_t n;
	uint8_t *sig = ossl_sign(name, data, len, &n);
	char *s = b64(sig, n);
	free(sig);
	return s;
}

static char *payload_json(const char *type, const char *digest, const char *ref)
{
	char *p = xmalloc(1024);
	snprintf(p, 1024,
		 "{\"critical\":{\"identity\":{\"docker-reference\":\"%s\"},\"image\":{\"docker-manifest-digest\":\"%s\"},"
		 "\"type\":\"%s\"},\"optional\":{\"creator\":\"cosign_test\"}}",
		 ref, digest, type);
	return p;
}

static char D[72], D2[72]; /* the manifest digest our own payloads sign, and another one */

struct ss_case {
	const char *name;
	const char *payload;  /* NULL: the good payload */
	const char *signer;   /* key that signs; NULL: sig_text is used as the annotation */
	int sig_edit;         /* 0 as made, 1 drop the last byte, 2 append a byte, 3 sign other bytes */
	const char *sig_text;
	const char *verifier;
	const char *digest;
	const char *ref;
	int rc;
	const char *msg;
};

static void test_own_simplesigning(void)
{
	char *good = payload_json(COSIGN_PAYLOAD_TYPE, D, "reg.example/boot/linux:6.6");
	char *attest = payload_json("cosign container image attestation", D, "reg.example/boot/linux:6.6");
	char *baddig = payload_json(COSIGN_PAYLOAD_TYPE, "sha256:xyz", "reg.example/boot/linux:6.6");
	char big[COSIGN_PAYLOAD_MAX + 2];
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	const struct ss_case cases[] = {
		{ "ok", NULL, "k1", 0, NULL, "k1", D, NULL, 0, NULL },
		{ "ok with reference", NULL, "k1", 0, NULL, "k1", D, "reg.example/boot/linux:6.6", 0, NULL },
		{ "other reference", NULL, "k1", 0, NULL, "k1", D, "reg.example/boot/linux:6.7", CB_EVERIFY,
		  "cosign: payload names docker-reference \"reg.example/boot/linux:6.6\", not \"reg.example/boot/linux:6.7\"" },
		{ "digest mismatch", NULL, "k1", 0, NULL, "k1", D2, NULL, CB_EVERIFY, NULL },
		{ "wrong key", NULL, "k1", 0, NULL, "k2", D, NULL, CB_EVERIFY,
		  "cosign: signature does not verify with the configured key" },
		{ "tampered payload", NULL, "k1", 3, NULL, "k1", D, NULL, CB_EVERIFY,
		  "cosign: signature does not verify with the configured key" },
		{ "not base64", NULL, NULL, 0, "MEUC*QAA", "k1", D, NULL, CB_EINVAL,
		  "cosign: signature annotation is not base64: base64: offset 4:" },
		{ "empty signature", NULL, NULL, 0, "", "k1", D, NULL, CB_EINVAL,
		  "cosign: signature is not an ASN.1 DER ECDSA signature: der: offset 0: signature missing (end of data)" },
		{ "truncated DER", NULL, "k1", 1, NULL, "k1", D, NULL, CB_EINVAL,
		  "cosign: signature is not an ASN.1 DER ECDSA signature: der: offset 0: signature: length" },
		{ "DER + trailing byte", NULL, "k1", 2, NULL, "k1", D, NULL, CB_EINVAL,
		  "cosign: signature is not an ASN.1 DER ECDSA signature: der: offset" },
		{ "wrong type", attest, "k1", 0, NULL, "k1", D, NULL, CB_EVERIFY,
		  "cosign: payload type is \"cosign container image attestation\", not \"cosign container image signature\"" },
		{ "not JSON", "this is not JSON", "k1", 0, NULL, "k1", D, NULL, CB_EINVAL,
		  "cosign: payload is not valid JSON: json: offset 1: invalid literal (expected 'true'), found 'h'" },
		{ "no critical", "{\"optional\":{}}", "k1", 0, NULL, "k1", D, NULL, CB_EINVAL,
		  "cosign: payload has no \"critical\" object" },
		{ "no type", "{\"critical\":{}}", "k1", 0, NULL, "k1", D, NULL, CB_EINVAL,
		  "cosign: payload has no critical.type string" },
		{ "no digest", "{\"critical\":{\"type\":\"cosign container image signature\"}}", "k1", 0, NULL, "k1", D,
		  NULL, CB_EINVAL, "cosign: payload critical.image.docker-manifest-digest is missing" },
		{ "bad digest", baddig, "k1", 0, NULL, "k1", D, NULL, CB_EINVAL,
		  "cosign: payload critical.image.docker-manifest-digest \"sha256:xyz\" is not a sha256 digest" },
		{ "no identity", "{\"critical\":{\"type\":\"cosign container image signature\",\"image\":"
				 "{\"docker-manifest-digest\":\"" "sha256:0000000000000000000000000000000000000000000000000000000000000000"
				 "\"}}}",
		  "k1", 0, NULL, "k1", "sha256:0000000000000000000000000000000000000000000000000000000000000000", "x",
		  CB_EINVAL, "cosign: payload has no critical.identity.docker-reference string" },
		{ "too big", big, "k1", 0, NULL, "k1", D, NULL, CB_EINVAL, "cosign: payload is 262145 bytes, limit 262144" },
	};
	char want_msg[256];
	snprintf(want_msg, sizeof(want_msg), "cosign: payload signs %s, not %s", D, D2);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ss_case *c = &cases[i];
		const char *payload = c->payload ? c->payload : good;
		char *sig = NULL;
		if (c->signer) {
			size_t n;
			uint8_t *raw = c->sig_edit == 3 ? ossl_sign(c->signer, "other", 5, &n)
							: ossl_sign(c->signer, payload, strlen(payload), &n);
			if (c->sig_edit == 1)
				n--;
			if (c->sig_edit == 2)
				raw = xrealloc(raw, n + 1), raw[n++] = 0;
			sig = b64(raw, n);
			free(raw);
		}
		struct cosign_key key = load_key(path("%s/%s.pub", work, c->verifier));
		struct cosign_want want = { c->digest, c->ref, NULL, 0 };
		struct cb_err e = { 0 };
		EXPECT(cosign_verify_simplesigning(&key, payload, strlen(payload), sig ? sig : c->sig_text, &want, &e), e,
		       c->rc, c->msg ? c->msg : want_msg, c->name);
		free(sig);
	}
	free(good);
	free(attest);
	free(baddig);
}

/* Signature manifests: parsing, the any-layer rule, subjects, blob checks, limits, and fetch failures. */
static void test_own_manifests(void)
{
	char *good = payload_json(COSIGN_PAYLOAD_TYPE, D, "reg.example/boot/linux:6.6");
	char *sig1 = ossl_sign_b64("k1", good, strlen(good));
	char *sig2 = ossl_sign_b64("k2", good, strlen(good));
	struct stored_sig s[2] = {
		{ COSIGN_SIMPLESIGNING_TYPE, (uint8_t *)good, strlen(good), NULL, NULL },
		{ COSIGN_SIMPLESIGNING_TYPE, (uint8_t *)good, strlen(good), NULL, NULL },
	};
	char ann1[256], ann2[256];
	snprintf(ann1, sizeof(ann1), "{\"" COSIGN_SIGNATURE_ANNOTATION "\":\"%s\"}", sig1);
	snprintf(ann2, sizeof(ann2), "{\"" COSIGN_SIGNATURE_ANNOTATION "\":\"%s\",\"x\":\"y\"}", sig2);
	s[0].ann_json = ann2; /* k2's signature first: with k1 pinned, layer 2 is the one that verifies */
	s[1].ann_json = ann1;
	struct cosign_key k1 = load_key(path("%s/k1.pub", work));
	struct cosign_key k3 = load_key(path("%s/k3.pub", work));
	struct cosign_want want = { D, NULL, NULL, 0 };
	struct cb_err e = { 0 };

	/* parse: exact fields */
	char *m = sig_manifest(s, 2, D);
	struct cosign_sig_manifest sm;
	CHECK(cosign_sig_manifest_parse(m, strlen(m), &sm, &e) == 0, "parse: %s", e.msg);
	char pd[72];
	sha256_name(good, strlen(good), pd);
	CHECK(sm.n == 2 && strcmp(sm.subject, D) == 0, "parse n/subject");
	CHECK(strcmp(sm.layers[0].media_type, COSIGN_SIMPLESIGNING_TYPE) == 0 && strcmp(sm.layers[0].digest, pd) == 0 &&
		      sm.layers[0].size == strlen(good) && strcmp(sm.layers[0].signature, sig2) == 0 &&
		      strcmp(sm.layers[1].signature, sig1) == 0,
	      "parse layers");
	cosign_sig_manifest_free(&sm);
	cosign_sig_manifest_free(NULL);

	/* any layer: the second verifies */
	struct blobs b = { 1, { (uint8_t *)good }, { strlen(good) }, 0, 0 };
	EXPECT(cosign_verify_sig_manifest(&k1, m, strlen(m), &want, fetch_blob, &b, &e), e, 0, NULL, "any layer");
	CHECK(b.fetches == 2, "fetches %d", b.fetches);
	/* none verifies: the last reason is reported */
	b.fetches = 0;
	char msg[256];
	snprintf(msg, sizeof(msg), "cosign: no valid signature among 2 layers; layer 2: signature does not verify");
	EXPECT(cosign_verify_sig_manifest(&k3, m, strlen(m), &want, fetch_blob, &b, &e), e, CB_EVERIFY, msg, "no layer");
	/* referrer for another image */
	struct cosign_want want2 = { D2, NULL, NULL, 0 };
	snprintf(msg, sizeof(msg), "cosign: signature manifest is for %s, not %s", D, D2);
	b.fetches = 0;
	EXPECT(cosign_verify_sig_manifest(&k1, m, strlen(m), &want2, fetch_blob, &b, &e), e, CB_EVERIFY, msg, "subject");
	CHECK(b.fetches == 0, "subject mismatch fetched %d", b.fetches);
	EXPECT(cosign_verify_sig_manifest(&k1, m, strlen(m), NULL, fetch_blob, &b, &e), e, CB_EINVAL,
	       "cosign: expected manifest digest is missing", "no want");
	/* fetch fails */
	b.fail_rc = CB_EIO;
	snprintf(msg, sizeof(msg), "cosign: no valid signature among 2 layers; layer 2: registry: GET blob %s: HTTP 404", pd);
	EXPECT(cosign_verify_sig_manifest(&k1, m, strlen(m), &want, fetch_blob, &b, &e), e, CB_EIO, msg, "fetch fails");
	b.fail_rc = 0;
	free(m);
	/* the registry hands out other bytes than the layer names */
	char *other = payload_json(COSIGN_PAYLOAD_TYPE, D2, "x");
	struct blobs bo = { 1, { (uint8_t *)other }, { strlen(other) }, 0, 0 };
	m = sig_manifest(&s[1], 1, NULL);
	char od[72];
	sha256_name(other, strlen(other), od);
	snprintf(msg, sizeof(msg), "layer 1: blob (%zu bytes, %s) does not match the layer (%zu bytes, %s)", strlen(other),
		 od, strlen(good), pd);
	EXPECT(cosign_verify_sig_manifest(&k1, m, strlen(m), &want, fetch_blob, &bo, &e), e, CB_EVERIFY, msg, "blob mismatch");
	free(m);
	free(other);
	/* cosign_verify_layer directly */
	m = sig_manifest(&s[1], 1, NULL);
	CHECK(cosign_sig_manifest_parse(m, strlen(m), &sm, &e) == 0, "parse 1");
	EXPECT(cosign_verify_layer(&k1, &sm.layers[0], good, strlen(good), &want, &e), e, 0, NULL, "verify_layer");
	EXPECT(cosign_verify_layer(&k1, &sm.layers[0], good, strlen(good) - 1, &want, &e), e, CB_EVERIFY,
	       "cosign: blob (", "verify_layer short");
	cosign_sig_manifest_free(&sm);
	free(m);

	/* manifest-level refusals */
	static const struct {
		const char *name, *json;
		int rc;
		const char *msg;
	} bad[] = {
		{ "not JSON", "{", CB_EINVAL, "cosign: signature manifest: not valid JSON: json: offset 1:" },
		{ "array", "[]", CB_EINVAL, "cosign: signature manifest: not a JSON object" },
		{ "schema 1", "{\"schemaVersion\":1,\"layers\":[]}", CB_EINVAL, "cosign: signature manifest: schemaVersion is not 2" },
		{ "no layers", "{\"schemaVersion\":2}", CB_EINVAL, "cosign: signature manifest: no layers" },
		{ "empty layers", "{\"schemaVersion\":2,\"layers\":[]}", CB_EINVAL, "cosign: signature manifest: no layers" },
		{ "layer not object", "{\"schemaVersion\":2,\"layers\":[1]}", CB_EINVAL,
		  "cosign: signature manifest: layer 1: not an object" },
		{ "no media type", "{\"schemaVersion\":2,\"layers\":[{}]}", CB_EINVAL,
		  "cosign: signature manifest: layer 1: no mediaType string" },
		{ "bad digest", "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"a\",\"digest\":\"md5:00\",\"size\":1}]}",
		  CB_EINVAL, "cosign: signature manifest: layer 1: digest \"md5:00\" is not a sha256 digest" },
		{ "negative size", "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"a\",\"digest\":\"sha256:"
				   "0000000000000000000000000000000000000000000000000000000000000000\",\"size\":-1}]}",
		  CB_EINVAL, "cosign: signature manifest: layer 1: size is not a non-negative integer" },
		{ "annotations", "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"a\",\"digest\":\"sha256:"
				 "0000000000000000000000000000000000000000000000000000000000000000\",\"size\":1,"
				 "\"annotations\":[]}]}",
		  CB_EINVAL, "cosign: signature manifest: layer 1: annotations is not an object" },
		{ "signature type", "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"a\",\"digest\":\"sha256:"
				    "0000000000000000000000000000000000000000000000000000000000000000\",\"size\":1,"
				    "\"annotations\":{\"dev.cosignproject.cosign/signature\":1}}]}",
		  CB_EINVAL, "cosign: signature manifest: layer 1: dev.cosignproject.cosign/signature is not a string" },
		{ "subject", "{\"schemaVersion\":2,\"subject\":{\"digest\":\"sha256:00\"},\"layers\":[]}", CB_EINVAL,
		  "cosign: signature manifest: subject digest \"sha256:00\" is not a sha256 digest" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT(cosign_sig_manifest_parse(bad[i].json, strlen(bad[i].json), &sm, &e), e, bad[i].rc, bad[i].msg,
		       bad[i].name);
	/* too many layers */
	size_t cap = 64 + (COSIGN_MAX_LAYERS + 1) * 160;
	char *many = xmalloc(cap);
	size_t k = (size_t)snprintf(many, cap, "{\"schemaVersion\":2,\"layers\":[");
	for (unsigned i = 0; i <= COSIGN_MAX_LAYERS; i++)
		k += (size_t)snprintf(many + k, cap - k, "%s{\"mediaType\":\"a\",\"size\":1,\"digest\":\"sha256:%064u\"}", i ? "," : "", i);
	snprintf(many + k, cap - k, "]}");
	EXPECT(cosign_sig_manifest_parse(many, strlen(many), &sm, &e), e, CB_EINVAL,
	       "cosign: signature manifest: 257 layers, limit 256", "too many layers");
	free(many);
	/* a layer too big for a payload is refused without a fetch */
	char big[512];
	snprintf(big, sizeof(big), "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"" COSIGN_SIMPLESIGNING_TYPE "\","
				   "\"size\":262145,\"digest\":\"%s\",\"annotations\":%s}]}", pd, ann1);
	b.fetches = 0;
	EXPECT(cosign_verify_sig_manifest(&k1, big, strlen(big), &want, fetch_blob, &b, &e), e, CB_EINVAL,
	       "cosign: no valid signature among 1 layer; layer 1: blob is 262145 bytes, limit 262144", "big layer");
	CHECK(b.fetches == 0, "big layer fetched");
	free(sig1);
	free(sig2);
	free(good);
}

/* A bundle JSON holding either a DSSE envelope or a messageSignature. */
static char *bundle_dsse(const char *media, const char *ptype, const char *body, const char *const *sigs, size_t nsig)
{
	char *p64 = b64(body, strlen(body));
	size_t cap = strlen(p64) + 1024 + nsig * 128;
	char *out = xmalloc(cap);
	size_t k = (size_t)snprintf(out, cap,
				    "{\"mediaType\":\"%s\",\"verificationMaterial\":{\"publicKey\":{\"hint\":\"x\"}},"
				    "\"dsseEnvelope\":{\"payload\":\"%s\",\"payloadType\":\"%s\",\"signatures\":[",
				    media, p64, ptype);
	for (size_t i = 0; i < nsig; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s{\"sig\":\"%s\",\"keyid\":\"\"}", i ? "," : "", sigs[i]);
	snprintf(out + k, cap - k, "]}}");
	free(p64);
	return out;
}

static char *statement(const char *type, const char *alg, const char *hex)
{
	char *s = xmalloc(512);
	snprintf(s, 512,
		 "{\"_type\":\"%s\",\"subject\":[{\"name\":\"other\",\"digest\":{\"sha256\":\"%064d\"}},"
		 "{\"name\":\"reg.example/boot/linux\",\"digest\":{\"%s\":\"%s\"}}],"
		 "\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{}}",
		 type, 0, alg, hex);
	return s;
}

static char *pae(const char *type, const char *body)
{
	size_t cap = strlen(type) + strlen(body) + 64;
	char *p = xmalloc(cap);
	snprintf(p, cap, "DSSEv1 %zu %s %zu %s", strlen(type), type, strlen(body), body);
	return p;
}

static void test_own_bundles(void)
{
	static const char intoto[] = "application/vnd.in-toto+json";
	static const char v03[] = "application/vnd.dev.sigstore.bundle.v0.3+json";
	struct cosign_key k1 = load_key(path("%s/k1.pub", work));
	struct cosign_want want = { D, NULL, NULL, 0 };
	struct cb_err e = { 0 };
	char *st = statement("https://in-toto.io/Statement/v1", "sha256", D + 7);
	char *p = pae(intoto, st);
	char *s1 = ossl_sign_b64("k1", p, strlen(p));
	char *s2 = ossl_sign_b64("k2", p, strlen(p));
	free(p);
	char msg[320];

	const char *one[] = { s1 }, *two[] = { s2, s1 }, *bad2[] = { s2, s2 };
	char *bu = bundle_dsse(v03, intoto, st, one, 1);
	EXPECT(cosign_verify_bundle(&k1, bu, strlen(bu), &want, &e), e, 0, NULL, "dsse ok");
	struct cosign_want w2 = { D2, NULL, NULL, 0 };
	snprintf(msg, sizeof(msg), "cosign: bundle: in-toto statement subject does not name %s (2 subjects)", D2);
	EXPECT(cosign_verify_bundle(&k1, bu, strlen(bu), &w2, &e), e, CB_EVERIFY, msg, "dsse subject mismatch");
	free(bu);
	/* media type forms */
	static const char *const forms[] = { "application/vnd.dev.sigstore.bundle.v0.2+json",
					     "application/vnd.dev.sigstore.bundle+json;version=0.1",
					     "application/vnd.dev.sigstore.bundle+json;version=0.2",
					     "application/vnd.dev.sigstore.bundle+json;version=0.3" };
	for (size_t i = 0; i < 4; i++) {
		bu = bundle_dsse(forms[i], intoto, st, one, 1);
		EXPECT(cosign_verify_bundle(&k1, bu, strlen(bu), &want, &e), e, 0, NULL, forms[i]);
		free(bu);
	}
	bu = bundle_dsse("application/vnd.dev.sigstore.bundle.v0.4+json", intoto, st, one, 1);
	EXPECT(cosign_verify_bundle(&k1, bu, strlen(bu), &want, &e), e, CB_EINVAL,
	       "cosign: bundle: unsupported media type \"application/vnd.dev.sigstore.bundle.v0.4+json\"", "v0.4");
	free(bu);
	/* any DSSE signature may verify; the last failure is named */
	bu = bundle_dsse(v03, intoto, st, two, 2);
	EXPECT(cosign_verify_bundle(&k1, bu, strlen(bu), &want, &e), e, 0, NULL, "dsse second sig");
	free(bu);
	bu = bundle_dsse(v03, intoto, st, bad2, 2);
	EXPECT(cosign_verify_bundle(&k1, bu, strlen(bu), &want, &e), e, CB_EVERIFY,
	       "cosign: bundle: DSSE signature 2 of 2: signature does not verify with the configured key", "dsse no sig");
	free(bu);
	bu = bundle_dsse(v03, intoto, st, NULL, 0);
	EXPECT(cosign_verify_bundle(&k1, bu, strlen(bu), &want, &e), e, CB_EINVAL,
	       "cosign: bundle: DSSE envelope has no signatures", "dsse zero sigs");
	free(bu);
	/* the payload type is part of what is signed, and must be in-toto */
	p = pae("application/json", st);
	char *sj = ossl_sign_b64("k1", p, strlen(p));
	free(p);
	const char *onej[] = { sj };
	bu = bundle_dsse(v03, "application/json", st, onej, 1);
	EXPECT(cosign_verify_bundle(&k1, bu, strlen(bu), &want, &e), e, CB_EINVAL,
	       "cosign: bundle: DSSE payloadType \"application/json\" is not \"application/vnd.in-toto+json\"", "ptype");
	free(bu);
	/* a signature over another payload type does not carry over */
	bu = bundle_dsse(v03, intoto, st, onej, 1);
	EXPECT(cosign_verify_bundle(&k1, bu, strlen(bu), &want, &e), e, CB_EVERIFY,
	       "cosign: bundle: DSSE signature 1 of 1: signature does not verify", "ptype sig");
	free(bu);
	free(sj);
	/* statement shapes: uppercase hex matches; unknown _type and a body that is not JSON do not */
	char upper[65];
	for (int i = 0; i < 64; i++)
		upper[i] = (char)(D[7 + i] >= 'a' ? D[7 + i] - 32 : D[7 + i]);
	upper[64] = 0;
	static const struct {
		const char *type, *alg;
		bool upper;
		const char *raw; /* body used as is */
		int rc;
		const char *msg;
	} sts[] = {
		{ "https://in-toto.io/Statement/v0.1", "sha256", true, NULL, 0, NULL },
		{ "https://in-toto.io/Statement/v2", "sha256", false, NULL, CB_EINVAL,
		  "cosign: bundle: in-toto statement _type \"https://in-toto.io/Statement/v2\" is not Statement v1 or v0.1" },
		{ "https://in-toto.io/Statement/v1", "sha512", false, NULL, CB_EVERIFY,
		  "cosign: bundle: in-toto statement subject does not name sha256:" },
		{ NULL, NULL, false, "[1", CB_EINVAL, "cosign: bundle: DSSE payload is not valid JSON: json: offset 2:" },
		{ NULL, NULL, false, "{\"_type\":\"https://in-toto.io/Statement/v1\"}", CB_EINVAL,
		  "cosign: bundle: in-toto statement has no subject list" },
	};
	for (size_t i = 0; i < sizeof(sts) / sizeof(sts[0]); i++) {
		char *body = sts[i].raw ? strdup(sts[i].raw) : statement(sts[i].type, sts[i].alg, sts[i].upper ? upper : D + 7);
		p = pae(intoto, body);
		char *sg = ossl_sign_b64("k1", p, strlen(p));
		const char *sv[] = { sg };
		bu = bundle_dsse(v03, intoto, body, sv, 1);
		EXPECT(cosign_verify_bundle(&k1, bu, strlen(bu), &want, &e), e, sts[i].rc, sts[i].msg, "statement");
		free(bu);
		free(sg);
		free(p);
		free(body);
	}
	free(s1);
	free(s2);
	free(st);

	/* messageSignature */
	static const char art[] = "the kernel image bytes", other[] = "other bytes";
	uint8_t h[32], ho[32];
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, art, strlen(art));
	br_sha256_out(&c, h);
	br_sha256_init(&c);
	br_sha256_update(&c, other, strlen(other));
	br_sha256_out(&c, ho);
	char *sig = ossl_sign_b64("k1", art, strlen(art));
	char *hb = b64(h, 32), *hob = b64(ho, 32), *h31 = b64(h, 31);
	char da[72], dother[72];
	sha256_name(art, strlen(art), da);
	sha256_name(other, strlen(other), dother);
	struct cosign_want wa = { NULL, NULL, art, strlen(art) };
	static const char fmt[] = "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{},"
				  "\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"%s\",\"digest\":\"%s\"},"
				  "\"signature\":\"%s\"}%s}";
	const struct {
		const char *alg, *digest, *extra;
		int rc;
		const char *msg;
	} ms[] = {
		{ "SHA2_256", hb, "", 0, NULL },
		{ "SHA2_256", hob, "", CB_EVERIFY, NULL },
		{ "SHA2_384", hb, "", CB_EINVAL, "cosign: bundle: messageDigest algorithm \"SHA2_384\" is not SHA2_256" },
		{ "SHA2_256", h31, "", CB_EINVAL, "cosign: bundle: messageDigest is 31 bytes, a SHA2_256 digest is 32" },
		{ "SHA2_256", hb, ",\"dsseEnvelope\":{}", CB_EINVAL,
		  "cosign: bundle: both messageSignature and dsseEnvelope are present" },
	};
	snprintf(msg, sizeof(msg), "cosign: bundle: messageDigest is %s, the artifact is %s", dother, da);
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		char buf[1024];
		snprintf(buf, sizeof(buf), fmt, ms[i].alg, ms[i].digest, sig, ms[i].extra);
		EXPECT(cosign_verify_bundle(&k1, buf, strlen(buf), &wa, &e), e, ms[i].rc, ms[i].msg ? ms[i].msg : msg,
		       "messageSignature");
	}
	/* signed artifact vs another artifact: the signature check comes first */
	struct cosign_want wo = { NULL, NULL, other, strlen(other) };
	char buf[1024];
	snprintf(buf, sizeof(buf), fmt, "SHA2_256", hb, sig, "");
	EXPECT(cosign_verify_bundle(&k1, buf, strlen(buf), &wo, &e), e, CB_EVERIFY,
	       "cosign: bundle: signature does not verify with the configured key", "other artifact");
	static const char *const shapes[][2] = {
		{ "{}", "cosign: bundle: no mediaType string" },
		{ "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}",
		  "cosign: bundle: neither messageSignature nor dsseEnvelope is present" },
		{ "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"messageSignature\":[]}",
		  "cosign: bundle: messageSignature is not an object" },
		{ "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"messageSignature\":{}}",
		  "cosign: bundle: messageSignature has no messageDigest {algorithm, digest}" },
		{ "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":1}",
		  "cosign: bundle: dsseEnvelope is not an object" },
		{ "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":{}}",
		  "cosign: bundle: dsseEnvelope has no payloadType string" },
		{ "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":"
		  "{\"payloadType\":\"application/vnd.in-toto+json\"}}",
		  "cosign: bundle: dsseEnvelope has no payload string" },
		{ "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":"
		  "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\",\"signatures\":[{}]}}",
		  "cosign: bundle: DSSE signature 1 of 1: no sig string" },
	};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		EXPECT(cosign_verify_bundle(&k1, shapes[i][0], strlen(shapes[i][0]), &wa, &e), e, CB_EINVAL, shapes[i][1],
		       shapes[i][0]);

	/* a referrer manifest whose layer is a bundle goes through the bundle check with the manifest digest */
	st = statement("https://in-toto.io/Statement/v1", "sha256", D + 7);
	p = pae(intoto, st);
	s1 = ossl_sign_b64("k1", p, strlen(p));
	const char *sv[] = { s1 };
	bu = bundle_dsse(v03, intoto, st, sv, 1);
	char bd[72], mf[1024];
	sha256_name(bu, strlen(bu), bd);
	snprintf(mf, sizeof(mf),
		 "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"%s\","
		 "\"layers\":[{\"mediaType\":\"%s\",\"size\":%zu,\"digest\":\"%s\"}],\"subject\":{\"digest\":\"%s\"}}",
		 v03, v03, strlen(bu), bd, D);
	struct blobs bb = { 1, { (uint8_t *)bu }, { strlen(bu) }, 0, 0 };
	EXPECT(cosign_verify_sig_manifest(&k1, mf, strlen(mf), &want, fetch_blob, &bb, &e), e, 0, NULL, "bundle layer");
	struct cosign_key k2 = load_key(path("%s/k2.pub", work));
	EXPECT(cosign_verify_sig_manifest(&k2, mf, strlen(mf), &want, fetch_blob, &bb, &e), e, CB_EVERIFY,
	       "cosign: no valid signature among 1 layer; layer 1: bundle: DSSE signature 1 of 1: signature does not verify",
	       "bundle layer k2");
	free(bu);
	free(p);
	free(s1);
	free(st);
	free(sig);
	free(hb);
	free(hob);
	free(h31);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s VECTORS-DIR WORK-DIR\n", argv[0]);
		return 2;
	}
	vectors = argv[1];
	work = argv[2];
	mkdir(work, 0755);
	static const char m1[] = "{\"schemaVersion\":2}", m2[] = "{\"schemaVersion\":2,\"x\":1}";
	sha256_name(m1, strlen(m1), D);
	sha256_name(m2, strlen(m2), D2);
	genkey("k1");
	genkey("k2");
	genkey("k3");
	test_der();
	test_pem();
	test_legacy();
	test_bundles();
	test_own_simplesigning();
	test_own_manifests();
	test_own_bundles();
	return check_summary("cosign_test");
}
