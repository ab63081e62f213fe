/* http_parse_test.c: table tests of the response-head parser, framing rules, Content-Range, the chunked
 * decoder (whole, byte by byte, random splits) and the request writer, with the exact messages expected. */
#include <stdint.h>
#include <stdlib.h>

#include "http_internal.h"
#include "http_test_util.h"

/* ---- response head ---- */

struct head_case {
	const char *in;
	size_t len;       /* 0: strlen */
	size_t max;       /* 0: 16 KiB */
	int rc;
	const char *want; /* "status|reason|name=value|..." or the error message */
};

#define H(i, w) { .in = (i), .want = (w) }
#define HE(i, r, w) { .in = (i), .rc = (r), .want = (w) }

static const struct head_case head_cases[] = {
	H("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "200|OK|Content-Length=5"),
	H("HTTP/1.0 404 Not Found\r\n\r\n", "404|Not Found"),
	H("HTTP/1.1 200\r\n\r\n", "200|"),
	H("HTTP/1.1 200 \r\n\r\n", "200|"),
	H("HTTP/1.1 204 No Content\nA: b\n\n", "204|No Content|A=b"),
	H("\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", "200|OK"),
	H("HTTP/1.1 200 OK\r\nX:   spaced value \t\r\nEmpty:\r\nE2: \r\n\r\n", "200|OK|X=spaced value|Empty=|E2="),
	H("HTTP/1.1 301 Moved\r\nLocation: /a b\r\nX-Obs: caf\xc3\xa9\r\n\r\n", "301|Moved|Location=/a b|X-Obs=caf\xc3\xa9"),
	H("HTTP/1.1 599 Whatever It Is\r\n\r\n", "599|Whatever It Is"),
	H("HTTP/1.1 200 OK\r\nA:b\r\n\r\nBODY", "200|OK|A=b"),
	HE("HTTP/1.1 2x0 OK\r\n\r\n", CB_EPROTO, "malformed status line \"HTTP/1.1 2x0 OK\""),
	HE("HTTP/1.1 20 OK\r\n\r\n", CB_EPROTO, "malformed status line \"HTTP/1.1 20 OK\""),
	HE("HTTP/1.1 2000 OK\r\n\r\n", CB_EPROTO, "malformed status line \"HTTP/1.1 2000 OK\""),
	HE("HTTP/1.1 600 X\r\n\r\n", CB_EPROTO, "malformed status line \"HTTP/1.1 600 X\""),
	HE("HTTP/1.1 099 X\r\n\r\n", CB_EPROTO, "malformed status line \"HTTP/1.1 099 X\""),
	HE("HTTP/1.1  200 OK\r\n\r\n", CB_EPROTO, "malformed status line \"HTTP/1.1  200 OK\""),
	HE("HTTP/1.1 200 O\x01K\r\n\r\n", CB_EPROTO, "malformed status line \"HTTP/1.1 200 O\\x01K\""),
	HE("HTTP/2 200\r\n\r\n", CB_EUNSUP, "unsupported HTTP version \"HTTP/2\""),
	HE("HTTP/0.9 200 OK\r\n\r\n", CB_EUNSUP, "unsupported HTTP version \"HTTP/0.9\""),
	HE("HTTP/1.x 200 OK\r\n\r\n", CB_EPROTO, "malformed status line \"HTTP/1.x 200 OK\""),
	HE("ICY 200 OK\r\n\r\n", CB_EPROTO, "malformed status line \"ICY 200 OK\""),
	HE("<html>\r\n\r\n", CB_EPROTO, "malformed status line \"<html>\""),
	HE("HTTP/1.1 200 OK\rX\r\n\r\n", CB_EPROTO, "malformed status line \"HTTP/1.1 200 OK\\x0dX\""),
	HE("HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n", CB_EPROTO, "malformed header line \"Bad Header: x\""),
	HE("HTTP/1.1 200 OK\r\nName : x\r\n\r\n", CB_EPROTO, "malformed header line \"Name : x\""),
	HE("HTTP/1.1 200 OK\r\n: x\r\n\r\n", CB_EPROTO, "malformed header line \": x\""),
	HE("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", CB_EPROTO, "malformed header line \"NoColon\""),
	HE("HTTP/1.1 200 OK\r\nA: b\r\n  folded\r\n\r\n", CB_EPROTO, "obsolete header line folding \"  folded\""),
	HE("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", CB_EPROTO, "bare CR in header line \"A: b\\x0dc\""),
	HE("HTTP/1.1 200 OK\r\nA: b\x7f\r\n\r\n", CB_EPROTO, "invalid character in header line \"A: b\\x7f\""),
	{ .in = "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n", .len = 27, .rc = CB_EPROTO,
	  .want = "invalid character in header line \"A: b\\x00c\"" },
	HE("HTTP/1.1 200 OK\r\nX-Long: 0123456789012345678901234567890123456789XYZ\r\nBad\r\n\r\n", CB_EPROTO,
	   "malformed header line \"Bad\""),
	{ .in = "HTTP/1.1 200 OK\r\nX: 0123456789012345678901234567890123456789\r\n\r\n", .max = 60, .rc = CB_ELIMIT,
	  .want = "response header exceeds 60 bytes" },
	{ .in = "HTTP/1.1 200 OK\r\nX: 0123456789012345678901234\r\n\r\n", .max = 49, .want = "200|OK|X=0123456789012345678901234" },
	{ .in = "HTTP/1.1 200 OK\r\nX: 0123456789012345678901234\r\n\r\n", .max = 48, .rc = CB_ELIMIT,
	  .want = "response header exceeds 48 bytes" },
};

static void head_result(struct http_head *h, char *out, size_t n)
{
	int o = snprintf(out, n, "%d|%s", h->status, h->reason);
	for (size_t i = 0; i < h->n_hdrs && o > 0 && (size_t)o < n; i++)
		o += snprintf(out + o, n - (size_t)o, "|%s=%s", h->hdrs[i].name, h->hdrs[i].value);
}

/* Runs one case with the input fed in pieces of `step` bytes (0: all at once). */
static void run_head_case(const struct head_case *c, size_t step)
{
	size_t len = c->len ? c->len : strlen(c->in);
	struct http_head h;
	struct cb_err e = { 0 };
	CHECK_INT(http_head_init(&h, c->max ? c->max : HTTP_DEFAULT_MAX_HEADER_BYTES, &e), 0, "init");
	int rc = 0;
	size_t pos = 0;
	while (pos < len && !h.complete && !rc) {
		size_t n = step && len - pos > step ? step : len - pos, used;
		rc = http_head_feed(&h, c->in + pos, n, &used, &e);
		pos += used;
	}
	if (!rc) {
		CHECK(h.complete, "%s: incomplete", c->in);
		rc = http_head_parse(&h, &e);
	}
	char ctx[96];
	snprintf(ctx, sizeof(ctx), "head case %.40s (step %zu)", c->in, step);
	CHECK_INT(rc, c->rc, ctx);
	if (rc) {
		CHECK_STR(e.msg, c->want, ctx);
	} else {
		char got[512];
		head_result(&h, got, sizeof(got));
		CHECK_STR(got, c->want, ctx);
		/* The body starts right after the empty line. */
		const char *body = strstr(c->in, "BODY");
		if (body)
			CHECK_INT(pos, body - c->in, ctx);
	}
	http_head_free(&h);
}

static void test_head(void)
{
	for (size_t i = 0; i < sizeof(head_cases) / sizeof(head_cases[0]); i++) {
		run_head_case(&head_cases[i], 0);
		run_head_case(&head_cases[i], 1);
		run_head_case(&head_cases[i], 7);
	}

	/* Truncated: no empty line yet. */
	struct http_head h;
	struct cb_err e = { 0 };
	http_head_init(&h, 1024, &e);
	size_t used;
	const char *part = "HTTP/1.1 200 OK\r\nA: b\r\n";
	CHECK_INT(http_head_feed(&h, part, strlen(part), &used, &e), 0, "truncated feed");
	CHECK(!h.complete && used == strlen(part), "truncated head is incomplete");
	CHECK_INT(http_head_parse(&h, &e), CB_EPROTO, "parse incomplete");
	CHECK_STR(e.msg, "incomplete response header", "parse incomplete");
	http_head_free(&h);

	/* Field count: 100 pass, 101 fail. */
	for (int n = 100; n <= 101; n++) {
		char buf[4096];
		int o = snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\n");
		for (int i = 0; i < n; i++)
			o += snprintf(buf + o, sizeof(buf) - (size_t)o, "H%d: v\r\n", i);
		snprintf(buf + o, sizeof(buf) - (size_t)o, "\r\n");
		http_head_init(&h, 16384, &e);
		http_head_feed(&h, buf, strlen(buf), &used, &e);
		int rc = http_head_parse(&h, &e);
		if (n == 100) {
			CHECK_INT(rc, 0, "100 fields");
			CHECK_INT(h.n_hdrs, 100, "100 fields");
			CHECK_STR(http_head_get(&h, "h99"), "v", "lookup is case-insensitive");
		} else {
			CHECK_INT(rc, CB_ELIMIT, "101 fields");
			CHECK_STR(e.msg, "more than 100 header fields", "101 fields");
		}
		http_head_free(&h);
	}

	/* An endless stream of empty lines still hits the limit. */
	http_head_init(&h, 100, &e);
	char crlf[300];
	for (int i = 0; i < 300; i += 2)
		crlf[i] = '\r', crlf[i + 1] = '\n';
	CHECK_INT(http_head_feed(&h, crlf, sizeof(crlf), &used, &e), CB_ELIMIT, "CRLF flood");
	http_head_free(&h);
}

/* ---- framing ---- */

struct framing_case {
	const char *head;
	const char *method;
	int rc;
	const char *msg;
	enum http_framing framing;
	uint64_t length;
	bool keep;
};

static const struct framing_case framing_cases[] = {
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "GET", 0, NULL, HTTP_BODY_LENGTH, 5, true },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "GET", 0, NULL, HTTP_BODY_LENGTH, 0, true },
	{ "HTTP/1.1 200 OK\r\ncontent-length: 5 , 5\r\n\r\n", "GET", 0, NULL, HTTP_BODY_LENGTH, 5, true },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", "GET", 0, NULL, HTTP_BODY_LENGTH, 5, true },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551614\r\n\r\n", "GET", 0, NULL, HTTP_BODY_LENGTH,
	  18446744073709551614ull, true },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "GET", CB_EPROTO,
	  "conflicting Content-Length headers", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n", "GET", CB_EPROTO, "conflicting Content-Length headers", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", "GET", CB_EPROTO, "malformed Content-Length \"abc\"", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "GET", CB_EPROTO, "malformed Content-Length \"-1\"", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", "GET", CB_EPROTO, "malformed Content-Length \"+5\"", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", "GET", CB_EPROTO, "malformed Content-Length \"0x10\"", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "GET", CB_EPROTO, "malformed Content-Length \"\"", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length:\r\n\r\n", "GET", CB_EPROTO,
	  "malformed Content-Length \"\"", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n", "GET", CB_EPROTO,
	  "Content-Length \"18446744073709551616\" overflows 64 bits", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\n", "GET", CB_EPROTO,
	  "Content-Length \"99999999999999999999999999\" overflows 64 bits", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "GET", 0, NULL, HTTP_BODY_CHUNKED, UINT64_MAX, true },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\nContent-Length: 5\r\n\r\n", "GET", 0, NULL,
	  HTTP_BODY_CHUNKED, UINT64_MAX, false },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "GET", CB_EUNSUP,
	  "unsupported Transfer-Encoding \"gzip, chunked\"", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "GET", CB_EUNSUP, "unsupported Transfer-Encoding \"gzip\"", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "GET", CB_EUNSUP,
	  "unsupported Transfer-Encoding (2 headers)", HTTP_BODY_NONE, 0, false },
	{ "HTTP/1.1 200 OK\r\n\r\n", "GET", 0, NULL, HTTP_BODY_CLOSE, UINT64_MAX, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n", "GET", 0, NULL, HTTP_BODY_LENGTH, 5, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive, Close\r\n\r\n", "GET", 0, NULL,
	  HTTP_BODY_LENGTH, 5, false },
	{ "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n", "GET", 0, NULL, HTTP_BODY_LENGTH, 5, false },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "HEAD", 0, NULL, HTTP_BODY_NONE, 100, true },
	{ "HTTP/1.1 200 OK\r\n\r\n", "HEAD", 0, NULL, HTTP_BODY_NONE, UINT64_MAX, true },
	{ "HTTP/1.1 204 No Content\r\n\r\n", "GET", 0, NULL, HTTP_BODY_NONE, 0, true },
	{ "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", "GET", 0, NULL, HTTP_BODY_NONE, 10, true },
	{ "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\n", "GET", 0, NULL, HTTP_BODY_LENGTH, 9, true },
};

static void test_framing(void)
{
	for (size_t i = 0; i < sizeof(framing_cases) / sizeof(framing_cases[0]); i++) {
		const struct framing_case *c = &framing_cases[i];
		struct http_head h;
		struct cb_err e = { 0 };
		size_t used;
		http_head_init(&h, 4096, &e);
		http_head_feed(&h, c->head, strlen(c->head), &used, &e);
		CHECK_INT(http_head_parse(&h, &e), 0, c->head);
		struct http_framing_info fi;
		int rc = http_head_framing(&h, c->method, &fi, &e);
		CHECK_INT(rc, c->rc, c->head);
		if (rc) {
			CHECK_STR(e.msg, c->msg, c->head);
		} else {
			CHECK_INT(fi.framing, c->framing, c->head);
			CHECK(fi.length == c->length, "%s: length %llu", c->head, (unsigned long long)fi.length);
			CHECK_INT(fi.keep_alive, c->keep, c->head);
		}
		http_head_free(&h);
	}
}

static void test_content_range(void)
{
	static const struct {
		const char *in;
		bool ok;
		uint64_t a, b, t;
	} cases[] = {
		{ "bytes 0-99/100", true, 0, 99, 100 },
		{ "BYTES 1048576-104857599/104857600", true, 1048576, 104857599, 104857600 },
		{ "bytes 5-4/100", false, 0, 0, 0 },
		{ "bytes 0-100/100", false, 0, 0, 0 },
		{ "bytes 0-99/*", false, 0, 0, 0 },
		{ "bytes */100", false, 0, 0, 0 },
		{ "bytes 0-99/100 ", false, 0, 0, 0 },
		{ "bytes -1-99/100", false, 0, 0, 0 },
		{ "items 0-99/100", false, 0, 0, 0 },
		{ "bytes 0-99/99999999999999999999", false, 0, 0, 0 },
		{ "bytes 0-/100", false, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t a = 0, b = 0, t = 0;
		bool ok = http_parse_content_range(cases[i].in, &a, &b, &t);
		CHECK_INT(ok, cases[i].ok, cases[i].in);
		if (ok && cases[i].ok)
			CHECK(a == cases[i].a && b == cases[i].b && t == cases[i].t, "%s: values", cases[i].in);
	}
}

/* ---- chunked ---- */

struct chunk_case {
	const char *in;
	size_t len;         /* 0: strlen */
	size_t trailer_max; /* 0: 16 KiB */
	int rc;
	const char *want;   /* the body, or the error message */
	size_t rest;        /* bytes left unconsumed after the end */
	bool done;
};

#define C(i, w) { .in = (i), .want = (w), .done = true }
#define CE(i, r, w) { .in = (i), .rc = (r), .want = (w) }

static const struct chunk_case chunk_cases[] = {
	C("5\r\nhello\r\n0\r\n\r\n", "hello"),
	C("5;ext=1;q=\"a b\"\r\nhello\r\n6 ; x\r\n world\r\n0\r\nTrailer: v\r\nX: y\r\n\r\n", "hello world"),
	C("A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n", "0123456789abcdefghij"),
	C("0005\r\nhello\r\n000\r\n\r\n", "hello"),
	C("5\nhello\n0\n\n", "hello"),
	C("0\r\n\r\n", ""),
	{ .in = "3\r\nabc\r\n0\r\n\r\nHTTP/1.1 200 OK", .want = "abc", .rest = 15, .done = true },
	{ .in = "3\r\na\0c\r\n0\r\n\r\n", .len = 13, .want = "a", .done = true }, /* compared up to the NUL */
	{ .in = "5\r\nhel", .want = "hel", .done = false },
	CE("x\r\n", CB_EPROTO, "malformed chunk-size line (byte 0x78)"),
	CE("\r\n", CB_EPROTO, "malformed chunk-size line (no size)"),
	CE(";ext\r\n", CB_EPROTO, "malformed chunk-size line (byte 0x3b)"),
	CE(" 5\r\n", CB_EPROTO, "malformed chunk-size line (byte 0x20)"),
	CE("-5\r\n", CB_EPROTO, "malformed chunk-size line (byte 0x2d)"),
	CE("5 x\r\n", CB_EPROTO, "malformed chunk-size line (byte 0x78)"),
	CE("10000000000000000\r\n", CB_EPROTO, "chunk size overflows 64 bits"),
	CE("5\r\nhelloX", CB_EPROTO, "missing CRLF after chunk data"),
	CE("5\r\nhello\rX", CB_EPROTO, "missing CRLF after chunk data"),
	CE("5\rX", CB_EPROTO, "malformed chunk-size line (bare CR)"),
	CE("5;a\x01\r\n", CB_EPROTO, "malformed chunk extension (byte 0x01)"),
	CE("0\r\n\rX", CB_EPROTO, "malformed end of chunked body (bare CR)"),
	CE("0\r\nA: \x01\r\n\r\n", CB_EPROTO, "malformed trailer field (byte 0x01)"),
	{ .in = "0\r\nX-Long-Trailer: 0123456789012345678901234567890123456789012345678901\r\n\r\n", .trailer_max = 64,
	  .rc = CB_ELIMIT, .want = "trailer section exceeds 64 bytes" },
};

static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

/* mode 0: whole, 1: byte by byte, 2: random splits. */
static void run_chunk_case(const struct chunk_case *c, int mode)
{
	size_t len = c->len ? c->len : strlen(c->in);
	uint8_t *buf = malloc(len + 1);
	memcpy(buf, c->in, len);
	struct http_chunked ch;
	http_chunked_init(&ch, c->trailer_max ? c->trailer_max : 16384);
	struct cb_err e = { 0 };
	char body[256];
	size_t blen = 0, pos = 0;
	int rc = 0;
	while (pos < len && !ch.done) {
		size_t n = len - pos;
		if (mode == 1)
			n = 1;
		else if (mode == 2 && n > 1)
			n = 1 + rng() % n;
		size_t out, used;
		rc = http_chunked_decode(&ch, buf + pos, n, &out, &used, &e);
		if (rc)
			break;
		CHECK(used == n || ch.done, "%s: stopped early", c->in);
		memcpy(body + blen, buf + pos, out);
		blen += out;
		pos += used;
	}
	body[blen] = 0;
	char ctx[64];
	snprintf(ctx, sizeof(ctx), "chunked %.30s mode %d", c->in, mode);
	CHECK_INT(rc, c->rc, ctx);
	if (rc) {
		CHECK_STR(e.msg, c->want, ctx);
	} else {
		CHECK_STR(body, c->want, ctx);
		CHECK_INT(ch.done, c->done, ctx);
		CHECK_INT(len - pos, c->rest, ctx);
	}
	free(buf);
}

static void test_chunked(void)
{
	for (size_t i = 0; i < sizeof(chunk_cases) / sizeof(chunk_cases[0]); i++) {
		run_chunk_case(&chunk_cases[i], 0);
		run_chunk_case(&chunk_cases[i], 1);
		for (int r = 0; r < 50; r++)
			run_chunk_case(&chunk_cases[i], 2);
	}

	/* Size line bound: 4096 bytes pass, 4097 fail. */
	for (int n = 4096; n <= 4097; n++) {
		char *s = malloc((size_t)n + 16);
		memcpy(s, "1;", 2);
		memset(s + 2, 'x', (size_t)n - 4);
		memcpy(s + n - 2, "\r\nZ\r\n0\r\n\r\n", 11);
		struct http_chunked ch;
		http_chunked_init(&ch, 1024);
		struct cb_err e = { 0 };
		size_t out, used;
		int rc = http_chunked_decode(&ch, (uint8_t *)s, strlen(s), &out, &used, &e);
		if (n == 4096) {
			CHECK_INT(rc, 0, "4096-byte size line");
			CHECK(ch.done && out == 1 && s[0] == 'Z', "4096-byte size line decodes");
		} else {
			CHECK_INT(rc, CB_ELIMIT, "4097-byte size line");
			CHECK_STR(e.msg, "chunk-size line exceeds 4096 bytes", "4097-byte size line");
		}
		free(s);
	}

	/* 100 trailer fields pass, 101 fail. */
	for (int n = 100; n <= 101; n++) {
		char buf[2048];
		int o = snprintf(buf, sizeof(buf), "0\r\n");
		for (int i = 0; i < n; i++)
			o += snprintf(buf + o, sizeof(buf) - (size_t)o, "T%d: v\r\n", i);
		snprintf(buf + o, sizeof(buf) - (size_t)o, "\r\n");
		struct http_chunked ch;
		http_chunked_init(&ch, 16384);
		struct cb_err e = { 0 };
		size_t out, used;
		int rc = http_chunked_decode(&ch, (uint8_t *)buf, strlen(buf), &out, &used, &e);
		CHECK_INT(rc, n == 100 ? 0 : CB_ELIMIT, "trailer count");
		if (n == 101)
			CHECK_STR(e.msg, "more than 100 trailer fields", "trailer count");
	}

	/* A large random body in random chunks, decoded in random splits, comes out intact. */
	for (int round = 0; round < 20; round++) {
		size_t total = 0;
		uint8_t *plain = malloc(200000), *enc = malloc(300000);
		size_t elen = 0;
		while (total < 150000) {
			size_t n = 1 + rng() % 5000;
			elen += (size_t)sprintf((char *)enc + elen, "%zx%s\r\n", n, rng() % 3 ? "" : ";e=v");
			for (size_t k = 0; k < n; k++)
				plain[total + k] = enc[elen + k] = (uint8_t)rng();
			total += n;
			elen += n;
			memcpy(enc + elen, "\r\n", 2);
			elen += 2;
		}
		elen += (size_t)sprintf((char *)enc + elen, "0\r\nT: x\r\n\r\n");
		struct http_chunked ch;
		http_chunked_init(&ch, 1024);
		struct cb_err e = { 0 };
		size_t pos = 0, got = 0;
		bool same = true;
		while (pos < elen && !ch.done) {
			size_t n = 1 + rng() % 9000, out, used;
			if (n > elen - pos)
				n = elen - pos;
			if (http_chunked_decode(&ch, enc + pos, n, &out, &used, &e)) {
				same = false;
				break;
			}
			same = same && got + out <= total && !memcmp(enc + pos, plain + got, out);
			got += out;
			pos += used;
		}
		CHECK(same && ch.done && got == total && pos == elen, "random chunked round %d", round);
		free(plain);
		free(enc);
	}
}

/* ---- request writer ---- */

static void test_request(void)
{
	struct cb_err e = { 0 };
	struct http_url u;
	CHECK_INT(http_url_parse("http://reg.example:5000/v2/x/manifests/latest?a=b", &u, &e), 0, "url");
	struct http_header hs[] = {
		{ "Authorization", "Bearer tok" },
		{ "Accept", "application/vnd.oci.image.manifest.v1+json" },
		{ "Content-Type", "application/json" },
		{ "Cookie", "c=1" },
	};
	struct http_buf b = { 0 };
	struct http_req_extra x = { .user_agent = "cloud-boot/0.1" };
	CHECK_INT(http_write_request(&b, "GET", &u, hs, 4, &x, &e), 0, "write");
	CHECK_STR(b.data,
	          "GET /v2/x/manifests/latest?a=b HTTP/1.1\r\n"
	          "Host: reg.example:5000\r\n"
	          "Authorization: Bearer tok\r\n"
	          "Accept: application/vnd.oci.image.manifest.v1+json\r\n"
	          "Content-Type: application/json\r\n"
	          "Cookie: c=1\r\n"
	          "User-Agent: cloud-boot/0.1\r\n"
	          "\r\n",
	          "plain GET");
	b.len = 0;
	struct http_req_extra x2 = { .user_agent = "cloud-boot/0.1", .strip_auth = true, .drop_body_headers = true,
		                     .has_range = true, .range_from = 1048576, .if_range = "\"etag-1\"" };
	CHECK_INT(http_write_request(&b, "GET", &u, hs, 4, &x2, &e), 0, "write 2");
	CHECK_STR(b.data,
	          "GET /v2/x/manifests/latest?a=b HTTP/1.1\r\n"
	          "Host: reg.example:5000\r\n"
	          "Accept: application/vnd.oci.image.manifest.v1+json\r\n"
	          "User-Agent: cloud-boot/0.1\r\n"
	          "Range: bytes=1048576-\r\n"
	          "If-Range: \"etag-1\"\r\n"
	          "\r\n",
	          "stripped, ranged GET");
	b.len = 0;
	struct http_header ua[] = { { "User-Agent", "mine" } };
	struct http_req_extra x3 = { .user_agent = "cloud-boot/0.1", .send_length = true, .body_len = 42 };
	struct http_url u6;
	CHECK_INT(http_url_parse("http://[::1]:8080/up", &u6, &e), 0, "url6");
	CHECK_INT(http_write_request(&b, "PUT", &u6, ua, 1, &x3, &e), 0, "write 3");
	CHECK_STR(b.data, "PUT /up HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: mine\r\nContent-Length: 42\r\n\r\n", "PUT");
	http_buf_free(&b);
	http_url_free(&u);
	http_url_free(&u6);

	static const struct {
		struct http_header h;
		const char *msg;
	} bad[] = {
		{ { "Host", "evil" }, "header \"Host\" is set by the client" },
		{ { "content-length", "5" }, "header \"Content-Length\" is set by the client" },
		{ { "Transfer-Encoding", "chunked" }, "header \"Transfer-Encoding\" is set by the client" },
		{ { "Connection", "close" }, "header \"Connection\" is set by the client" },
		{ { "Bad Name", "x" }, "invalid header name \"Bad Name\"" },
		{ { "", "x" }, "invalid header name \"\"" },
		{ { "X:Y", "x" }, "invalid header name \"X:Y\"" },
		{ { "X", "a\r\nInjected: 1" }, "invalid character 0x0d in header \"X\"" },
		{ { "X", "a\nb" }, "invalid character 0x0a in header \"X\"" },
		{ { "X", "a\x7f" }, "invalid character 0x7f in header \"X\"" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(http_check_headers(&bad[i].h, 1, &e), CB_EINVAL, bad[i].msg);
		CHECK_STR(e.msg, bad[i].msg, bad[i].msg);
	}
	struct http_header ok[] = { { "X-Tab", "a\tb" }, { "Range", "bytes=0-9" } };
	CHECK_INT(http_check_headers(ok, 2, &e), 0, "good headers");
}

int main(void)
{
	test_head();
	test_framing();
	test_content_range();
	test_chunked();
	test_request();
	return check_summary("http_parse_test");
}
