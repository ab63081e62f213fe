/* http_client.c: the request state machine: connection pool and keep-alive, redirects, body framing and
 * streaming, resume of dropped GETs with Range. Parsing lives in http_head.c/http_chunked.c, URLs in http_url.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cb_checked.h"
#include "http_internal.h"

#define HTTP_POOL_MAX 4           /* idle kept-alive connections (registry + blob storage + spare) */
#define HTTP_RBUF_SIZE (16 * 1024)
#define HTTP_DRAIN_MAX (64 * 1024) /* bodies of redirects and refused responses read to keep the connection */
#define HTTP_BACKOFF_CAP_MS 60000u

struct http_conn {
	struct cb_transport *t;
	char *host;
	uint16_t port;
	bool tls;
	bool reused;      /* served a response before: the server may have closed it meanwhile */
	uint64_t idle_seq;
};

struct http_client {
	struct cb_dialer *d;
	const struct cb_clock *clk;
	struct http_client_opts o;
	struct http_conn *pool[HTTP_POOL_MAX];
	uint64_t seq;
	uint8_t *rbuf;
	size_t rpos, rlen; /* unread bytes of the current connection: rbuf[rpos..rlen) */
};

void http_client_opts_init(struct http_client_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_ms = 10000;
	o->idle_ms = 30000;
	o->max_redirects = 10;
	o->max_resumes = 5;
	o->backoff_ms = 500;
	o->max_header_bytes = HTTP_DEFAULT_MAX_HEADER_BYTES;
	o->user_agent = "cloud-boot/0.1";
}

struct http_client *http_client_new(struct cb_dialer *d, const struct cb_clock *clk, const struct http_client_opts *o)
{
	struct http_client *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->rbuf = malloc(HTTP_RBUF_SIZE);
	if (!c->rbuf) {
		free(c);
		return NULL;
	}
	c->d = d;
	c->clk = clk;
	http_client_opts_init(&c->o);
	if (o) {
		c->o = *o;
		if (!c->o.connect_ms)
			c->o.connect_ms = 10000;
		if (!c->o.idle_ms)
			c->o.idle_ms = 30000;
		if (!c->o.max_header_bytes)
			c->o.max_header_bytes = HTTP_DEFAULT_MAX_HEADER_BYTES;
		if (!c->o.user_agent)
			c->o.user_agent = "cloud-boot/0.1";
	}
	return c;
}

static void conn_close(struct http_conn *k)
{
	if (!k)
		return;
	if (k->t)
		k->t->close(k->t);
	free(k->host);
	free(k);
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < HTTP_POOL_MAX; i++)
		conn_close(c->pool[i]);
	free(c->rbuf);
	free(c);
}

static struct http_conn *pool_take(struct http_client *c, const struct http_url *u)
{
	for (size_t i = 0; i < HTTP_POOL_MAX; i++) {
		struct http_conn *k = c->pool[i];
		if (k && k->tls == u->tls && k->port == u->port && !strcmp(k->host, u->host)) {
			c->pool[i] = NULL;
			return k;
		}
	}
	return NULL;
}

static void pool_put(struct http_client *c, struct http_conn *k)
{
	size_t slot = 0;
	for (size_t i = 0; i < HTTP_POOL_MAX; i++) {
		if (!c->pool[i]) {
			slot = i;
			break;
		}
		if (c->pool[i]->idle_seq < c->pool[slot]->idle_seq)
			slot = i;
	}
	conn_close(c->pool[slot]); /* the least recently used one, when all are taken */
	k->reused = true;
	k->idle_seq = ++c->seq;
	c->pool[slot] = k;
}

const char *http_response_header(const struct http_response *r, const char *name)
{
	for (size_t i = 0; i < r->n_headers; i++)
		if (!strcasecmp(r->headers[i].name, name))
			return r->headers[i].value;
	return NULL;
}

/* "http: GET <url>: " + fmt, and " (redirected to <final>)" when the final URL differs. */
static int verr_req(struct cb_err *e, int code, const char *method, const char *url, const char *final,
                    const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
static int verr_req(struct cb_err *e, int code, const char *method, const char *url, const char *final,
                    const char *fmt, va_list ap)
{
	char u1[HTTP_URL_MSG_SIZE], u2[HTTP_URL_MSG_SIZE], cause[CB_ERR_MSG_MAX];
	vsnprintf(cause, sizeof(cause), fmt, ap);
	if (final && strcmp(final, url) != 0)
		return cb_errf(e, code, "http: %s %s: %s (redirected to %s)", method, http_url_for_msg(url, u1, sizeof(u1)),
		               cause, http_url_for_msg(final, u2, sizeof(u2)));
	return cb_errf(e, code, "http: %s %s: %s", method, http_url_for_msg(url, u1, sizeof(u1)), cause);
}

static int err_req(struct cb_err *e, int code, const char *method, const char *url, const char *final,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int err_req(struct cb_err *e, int code, const char *method, const char *url, const char *final,
                   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr_req(e, code, method, url, final, fmt, ap);
	va_end(ap);
	return code;
}

int http_response_error(const struct http_response *r, struct cb_err *e)
{
	if (r->status >= 200 && r->status <= 299)
		return 0;
	int code = (r->status == 404 || r->status == 410) ? CB_ENOENT : CB_EPROTO;
	const char *reason = r->reason ? r->reason : "";
	char ex[HTTP_EXCERPT_SIZE];
	http_excerpt(reason, strlen(reason), ex, sizeof(ex));
	ex[strlen(ex) - 1] = 0; /* without the quotes */
	return err_req(e, code, r->method, r->url, r->final_url, "%d%s%s", r->status, *reason ? " " : "", ex + 1);
}

/* ---- one request ---- */

struct range_req {
	uint64_t from;
	const char *if_range;
};

struct req {
	struct http_client *c;
	const struct http_request *rq;
	struct http_sink *sink;
	struct cb_err *e;
	const char *orig_method;
	const char *method;      /* of the current hop */
	char *url;               /* current URL */
	struct http_url u;
	bool strip_auth;         /* crossed to another origin: credentials stay behind */
	bool body_dropped;       /* a 303 (or 301/302 after POST) made it a GET */
	bool caller_range;       /* the caller asked for a range itself: no automatic resume */
	struct http_conn *k;     /* connection in use */
	bool k_dirty;            /* unexpected bytes after a response: not reusable */
	struct http_head head;   /* the final response */
	struct http_head rhead;  /* responses to resume requests */
	struct http_buf wbuf;
	struct cb_err te;        /* causes, before they get the request prefix */
};

static int fail(struct req *st, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct req *st, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr_req(st->e, code, st->orig_method, st->rq->url, st->url, fmt, ap);
	va_end(ap);
	return code;
}

static void te_clear(struct req *st)
{
	st->te.code = 0;
	st->te.msg[0] = 0;
}

/* A transport or dialer that failed without a message still gets one. */
static void te_default(struct req *st, int code)
{
	if (!st->te.msg[0])
		cb_errf(&st->te, code, "%s", cb_status_str(code));
	st->te.code = code;
}

static void drop_conn(struct req *st)
{
	conn_close(st->k);
	st->k = NULL;
}

static void release_conn(struct req *st, bool keep_alive)
{
	if (!st->k)
		return;
	if (keep_alive && !st->k_dirty && st->c->rpos == st->c->rlen) {
		pool_put(st->c, st->k);
		st->k = NULL;
	} else {
		drop_conn(st);
	}
}

static int open_conn(struct req *st, bool *fresh)
{
	struct http_client *c = st->c;
	c->rpos = c->rlen = 0;
	st->k_dirty = false;
	st->k = pool_take(c, &st->u);
	*fresh = st->k == NULL;
	if (st->k)
		return 0;
	struct http_conn *k = calloc(1, sizeof(*k));
	char *host = k ? malloc(strlen(st->u.host) + 1) : NULL;
	if (!host) {
		free(k);
		return cb_errf(&st->te, CB_ENOMEM, "out of memory for a connection");
	}
	strcpy(host, st->u.host);
	struct cb_dial_opts o = { .tls = st->u.tls, .connect_ms = c->o.connect_ms, .idle_ms = c->o.idle_ms };
	te_clear(st);
	int rc = c->d->dial(c->d, st->u.host, st->u.port, &o, &k->t, &st->te);
	if (rc || !k->t) {
		rc = rc ? rc : CB_ECONN;
		te_default(st, rc);
		free(host);
		free(k);
		return rc;
	}
	k->host = host;
	k->port = st->u.port;
	k->tls = st->u.tls;
	st->k = k;
	return 0;
}

static bool method_is(const char *m, const char *want)
{
	return !strcmp(m, want);
}

static int send_request(struct req *st, const struct range_req *rr)
{
	const struct http_request *rq = st->rq;
	bool body = !st->body_dropped && rq->body_len > 0;
	bool len = body || (!st->body_dropped && (method_is(st->method, "POST") || method_is(st->method, "PUT") ||
	                                          method_is(st->method, "PATCH")));
	struct http_req_extra x = {
		.user_agent = st->c->o.user_agent,
		.strip_auth = st->strip_auth,
		.drop_body_headers = st->body_dropped,
		.send_length = len,
		.body_len = body ? rq->body_len : 0,
		.has_range = rr != NULL,
		.range_from = rr ? rr->from : 0,
		.if_range = rr ? rr->if_range : NULL,
	};
	st->wbuf.len = 0;
	int rc = http_write_request(&st->wbuf, st->method, &st->u, rq->headers, rq->n_headers, &x, &st->te);
	if (rc)
		return rc;
	struct cb_transport *t = st->k->t;
	te_clear(st);
	rc = t->send(t, st->wbuf.data, st->wbuf.len, &st->te);
	if (!rc && body)
		rc = t->send(t, rq->body, rq->body_len, &st->te);
	if (rc) {
		te_default(st, rc);
		cb_err_prefix(&st->te, "sending request: ");
	}
	return rc;
}

/* Reads the response head (skipping 1xx) into h. The bytes after it stay in c->rbuf for the body. */
static int read_head(struct req *st, struct http_head *h, bool *got_any)
{
	struct http_client *c = st->c;
	unsigned interim = 0;
	http_head_reset(h);
	for (;;) {
		if (c->rpos == c->rlen) {
			te_clear(st);
			long n = st->k->t->recv(st->k->t, c->rbuf, HTTP_RBUF_SIZE, &st->te);
			if (n == 0)
				return cb_errf(&st->te, CB_ECONN, "connection closed before the response header");
			if (n < 0) {
				int code = n < -1000 ? CB_EIO : (int)n;
				if (code == CB_ETIMEDOUT)
					return cb_errf(&st->te, code, "no response within %u ms", (unsigned)c->o.idle_ms);
				te_default(st, code);
				return cb_err_prefix(&st->te, "receiving response header: ");
			}
			if ((size_t)n > HTTP_RBUF_SIZE)
				return cb_errf(&st->te, CB_EIO, "transport returned more than asked for");
			c->rpos = 0;
			c->rlen = (size_t)n;
			*got_any = true;
		}
		size_t used;
		int rc = http_head_feed(h, c->rbuf + c->rpos, c->rlen - c->rpos, &used, &st->te);
		if (rc)
			return rc;
		c->rpos += used;
		if (!h->complete)
			continue;
		if ((rc = http_head_parse(h, &st->te)))
			return rc;
		if (h->status >= 200)
			return 0;
		if (h->status == 101)
			return cb_errf(&st->te, CB_EPROTO, "unexpected 101 Switching Protocols");
		if (++interim > 10)
			return cb_errf(&st->te, CB_ELIMIT, "more than 10 interim (1xx) responses");
		http_head_reset(h); /* 100 Continue, 103 Early Hints: the real response follows */
	}
}

/* Sends the current request (with a Range when rr) and reads the response head into h; st->k then holds
 * the connection positioned at the body. A kept-alive connection the server closed meanwhile (nothing
 * received) is retried once on a fresh one. On failure te holds the cause and *transport tells whether the
 * network (dial, send, recv) failed rather than the peer's protocol. */
static int exchange(struct req *st, struct http_head *h, const struct range_req *rr, bool *transport)
{
	for (int attempt = 0;; attempt++) {
		bool fresh, got_any = false;
		*transport = true;
		int rc = open_conn(st, &fresh);
		if (rc)
			return rc;
		rc = send_request(st, rr);
		if (rc == CB_EINVAL || rc == CB_ENOMEM) {
			*transport = false;
			drop_conn(st);
			return rc;
		}
		if (!rc) {
			rc = read_head(st, h, &got_any);
			if (rc && got_any)
				*transport = rc == CB_ECONN || rc == CB_EIO || rc == CB_ETIMEDOUT;
		}
		if (!rc)
			return 0;
		drop_conn(st);
		if (!fresh && !got_any && attempt == 0 && rc != CB_ETIMEDOUT)
			continue;
		return rc;
	}
}

/* ---- bodies ---- */

enum { PUMP_DONE, PUMP_BROKEN /* te: the transfer broke */, PUMP_PROTO /* te: bad framing */,
       PUMP_SINK /* e: the sink refused */ };

struct body {
	enum http_framing framing;
	uint64_t total; /* HTTP_BODY_LENGTH: the whole length (the end offset, also across resumes) */
	uint64_t got;   /* delivered so far */
	struct http_chunked ch;
	bool discard;   /* draining: no sink, at most HTTP_DRAIN_MAX */
	int sink_rc;
};

static int deliver(struct req *st, struct body *b, const uint8_t *p, size_t n)
{
	if (b->discard)
		return b->got + n > HTTP_DRAIN_MAX ? PUMP_BROKEN : PUMP_DONE;
	if (!st->sink || !st->sink->on_body)
		return PUMP_DONE;
	st->e->code = 0;
	st->e->msg[0] = 0;
	int rc = st->sink->on_body(st->sink->ctx, p, n, st->e);
	if (!rc)
		return PUMP_DONE;
	b->sink_rc = rc < 0 ? rc : CB_EINVAL;
	if (!st->e->msg[0])
		fail(st, b->sink_rc, "body rejected by the caller after %llu bytes", (unsigned long long)b->got);
	return PUMP_SINK;
}

static int pump(struct req *st, struct body *b)
{
	struct http_client *c = st->c;
	for (;;) {
		if (b->framing == HTTP_BODY_NONE)
			return PUMP_DONE;
		if (b->framing == HTTP_BODY_LENGTH && b->got == b->total) {
			if (c->rpos < c->rlen)
				st->k_dirty = true;
			return PUMP_DONE;
		}
		uint8_t *p;
		size_t n;
		if (c->rpos < c->rlen) {
			p = c->rbuf + c->rpos;
			n = c->rlen - c->rpos;
		} else {
			te_clear(st);
			long r = st->k->t->recv(st->k->t, c->rbuf, HTTP_RBUF_SIZE, &st->te);
			if (r == 0) {
				if (b->framing == HTTP_BODY_CLOSE)
					return PUMP_DONE;
				cb_errf(&st->te, CB_ECONN, "connection closed");
				return PUMP_BROKEN;
			}
			if (r < 0) {
				int code = r < -1000 ? CB_EIO : (int)r;
				if (code == CB_ETIMEDOUT)
					cb_errf(&st->te, code, "no data for %u ms", (unsigned)c->o.idle_ms);
				else if (code == CB_ECONN)
					cb_errf(&st->te, code, "connection reset");
				else
					te_default(st, code);
				return PUMP_BROKEN;
			}
			if ((size_t)r > HTTP_RBUF_SIZE) {
				cb_errf(&st->te, CB_EIO, "transport returned more than asked for");
				return PUMP_BROKEN;
			}
			p = c->rbuf;
			n = (size_t)r;
		}
		c->rpos = c->rlen = 0; /* all of p[0..n) is consumed below */
		size_t out = n;
		if (b->framing == HTTP_BODY_LENGTH) {
			if ((uint64_t)n > b->total - b->got) {
				out = (size_t)(b->total - b->got);
				st->k_dirty = true; /* more than Content-Length */
			}
		} else if (b->framing == HTTP_BODY_CHUNKED) {
			size_t used;
			if (http_chunked_decode(&b->ch, p, n, &out, &used, &st->te)) {
				struct cb_err keep = st->te; /* the good bytes before the bad ones still count */
				int rc = out && !b->discard ? deliver(st, b, p, out) : PUMP_DONE;
				if (rc)
					return rc;
				b->got += out;
				st->te = keep;
				return PUMP_PROTO;
			}
			if (used < n)
				st->k_dirty = true; /* bytes after the last chunk */
		}
		uint64_t got;
		if (!cb_add_ok(b->got, (uint64_t)out, &got)) {
			cb_errf(&st->te, CB_EPROTO, "body length overflows 64 bits");
			return PUMP_PROTO;
		}
		if (out) {
			int rc = deliver(st, b, p, out);
			if (rc)
				return rc;
		}
		b->got = got;
		if (b->framing == HTTP_BODY_CHUNKED && b->ch.done)
			return PUMP_DONE;
	}
}

/* Reads and drops a small body so the connection can serve the next request; closes it otherwise. */
static void drain(struct req *st, const struct http_framing_info *fi)
{
	if (!st->k)
		return;
	if (fi->framing == HTTP_BODY_CLOSE || (fi->framing == HTTP_BODY_LENGTH && fi->length > HTTP_DRAIN_MAX)) {
		drop_conn(st);
		return;
	}
	struct body b = { .framing = fi->framing, .total = fi->length, .discard = true };
	http_chunked_init(&b.ch, st->c->o.max_header_bytes);
	if (pump(st, &b) == PUMP_DONE)
		release_conn(st, fi->keep_alive);
	else
		drop_conn(st);
}

static void backoff(struct http_client *c, unsigned n)
{
	uint32_t ms = c->o.backoff_ms;
	for (unsigned i = 1; i < n && ms < HTTP_BACKOFF_CAP_MS; i++)
		ms *= 2;
	if (ms > HTTP_BACKOFF_CAP_MS)
		ms = HTTP_BACKOFF_CAP_MS;
	if (ms && c->clk && c->clk->sleep_ms)
		c->clk->sleep_ms(c->clk->ctx, ms);
}

/* One resume attempt at b->got. 0: st->k is positioned at the rest of the body. Otherwise *retry says
 * whether another attempt may help (te holds the cause) or the server refused for good (e is set). */
static int resume(struct req *st, struct body *b, const char *if_range, const char *etag, bool *keep, bool *retry)
{
	char ex[HTTP_EXCERPT_SIZE];
	unsigned long long at = b->got, total = b->total;
	struct range_req rr = { .from = b->got, .if_range = if_range };
	bool transport;
	struct http_head *h = &st->rhead;
	int rc = exchange(st, h, &rr, &transport);
	if (rc) {
		*retry = transport;
		return transport ? rc : fail(st, rc, "resume at byte %llu: %s", at, st->te.msg);
	}
	*retry = false;
	if (h->status >= 500) { /* a passing outage: try again later */
		cb_errf(&st->te, CB_EPROTO, "%d %s", h->status, h->reason);
		*retry = true;
		drop_conn(st);
		return CB_EPROTO;
	}
	if (h->status != 206) {
		drop_conn(st);
		return fail(st, CB_EPROTO, "resume at byte %llu rejected: %d %s instead of 206 Partial Content", at,
		            h->status, h->reason);
	}
	struct http_framing_info fi;
	if ((rc = http_head_framing(h, "GET", &fi, &st->te))) {
		drop_conn(st);
		return fail(st, rc, "resume at byte %llu: %s", at, st->te.msg);
	}
	const char *cr = http_head_get(h, "Content-Range");
	uint64_t first, last, whole;
	if (!cr || !http_parse_content_range(cr, &first, &last, &whole) || first != b->got || last != b->total - 1 ||
	    whole != b->total) {
		drop_conn(st);
		return fail(st, CB_EPROTO, "resume at byte %llu rejected: Content-Range %s, expected \"bytes %llu-%llu/%llu\"",
		            at, cr ? http_excerpt(cr, strlen(cr), ex, sizeof(ex)) : "missing", at, total - 1, total);
	}
	if (fi.framing != HTTP_BODY_LENGTH || fi.length != b->total - b->got) {
		drop_conn(st);
		return fail(st, CB_EPROTO, "resume at byte %llu rejected: 206 without a matching Content-Length", at);
	}
	const char *etag2 = http_head_get(h, "ETag");
	if (etag && etag2 && strcmp(etag, etag2) != 0) {
		drop_conn(st);
		return fail(st, CB_EPROTO, "resume at byte %llu rejected: ETag changed", at);
	}
	*keep = fi.keep_alive;
	return 0;
}

static int receive_body(struct req *st, const struct http_framing_info *fi)
{
	struct http_client *c = st->c;
	struct body b = { .framing = fi->framing, .total = fi->length };
	http_chunked_init(&b.ch, c->o.max_header_bytes);
	const char *etag = http_head_get(&st->head, "ETag"), *lm = http_head_get(&st->head, "Last-Modified");
	const char *ranges = http_head_get(&st->head, "Accept-Ranges");
	const char *if_range = etag && strncmp(etag, "W/", 2) != 0 ? etag : lm; /* If-Range takes no weak ETag */
	bool no_ranges = ranges && !strcasecmp(ranges, "none");
	bool resumable = method_is(st->method, "GET") && fi->framing == HTTP_BODY_LENGTH && st->head.status == 200 &&
	                 !st->caller_range && c->o.max_resumes > 0 && !no_ranges;
	bool keep = fi->keep_alive;
	unsigned resumes = 0;
	for (;;) {
		int rc = pump(st, &b);
		if (rc == PUMP_DONE) {
			release_conn(st, keep);
			return 0;
		}
		drop_conn(st);
		if (rc == PUMP_SINK)
			return b.sink_rc;
		if (rc == PUMP_PROTO)
			return fail(st, st->te.code, "%s after %llu bytes of body", st->te.msg, (unsigned long long)b.got);
		char cause[CB_ERR_MSG_MAX];
		int code = st->te.code;
		memcpy(cause, st->te.msg, sizeof(cause));
		if (!resumable) {
			if (b.framing == HTTP_BODY_LENGTH)
				return fail(st, code, "%s after %llu of %llu bytes%s", cause, (unsigned long long)b.got,
				            (unsigned long long)b.total, no_ranges ? " (server does not accept ranges)" : "");
			return fail(st, code, "%s after %llu bytes", cause, (unsigned long long)b.got);
		}
		for (;;) {
			if (resumes == c->o.max_resumes)
				return fail(st, code, "%s after %llu of %llu bytes (resume %u of %u failed)", cause,
				            (unsigned long long)b.got, (unsigned long long)b.total, resumes, c->o.max_resumes);
			resumes++;
			backoff(c, resumes);
			bool retry;
			rc = resume(st, &b, if_range, etag, &keep, &retry);
			if (!rc)
				break;
			if (!retry)
				return rc;
			code = st->te.code ? st->te.code : rc;
			memcpy(cause, st->te.msg, sizeof(cause));
		}
	}
}

static bool is_redirect(int s)
{
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
}

static bool token_ok(const char *m)
{
	if (!*m || strlen(m) > 32)
		return false;
	for (; *m; m++)
		if (!((*m >= 'A' && *m <= 'Z') || (*m >= 'a' && *m <= 'z') || (*m >= '0' && *m <= '9') || *m == '-' ||
		      *m == '_'))
			return false;
	return true;
}

int http_request(struct http_client *c, const struct http_request *rq, struct http_sink *sink, struct cb_err *e)
{
	struct req st = { .c = c, .rq = rq, .sink = sink, .e = e };
	st.orig_method = st.method = rq->method ? rq->method : "GET";
	if (!token_ok(st.method))
		return cb_errf(e, CB_EINVAL, "http: invalid method");
	if (!rq->url)
		return cb_errf(e, CB_EINVAL, "http: %s: no URL", st.method);
	if (rq->body_len && !rq->body)
		return err_req(e, CB_EINVAL, st.method, rq->url, NULL, "body_len %zu without a body", rq->body_len);
	int rc = http_check_headers(rq->headers, rq->n_headers, &st.te);
	if (rc)
		return err_req(e, rc, st.method, rq->url, NULL, "%s", st.te.msg);
	for (size_t i = 0; i < rq->n_headers; i++)
		if (!strcasecmp(rq->headers[i].name, "Range"))
			st.caller_range = true;
	if (!(st.url = malloc(strlen(rq->url) + 1)))
		return err_req(e, CB_ENOMEM, st.method, rq->url, NULL, "out of memory");
	strcpy(st.url, rq->url);
	if ((rc = http_url_parse(st.url, &st.u, &st.te))) {
		fail(&st, rc, "%s", st.te.msg);
		goto out;
	}
	if ((rc = http_head_init(&st.head, c->o.max_header_bytes, &st.te)) ||
	    (rc = http_head_init(&st.rhead, c->o.max_header_bytes, &st.te))) {
		fail(&st, rc, "%s", st.te.msg);
		goto out;
	}

	struct http_framing_info fi;
	for (unsigned redirects = 0;;) {
		bool transport;
		if ((rc = exchange(&st, &st.head, NULL, &transport))) {
			fail(&st, rc, "%s", st.te.msg);
			goto out;
		}
		if ((rc = http_head_framing(&st.head, st.method, &fi, &st.te))) {
			fail(&st, rc, "%s", st.te.msg);
			goto out;
		}
		int s = st.head.status;
		const char *loc = http_head_get(&st.head, "Location");
		if (!is_redirect(s) || !loc)
			break;
		if (redirects == c->o.max_redirects) {
			rc = fail(&st, CB_ELIMIT, "too many redirects (%u)", c->o.max_redirects);
			goto out;
		}
		redirects++;
		char *next = NULL;
		struct http_url nu;
		if ((rc = http_url_resolve(st.url, loc, &next, &st.te)) || (rc = http_url_parse(next, &nu, &st.te))) {
			char ex[HTTP_EXCERPT_SIZE];
			fail(&st, rc, "redirect %d to %s: %s", s, http_excerpt(loc, strlen(loc), ex, sizeof(ex)), st.te.msg);
			free(next);
			goto out;
		}
		drain(&st, &fi);
		if (!http_url_same_origin(&st.u, &nu))
			st.strip_auth = true; /* and it stays so, even if a later hop comes back */
		if ((s == 303 && !method_is(st.method, "HEAD")) || ((s == 301 || s == 302) && method_is(st.method, "POST"))) {
			st.method = "GET";
			st.body_dropped = true;
		}
		http_url_free(&st.u);
		st.u = nu;
		free(st.url);
		st.url = next;
	}

	struct http_response r = {
		.status = st.head.status,
		.reason = st.head.reason,
		.content_length = fi.length,
		.chunked = fi.framing == HTTP_BODY_CHUNKED,
		.method = st.method,
		.url = rq->url,
		.final_url = st.url,
		.headers = st.head.hdrs,
		.n_headers = st.head.n_hdrs,
	};
	if (sink && sink->on_response) {
		e->code = 0;
		e->msg[0] = 0;
		rc = sink->on_response(sink->ctx, &r, e);
		if (rc) {
			rc = rc < 0 ? rc : CB_EINVAL;
			if (!e->msg[0])
				fail(&st, rc, "response %d rejected by the caller", r.status);
			drain(&st, &fi); /* a small body keeps the connection for the next request */
			goto out;
		}
	} else if ((rc = http_response_error(&r, e))) {
		drain(&st, &fi);
		goto out;
	}
	rc = receive_body(&st, &fi);
out:
	drop_conn(&st);
	http_head_free(&st.head);
	http_head_free(&st.rhead);
	http_buf_free(&st.wbuf);
	http_url_free(&st.u);
	free(st.url);
	return rc;
}
