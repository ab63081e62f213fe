/* http.h: cloud-boot's one HTTP/1.1 client (GET/HEAD/POST/PUT/PATCH/DELETE, keep-alive, redirects, resume of
 * dropped GETs with Range). Talks only through cb_dialer/cb_transport/cb_clock; it knows nothing of TLS or lwIP. */
#ifndef CB_HTTP_H
#define CB_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "transport.h"

#define HTTP_MAX_HEADERS 100                   /* header lines per response (also trailer lines) */
#define HTTP_DEFAULT_MAX_HEADER_BYTES (16 * 1024)

struct http_header {
	const char *name, *value;
};

/* What on_response sees. Every pointer stays valid until http_request() returns. */
struct http_response {
	int status;                 /* 100..599 (never 1xx or a followed redirect here) */
	const char *reason;         /* reason phrase, possibly "" */
	uint64_t content_length;    /* body length; UINT64_MAX if unknown (chunked, read-until-close) */
	bool chunked;
	const char *method;         /* as sent on the final hop (303 turns POST into GET) */
	const char *url;            /* the URL the caller asked for */
	const char *final_url;      /* after redirects (== url without them) */
	const struct http_header *headers;
	size_t n_headers;
};

/* Value of the first header called `name` (ASCII case-insensitive), or NULL. */
const char *http_response_header(const struct http_response *r, const char *name);

/* 0 for a 2xx status; otherwise the standard message "http: GET <url>: 404 Not Found" and CB_ENOENT
 * (404, 410), CB_EPROTO (other statuses). For sinks that want the default status policy. */
int http_response_error(const struct http_response *r, struct cb_err *e);

struct http_request {
	const char *method;                /* NULL = "GET" */
	const char *url;                   /* http:// or https:// */
	const struct http_header *headers; /* extra headers; not Host, Content-Length, Transfer-Encoding,
	                                      Connection (the client owns them) */
	size_t n_headers;
	const void *body;                  /* sent with Content-Length; POST/PUT/PATCH always send one */
	size_t body_len;
};

struct http_sink {
	/* After the final response header (redirects followed). NULL: 2xx go on to on_body, everything else
	 * fails with http_response_error()'s message. Non-NULL: called for every final status; return 0 to
	 * receive the body, or a CB_E* code (with e set) to abort. */
	int (*on_response)(void *ctx, const struct http_response *r, struct cb_err *e);
	/* Body bytes in order as they arrive; never duplicated, even across resumes. NULL: discarded.
	 * Nonzero return aborts the request with that code. */
	int (*on_body)(void *ctx, const void *data, size_t len, struct cb_err *e);
	void *ctx;
};

struct http_client_opts {
	uint32_t connect_ms;       /* connect + TLS handshake; 0 = 10000 */
	uint32_t idle_ms;          /* no progress for this long fails (or resumes) the transfer; 0 = 30000 */
	unsigned max_redirects;    /* 0 = follow none */
	unsigned max_resumes;      /* reconnects of one GET whose body dropped; 0 = none */
	uint32_t backoff_ms;       /* wait before the first resume, doubled each time (capped at 60 s) */
	size_t max_header_bytes;   /* status line + headers; 0 = 16 KiB */
	const char *user_agent;    /* NULL = "cloud-boot/0.1" */
};

/* Defaults: 10 s connect, 30 s idle, 10 redirects, 5 resumes, 500 ms backoff, 16 KiB header. */
void http_client_opts_init(struct http_client_opts *o);

struct http_client;

/* o == NULL: defaults. The dialer and clock must outlive the client; clk may be NULL (no backoff wait). */
struct http_client *http_client_new(struct cb_dialer *d, const struct cb_clock *clk, const struct http_client_opts *o);

/* One request, following redirects, reusing kept-alive connections, resuming dropped GET bodies.
 * 0 when the sink accepted the response and its whole body was delivered; otherwise a CB_E* code with one
 * line in e, e.g. "http: GET http://10.0.2.2:8080/x: 404 Not Found". Not reentrant per client. */
int http_request(struct http_client *c, const struct http_request *req, struct http_sink *sink, struct cb_err *e);

/* Closes the idle connections and frees the client. NULL is fine. */
void http_client_free(struct http_client *c);

#endif
