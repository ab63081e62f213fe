/* base64_test.c: table-driven host tests of runtime/common/base64.c: the RFC 4648 §10 vectors both ways, every
 * byte value, sizes, and every rejection with its exact message (bad length, character, padding, bits, room). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "check.h"

struct vec {
	const char *raw;
	size_t raw_len;
	const char *b64;
};

static const struct vec vecs[] = {
	/* RFC 4648 §10 */
	{ "", 0, "" },
	{ "f", 1, "Zg==" },
	{ "fo", 2, "Zm8=" },
	{ "foo", 3, "Zm9v" },
	{ "foob", 4, "Zm9vYg==" },
	{ "fooba", 5, "Zm9vYmE=" },
	{ "foobar", 6, "Zm9vYmFy" },
	/* '+' and '/', NUL bytes, high bits */
	{ "\xfb\xef\xbe", 3, "++++" },
	{ "\xff\xff\xff", 3, "////" },
	{ "\0\0\0", 3, "AAAA" },
	{ "\0", 1, "AA==" },
	{ "\xff", 1, "/w==" },
	{ "\xff\xff", 2, "//8=" },
	{ "\x14\xfb\x9c\x03\xd9\x7e", 6, "FPucA9l+" },
};

static void test_vectors(void)
{
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		const struct vec *v = &vecs[i];
		char enc[64];
		uint8_t dec[64];
		size_t n = 99, want = strlen(v->b64);
		struct cb_err e = { 0 };
		memset(enc, '#', sizeof(enc));
		CHECK(b64_encoded_len(v->raw_len) == want, "vec[%zu]: encoded_len", i);
		b64_encode(v->raw, v->raw_len, enc);
		CHECK(!strcmp(enc, v->b64), "vec[%zu]: encode %s, want %s", i, enc, v->b64);
		CHECK(b64_decoded_max(want) >= v->raw_len, "vec[%zu]: decoded_max", i);
		CHECK(b64_decode(v->b64, want, dec, sizeof(dec), &n, &e) == 0 && n == v->raw_len &&
		      !memcmp(dec, v->raw, n), "vec[%zu]: decode: %s", i, e.msg);
		/* exactly enough room is enough */
		CHECK(b64_decode(v->b64, want, dec, v->raw_len, &n, &e) == 0 && n == v->raw_len, "vec[%zu]: exact room", i);
	}
}

static void test_all_bytes(void)
{
	uint8_t raw[256], back[256];
	char enc[345];
	for (int i = 0; i < 256; i++)
		raw[i] = (uint8_t)i;
	for (size_t len = 0; len <= 256; len++) {
		size_t n = 0;
		struct cb_err e = { 0 };
		b64_encode(raw, len, enc);
		CHECK(strlen(enc) == b64_encoded_len(len), "len %zu: encoded length", len);
		CHECK(b64_decode(enc, strlen(enc), back, sizeof(back), &n, &e) == 0 && n == len && !memcmp(raw, back, len),
		      "len %zu: round trip: %s", len, e.msg);
	}
	/* every alphabet character decodes to its index */
	const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (int i = 0; i < 64; i++) {
		char q[5] = { 'A', 'A', 'A', alpha[i], 0 };
		uint8_t out[3];
		size_t n = 0;
		struct cb_err e = { 0 };
		CHECK(b64_decode(q, 4, out, 3, &n, &e) == 0 && n == 3 && out[0] == 0 && out[1] == 0 && out[2] == i,
		      "alphabet %c", alpha[i]);
	}
}

static void test_sizes(void)
{
	CHECK(b64_encoded_len(0) == 0 && b64_encoded_len(1) == 4 && b64_encoded_len(3) == 4 && b64_encoded_len(4) == 8,
	      "encoded_len small");
	CHECK(b64_encoded_len(SIZE_MAX) == SIZE_MAX && b64_encoded_len(SIZE_MAX / 4 * 3 + 1) == SIZE_MAX,
	      "encoded_len overflow");
	CHECK(b64_encoded_len(SIZE_MAX / 4 * 3) == SIZE_MAX / 4 * 4, "encoded_len largest");
	CHECK(b64_decoded_max(0) == 0 && b64_decoded_max(4) == 3 && b64_decoded_max(5) == 6 && b64_decoded_max(8) == 6,
	      "decoded_max");
	CHECK(b64_decoded_max(SIZE_MAX) == SIZE_MAX / 4 * 3 + 3, "decoded_max no overflow");
}

struct bad {
	const char *in;
	size_t len; /* 0: strlen(in) */
	size_t cap;
	int rc;
	const char *msg;
};

static const struct bad bads[] = {
	/* length */
	{ "A", 0, 16, CB_EINVAL, "base64: length 1 is not a multiple of 4" },
	{ "Zg", 0, 16, CB_EINVAL, "base64: length 2 is not a multiple of 4" },
	{ "Zm8", 0, 16, CB_EINVAL, "base64: length 3 is not a multiple of 4" },
	{ "Zm9vY", 0, 16, CB_EINVAL, "base64: length 5 is not a multiple of 4" },
	/* characters: whitespace is not skipped, no base64url, no NUL, no high bytes */
	{ "Zm9v Zm9v", 0, 16, CB_EINVAL, "base64: length 9 is not a multiple of 4" },
	{ "Zm9 ", 0, 16, CB_EINVAL, "base64: offset 3: invalid character 0x20" },
	{ "Zm9v\nZm9", 0, 16, CB_EINVAL, "base64: offset 4: invalid character 0x0a" },
	{ "Zm\r\n", 0, 16, CB_EINVAL, "base64: offset 2: invalid character 0x0d" },
	{ "Zm9-", 0, 16, CB_EINVAL, "base64: offset 3: invalid character '-'" },
	{ "_m9v", 0, 16, CB_EINVAL, "base64: offset 0: invalid character '_'" },
	{ "Zm\0v", 4, 16, CB_EINVAL, "base64: offset 2: invalid character 0x00" },
	{ "Zm9\xc3", 0, 16, CB_EINVAL, "base64: offset 3: invalid character 0xc3" },
	{ "Zm9v.AAA", 0, 16, CB_EINVAL, "base64: offset 4: invalid character '.'" },
	/* padding only at the very end, one or two '=' */
	{ "====", 0, 16, CB_EINVAL, "base64: offset 0: misplaced '=' padding" },
	{ "=AAA", 0, 16, CB_EINVAL, "base64: offset 0: misplaced '=' padding" },
	{ "A===", 0, 16, CB_EINVAL, "base64: offset 1: misplaced '=' padding" },
	{ "AA=A", 0, 16, CB_EINVAL, "base64: offset 2: misplaced '=' padding" },
	{ "Zg==Zm9v", 0, 16, CB_EINVAL, "base64: offset 2: misplaced '=' padding" },
	{ "Zm8=Zm9v", 0, 16, CB_EINVAL, "base64: offset 3: misplaced '=' padding" },
	{ "Zm9vZg=\0", 8, 16, CB_EINVAL, "base64: offset 6: misplaced '=' padding" },
	/* unused bits must be zero */
	{ "Zh==", 0, 16, CB_EINVAL, "base64: offset 1: non-zero trailing bits before '=' padding" },
	{ "Z/==", 0, 16, CB_EINVAL, "base64: offset 1: non-zero trailing bits before '=' padding" },
	{ "Zm9=", 0, 16, CB_EINVAL, "base64: offset 2: non-zero trailing bits before '=' padding" },
	{ "Zm9vZm/=", 0, 16, CB_EINVAL, "base64: offset 6: non-zero trailing bits before '=' padding" },
	/* output room */
	{ "Zm9v", 0, 2, CB_ELIMIT, "base64: decoded data needs 3 bytes, the buffer holds 2" },
	{ "Zm9vYmFy", 0, 0, CB_ELIMIT, "base64: decoded data needs 6 bytes, the buffer holds 0" },
	{ "Zm9vYg==", 0, 3, CB_ELIMIT, "base64: decoded data needs 4 bytes, the buffer holds 3" },
	/* a bad character wins over a short buffer */
	{ "Zm9vYm!=", 0, 1, CB_EINVAL, "base64: offset 6: invalid character '!'" },
};

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		uint8_t out[16];
		size_t n = 99;
		struct cb_err e = { 0 };
		memset(out, 0xa5, sizeof(out));
		int rc = b64_decode(b->in, b->len ? b->len : strlen(b->in), out, b->cap, &n, &e);
		CHECK(rc == b->rc && e.code == b->rc && n == 0, "bad[%zu] %s: rc %d, n %zu", i, b->in, rc, n);
		CHECK(!strcmp(e.msg, b->msg), "bad[%zu]: message\n  got  %s\n  want %s", i, e.msg, b->msg);
		for (size_t k = b->cap; k < sizeof(out); k++)
			CHECK(out[k] == 0xa5, "bad[%zu]: wrote past cap at %zu", i, k);
	}
	/* NULL error context and empty input */
	size_t n = 99;
	CHECK(b64_decode("A", 1, NULL, 0, &n, NULL) == CB_EINVAL && n == 0, "NULL cb_err");
	CHECK(b64_decode(NULL, 0, NULL, 0, &n, NULL) == 0 && n == 0, "empty");
}

int main(void)
{
	test_vectors();
	test_all_bytes();
	test_sizes();
	test_bad();
	return check_summary("base64_test");
}
