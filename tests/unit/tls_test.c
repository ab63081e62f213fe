/* tls_test.c: table-driven host tests of net/tls without a network: PEM bundles, DER, EFI signature lists
 * (hostile lengths included), time conversion, error names, and tls_wrap()'s failures over a scripted transport. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pem_scan.h"
#include "tls_internal.h"

/* Self-signed test certificates (openssl req -x509): a P-256 CA, an RSA-2048 CA, a P-384 non-CA leaf. */
static const char ec_ca[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBmDCCAT2gAwIBAgIUbFWp7qfg4o8Xkk0JZ84Vu5nlIMQwCgYIKoZIzj0EAwIw\n"
	"IDEeMBwGA1UEAwwVY2xvdWQtYm9vdCB0ZXN0IEVDIENBMCAXDTI2MTIwNDEzNTQy\n"
	"N1oYDzIxMjYxMTEwMTM1NDI3WjAgMR4wHAYDVQQDDBVjbG91ZC1ib290IHRlc3Qg\n"
	"RUMgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQcmdmJJAOzd+TRzwY5dyO+\n"
	"vggfNhq/kouLicmXqnWjoQv+g67875jeSRWqjelyn1PWyT0eL4QB80hVk5qXDTKJ\n"
	"o1MwUTAdBgNVHQ4EFgQU4kuX01ibOVWaeJ896OFNe0F7z6QwHwYDVR0jBBgwFoAU\n"
	"4kuX01ibOVWaeJ896OFNe0F7z6QwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD\n"
	"AgNJADBGAiEAwoONGUR0mnf0X2ewyDTK41GF9POzREfnfQpr4NlkiF0CIQC5zYEB\n"
	"NhA2JjSrRGy+rc6T3Ahw3k4A7dgG9BHHuB1OEg==\n"
	"-----END CERTIFICATE-----\n";

static const char rsa_ca[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDJTCCAg2gAwIBAgIUKr6pHVo2AIg8hZ8LWhBqvF7pwVowDQYJKoZIhvcNAQEL\n"
	"BQAwITEfMB0GA1UEAwwWY2xvdWQtYm9vdCB0ZXN0IFJTQSBDQTAgFw0yNjEyMDQx\n"
	"MzU0MjdaGA8yMTI2MTExMDEzNTQyN1owITEfMB0GA1UEAwwWY2xvdWQtYm9vdCB0\n"
	"ZXN0IFJTQSBDQTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAK8iU2tG\n"
	"oICB6f53CAC4CMFG8OQo726seSMwlKdz3Y5279Qjrd0okFS8yz6FA0GoN7Es8wJc\n"
	"bwbD/OekYxJpUy6vTsxTBY0fPLIf5rfYPuihvgz8/BVxbiN9VDMpH/MMgvVBq/HP\n"
	"wzG22NCUbGGRv0XAMJcVlTc6F4RFIZnjHLeFWwYAyV+ChfpOsCLOvOkr5tkk3zli\n"
	"yCjxqD/h6B2h/IW1sSTFiO/FDWJv7/pmYLk8kBqE5EVm/MVySgz3FJdUI1u8tWBH\n"
	"2nPbstSs1MxtbG5vusa7yS1Yy4hPHh2wKoM9XXDujpthrvt2XNlKhR+gSEKveoch\n"
	"fsxJdimpJELfUx8CAwEAAaNTMFEwHQYDVR0OBBYEFLm3Srs4gukZxu6fpbutp6sW\n"
	"TaY2MB8GA1UdIwQYMBaAFLm3Srs4gukZxu6fpbutp6sWTaY2MA8GA1UdEwEB/wQF\n"
	"MAMBAf8wDQYJKoZIhvcNAQELBQADggEBAIcF5euzYeNAN5ThsRmDklf3EqnUM7E5\n"
	"Kix2IvO9belr3a26E6NkhNtfVhKUl/bhyDFQwKqkJEzDGEnsWAvgK1D68RSJmEPo\n"
	"xyPxyvKRLtK+EVHeOEqo6QjOAN7RSsPWLh7PYGDnFI1ZIt3NWiU8Fe66IALONG6j\n"
	"kuogMgK21WGcgnt2rpcYl8jT/kdHoVBhVa/55/rntYzXAq/veCd0YHHJHX4sEbMS\n"
	"7EqoWkRceC4QTLw33Fadaqw4jAr/lFDYZYFFfQYU9TExTLVYHUuK6bZbd47+dKTF\n"
	"uNOrvXA1nV5emxzE9YFQ86gSp3MpQgzdosXTYQ+J7/5+eP9ZeQ/9cWY=\n"
	"-----END CERTIFICATE-----\n";

static const char leaf[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBnjCCASSgAwIBAgIUEGVyxs9LZqhlm92rJDQbwhW6PAgwCgYIKoZIzj0EAwIw\n"
	"FzEVMBMGA1UEAwwMbGVhZi5leGFtcGxlMCAXDTI2MTIwNDEzNTQ0N1oYDzIxMjYx\n"
	"MTEwMTM1NDQ3WjAXMRUwEwYDVQQDDAxsZWFmLmV4YW1wbGUwdjAQBgcqhkjOPQIB\n"
	"BgUrgQQAIgNiAAQ5EDh1mbk0eYJ5dwn8oPwYCmJymsv2/W8IOdEjd7kZhX+B57gk\n"
	"eAUFUTRmSby/sxF/cz+pkT0vediG0wavwNE4YdpADvjcJvon26iK8l/Jcdo+Ktsa\n"
	"9pJa811QqXKvO+ijLzAtMAwGA1UdEwEB/wQCMAAwHQYDVR0OBBYEFI8sceL5DRAb\n"
	"U6G2eIHIihxoUf0RMAoGCCqGSM49BAMCA2gAMGUCMQDWvwkkxDbrlHrOCgE2nhU5\n"
	"U7rv29wgfG4dvF05qv5RCNC94thy8xR2WacDfncLZQ0CMG7Sbm9urz29u4DTL7L0\n"
	"ZOM2b/uTzEAc+fRKL34UJ/ocUYRr8miev4UzhZI0BQhMIg==\n"
	"-----END CERTIFICATE-----\n";

static const char key_block[] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";

/* A growable byte buffer for building inputs. */
struct buf {
	unsigned char *p;
	size_t len;
};

static void put(struct buf *b, const void *src, size_t n)
{
	b->p = realloc(b->p, b->len + n + 1);
	memcpy(b->p + b->len, src, n);
	b->len += n;
	b->p[b->len] = 0;
}
static void puts_(struct buf *b, const char *s) { put(b, s, strlen(s)); }
static void put32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
		               (unsigned char)(v >> 24) };
	put(b, x, 4);
}

/* DER of a PEM certificate, through the module's own scanner. */
static struct buf der_of(const char *pem)
{
	struct pem_scan s;
	struct pem_block blk;
	struct cb_err e;
	struct buf b = { 0 };
	pem_scan_init(&s, pem, strlen(pem), TLS_MAX_CERT_BYTES);
	if (pem_scan_next(&s, &blk, &e) == 1) {
		put(&b, blk.der, blk.len);
		free(blk.der);
	}
	return b;
}

static const uint8_t guid_x509[16] = { 0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a,
	                               0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72 };
static const uint8_t guid_sha256[16] = { 0x26, 0x16, 0xc4, 0xc1, 0x4c, 0x50, 0x92, 0x40,
	                                 0xac, 0xa9, 0x41, 0xf9, 0x36, 0x93, 0x43, 0x28 };

/* One EFI_SIGNATURE_LIST with n entries of `data` (each prefixed by a 16-byte owner GUID). */
static void siglist(struct buf *b, const uint8_t guid[16], const void *data, size_t len, unsigned n)
{
	put(b, guid, 16);
	put32(b, (uint32_t)(TLS_SIGLIST_HEADER + n * (16 + len)));
	put32(b, 0);
	put32(b, (uint32_t)(16 + len));
	for (unsigned i = 0; i < n; i++) {
		static const uint8_t owner[16] = { 1, 2, 3 };
		put(b, owner, 16);
		put(b, data, len);
	}
}

/* ---- PEM / DER ---- */

struct pem_case {
	const char *name;
	const char *parts[6]; /* concatenated input */
	int rc;
	const char *err;      /* exact message when rc != 0 */
	size_t anchors;       /* added on success */
};

static const struct pem_case pem_cases[] = {
	{ "ec ca", { ec_ca }, 0, NULL, 1 },
	{ "bundle with comments and a key", { "# bundle\n", ec_ca, "junk line\n", key_block, rsa_ca, leaf }, 0, NULL, 3 },
	{ "indented armor and trailing blanks", { "  -----BEGIN CERTIFICATE-----  \n",
	  "MIIBmDCCAT2gAwIBAgIUbFWp7qfg4o8Xkk0JZ84Vu5nlIMQwCgYIKoZIzj0EAwIw\n", "", "", "" }, CB_EINVAL,
	  "tls: PEM line 1: BEGIN CERTIFICATE without END", 0 },
	{ "missing END after a good one", { ec_ca, "-----BEGIN CERTIFICATE-----\nAAAA\n" }, CB_EINVAL,
	  "tls: PEM line 12: BEGIN CERTIFICATE without END", 0 },
	{ "bad character", { "-----BEGIN CERTIFICATE-----\nAAAA\nAA*A\n-----END CERTIFICATE-----\n" }, CB_EINVAL,
	  "tls: PEM line 1: CERTIFICATE body is not base64: base64: offset 6: invalid character '*'", 0 },
	{ "non-ASCII", { "-----BEGIN CERTIFICATE-----\nAA\xc3\xa9\n-----END CERTIFICATE-----\n" }, CB_EINVAL,
	  "tls: PEM line 1: CERTIFICATE body is not base64: base64: offset 2: invalid character 0xc3", 0 },
	{ "misplaced padding", { "-----BEGIN CERTIFICATE-----\nA=AA\n-----END CERTIFICATE-----\n" }, CB_EINVAL,
	  "tls: PEM line 1: CERTIFICATE body is not base64: base64: offset 1: misplaced '=' padding", 0 },
	{ "pad then data", { "-----BEGIN CERTIFICATE-----\nAAA=AAAA\n-----END CERTIFICATE-----\n" }, CB_EINVAL,
	  "tls: PEM line 1: CERTIFICATE body is not base64: base64: offset 3: misplaced '=' padding", 0 },
	{ "pad then data on the next line", { "-----BEGIN CERTIFICATE-----\nAA==\nAAAA\n-----END CERTIFICATE-----\n" },
	  CB_EINVAL, "tls: PEM line 1: CERTIFICATE body is not base64: base64: offset 2: misplaced '=' padding", 0 },
	{ "truncated base64", { "-----BEGIN CERTIFICATE-----\nAAAAA\n-----END CERTIFICATE-----\n" }, CB_EINVAL,
	  "tls: PEM line 1: CERTIFICATE body is not base64: base64: length 5 is not a multiple of 4", 0 },
	{ "non-zero bits before the padding", { "-----BEGIN CERTIFICATE-----\nMAB=\n-----END CERTIFICATE-----\n" },
	  CB_EINVAL, "tls: PEM line 1: CERTIFICATE body is not base64: base64: offset 2: non-zero trailing bits before '=' "
	  "padding", 0 },
	{ "form feed is not a blank", { "-----BEGIN CERTIFICATE-----\nMA\fA\n-----END CERTIFICATE-----\n" }, CB_EINVAL,
	  "tls: PEM line 1: CERTIFICATE body is not base64: base64: offset 2: invalid character 0x0c", 0 },
	{ "END mismatch", { "-----BEGIN CERTIFICATE-----\nAAAA\n-----END X509 CRL-----\n" }, CB_EINVAL,
	  "tls: PEM line 3: END does not match BEGIN CERTIFICATE (line 1)", 0 },
	{ "empty block", { "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n" }, CB_EINVAL,
	  "tls: PEM line 1: empty CERTIFICATE block", 0 },
	{ "empty label", { "-----BEGIN -----\nAAAA\n-----END -----\n" }, CB_EINVAL, "tls: PEM line 1: bad BEGIN label", 0 },
	{ "encrypted", { "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END CERTIFICATE-----\n" },
	  CB_EUNSUP, "tls: PEM line 2: CERTIFICATE block has RFC 1421 headers (encrypted PEM is not supported)", 0 },
	{ "not a certificate", { "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n" }, CB_EINVAL,
	  "tls: certificate 1 (PEM line 1): X.509 decoding failed (BearSSL error 37: X509_BAD_TAG_CLASS)", 0 },
	{ "bad second certificate", { ec_ca, "\n-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n" },
	  CB_EINVAL, "tls: certificate 2 (PEM line 13): X.509 decoding failed (BearSSL error 36: X509_INNER_TRUNC)", 0 },
	{ "key only", { key_block }, CB_ENOENT, "tls: no CERTIFICATE block in the PEM input", 0 },
	{ "no armor", { "hello, world\n" }, CB_EINVAL,
	  "tls: no PEM certificate, DER certificate or EFI signature list found", 0 },
	{ "empty input", { "" }, CB_EINVAL, "tls: no PEM certificate, DER certificate or EFI signature list found", 0 },
	{ "dashes but no armor", { "----- BEGIN x\n-----BEGIN" }, CB_EINVAL,
	  "tls: no PEM certificate, DER certificate or EFI signature list found", 0 },
};

static void test_pem(void)
{
	for (size_t i = 0; i < sizeof(pem_cases) / sizeof(pem_cases[0]); i++) {
		const struct pem_case *c = &pem_cases[i];
		struct buf in = { 0 };
		puts_(&in, "");
		for (size_t k = 0; k < 6 && c->parts[k]; k++)
			puts_(&in, c->parts[k]);
		struct tls_config cfg;
		tls_config_init(&cfg);
		struct cb_err e = { 0 };
		int rc = tls_config_add_pem(&cfg, (const char *)in.p, in.len, &e);
		CHECK(rc == c->rc, "%s: rc %d, want %d (%s)", c->name, rc, c->rc, e.msg);
		if (c->rc)
			CHECK(!strcmp(e.msg, c->err), "%s: message \"%s\", want \"%s\"", c->name, e.msg, c->err);
		CHECK(tls_config_anchor_count(&cfg) == c->anchors, "%s: %zu anchors, want %zu", c->name,
		      tls_config_anchor_count(&cfg), c->anchors);
		tls_config_free(&cfg);
		free(in.p);
	}
}

/* The shared scanner (runtime/common/pem_scan.c) directly: every block in order with its label, BEGIN line and
 * bytes, blanks and CRLF, text around blocks, label rules and both sides of the size cap. */
static void test_pem_scan(void)
{
	static const struct {
		const char *name, *in;
		size_t max;
		const char *want; /* "LABEL@LINE=BYTES;" for each block, then "end" or the error message */
	} cases[] = {
		{ "two blocks, text around them",
		  "intro\n-----BEGIN A-----\naGVs\nbG8=\n-----END A-----\n-----END A-----\nmid\n-----BEGIN B C-----\n"
		  "d29ybGQ=\n-----END B C-----\ntail",
		  64, "A@2=hello;B C@8=world;end" },
		{ "blanks, CRLF, empty lines", "  -----BEGIN X-----\t\r\n aG Vs\tbG8=\r\n\r\n-----END X-----  \r\n", 64,
		  "X@1=hello;end" },
		{ "no newline at the end", "-----BEGIN X-----\naGVsbG8=\n-----END X-----", 64, "X@1=hello;end" },
		{ "armor words are case-sensitive", "-----begin X-----\naGVsbG8=\n-----end X-----\n", 64, "end" },
		{ "BEGIN and END on one line", "-----BEGIN X-----aGVsbG8=-----END X-----\n", 64,
		  "PEM line 1: BEGIN X-----aGVsbG8=-----END X without END" },
		{ "exactly the cap", "-----BEGIN X-----\naGVsbG8=\n-----END X-----\n", 5, "X@1=hello;end" },
		{ "one byte over the cap", "-----BEGIN X-----\naGVsbG8h\n-----END X-----\n", 5,
		  "PEM line 3: X block larger than 5 bytes" },
		{ "text over the cap", "-----BEGIN X-----\naGVs\nbG8=\n-----END X-----\n", 2,
		  "PEM line 3: X block larger than 2 bytes" },
		{ "longest label", "-----BEGIN 12345678901234567890123456789012345678901234567-----\nQQ==\n"
		  "-----END 12345678901234567890123456789012345678901234567-----\n", 64,
		  "12345678901234567890123456789012345678901234567@1=A;end" },
		{ "label too long", "-----BEGIN 123456789012345678901234567890123456789012345678-----\n"
		  "-----BEGIN A-----\nQQ==\n-----END A-----\n", 64,
		  "PEM line 1: bad BEGIN label" },
		{ "label not printable", "x\n-----BEGIN A\x01-----\nQQ==\n-----END A\x01-----\n", 64,
		  "PEM line 2: bad BEGIN label" },
		{ "error after a good block", "-----BEGIN A-----\nQQ==\n-----END A-----\n-----BEGIN B-----\n", 64,
		  "A@1=A;PEM line 4: BEGIN B without END" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pem_scan s;
		struct pem_block b;
		struct cb_err e = { 0 };
		char got[256] = "";
		size_t k = 0;
		int rc;
		pem_scan_init(&s, cases[i].in, strlen(cases[i].in), cases[i].max);
		while ((rc = pem_scan_next(&s, &b, &e)) == 1) {
			k += (size_t)snprintf(got + k, sizeof(got) - k, "%s@%zu=%.*s;", b.label, b.line, (int)b.len,
			                      (const char *)b.der);
			free(b.der);
		}
		snprintf(got + k, sizeof(got) - k, "%s", rc ? e.msg : "end");
		CHECK(!strcmp(got, cases[i].want) && (!rc || (e.code == rc && !b.der)), "pem_scan %s: got \"%s\", want \"%s\"",
		      cases[i].name, got, cases[i].want);
		CHECK(pem_scan_next(&s, &b, &e) == 0, "pem_scan %s: the scan is over", cases[i].name);
	}
}

/* The decoded anchors themselves: key types, sizes, CA flags, subject DN. */
static void test_anchor_contents(void)
{
	struct buf in = { 0 };
	puts_(&in, ec_ca);
	puts_(&in, "\r\n");
	puts_(&in, rsa_ca);
	puts_(&in, leaf);
	struct tls_config cfg;
	tls_config_init(&cfg);
	struct cb_err e = { 0 };
	CHECK(tls_config_add_pem(&cfg, (const char *)in.p, in.len, &e) == 0, "bundle: %s", e.msg);
	const struct tls_anchors *a = cfg.anchors;
	CHECK(a && a->n == 3, "3 anchors");
	if (a && a->n == 3) {
		CHECK(a->ta[0].pkey.key_type == BR_KEYTYPE_EC && a->ta[0].pkey.key.ec.curve == BR_EC_secp256r1 &&
		      a->ta[0].pkey.key.ec.qlen == 65 && a->ta[0].pkey.key.ec.q[0] == 4, "EC CA key");
		CHECK(a->ta[0].flags == BR_X509_TA_CA, "EC CA flag");
		/* SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, UTF8String "cloud-boot test EC CA" } } } */
		CHECK(a->ta[0].dn.len == 34 && a->ta[0].dn.data[0] == 0x30 && !memcmp(a->ta[0].dn.data + 13,
		      "cloud-boot test EC CA", 21), "EC CA DN (%zu bytes)", a->ta[0].dn.len);
		CHECK(a->ta[1].pkey.key_type == BR_KEYTYPE_RSA && a->ta[1].pkey.key.rsa.nlen == 256 &&
		      a->ta[1].pkey.key.rsa.elen == 3 && !memcmp(a->ta[1].pkey.key.rsa.e, "\x01\x00\x01", 3),
		      "RSA CA key");
		CHECK(a->ta[1].flags == BR_X509_TA_CA, "RSA CA flag");
		CHECK(a->ta[2].pkey.key_type == BR_KEYTYPE_EC && a->ta[2].pkey.key.ec.curve == BR_EC_secp384r1 &&
		      a->ta[2].pkey.key.ec.qlen == 97, "leaf key");
		CHECK(a->ta[2].flags == 0, "leaf is not a CA: direct trust only");
	}
	/* A failed add leaves the earlier anchors alone. */
	static const char bad[] = "-----BEGIN CERTIFICATE-----\nAAAA\n";
	CHECK(tls_config_add_pem(&cfg, bad, sizeof(bad) - 1, &e) == CB_EINVAL, "bad add fails");
	CHECK(tls_config_anchor_count(&cfg) == 3, "rollback keeps 3");
	/* Named sources put the name after "tls: ". */
	CHECK(tls_config_add_named(&cfg, "/etc/ca.pem", bad, sizeof(bad) - 1, &e) == CB_EINVAL &&
	      !strcmp(e.msg, "tls: /etc/ca.pem: PEM line 1: BEGIN CERTIFICATE without END"), "named: %s", e.msg);
	tls_config_free(&cfg);
	CHECK(tls_config_anchor_count(&cfg) == 0 && !cfg.anchors, "free empties");
	free(in.p);
}

static void test_der(void)
{
	struct buf d = der_of(ec_ca);
	CHECK(d.len == 412, "EC CA DER is %zu bytes", d.len);
	struct tls_config cfg;
	tls_config_init(&cfg);
	struct cb_err e = { 0 };
	CHECK(tls_config_add_der(&cfg, d.p, d.len, &e) == 0 && tls_config_anchor_count(&cfg) == 1, "der: %s", e.msg);
	CHECK(tls_config_add_pem(&cfg, (const char *)d.p, d.len, &e) == 0 && tls_config_anchor_count(&cfg) == 2,
	      "DER through add_pem: %s", e.msg);
	/* Every truncation fails cleanly. */
	for (size_t n = 1; n < d.len; n++) {
		int rc = tls_config_add_der(&cfg, d.p, n, &e);
		CHECK(rc == CB_EINVAL && !strncmp(e.msg, "tls: DER certificate: X.509 decoding failed (BearSSL error ", 59),
		      "truncated to %zu: rc %d %s", n, rc, e.msg);
	}
	CHECK(tls_config_add_der(&cfg, d.p, 0, &e) == CB_EINVAL && !strcmp(e.msg, "tls: DER certificate: empty certificate"),
	      "empty: %s", e.msg);
	unsigned char *big = calloc(1, TLS_MAX_CERT_BYTES + 1);
	big[0] = 0x30;
	CHECK(tls_config_add_der(&cfg, big, TLS_MAX_CERT_BYTES + 1, &e) == CB_ELIMIT &&
	      !strcmp(e.msg, "tls: DER certificate: certificate of 16385 bytes exceeds 16384"), "big: %s", e.msg);
	CHECK(tls_config_anchor_count(&cfg) == 2, "still 2");
	free(big);
	tls_config_free(&cfg);

	/* A PEM body over the size cap. */
	struct buf in = { 0 };
	puts_(&in, "-----BEGIN CERTIFICATE-----\n");
	for (int i = 0; i < 400; i++)
		puts_(&in, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
	puts_(&in, "-----END CERTIFICATE-----\n");
	tls_config_init(&cfg);
	CHECK(tls_config_add_pem(&cfg, (const char *)in.p, in.len, &e) == CB_ELIMIT &&
	      !strcmp(e.msg, "tls: PEM line 343: CERTIFICATE block larger than 16384 bytes"), "huge PEM: %s", e.msg);
	free(in.p);
	free(d.p);
}

/* ---- EFI signature lists ---- */

struct sl_case {
	const char *name;
	int build;  /* which input (see build_siglist) */
	int rc;
	const char *err;
	size_t anchors;
};

/* Inputs by number; the hostile ones patch header fields of an otherwise valid list. */
static struct buf build_siglist(int which)
{
	struct buf ec = der_of(ec_ca), rsa = der_of(rsa_ca), b = { 0 };
	unsigned char hash[32] = { 0 };
	switch (which) {
	case 0: siglist(&b, guid_x509, ec.p, ec.len, 1); break;
	case 1: /* x509, sha256 (skipped), x509 */
		siglist(&b, guid_x509, ec.p, ec.len, 1);
		siglist(&b, guid_sha256, hash, sizeof(hash), 3);
		siglist(&b, guid_x509, rsa.p, rsa.len, 1);
		break;
	case 2: siglist(&b, guid_x509, ec.p, ec.len, 2); break;
	case 3: siglist(&b, guid_x509, ec.p, ec.len, 1); b.len = 20; break;
	case 4: siglist(&b, guid_x509, ec.p, ec.len, 1); memcpy(b.p + 16, "\x1b\0\0\0", 4); break;
	case 5: siglist(&b, guid_x509, ec.p, ec.len, 1); memcpy(b.p + 16, "\xff\xff\xff\xff", 4); break;
	case 6: siglist(&b, guid_x509, ec.p, ec.len, 1); memcpy(b.p + 20, "\xff\xff\xff\xff", 4); break;
	case 7: siglist(&b, guid_x509, ec.p, ec.len, 1); memcpy(b.p + 24, "\x10\0\0\0", 4); break;
	case 8: siglist(&b, guid_x509, ec.p, ec.len, 1); memcpy(b.p + 24, "\0\0\0\0", 4); break;
	case 9: siglist(&b, guid_x509, ec.p, ec.len, 1); memcpy(b.p + 24, "\x11\0\0\0", 4); break;
	case 10: /* 4097 SHA-256 entries in all */
		siglist(&b, guid_sha256, hash, sizeof(hash), 4000);
		siglist(&b, guid_sha256, hash, sizeof(hash), 97);
		break;
	case 11: /* valid structure, garbage certificate in the second list */
		siglist(&b, guid_x509, ec.p, ec.len, 1);
		siglist(&b, guid_x509, hash, sizeof(hash), 1);
		break;
	case 12: siglist(&b, guid_sha256, hash, sizeof(hash), 1); break;
	case 13: break;
	case 14: /* valid first list, truncated second */
		siglist(&b, guid_x509, ec.p, ec.len, 1);
		siglist(&b, guid_x509, rsa.p, rsa.len, 1);
		b.len -= 10;
		break;
	case 15: /* header size eating the whole list: no entries, no error, no certificate */
		siglist(&b, guid_x509, ec.p, ec.len, 1);
		put32(&b, 0);
		memcpy(b.p + 20, "\xac\x01\0\0", 4); /* 16 + 412 */
		break;
	case 16: /* SignatureListSize wraps size_t arithmetic on 32-bit: 0xffffffe4 + 28 */
		siglist(&b, guid_x509, ec.p, ec.len, 1);
		memcpy(b.p + 16, "\xe4\xff\xff\xff", 4);
		break;
	}
	free(ec.p);
	free(rsa.p);
	return b;
}

static const struct sl_case sl_cases[] = {
	{ "one x509", 0, 0, NULL, 1 },
	{ "x509 + sha256 + x509", 1, 0, NULL, 2 },
	{ "two entries in one list", 2, 0, NULL, 2 },
	{ "short header", 3, CB_EINVAL, "tls: EFI signature list at offset 0: 20 bytes left, the header needs 28", 0 },
	{ "list smaller than header", 4, CB_EINVAL,
	  "tls: EFI signature list at offset 0: SignatureListSize 27 is smaller than its header", 0 },
	{ "list past the end", 5, CB_EINVAL,
	  "tls: EFI signature list at offset 0: SignatureListSize 4294967295 runs past the end (456 bytes)", 0 },
	{ "header past the list", 6, CB_EINVAL,
	  "tls: EFI signature list at offset 0: SignatureHeaderSize 4294967295 exceeds the list", 0 },
	{ "signature size 16", 7, CB_EINVAL, "tls: EFI signature list at offset 0: SignatureSize 16 is too small", 0 },
	{ "signature size 0", 8, CB_EINVAL, "tls: EFI signature list at offset 0: SignatureSize 0 is too small", 0 },
	{ "not a multiple", 9, CB_EINVAL,
	  "tls: EFI signature list at offset 0: 428 bytes of signatures are not a multiple of SignatureSize 17", 0 },
	{ "too many entries", 10, CB_ELIMIT, "tls: EFI signature list at offset 192028: more than 4096 entries in all", 0 },
	{ "garbage certificate", 11, CB_EINVAL,
	  "tls: EFI signature list certificate 2: X.509 decoding failed (BearSSL error 41: X509_UNEXPECTED)", 0 },
	{ "no x509", 12, CB_ENOENT, "tls: EFI signature list: no X.509 certificate (EFI_CERT_X509_GUID)", 0 },
	{ "empty", 13, CB_EINVAL, "tls: EFI signature list: empty", 0 },
	{ "truncated second list", 14, CB_EINVAL,
	  "tls: EFI signature list at offset 456: SignatureListSize 853 runs past the end (1299 bytes)", 0 },
	{ "header eats the entries", 15, CB_EINVAL,
	  "tls: EFI signature list at offset 456: 4 bytes left, the header needs 28", 0 },
	{ "huge list size", 16, CB_EINVAL,
	  "tls: EFI signature list at offset 0: SignatureListSize 4294967268 runs past the end (456 bytes)", 0 },
};

static void test_siglist(void)
{
	for (size_t i = 0; i < sizeof(sl_cases) / sizeof(sl_cases[0]); i++) {
		const struct sl_case *c = &sl_cases[i];
		struct buf in = build_siglist(c->build);
		struct tls_config cfg;
		tls_config_init(&cfg);
		struct cb_err e = { 0 };
		int rc = tls_config_add_efi_siglist(&cfg, in.p, in.len, &e);
		CHECK(rc == c->rc, "%s: rc %d, want %d (%s)", c->name, rc, c->rc, e.msg);
		if (c->rc)
			CHECK(!strcmp(e.msg, c->err), "%s: message \"%s\", want \"%s\"", c->name, e.msg, c->err);
		CHECK(tls_config_anchor_count(&cfg) == c->anchors, "%s: %zu anchors, want %zu", c->name,
		      tls_config_anchor_count(&cfg), c->anchors);
		tls_config_free(&cfg);
		free(in.p);
	}
	/* add_pem recognises a signature list, and fn sees entries in order. */
	struct buf in = build_siglist(1);
	struct tls_config cfg;
	tls_config_init(&cfg);
	struct cb_err e = { 0 };
	CHECK(tls_siglist_looks_like(in.p, in.len), "looks like a siglist");
	CHECK(!tls_siglist_looks_like(in.p, 27), "27 bytes do not");
	CHECK(tls_config_add_pem(&cfg, (const char *)in.p, in.len, &e) == 0 && tls_config_anchor_count(&cfg) == 2,
	      "siglist via add_pem: %s", e.msg);
	CHECK(cfg.anchors->ta[0].pkey.key_type == BR_KEYTYPE_EC && cfg.anchors->ta[1].pkey.key_type == BR_KEYTYPE_RSA,
	      "order kept");
	tls_config_free(&cfg);
	free(in.p);
}

/* ---- time and names ---- */

static void test_time(void)
{
	static const struct {
		int64_t t;
		const char *iso;
		uint32_t days, secs;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00Z", 719528, 0 },
		{ 1796385600, "2026-12-04T12:00:00Z", 740319, 43200 },
		{ 951782400, "2000-02-29T00:00:00Z", 730544, 0 },
		{ 1704067199, "2023-12-31T23:59:59Z", 739250, 86399 },
		{ 253402300799, "9999-12-31T23:59:59Z", 3652424, 86399 },
		{ -1, "1969-12-31T23:59:59Z", 719527, 86399 },
		{ -62167219200, "0000-01-01T00:00:00Z", 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[32];
		uint32_t d, s;
		tls_time_format(cases[i].t, buf, sizeof(buf));
		tls_time_to_br(cases[i].t, &d, &s);
		CHECK(!strcmp(buf, cases[i].iso), "%lld: \"%s\", want \"%s\"", (long long)cases[i].t, buf, cases[i].iso);
		CHECK(d == cases[i].days && s == cases[i].secs, "%lld: days %u secs %u, want %u %u", (long long)cases[i].t,
		      d, s, cases[i].days, cases[i].secs);
	}
}

static void test_names(void)
{
	CHECK(!strcmp(tls_br_error_name(BR_ERR_X509_NOT_TRUSTED), "X509_NOT_TRUSTED"), "62");
	CHECK(!strcmp(tls_br_error_name(BR_ERR_X509_EXPIRED), "X509_EXPIRED"), "54");
	CHECK(!strcmp(tls_br_error_name(BR_ERR_BAD_MAC), "BAD_MAC"), "7");
	CHECK(!strcmp(tls_br_error_name(999), "UNKNOWN"), "999");
	CHECK(!strcmp(tls_alert_name(40), "handshake_failure"), "alert 40");
	CHECK(!strcmp(tls_alert_name(70), "protocol_version"), "alert 70");
	CHECK(!strcmp(tls_alert_name(255), "unknown"), "alert 255");
}

/* ---- tls_wrap() over a scripted transport ---- */

struct script {
	struct cb_transport t;
	const unsigned char *rx; /* what recv returns, then `end` */
	size_t rx_len, rx_pos;
	long end;                /* 0: EOF; CB_E*: that error (with end_msg) */
	const char *end_msg;
	struct buf sent;
	bool closed;
	uint64_t *clock_ms;      /* advanced by 200 ms per timed-out recv */
};

static long s_recv(struct cb_transport *t, void *buf, size_t len, struct cb_err *e)
{
	struct script *s = t->priv;
	if (s->rx_pos < s->rx_len) {
		size_t n = s->rx_len - s->rx_pos < len ? s->rx_len - s->rx_pos : len;
		memcpy(buf, s->rx + s->rx_pos, n);
		s->rx_pos += n;
		return (long)n;
	}
	if (s->end == CB_ETIMEDOUT && s->clock_ms)
		*s->clock_ms += 200;
	if (s->end)
		cb_errf(e, (int)s->end, "%s", s->end_msg);
	return s->end;
}

static int s_send(struct cb_transport *t, const void *buf, size_t len, struct cb_err *e)
{
	(void)e;
	struct script *s = t->priv;
	put(&s->sent, buf, len);
	return 0;
}

static void s_close(struct cb_transport *t)
{
	struct script *s = t->priv;
	s->closed = true;
}

static uint64_t fake_now(void *ctx) { return *(uint64_t *)ctx; }
static int64_t time_unset(void *ctx) { (void)ctx; return -1; }
static int64_t time_2000(void *ctx) { (void)ctx; return 946684800; }
static int64_t time_now(void *ctx) { (void)ctx; return 1796385600; }
static int entropy_fill(bool weak_source, void *buf, size_t len, bool *weak)
{
	memset(buf, 7, len);
	*weak = weak_source;
	return 0;
}
static int entropy_ok(void *ctx, void *buf, size_t len, bool *weak)
{
	(void)ctx;
	return entropy_fill(false, buf, len, weak);
}
static int entropy_weak(void *ctx, void *buf, size_t len, bool *weak)
{
	(void)ctx;
	return entropy_fill(true, buf, len, weak);
}
static int entropy_none(void *ctx, void *buf, size_t len, bool *weak)
{
	(void)ctx;
	(void)buf;
	(void)len;
	(void)weak;
	return CB_EIO;
}

static char last_log[CB_ERR_MSG_MAX];
static void log_hook(void *ctx, const char *line)
{
	(void)ctx;
	if (!strstr(line, "TLS 1.2"))
		snprintf(last_log, sizeof(last_log), "%s", line);
}

static bool contains(const struct buf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; b->len >= n && i <= b->len - n; i++)
		if (!memcmp(b->p + i, s, n))
			return true;
	return false;
}

struct wrap_case {
	const char *name, *host;
	int64_t (*time)(void *);
	int (*entropy)(void *, void *, size_t, bool *);
	const char *rx;          /* server bytes */
	size_t rx_len;
	long end;
	const char *end_msg;
	int rc;
	const char *err;
	bool sni;                /* the ClientHello carries the host name */
	const char *log;         /* expected log line (other than the suite) */
};

/* A fatal handshake_failure alert record, as a server refusing every suite sends it. */
static const char alert_40[] = "\x15\x03\x03\x00\x02\x02\x28";
/* A TLS 1.3-only server's protocol_version alert. */
static const char alert_70[] = "\x15\x03\x01\x00\x02\x02\x46";

static const struct wrap_case wrap_cases[] = {
	{ "clock unset", "example.org", time_unset, entropy_ok, "", 0, 0, NULL, CB_EVERIFY,
	  "tls: example.org: the firmware clock is unset; cannot check certificate validity", false, NULL },
	{ "clock in 2000", "example.org", time_2000, entropy_ok, "", 0, 0, NULL, CB_EVERIFY,
	  "tls: example.org: the firmware clock is unset; cannot check certificate validity", false, NULL },
	{ "no clock", "example.org", NULL, entropy_ok, "", 0, 0, NULL, CB_EVERIFY,
	  "tls: example.org: the firmware clock is unset; cannot check certificate validity", false, NULL },
	{ "no entropy", "example.org", time_now, entropy_none, "", 0, 0, NULL, CB_EIO,
	  "tls: example.org: no entropy for the handshake (I/O error)", false, NULL },
	{ "no entropy source", "example.org", time_now, NULL, "", 0, 0, NULL, CB_EUNSUP,
	  "tls: example.org: no entropy source configured", false, NULL },
	{ "eof", "example.org", time_now, entropy_ok, "", 0, 0, NULL, CB_ECONN,
	  "tls: example.org: connection closed by the server during the handshake", true, NULL },
	{ "weak entropy", "example.org", time_now, entropy_weak, "", 0, 0, NULL, CB_ECONN,
	  "tls: example.org: connection closed by the server during the handshake", true,
	  "tls: example.org: seeded from a weak entropy source (no hardware RNG)" },
	{ "ip literal: no SNI", "10.0.2.2", time_now, entropy_ok, "", 0, 0, NULL, CB_ECONN,
	  "tls: 10.0.2.2: connection closed by the server during the handshake", false, NULL },
	{ "ipv6 literal: no SNI", "fd00::2", time_now, entropy_ok, "", 0, 0, NULL, CB_ECONN,
	  "tls: fd00::2: connection closed by the server during the handshake", false, NULL },
	{ "reset", "example.org", time_now, entropy_ok, "", 0, CB_ECONN, "recv: Connection reset by peer", CB_ECONN,
	  "tls: example.org: recv: Connection reset by peer", true, NULL },
	{ "timeout", "example.org", time_now, entropy_ok, "", 0, CB_ETIMEDOUT, "recv: no data for 200 ms", CB_ETIMEDOUT,
	  "tls: example.org: handshake timed out after 500 ms", true, NULL },
	{ "alert 40", "example.org", time_now, entropy_ok, alert_40, 7, 0, NULL, CB_EPROTO,
	  "tls: example.org: the server sent alert 40 (handshake_failure) during the handshake", true, NULL },
	{ "alert 70", "example.org", time_now, entropy_ok, alert_70, 7, 0, NULL, CB_EPROTO,
	  "tls: example.org: the server sent alert 70 (protocol_version) during the handshake", true, NULL },
	{ "garbage", "example.org", time_now, entropy_ok, "HTTP/1.1 400 Bad Request\r\n\r\n", 28, 0, NULL, CB_EPROTO,
	  "tls: example.org: the server does not speak TLS 1.2 (BearSSL error 3: UNSUPPORTED_VERSION)", true, NULL },
};

static void test_wrap(void)
{
	for (size_t i = 0; i < sizeof(wrap_cases) / sizeof(wrap_cases[0]); i++) {
		const struct wrap_case *c = &wrap_cases[i];
		uint64_t now = 1000;
		struct cb_clock clk = { fake_now, &now, NULL };
		struct script s = { .rx = (const unsigned char *)c->rx, .rx_len = c->rx_len, .end = c->end,
			            .end_msg = c->end_msg, .clock_ms = &now };
		s.t = (struct cb_transport){ s_recv, s_send, s_close, &s };
		struct tls_config cfg;
		tls_config_init(&cfg);
		cfg.unix_time = c->time;
		cfg.entropy = c->entropy;
		cfg.log = log_hook;
		last_log[0] = 0;
		struct cb_err e = { 0 };
		struct cb_transport *out = (struct cb_transport *)&s;
		int rc = tls_wrap(&s.t, c->host, &cfg, 500, &clk, &out, &e);
		CHECK(rc == c->rc, "%s: rc %d, want %d (%s)", c->name, rc, c->rc, e.msg);
		CHECK(!strcmp(e.msg, c->err), "%s: message \"%s\", want \"%s\"", c->name, e.msg, c->err);
		CHECK(!out && s.closed, "%s: no transport, TCP closed", c->name);
		CHECK(!c->sni || (s.sent.len > 5 && s.sent.p[0] == 0x16 && contains(&s.sent, c->host)),
		      "%s: ClientHello with SNI", c->name);
		CHECK(c->sni || !contains(&s.sent, c->host), "%s: no SNI", c->name);
		CHECK(!strcmp(last_log, c->log ? c->log : ""), "%s: log \"%s\"", c->name, last_log);
		free(s.sent.p);
		tls_config_free(&cfg);
	}
	/* Host names BearSSL cannot carry. */
	char host[300];
	memset(host, 'a', sizeof(host) - 1);
	host[sizeof(host) - 1] = 0;
	struct script s = { 0 };
	s.t = (struct cb_transport){ s_recv, s_send, s_close, &s };
	struct tls_config cfg;
	tls_config_init(&cfg);
	struct cb_transport *out;
	struct cb_err e = { 0 };
	CHECK(tls_wrap(&s.t, host, &cfg, 500, NULL, &out, &e) == CB_EINVAL && !strcmp(e.msg, "tls: host name of 299 bytes")
	      && s.closed, "long host: %s", e.msg);
}

/* ---- tls_dialer ---- */

struct fake_dialer {
	struct cb_dialer d;
	struct cb_dial_opts seen;
	int calls;
	struct script s;
};

static int fake_dial(struct cb_dialer *d, const char *host, uint16_t port, const struct cb_dial_opts *opts,
                     struct cb_transport **out, struct cb_err *e)
{
	(void)host;
	(void)port;
	(void)e;
	struct fake_dialer *f = d->priv;
	f->seen = *opts;
	f->calls++;
	*out = &f->s.t;
	return 0;
}

static void test_dialer(void)
{
	struct fake_dialer f = { .d = { fake_dial, &f } };
	f.s.t = (struct cb_transport){ s_recv, s_send, s_close, &f.s };
	struct tls_config cfg;
	tls_config_init(&cfg);
	cfg.unix_time = time_unset;
	struct tls_dialer td;
	tls_dialer_init(&td, &f.d, &cfg, NULL);
	struct cb_transport *out = NULL;
	struct cb_err e = { 0 };
	struct cb_dial_opts plain = { false, 2000, 60000 };
	CHECK(td.d.dial(&td.d, "h", 80, &plain, &out, &e) == 0 && out == &f.s.t && !f.seen.tls &&
	      f.seen.connect_ms == 2000 && f.seen.idle_ms == 60000, "plain passes through");
	struct cb_dial_opts tls = { true, 2000, 60000 };
	int rc = td.d.dial(&td.d, "h", 443, &tls, &out, &e);
	CHECK(rc == CB_EVERIFY && !out && f.calls == 2 && !f.seen.tls && f.seen.connect_ms == 2000 &&
	      f.seen.idle_ms == 2000 && f.s.closed, "tls: inner dial without TLS, idle capped: %s", e.msg);
	struct cb_dial_opts dflt = { true, 0, 0 };
	td.d.dial(&td.d, "h", 443, &dflt, &out, &e);
	CHECK(f.seen.connect_ms == 10000 && f.seen.idle_ms == 10000, "defaults 10 s / 30 s, idle capped to 10 s");
}

/* ---- compiled-in anchors ---- */

static bool same_anchor(const br_x509_trust_anchor *a, const br_x509_trust_anchor *b)
{
	if (a->flags != b->flags || a->dn.len != b->dn.len || memcmp(a->dn.data, b->dn.data, a->dn.len) ||
	    a->pkey.key_type != b->pkey.key_type)
		return false;
	if (a->pkey.key_type == BR_KEYTYPE_RSA)
		return a->pkey.key.rsa.nlen == b->pkey.key.rsa.nlen && a->pkey.key.rsa.elen == b->pkey.key.rsa.elen &&
		       !memcmp(a->pkey.key.rsa.n, b->pkey.key.rsa.n, a->pkey.key.rsa.nlen) &&
		       !memcmp(a->pkey.key.rsa.e, b->pkey.key.rsa.e, a->pkey.key.rsa.elen);
	return a->pkey.key.ec.curve == b->pkey.key.ec.curve && a->pkey.key.ec.qlen == b->pkey.key.ec.qlen &&
	       !memcmp(a->pkey.key.ec.q, b->pkey.key.ec.q, a->pkey.key.ec.qlen);
}

/* What ta2c compiled in equals what the run-time code decodes from the same files, anchor for anchor. */
static void test_builtin(char **files, int n)
{
	struct tls_config rt, bi;
	tls_config_init(&rt);
	tls_config_init(&bi);
	struct cb_err e = { 0 };
	size_t begins = 0;
	for (int i = 0; i < n; i++) {
		FILE *f = fopen(files[i], "rb");
		CHECK(f, "%s: cannot open", files[i]);
		if (!f)
			continue;
		struct buf b = { 0 };
		char chunk[65536];
		size_t got;
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			put(&b, chunk, got);
		fclose(f);
		for (const char *p = (const char *)b.p; p && (p = strstr(p, "-----BEGIN CERTIFICATE-----")); p++)
			begins++;
		CHECK(tls_config_add_named(&rt, files[i], b.p, b.len, &e) == 0, "%s: %s", files[i], e.msg);
		free(b.p);
	}
	CHECK(tls_config_add_builtin(&bi, &e) == 0, "builtin: %s", e.msg);
	size_t nb = tls_config_anchor_count(&bi), nr = tls_config_anchor_count(&rt);
	CHECK(nb == begins && nb == nr && nb > 100, "builtin %zu anchors, run time %zu, BEGIN lines %zu", nb, nr, begins);
	for (size_t i = 0; i < nb && i < nr; i++)
		CHECK(same_anchor(&bi.anchors->ta[i], &rt.anchors->ta[i]), "anchor %zu differs", i);
	tls_config_free(&rt);
	tls_config_free(&bi);
}

int main(int argc, char **argv)
{
	test_pem();
	test_pem_scan();
	test_anchor_contents();
	test_der();
	test_siglist();
	test_time();
	test_names();
	test_wrap();
	test_dialer();
	if (argc > 1)
		test_builtin(argv + 1, argc - 1);
	return check_summary("tls_test");
}
