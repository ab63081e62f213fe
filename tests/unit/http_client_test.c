/* http_client_test.c: the client state machine against scripted in-memory servers: keep-alive, stale
 * connections, redirects (and credentials across origins), status errors, resume with Range, limits. */
#include <stdint.h>
#include <stdlib.h>

#include "http_internal.h"
#include "http_mem_transport.h"
#include "http_test_util.h"

struct collect {
	struct http_sink sink;
	struct http_buf body;
	unsigned responses;
	int status;
	uint64_t clen;
	bool chunked;
	char final_url[256];
	char etag[64];
	bool accept_all;      /* on_response set: accept every status */
	int reject_response;  /* on_response returns this */
	size_t reject_after;  /* on_body fails once the body exceeds this many bytes (0: never) */
};

static int col_response(void *ctx, const struct http_response *r, struct cb_err *e)
{
	struct collect *c = ctx;
	c->responses++;
	c->status = r->status;
	c->clen = r->content_length;
	c->chunked = r->chunked;
	snprintf(c->final_url, sizeof(c->final_url), "%s", r->final_url);
	const char *et = http_response_header(r, "etag");
	snprintf(c->etag, sizeof(c->etag), "%s", et ? et : "");
	if (c->reject_response)
		return cb_errf(e, c->reject_response, "test: response %d refused", r->status);
	if (!c->accept_all)
		return http_response_error(r, e);
	return 0;
}

static int col_body(void *ctx, const void *data, size_t len, struct cb_err *e)
{
	struct collect *c = ctx;
	http_buf_put(&c->body, data, len);
	if (c->reject_after && c->body.len > c->reject_after)
		return cb_errf(e, CB_ELIMIT, "test: body larger than %zu bytes", c->reject_after);
	return 0;
}

static void col_init(struct collect *c)
{
	memset(c, 0, sizeof(*c));
	c->sink = (struct http_sink){ .on_response = col_response, .on_body = col_body, .ctx = c };
	http_buf_put(&c->body, "", 0);
}

static const char *sent(struct mem_dialer *m, size_t i)
{
	return m->log[i].sent ? m->log[i].sent : "";
}

static struct http_client *client(struct mem_dialer *m, unsigned max_resumes, unsigned max_redirects)
{
	struct http_client_opts o;
	http_client_opts_init(&o);
	o.max_resumes = max_resumes;
	o.max_redirects = max_redirects;
	o.backoff_ms = 100;
	return http_client_new(&m->d, &mem_clock, &o);
}

static int get(struct http_client *c, const char *url, const struct http_header *h, size_t n, struct collect *col,
               struct cb_err *e)
{
	struct http_request rq = { .method = "GET", .url = url, .headers = h, .n_headers = n };
	return http_request(c, &rq, col ? &col->sink : NULL, e);
}

#define OK200(body) "HTTP/1.1 200 OK\r\nContent-Length: " #body "\r\n\r\n"

static void test_basic(void)
{
	static const uint8_t splits_1[] = { 1 };
	static const uint8_t splits_r[] = { 3, 17, 1, 250, 2 };
	for (int mode = 0; mode < 3; mode++) {
		struct mem_script s[] = { { .reply = { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"e1\"\r\n\r\nhello" } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 1);
		if (mode == 1)
			m.splits = splits_1, m.n_splits = 1;
		if (mode == 2)
			m.splits = splits_r, m.n_splits = sizeof(splits_r);
		struct http_client *c = client(&m, 5, 10);
		struct collect col;
		col_init(&col);
		struct cb_err e = { 0 };
		CHECK_INT(get(c, "http://h/x", NULL, 0, &col, &e), 0, e.msg);
		CHECK_STR(col.body.data, "hello", "basic body");
		CHECK_INT(col.status, 200, "basic status");
		CHECK_INT(col.clen, 5, "basic length");
		CHECK_STR(col.etag, "\"e1\"", "header lookup");
		CHECK_STR(col.final_url, "http://h/x", "final url");
		CHECK_STR(sent(&m, 0), "GET /x HTTP/1.1\r\nHost: h\r\nUser-Agent: cloud-boot/0.1\r\n\r\n", "request bytes");
		CHECK_STR(m.log[0].host, "h", "dialed host");
		CHECK_INT(m.log[0].port, 80, "dialed port");
		http_client_free(c);
		CHECK(m.log[0].closed, "free closes pooled connections");
		http_buf_free(&col.body);
		mem_dialer_free(&m);
	}
}

static void test_keepalive(void)
{
	struct mem_script s[] = {
		{ .reply = { OK200(3) "one", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n",
		             "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", OK200(5) "three" } },
	};
	struct mem_dialer m;
	mem_dialer_init(&m, s, 1);
	struct http_client *c = client(&m, 5, 10);
	struct cb_err e = { 0 };
	const char *want[] = { "one", "two", "", "three" };
	for (int i = 0; i < 4; i++) {
		struct collect col;
		col_init(&col);
		struct http_request rq = { .method = i == 2 ? "HEAD" : "GET", .url = "http://h:8080/k" };
		CHECK_INT(http_request(c, &rq, &col.sink, &e), 0, e.msg);
		CHECK_STR(col.body.data, want[i], "keep-alive body");
		if (i == 2)
			CHECK_INT(col.clen, 100, "HEAD content length");
		if (i == 1)
			CHECK(col.chunked && col.clen == UINT64_MAX, "chunked response");
		http_buf_free(&col.body);
	}
	CHECK_INT(m.n_dials, 1, "one connection for four requests");
	http_client_free(c);
	mem_dialer_free(&m);
}

static void test_stale_connection(void)
{
	/* The server closed the idle connection: the second request is retried once on a fresh one. */
	for (int end = 0; end < 2; end++) {
		struct mem_script s[] = { { .reply = { OK200(1) "a" }, .end = end ? CB_ECONN : 0 },
			                  { .reply = { OK200(1) "b" } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 2);
		struct http_client *c = client(&m, 5, 10);
		struct cb_err e = { 0 };
		struct collect col;
		col_init(&col);
		CHECK_INT(get(c, "http://h/1", NULL, 0, &col, &e), 0, e.msg);
		CHECK_INT(get(c, "http://h/2", NULL, 0, &col, &e), 0, e.msg);
		CHECK_STR(col.body.data, "ab", "stale retry body");
		CHECK_INT(m.n_dials, 2, "stale retry dials");
		CHECK(strstr(sent(&m, 1), "GET /2 ") != NULL, "retried on the fresh connection");
		http_client_free(c);
		http_buf_free(&col.body);
		mem_dialer_free(&m);
	}
	/* A fresh connection that closes without answering is not retried. */
	struct mem_script s[] = { { .reply = { NULL } }, { .reply = { OK200(1) "b" } } };
	struct mem_dialer m;
	mem_dialer_init(&m, s, 2);
	struct http_client *c = client(&m, 5, 10);
	struct cb_err e = { 0 };
	CHECK_INT(get(c, "http://h/x", NULL, 0, NULL, &e), CB_ECONN, "fresh close");
	CHECK_STR(e.msg, "http: GET http://h/x: connection closed before the response header", "fresh close");
	CHECK_INT(m.n_dials, 1, "no retry on a fresh connection");
	http_client_free(c);
	mem_dialer_free(&m);
}

static void test_no_reuse(void)
{
	/* Connection: close, HTTP/1.0, and more bytes than Content-Length each cost a new connection. */
	const char *first[] = { "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na",
		                "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\na", OK200(1) "aEXTRA",
		                "HTTP/1.1 200 OK\r\n\r\na" };
	for (size_t i = 0; i < 4; i++) {
		struct mem_script s[] = { { .reply = { first[i], i == 3 ? NULL : OK200(1) "x" } }, { .reply = { OK200(1) "b" } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 2);
		struct http_client *c = client(&m, 5, 10);
		struct cb_err e = { 0 };
		struct collect col;
		col_init(&col);
		CHECK_INT(get(c, "http://h/1", NULL, 0, &col, &e), 0, e.msg);
		CHECK_INT(get(c, "http://h/2", NULL, 0, &col, &e), 0, e.msg);
		CHECK_STR(col.body.data, "ab", first[i]);
		CHECK_INT(m.n_dials, 2, first[i]);
		CHECK(m.log[0].closed, "first connection closed");
		http_client_free(c);
		http_buf_free(&col.body);
		mem_dialer_free(&m);
	}
}

static void test_redirects(void)
{
	struct cb_err e = { 0 };
	/* Relative, on the same kept-alive connection. */
	{
		struct mem_script s[] = { { .reply = { "HTTP/1.1 302 Found\r\nLocation: ../y?q=1\r\nContent-Length: 4\r\n\r\nmove",
			                               OK200(2) "ok" } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 1);
		struct http_client *c = client(&m, 5, 10);
		struct collect col;
		col_init(&col);
		struct http_header h[] = { { "Authorization", "Bearer t" } };
		CHECK_INT(get(c, "http://h/a/b/x", h, 1, &col, &e), 0, e.msg);
		CHECK_STR(col.body.data, "ok", "relative redirect body");
		CHECK_STR(col.final_url, "http://h/a/y?q=1", "relative redirect final URL");
		CHECK_INT(m.n_dials, 1, "redirect reuses the connection");
		CHECK_STR(sent(&m, 0),
		          "GET /a/b/x HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer t\r\nUser-Agent: cloud-boot/0.1\r\n\r\n"
		          "GET /a/y?q=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer t\r\nUser-Agent: cloud-boot/0.1\r\n\r\n",
		          "same-origin redirect keeps Authorization");
		http_client_free(c);
		http_buf_free(&col.body);
		mem_dialer_free(&m);
	}
	/* To another host: Authorization and Cookie stay behind, also when a later hop comes back. */
	{
		struct mem_script s[] = {
			{ .reply = { "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://blobs.example:9000/b?sig=1\r\nContent-Length: 0\r\n\r\n",
			             OK200(4) "data" } },
			{ .reply = { "HTTP/1.1 301 Moved\r\nLocation: http://h/back\r\nContent-Length: 0\r\n\r\n" } },
		};
		struct mem_dialer m;
		mem_dialer_init(&m, s, 2);
		struct http_client *c = client(&m, 5, 10);
		struct collect col;
		col_init(&col);
		struct http_header h[] = { { "Authorization", "Bearer secret" }, { "Accept", "*/*" }, { "Cookie", "s=1" } };
		CHECK_INT(get(c, "http://h/v2/blob", h, 3, &col, &e), 0, e.msg);
		CHECK_STR(col.body.data, "data", "cross-host body");
		CHECK_STR(m.log[1].host, "blobs.example", "second host");
		CHECK_INT(m.log[1].port, 9000, "second port");
		CHECK_STR(sent(&m, 1), "GET /b?sig=1 HTTP/1.1\r\nHost: blobs.example:9000\r\nAccept: */*\r\nUser-Agent: cloud-boot/0.1\r\n\r\n",
		          "no credentials to the other host");
		CHECK(strstr(sent(&m, 0), "Authorization: Bearer secret") != NULL, "credentials to the first host");
		const char *back = strstr(sent(&m, 0), "GET /back");
		CHECK(back && !strstr(back, "Authorization") && !strstr(back, "Cookie"), "still none after coming back");
		http_client_free(c);
		http_buf_free(&col.body);
		mem_dialer_free(&m);
	}
	/* Scheme change on the same host is another origin too. */
	{
		struct mem_script s[] = { { .reply = { "HTTP/1.1 302 Found\r\nLocation: https://h/x\r\nContent-Length: 0\r\n\r\n" } },
			                  { .reply = { OK200(1) "s" } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 2);
		struct http_client *c = client(&m, 5, 10);
		struct http_header h[] = { { "Authorization", "Basic x" } };
		CHECK_INT(get(c, "http://h/x", h, 1, NULL, &e), 0, e.msg);
		CHECK(m.log[1].tls && m.log[1].port == 443, "https dial");
		CHECK(!strstr(sent(&m, 1), "Authorization"), "no credentials across schemes");
		http_client_free(c);
		mem_dialer_free(&m);
	}
	/* 303 after POST: GET without the body and its headers; 307 keeps both. */
	{
		struct mem_script s[] = { { .reply = { "HTTP/1.1 303 See Other\r\nLocation: /done\r\nContent-Length: 0\r\n\r\n",
			                               OK200(2) "ok",
			                               "HTTP/1.1 307 Temporary Redirect\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n",
			                               "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n" } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 1);
		struct http_client *c = client(&m, 5, 10);
		struct http_header h[] = { { "Content-Type", "application/json" } };
		struct http_request rq = { .method = "POST", .url = "http://h/up", .headers = h, .n_headers = 1, .body = "{}", .body_len = 2 };
		CHECK_INT(http_request(c, &rq, NULL, &e), 0, e.msg);
		CHECK_STR(sent(&m, 0),
		          "POST /up HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nUser-Agent: cloud-boot/0.1\r\nContent-Length: 2\r\n\r\n{}"
		          "GET /done HTTP/1.1\r\nHost: h\r\nUser-Agent: cloud-boot/0.1\r\n\r\n",
		          "303 turns POST into GET");
		size_t before = m.log[0].sent_len;
		rq.method = "PUT";
		rq.url = "http://h/put";
		CHECK_INT(http_request(c, &rq, NULL, &e), 0, e.msg);
		CHECK_STR(sent(&m, 0) + before,
		          "PUT /put HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nUser-Agent: cloud-boot/0.1\r\nContent-Length: 2\r\n\r\n{}"
		          "PUT /again HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nUser-Agent: cloud-boot/0.1\r\nContent-Length: 2\r\n\r\n{}",
		          "307 keeps method and body");
		http_client_free(c);
		mem_dialer_free(&m);
	}
	/* Loops end at the limit. */
	{
		const char *r = "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n";
		struct mem_script s[] = { { .reply = { r, r, r, r, r } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 1);
		struct http_client *c = client(&m, 5, 3);
		CHECK_INT(get(c, "http://h/loop", NULL, 0, NULL, &e), CB_ELIMIT, "redirect loop");
		CHECK_STR(e.msg, "http: GET http://h/loop: too many redirects (3)", "redirect loop");
		http_client_free(c);
		mem_dialer_free(&m);
	}
	/* A Location that is no URL. */
	{
		struct mem_script s[] = { { .reply = { "HTTP/1.1 302 Found\r\nLocation: ftp://h/x\r\n\r\n" } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 1);
		struct http_client *c = client(&m, 5, 3);
		CHECK_INT(get(c, "http://h/x", NULL, 0, NULL, &e), CB_EUNSUP, "bad location");
		CHECK_STR(e.msg, "http: GET http://h/x: redirect 302 to \"ftp://h/x\": invalid URL: unsupported scheme \"ftp\"",
		          "bad location");
		http_client_free(c);
		mem_dialer_free(&m);
	}
	/* A 3xx without Location is a final response. */
	{
		struct mem_script s[] = { { .reply = { "HTTP/1.1 304 Not Modified\r\n\r\n" } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 1);
		struct http_client *c = client(&m, 5, 3);
		CHECK_INT(get(c, "http://h/x", NULL, 0, NULL, &e), CB_EPROTO, "304");
		CHECK_STR(e.msg, "http: GET http://h/x: 304 Not Modified", "304");
		http_client_free(c);
		mem_dialer_free(&m);
	}
}

static void test_status_errors(void)
{
	struct cb_err e = { 0 };
	struct mem_script s[] = { { .reply = { "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found",
		                               "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n",
		                               "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found",
		                               "HTTP/1.1 302 Found\r\nLocation: /z\r\nContent-Length: 0\r\n\r\n",
		                               "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
		                               "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"r\"\r\nContent-Length: 0\r\n\r\n" } } };
	struct mem_dialer m;
	mem_dialer_init(&m, s, 1);
	struct http_client *c = client(&m, 5, 3);
	struct collect col;
	col_init(&col);
	CHECK_INT(get(c, "http://10.0.2.2:8080/x", NULL, 0, &col, &e), CB_ENOENT, "404");
	CHECK_STR(e.msg, "http: GET http://10.0.2.2:8080/x: 404 Not Found", "404");
	CHECK_STR(col.body.data, "", "no body delivered for 404");
	CHECK_INT(get(c, "http://10.0.2.2:8080/x", NULL, 0, NULL, &e), CB_EPROTO, "500");
	CHECK_STR(e.msg, "http: GET http://10.0.2.2:8080/x: 500 Internal Server Error", "500");
	col.accept_all = true;
	CHECK_INT(get(c, "http://10.0.2.2:8080/x", NULL, 0, &col, &e), 0, "404 accepted by the sink");
	CHECK_STR(col.body.data, "not found", "error body delivered when accepted");
	col.accept_all = false;
	CHECK_INT(get(c, "http://10.0.2.2:8080/y", NULL, 0, NULL, &e), CB_EPROTO, "403 after redirect");
	CHECK_STR(e.msg, "http: GET http://10.0.2.2:8080/y: 403 Forbidden (redirected to http://10.0.2.2:8080/z)",
	          "error after redirect names both URLs");
	/* on_response gets every header (the OCI client reads WWW-Authenticate). */
	col.accept_all = true;
	CHECK_INT(get(c, "http://10.0.2.2:8080/v2/", NULL, 0, &col, &e), 0, "401");
	CHECK_INT(col.status, 401, "401 status");
	CHECK_INT(m.n_dials, 1, "error responses keep the connection");
	http_client_free(c);
	http_buf_free(&col.body);
	mem_dialer_free(&m);
}

static void test_limits_and_input(void)
{
	struct cb_err e = { 0 };
	struct mem_script s[] = {
		{ .reply = { "HTTP/1.1 200 OK\r\nX-Big: 0123456789012345678901234567890123456789012345678901234567890\r\n\r\n" } },
		{ .reply = { "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab" } },
		{ .reply = { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n" } },
		{ .reply = { "garbage\r\n\r\n" } },
		{ .reply = { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" OK200(2) "ok" } },
		{ .reply = { "HTTP/1.1 101 Switching Protocols\r\n\r\n" } },
		{ .reply = { NULL }, .end = CB_ETIMEDOUT },
	};
	struct mem_dialer m;
	mem_dialer_init(&m, s, 7);
	struct http_client_opts o;
	http_client_opts_init(&o);
	o.max_header_bytes = 64;
	o.idle_ms = 2000;
	struct http_client *c = http_client_new(&m.d, &mem_clock, &o);
	CHECK_INT(get(c, "http://h/x", NULL, 0, NULL, &e), CB_ELIMIT, "big header");
	CHECK_STR(e.msg, "http: GET http://h/x: response header exceeds 64 bytes", "big header");
	CHECK_INT(get(c, "http://h/x", NULL, 0, NULL, &e), CB_EPROTO, "conflicting CL");
	CHECK_STR(e.msg, "http: GET http://h/x: conflicting Content-Length headers", "conflicting CL");
	struct collect col;
	col_init(&col);
	CHECK_INT(get(c, "http://h/x", NULL, 0, &col, &e), CB_EPROTO, "bad chunk");
	CHECK_STR(e.msg, "http: GET http://h/x: malformed chunk-size line (byte 0x7a) after 5 bytes of body", "bad chunk");
	CHECK_STR(col.body.data, "hello", "good chunk delivered before the bad one");
	CHECK_INT(get(c, "http://h/x", NULL, 0, NULL, &e), CB_EPROTO, "garbage");
	CHECK_STR(e.msg, "http: GET http://h/x: malformed status line \"garbage\"", "garbage");
	http_buf_free(&col.body);
	col_init(&col);
	CHECK_INT(get(c, "http://h/x", NULL, 0, &col, &e), 0, "1xx skipped");
	CHECK_STR(col.body.data, "ok", "1xx skipped");
	CHECK_INT(get(c, "http://h/x", NULL, 0, NULL, &e), CB_EPROTO, "101");
	CHECK_STR(e.msg, "http: GET http://h/x: unexpected 101 Switching Protocols", "101");
	CHECK_INT(get(c, "http://h/x", NULL, 0, NULL, &e), CB_ETIMEDOUT, "no response");
	CHECK_STR(e.msg, "http: GET http://h/x: no response within 2000 ms", "no response");
	CHECK_INT(get(c, "http://h/x", NULL, 0, NULL, &e), CB_ECONN, "dial failure");
	CHECK_STR(e.msg, "http: GET http://h/x: connect h:80: refused (no script)", "dial failure");

	/* Caller input. */
	CHECK_INT(get(c, "ftp://h/x", NULL, 0, NULL, &e), CB_EUNSUP, "bad scheme");
	CHECK_STR(e.msg, "http: GET ftp://h/x: invalid URL: unsupported scheme \"ftp\"", "bad scheme");
	struct http_header bad[] = { { "Host", "x" } };
	CHECK_INT(get(c, "http://h/x", bad, 1, NULL, &e), CB_EINVAL, "owned header");
	CHECK_STR(e.msg, "http: GET http://h/x: header \"Host\" is set by the client", "owned header");
	struct http_request rq = { .method = "GE T", .url = "http://h/" };
	CHECK_INT(http_request(c, &rq, NULL, &e), CB_EINVAL, "bad method");
	CHECK_STR(e.msg, "http: invalid method", "bad method");
	http_client_free(c);
	http_buf_free(&col.body);
	mem_dialer_free(&m);
}

static void test_sink_refusal(void)
{
	struct cb_err e = { 0 };
	struct mem_script s[] = { { .reply = { OK200(10) "0123456789", OK200(10) "0123456789" } },
		                  { .reply = { OK200(2) "ok" } } };
	struct mem_dialer m;
	mem_dialer_init(&m, s, 2);
	struct http_client *c = client(&m, 5, 3);
	struct collect col;
	col_init(&col);
	col.reject_response = CB_ELIMIT;
	CHECK_INT(get(c, "http://h/x", NULL, 0, &col, &e), CB_ELIMIT, "response refused");
	CHECK_STR(e.msg, "test: response 200 refused", "the sink's message is kept");
	col.reject_response = 0;
	CHECK_INT(get(c, "http://h/x", NULL, 0, &col, &e), 0, "after refusal");
	CHECK_INT(m.n_dials, 1, "a refused response with a small body keeps its connection");
	http_client_free(c);
	http_buf_free(&col.body);
	mem_dialer_free(&m);

	struct mem_script s2[] = { { .reply = { OK200(10) "0123456789" } } };
	static const uint8_t split4[] = { 4 };
	mem_dialer_init(&m, s2, 1);
	m.splits = split4, m.n_splits = 1;
	c = client(&m, 5, 3);
	col_init(&col);
	col.reject_after = 5;
	CHECK_INT(get(c, "http://h/x", NULL, 0, &col, &e), CB_ELIMIT, "body refused");
	CHECK_STR(e.msg, "test: body larger than 5 bytes", "body refused");
	http_client_free(c);
	http_buf_free(&col.body);
	mem_dialer_free(&m);
}

#define H200_10 "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nETag: \"v1\"\r\n\r\n"

static void test_resume(void)
{
	struct cb_err e = { 0 };
	/* Dropped twice, resumed twice: exact bytes, Range and If-Range, doubling backoff. */
	{
		struct mem_script s[] = {
			{ .reply = { H200_10 "0123" }, .end = CB_ECONN },
			{ .reply = { "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-9/10\r\nContent-Length: 6\r\nETag: \"v1\"\r\n\r\n45" },
			  .end = CB_ETIMEDOUT },
			{ .reply = { "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 6-9/10\r\nContent-Length: 4\r\n\r\n6789",
			             OK200(1) "z" } },
		};
		struct mem_dialer m;
		mem_dialer_init(&m, s, 3);
		struct http_client *c = client(&m, 5, 3);
		struct collect col;
		col_init(&col);
		mem_slept_ms = 0;
		struct http_header h[] = { { "Authorization", "Bearer t" } };
		CHECK_INT(get(c, "http://h/f", h, 1, &col, &e), 0, e.msg);
		CHECK_STR(col.body.data, "0123456789", "resumed body");
		CHECK_INT(col.responses, 1, "on_response once");
		CHECK_INT(mem_slept_ms, 300, "backoff 100 + 200 ms");
		CHECK_STR(sent(&m, 1), "GET /f HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer t\r\nUser-Agent: cloud-boot/0.1\r\n"
		                       "Range: bytes=4-\r\nIf-Range: \"v1\"\r\n\r\n", "first resume request");
		CHECK(strstr(sent(&m, 2), "Range: bytes=6-\r\n") != NULL, "second resume request");
		CHECK_INT(get(c, "http://h/g", NULL, 0, &col, &e), 0, "resumed connection is kept alive");
		CHECK_INT(m.n_dials, 3, "resumed connection is kept alive");
		http_client_free(c);
		http_buf_free(&col.body);
		mem_dialer_free(&m);
	}
	/* A weak ETag cannot go into If-Range: Last-Modified does. */
	{
		struct mem_script s[] = {
			{ .reply = { "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nETag: W/\"w\"\r\nLast-Modified: Tue, 01 Jan 2030 00:00:00 GMT\r\n\r\nab" },
			  .end = CB_ECONN },
			{ .reply = { "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 2-3/4\r\nContent-Length: 2\r\n\r\ncd" } },
		};
		struct mem_dialer m;
		mem_dialer_init(&m, s, 2);
		struct http_client *c = client(&m, 5, 3);
		struct collect col;
		col_init(&col);
		CHECK_INT(get(c, "http://h/f", NULL, 0, &col, &e), 0, e.msg);
		CHECK_STR(col.body.data, "abcd", "resumed with Last-Modified");
		CHECK(strstr(sent(&m, 1), "If-Range: Tue, 01 Jan 2030 00:00:00 GMT\r\n") != NULL, "If-Range Last-Modified");
		http_client_free(c);
		http_buf_free(&col.body);
		mem_dialer_free(&m);
	}
	/* Refusals: never a wrong byte. */
	static const struct {
		const char *reply, *msg;
	} refused[] = {
		{ OK200(10) "0123456789", "http: GET http://h/f: resume at byte 4 rejected: 200 OK instead of 206 Partial Content" },
		{ "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 5-9/10\r\nContent-Length: 5\r\n\r\n56789",
		  "http: GET http://h/f: resume at byte 4 rejected: Content-Range \"bytes 5-9/10\", expected \"bytes 4-9/10\"" },
		{ "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-10/11\r\nContent-Length: 7\r\n\r\n456789X",
		  "http: GET http://h/f: resume at byte 4 rejected: Content-Range \"bytes 4-10/11\", expected \"bytes 4-9/10\"" },
		{ "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-8/10\r\nContent-Length: 5\r\n\r\n45678",
		  "http: GET http://h/f: resume at byte 4 rejected: Content-Range \"bytes 4-8/10\", expected \"bytes 4-9/10\"" },
		{ "HTTP/1.1 206 Partial Content\r\nContent-Length: 6\r\n\r\n456789",
		  "http: GET http://h/f: resume at byte 4 rejected: Content-Range missing, expected \"bytes 4-9/10\"" },
		{ "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-9/10\r\nContent-Length: 7\r\n\r\n456789",
		  "http: GET http://h/f: resume at byte 4 rejected: 206 without a matching Content-Length" },
		{ "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-9/10\r\nContent-Length: 6\r\nETag: \"v2\"\r\n\r\n456789",
		  "http: GET http://h/f: resume at byte 4 rejected: ETag changed" },
		{ "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n\r\n",
		  "http: GET http://h/f: resume at byte 4 rejected: 416 Range Not Satisfiable instead of 206 Partial Content" },
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct mem_script s[] = { { .reply = { H200_10 "0123" }, .end = CB_ECONN }, { .reply = { refused[i].reply } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 2);
		struct http_client *c = client(&m, 5, 3);
		struct collect col;
		col_init(&col);
		CHECK_INT(get(c, "http://h/f", NULL, 0, &col, &e), CB_EPROTO, refused[i].msg);
		CHECK_STR(e.msg, refused[i].msg, "refused resume");
		CHECK_STR(col.body.data, "0123", "nothing delivered after a refused resume");
		http_client_free(c);
		http_buf_free(&col.body);
		mem_dialer_free(&m);
	}
	/* Exhausted: the last cause, the count. 5xx and failed dials are retried. */
	{
		struct mem_script s[] = {
			{ .reply = { H200_10 "0123" }, .end = CB_ECONN },
			{ .dial_error = CB_ECONN },
			{ .reply = { "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n" } },
			{ .reply = { "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-9/10\r\nContent-Length: 6\r\n\r\n45" } },
		};
		struct mem_dialer m;
		mem_dialer_init(&m, s, 4);
		struct http_client *c = client(&m, 3, 3);
		struct collect col;
		col_init(&col);
		mem_slept_ms = 0;
		CHECK_INT(get(c, "http://h/f", NULL, 0, &col, &e), CB_ECONN, "exhausted");
		CHECK_STR(e.msg, "http: GET http://h/f: connection closed after 6 of 10 bytes (resume 3 of 3 failed)", "exhausted");
		CHECK_STR(col.body.data, "012345", "exhausted body so far");
		CHECK_INT(mem_slept_ms, 700, "backoff 100 + 200 + 400 ms");
		http_client_free(c);
		http_buf_free(&col.body);
		mem_dialer_free(&m);
	}
	{
		struct mem_script s[] = { { .reply = { H200_10 "0123" }, .end = CB_ECONN }, { .dial_error = CB_ECONN } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 2);
		struct http_client *c = client(&m, 1, 3);
		CHECK_INT(get(c, "http://h/f", NULL, 0, NULL, &e), CB_ECONN, "exhausted on dial");
		CHECK_STR(e.msg, "http: GET http://h/f: connect h:80: scripted failure after 4 of 10 bytes (resume 1 of 1 failed)",
		          "exhausted on dial");
		http_client_free(c);
		mem_dialer_free(&m);
	}
	/* No resume: disabled, unknown length, ranges refused, a caller's own Range, not a GET. */
	static const struct {
		const char *reply;
		int end;
		unsigned max_resumes;
		const char *method, *msg;
		int rc;
	} none[] = {
		{ H200_10 "0123", CB_ECONN, 0, "GET", "http: GET http://h/f: connection reset after 4 of 10 bytes", CB_ECONN },
		{ H200_10 "0123", CB_ETIMEDOUT, 0, "GET", "http: GET http://h/f: no data for 30000 ms after 4 of 10 bytes", CB_ETIMEDOUT },
		{ "HTTP/1.1 200 OK\r\n\r\n0123", CB_ECONN, 5, "GET", "http: GET http://h/f: connection reset after 4 bytes", CB_ECONN },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n0123\r\n", 0, 5, "GET",
		  "http: GET http://h/f: connection closed after 4 bytes", CB_ECONN },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nAccept-Ranges: none\r\n\r\n0123", 0, 5, "GET",
		  "http: GET http://h/f: connection closed after 4 of 10 bytes (server does not accept ranges)", CB_ECONN },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123", 0, 5, "DELETE",
		  "http: DELETE http://h/f: connection closed after 4 of 10 bytes", CB_ECONN },
		{ "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/20\r\nContent-Length: 10\r\n\r\n0123", 0, 5, "GET",
		  "http: GET http://h/f: connection closed after 4 of 10 bytes", CB_ECONN },
	};
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		struct mem_script s[] = { { .reply = { none[i].reply }, .end = none[i].end }, { .reply = { OK200(1) "x" } } };
		struct mem_dialer m;
		mem_dialer_init(&m, s, 2);
		struct http_client *c = client(&m, none[i].max_resumes, 3);
		struct collect col;
		col_init(&col);
		col.accept_all = true;
		struct http_header range[] = { { "Range", "bytes=0-9" } };
		struct http_request rq = { .method = none[i].method, .url = "http://h/f", .headers = range,
			                   .n_headers = strstr(none[i].reply, "206") ? 1 : 0 };
		CHECK_INT(http_request(c, &rq, &col.sink, &e), none[i].rc, none[i].msg);
		CHECK_STR(e.msg, none[i].msg, "no resume");
		CHECK_STR(col.body.data, "0123", "no resume body");
		CHECK_INT(m.n_dials, 1, "no resume dials");
		http_client_free(c);
		http_buf_free(&col.body);
		mem_dialer_free(&m);
	}
}

static void test_long_url_in_messages(void)
{
	struct cb_err e = { 0 };
	struct mem_script s[] = { { .reply = { "HTTP/1.1 302 Found\r\nLocation: https://storage.example/blob?X-Amz-Credential=AKIA%2F20300101&X-Amz-Signature=0123456789abcdef0123456789abcdef\r\n\r\n" } },
		                  { .reply = { "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n" } } };
	struct mem_dialer m;
	mem_dialer_init(&m, s, 2);
	struct http_client *c = client(&m, 5, 3);
	CHECK_INT(get(c, "http://reg/v2/x/blobs/sha256:ab", NULL, 0, NULL, &e), CB_EPROTO, "403 from storage");
	CHECK_STR(e.msg, "http: GET http://reg/v2/x/blobs/sha256:ab: 403 Forbidden (redirected to https://storage.example/blob?...)",
	          "signed query kept out of messages");
	http_client_free(c);
	mem_dialer_free(&m);
}

int main(void)
{
	test_basic();
	test_keepalive();
	test_stale_connection();
	test_no_reuse();
	test_redirects();
	test_status_errors();
	test_limits_and_input();
	test_sink_refusal();
	test_resume();
	test_long_url_in_messages();
	return check_summary("http_client_test");
}
