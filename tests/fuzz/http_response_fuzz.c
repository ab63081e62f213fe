/* http_response_fuzz.c: libFuzzer target for everything a server can send: the head parser, framing, the
 * chunked decoder directly, and the whole client (redirects, resume) over scripted in-memory connections. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "http_mem_transport.h"

/* Input: byte 0 flags, byte 1 recv split size, then up to 4 connection scripts separated by MAGIC. */
static const uint8_t MAGIC[4] = { 0xff, 0xfe, 0xfd, 0xfc };

struct fz_sink {
	uint64_t got, clen;
	bool head, any;
	int status;
};

static int fz_response(void *ctx, const struct http_response *r, struct cb_err *e)
{
	struct fz_sink *s = ctx;
	s->clen = r->content_length;
	s->status = r->status;
	if (r->status < 200 || r->status > 599 || !r->final_url || !r->reason)
		abort();
	for (size_t i = 0; i < r->n_headers; i++)
		if (!r->headers[i].name[0] || strchr(r->headers[i].value, '\n') || strchr(r->headers[i].value, '\r'))
			abort();
	(void)http_response_header(r, "Content-Type");
	return s->any ? 0 : http_response_error(r, e);
}

static int fz_body(void *ctx, const void *data, size_t len, struct cb_err *e)
{
	(void)e;
	struct fz_sink *s = ctx;
	if (len == 0 || !data)
		abort(); /* empty deliveries are never made */
	s->got += len;
	if (s->clen != UINT64_MAX && s->got > s->clen)
		abort(); /* never more than announced, also across resumes */
	return 0;
}

static void fuzz_parsers(const uint8_t *data, size_t size)
{
	struct cb_err e;
	struct http_head h;
	if (http_head_init(&h, 512, &e))
		return;
	size_t used = 0;
	if (!http_head_feed(&h, data, size, &used, &e) && h.complete && !http_head_parse(&h, &e)) {
		struct http_framing_info fi;
		http_head_framing(&h, "GET", &fi, &e);
		http_head_framing(&h, "HEAD", &fi, &e);
		uint64_t a, b, t;
		const char *cr = http_head_get(&h, "Content-Range");
		if (cr && http_parse_content_range(cr, &a, &b, &t) && !(a <= b && b < t))
			abort();
	}
	http_head_free(&h);

	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return;
	memcpy(copy, data, size);
	struct http_chunked ch;
	http_chunked_init(&ch, 256);
	size_t pos = 0;
	while (pos < size && !ch.done) {
		size_t n = 1 + copy[pos] % 64, out, u;
		if (n > size - pos)
			n = size - pos;
		if (http_chunked_decode(&ch, copy + pos, n, &out, &u, &e))
			break;
		if (out > u || u > n || (u < n && !ch.done))
			abort();
		pos += u;
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t flags = data[0], split = data[1];
	data += 2, size -= 2;
	fuzz_parsers(data, size);

	struct mem_script scripts[4];
	memset(scripts, 0, sizeof(scripts));
	char *segs[4] = { 0 };
	size_t n = 0, start = 0;
	static const int ends[4] = { 0, CB_ECONN, CB_ETIMEDOUT, CB_EIO };
	for (size_t i = 0; i <= size && n < 4; i++) {
		bool cut = i == size || (i + 4 <= size && !memcmp(data + i, MAGIC, 4));
		if (!cut)
			continue;
		size_t len = i - start;
		if (len) {
			segs[n] = malloc(len);
			memcpy(segs[n], data + start, len);
			scripts[n].reply[0] = segs[n];
			scripts[n].len = len;
		}
		scripts[n].end = ends[(flags >> 4) & 3];
		n++;
		start = i + 4;
		i += 3;
	}
	struct mem_dialer m;
	mem_dialer_init(&m, scripts, n);
	uint8_t splits[1] = { split };
	if (split) {
		m.splits = splits;
		m.n_splits = 1;
	}
	struct http_client_opts o;
	http_client_opts_init(&o);
	o.max_header_bytes = (flags & 2) ? 128 : 4096;
	o.max_resumes = (flags & 4) ? 2 : 0;
	o.max_redirects = 2;
	o.backoff_ms = 1;
	struct http_client *c = http_client_new(&m.d, &mem_clock, &o);
	if (c) {
		struct fz_sink s = { .clen = UINT64_MAX, .head = flags & 1, .any = flags & 8 };
		struct http_sink sink = { .on_response = fz_response, .on_body = fz_body, .ctx = &s };
		struct http_header hs[] = { { "Authorization", "Bearer x" } };
		struct http_request rq = { .method = (flags & 1) ? "HEAD" : "GET", .url = "http://h/a/b?c",
			                   .headers = hs, .n_headers = 1 };
		struct cb_err e = { 0 };
		int rc = http_request(c, &rq, &sink, &e);
		if (rc > 0 || (rc && !e.msg[0]))
			abort();
		if (!rc && s.clen != UINT64_MAX && !s.head && s.status != 204 && s.status != 304 && s.got != s.clen)
			abort(); /* success means the whole announced body */
		/* Credentials only ever go to the first origin ("h"). */
		for (size_t i = 0; i < m.n_dials; i++)
			if (strcmp(m.log[i].host, "h") != 0 && m.log[i].sent && strstr(m.log[i].sent, "\nAuthorization:"))
				abort();
		http_client_free(c);
	}
	mem_dialer_free(&m);
	for (size_t i = 0; i < 4; i++)
		free(segs[i]);
	return 0;
}
