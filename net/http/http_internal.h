/* http_internal.h: the pieces the HTTP client is assembled from (response-head parser, chunked decoder,
 * request writer, message helpers), shared by the files of net/http and the unit tests. Not a public API. */
#ifndef CB_HTTP_INTERNAL_H
#define CB_HTTP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "http.h"
#include "http_url.h"

/* ---- http_msg.c: growable byte buffer and URLs fit for error messages ---- */

struct http_buf {
	char *data;
	size_t len, cap;
	bool failed; /* an allocation failed or a size overflowed; data is then unusable */
};
void http_buf_put(struct http_buf *b, const void *p, size_t n);
void http_buf_puts(struct http_buf *b, const char *s);
void http_buf_free(struct http_buf *b);

/* Copies `url` into buf (size >= 16) for an error message: non-printable bytes as \xNN, a query longer than
 * 64 bytes shown as "?..." (signed URLs carry credentials there), at most 160 characters. Returns buf. */
const char *http_url_for_msg(const char *url, char *buf, size_t size);
#define HTTP_URL_MSG_SIZE 176

/* Printable, quoted excerpt of hostile bytes for messages: at most 40 input bytes, \xNN escapes. */
const char *http_excerpt(const char *p, size_t len, char *buf, size_t size);
#define HTTP_EXCERPT_SIZE 176

/* ---- http_head.c: status line + header fields of one response ---- */

enum http_framing {
	HTTP_BODY_NONE,   /* HEAD, 1xx, 204, 304 */
	HTTP_BODY_LENGTH, /* Content-Length */
	HTTP_BODY_CHUNKED,
	HTTP_BODY_CLOSE,  /* until the server closes */
};

struct http_head {
	size_t max_bytes;       /* limit for status line + headers + the empty line */
	char *buf;              /* max_bytes + 1 bytes, owned */
	size_t len;
	size_t skip;            /* empty lines before the status line (tolerated, RFC 9112 section 2.2) */
	unsigned eol_run;       /* line ends seen in a row (CRs ignored) while looking for the empty line */
	bool started, complete;
	/* Filled by http_head_parse: */
	int version_minor;      /* HTTP/1.<minor> */
	int status;
	const char *reason;
	struct http_header hdrs[HTTP_MAX_HEADERS];
	size_t n_hdrs;
};

int http_head_init(struct http_head *h, size_t max_bytes, struct cb_err *e);
void http_head_reset(struct http_head *h); /* for the next response (after a 1xx, a resume) */
void http_head_free(struct http_head *h);
/* Takes bytes until the end of the header section; *used tells how many were consumed (the rest is body).
 * CB_ELIMIT "response header exceeds N bytes". */
int http_head_feed(struct http_head *h, const void *in, size_t len, size_t *used, struct cb_err *e);
/* Parses a complete head in place. CB_EPROTO with the offending line quoted, CB_ELIMIT over 100 fields. */
int http_head_parse(struct http_head *h, struct cb_err *e);
const char *http_head_get(const struct http_head *h, const char *name);

struct http_framing_info {
	enum http_framing framing;
	uint64_t length;  /* HTTP_BODY_LENGTH: Content-Length; otherwise the header's value or UINT64_MAX */
	bool keep_alive;  /* the connection may carry another request after this response */
};
/* Message framing (RFC 9112 section 6.3) of a parsed head answering `method`. Rejects conflicting or
 * malformed Content-Length and unsupported Transfer-Encodings. */
int http_head_framing(const struct http_head *h, const char *method, struct http_framing_info *fi,
                      struct cb_err *e);

/* Strict decimal uint64 of a whole string ("" and overflow rejected). */
bool http_parse_u64(const char *s, size_t len, uint64_t *out);

/* "bytes <first>-<last>/<total>" of a Content-Range value; false if malformed or total unknown ("*"). */
bool http_parse_content_range(const char *v, uint64_t *first, uint64_t *last, uint64_t *total);

/* ---- http_chunked.c: incremental chunked transfer-coding decoder ---- */

#define HTTP_CHUNK_LINE_MAX 4096 /* chunk-size line including extensions */

struct http_chunked {
	int state;
	uint64_t remaining;     /* of the current chunk's data */
	size_t line_len;        /* bytes of the current size/trailer line */
	size_t trailer_bytes, trailer_max;
	unsigned trailer_lines;
	bool digits;            /* the size line had a hex digit */
	bool done;              /* the last chunk and the trailer section were read */
};

void http_chunked_init(struct http_chunked *c, size_t trailer_max);
/* Decodes buf[0..len) in place: *out_len body bytes end up at buf[0..*out_len), *consumed input bytes were
 * used (less than len only when done: the rest follows the message). */
int http_chunked_decode(struct http_chunked *c, uint8_t *buf, size_t len, size_t *out_len, size_t *consumed,
                        struct cb_err *e);

/* ---- http_request.c: the request head on the wire ---- */

struct http_req_extra {
	const char *user_agent;
	bool strip_auth;       /* leave out Authorization/Proxy-Authorization/Cookie (another origin) */
	bool drop_body_headers;/* leave out Content-Type & co. (a 303 turned the request into a GET) */
	bool send_length;      /* Content-Length: body_len */
	size_t body_len;
	uint64_t range_from;   /* Range: bytes=<range_from>- when has_range */
	bool has_range;
	const char *if_range;  /* If-Range value or NULL */
};

/* Checks caller headers: token names, no CR/LF/NUL in values, none of the client-owned ones. */
int http_check_headers(const struct http_header *h, size_t n, struct cb_err *e);
/* Appends the request line and headers (ending with the empty line) to b. */
int http_write_request(struct http_buf *b, const char *method, const struct http_url *u,
                       const struct http_header *h, size_t n, const struct http_req_extra *x, struct cb_err *e);

#endif
