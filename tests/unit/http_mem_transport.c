/* http_mem_transport.c: the scripted in-memory dialer behind http_client_test and the HTTP fuzzers.
 * Plays canned bytes; never touches a socket or a real clock. */
#include "http_mem_transport.h"

#include <stdlib.h>
#include <string.h>

#include "cb_err.h"

struct mem_conn {
	struct cb_transport t;
	struct mem_dialer *m;
	const struct mem_script *s;
	size_t reply, pos, split_i;
	struct mem_conn_log *log;
};

uint64_t mem_slept_ms;

static uint64_t mem_now(void *ctx)
{
	(void)ctx;
	return mem_slept_ms;
}

static void mem_sleep(void *ctx, uint32_t ms)
{
	(void)ctx;
	mem_slept_ms += ms;
}

const struct cb_clock mem_clock = { .now_ms = mem_now, .ctx = NULL, .sleep_ms = mem_sleep };

static size_t reply_len(const struct mem_conn *c, size_t i)
{
	if (i == 0 && c->s->len)
		return c->s->len;
	return c->s->reply[i] ? strlen(c->s->reply[i]) : 0;
}

static size_t heads_sent(const struct mem_conn_log *l)
{
	size_t n = 0;
	for (const char *p = l->sent; p && (p = strstr(p, "\r\n\r\n")); p += 4)
		n++;
	return n;
}

static long mem_recv(struct cb_transport *t, void *buf, size_t len, struct cb_err *e)
{
	struct mem_conn *c = t->priv;
	while (c->reply < MEM_MAX_REPLIES && c->s->reply[c->reply] && c->pos == reply_len(c, c->reply)) {
		c->reply++;
		c->pos = 0;
	}
	bool more = c->reply < MEM_MAX_REPLIES && c->s->reply[c->reply];
	if (!more || heads_sent(c->log) < c->reply + 1) {
		if (more) /* the client waits for an answer it has not asked for: a test bug */
			return cb_errf(e, CB_ETIMEDOUT, "mem: reply %zu not requested yet", c->reply);
		if (c->s->end)
			return cb_errf(e, c->s->end, "mem: scripted error %d", c->s->end);
		return 0;
	}
	const char *data = c->s->reply[c->reply];
	size_t n = reply_len(c, c->reply) - c->pos;
	if (c->m->splits) {
		size_t k = c->m->splits[c->split_i++ % c->m->n_splits];
		if (k == 0)
			k = 1;
		if (n > k)
			n = k;
	}
	if (n > len)
		n = len;
	memcpy(buf, data + c->pos, n);
	c->pos += n;
	return (long)n;
}

static int mem_send(struct cb_transport *t, const void *buf, size_t len, struct cb_err *e)
{
	(void)e;
	struct mem_conn *c = t->priv;
	struct mem_conn_log *l = c->log;
	char *p = realloc(l->sent, l->sent_len + len + 1);
	if (!p)
		abort();
	memcpy(p + l->sent_len, buf, len);
	l->sent_len += len;
	p[l->sent_len] = 0;
	l->sent = p;
	return 0;
}

static void mem_close(struct cb_transport *t)
{
	struct mem_conn *c = t->priv;
	c->log->closed = true;
	free(c);
}

static int mem_dial(struct cb_dialer *d, const char *host, uint16_t port, const struct cb_dial_opts *opts,
                    struct cb_transport **out, struct cb_err *e)
{
	struct mem_dialer *m = d->priv;
	if (m->next >= m->n_scripts || m->n_dials >= MEM_MAX_CONNS)
		return cb_errf(e, CB_ECONN, "connect %s:%u: refused (no script)", host, port);
	const struct mem_script *s = &m->scripts[m->next++];
	if (s->dial_error)
		return cb_errf(e, s->dial_error, "connect %s:%u: scripted failure", host, port);
	struct mem_conn_log *l = &m->log[m->n_dials++];
	strncpy(l->host, host, sizeof(l->host) - 1);
	l->port = port;
	l->tls = opts->tls;
	struct mem_conn *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->m = m;
	c->s = s;
	c->log = l;
	c->t = (struct cb_transport){ .recv = mem_recv, .send = mem_send, .close = mem_close, .priv = c };
	*out = &c->t;
	return 0;
}

void mem_dialer_init(struct mem_dialer *m, const struct mem_script *s, size_t n)
{
	memset(m, 0, sizeof(*m));
	m->d = (struct cb_dialer){ .dial = mem_dial, .priv = m };
	m->scripts = s;
	m->n_scripts = n;
}

void mem_dialer_free(struct mem_dialer *m)
{
	for (size_t i = 0; i < MEM_MAX_CONNS; i++)
		free(m->log[i].sent);
	memset(m->log, 0, sizeof(m->log));
}
