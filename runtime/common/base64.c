/* base64.c: the strict RFC 4648 §4 codec behind base64.h (standard alphabet, '=' padding).
 * Not base64url and not lenient: whitespace, missing padding and stray bits are errors. */
#include "base64.h"

#include <stdbool.h>
#include <stdint.h>

#include "cb_checked.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_encoded_len(size_t n)
{
	size_t groups = n / 3 + (n % 3 != 0), out;
	return cb_mul_ok(groups, (size_t)4, &out) ? out : SIZE_MAX;
}

size_t b64_decoded_max(size_t n) { return n / 4 * 3 + (n % 4 ? 3 : 0); }

void b64_encode(const void *in, size_t n, char *out)
{
	const uint8_t *p = in;
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		size_t left = n - i;
		uint32_t w = (uint32_t)p[i] << 16;
		if (left > 1)
			w |= (uint32_t)p[i + 1] << 8;
		if (left > 2)
			w |= p[i + 2];
		out[o++] = alphabet[w >> 18 & 63];
		out[o++] = alphabet[w >> 12 & 63];
		out[o++] = left > 1 ? alphabet[w >> 6 & 63] : '=';
		out[o++] = left > 2 ? alphabet[w & 63] : '=';
	}
	out[o] = 0;
}

/* The 6-bit value of c, or -1 when c is not in the alphabet ('=' included). */
static int sextet(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int bad_char(struct cb_err *e, size_t off, unsigned char c)
{
	if (c == '=')
		return cb_errf(e, CB_EINVAL, "base64: offset %zu: misplaced '=' padding", off);
	if (c > 0x20 && c < 0x7f)
		return cb_errf(e, CB_EINVAL, "base64: offset %zu: invalid character '%c'", off, c);
	return cb_errf(e, CB_EINVAL, "base64: offset %zu: invalid character 0x%02x", off, c);
}

int b64_decode(const char *in, size_t n, void *out, size_t out_cap, size_t *out_len, struct cb_err *e)
{
	const unsigned char *s = (const unsigned char *)in;
	uint8_t *o = out;
	size_t len = 0;
	*out_len = 0;
	if (n % 4)
		return cb_errf(e, CB_EINVAL, "base64: length %zu is not a multiple of 4", n);
	for (size_t i = 0; i < n; i += 4) {
		bool last = i + 4 == n;
		/* '=' only ends the text: "xx==" or "xxx=". */
		unsigned pad = last && s[i + 3] == '=' ? (s[i + 2] == '=' ? 2 : 1) : 0;
		uint32_t w = 0;
		for (unsigned k = 0; k < 4 - pad; k++) {
			int v = sextet(s[i + k]);
			if (v < 0)
				return bad_char(e, i + k, s[i + k]);
			w = w << 6 | (uint32_t)v;
		}
		w <<= 6 * pad;
		/* The bits of the last character that no output byte holds must be zero. */
		if (pad && (w & (pad == 2 ? 0xffffu : 0xffu)))
			return cb_errf(e, CB_EINVAL, "base64: offset %zu: non-zero trailing bits before '=' padding",
				       i + 3 - pad);
		uint8_t b[3] = { (uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w };
		for (unsigned k = 0; k < 3 - pad; k++, len++)
			if (len < out_cap)
				o[len] = b[k];
	}
	if (len > out_cap)
		return cb_errf(e, CB_ELIMIT, "base64: decoded data needs %zu bytes, the buffer holds %zu", len, out_cap);
	*out_len = len;
	return 0;
}
