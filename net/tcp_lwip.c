/* tcp_lwip.c: the cb_dialer/cb_transport pair over lwIP's raw TCP API and DNS, so HTTP and OCI code can
 * use blocking-style recv/send while everything underneath is polled; TLS on top once net_set_tls() gave it
 * a config. Every wait is bounded. */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#include "lwip/tcp.h"
#include "netstack.h"
#include "tls.h"

struct tcp_conn {
	struct cb_transport t;
	struct tcp_pcb *pcb;
	struct pbuf *rxq;     /* received, not yet consumed */
	u16_t rx_off;         /* consumed bytes of the first pbuf in rxq */
	bool peer_closed;     /* FIN received */
	bool connected;
	err_t error;          /* set by the error callback (the pcb is gone then) */
	uint32_t idle_ms;
	char host[64];
};

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct tcp_conn *c = arg;
	(void)pcb;
	if (!p) {
		c->peer_closed = true;
		return ERR_OK;
	}
	if (err != ERR_OK) {
		pbuf_free(p);
		return err;
	}
	if (c->rxq)
		pbuf_cat(c->rxq, p);
	else
		c->rxq = p;
	return ERR_OK;
}

static void on_error(void *arg, err_t err)
{
	struct tcp_conn *c = arg;
	c->pcb = NULL; /* lwIP has freed it */
	c->error = err;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct tcp_conn *c = arg;
	(void)pcb;
	c->connected = err == ERR_OK;
	if (err != ERR_OK)
		c->error = err;
	return ERR_OK;
}

static const char *err_text(err_t err)
{
	switch (err) {
	case ERR_RST: return "connection reset";
	case ERR_ABRT: return "connection aborted";
	case ERR_CLSD: return "connection closed";
	case ERR_TIMEOUT: return "timed out";
	case ERR_RTE: return "no route to host";
	case ERR_CONN: return "not connected";
	default: return lwip_strerr(err);
	}
}

static long conn_recv(struct cb_transport *t, void *buf, size_t len, struct cb_err *e)
{
	struct tcp_conn *c = t->priv;
	uint64_t deadline = clock_ms() + c->idle_ms;
	while (!c->rxq) {
		if (c->peer_closed)
			return 0;
		if (c->error != ERR_OK || !c->pcb)
			return cb_errf(e, CB_ECONN, "tcp %s: %s", c->host, err_text(c->error));
		if (clock_ms() > deadline)
			return cb_errf(e, CB_ETIMEDOUT, "tcp %s: no data for %u ms", c->host, c->idle_ms);
		net_poll();
	}
	size_t got = 0;
	while (c->rxq && got < len) {
		struct pbuf *p = c->rxq;
		size_t n = p->len - c->rx_off;
		if (n > len - got)
			n = len - got;
		memcpy((uint8_t *)buf + got, (uint8_t *)p->payload + c->rx_off, n);
		got += n;
		c->rx_off = (u16_t)(c->rx_off + n);
		if (c->rx_off == p->len) {
			c->rxq = p->next;
			if (c->rxq)
				pbuf_ref(c->rxq);
			pbuf_free(p);
			c->rx_off = 0;
		}
	}
	if (c->pcb)
		tcp_recved(c->pcb, (u16_t)got);
	return (long)got;
}

static int conn_send(struct cb_transport *t, const void *buf, size_t len, struct cb_err *e)
{
	struct tcp_conn *c = t->priv;
	const uint8_t *p = buf;
	uint64_t deadline = clock_ms() + c->idle_ms;
	while (len > 0) {
		if (c->error != ERR_OK || !c->pcb)
			return cb_errf(e, CB_ECONN, "tcp %s: %s", c->host, err_text(c->error));
		size_t room = tcp_sndbuf(c->pcb);
		if (room == 0 || tcp_sndqueuelen(c->pcb) >= TCP_SND_QUEUELEN - 1) {
			if (clock_ms() > deadline)
				return cb_errf(e, CB_ETIMEDOUT, "tcp %s: send stalled for %u ms", c->host, c->idle_ms);
			net_poll();
			continue;
		}
		size_t n = len < room ? len : room;
		if (n > 0xffff)
			n = 0xffff;
		err_t err = tcp_write(c->pcb, p, (u16_t)n, TCP_WRITE_FLAG_COPY | (n < len ? TCP_WRITE_FLAG_MORE : 0));
		if (err == ERR_MEM) {
			net_poll();
			continue;
		}
		if (err != ERR_OK)
			return cb_errf(e, CB_ECONN, "tcp %s: write: %s", c->host, err_text(err));
		p += n;
		len -= n;
		deadline = clock_ms() + c->idle_ms;
	}
	tcp_output(c->pcb);
	return CB_OK;
}

static void conn_close(struct cb_transport *t)
{
	struct tcp_conn *c = t->priv;
	if (c->pcb) {
		tcp_arg(c->pcb, NULL);
		tcp_recv(c->pcb, NULL);
		tcp_err(c->pcb, NULL);
		if (tcp_close(c->pcb) != ERR_OK)
			tcp_abort(c->pcb);
	}
	if (c->rxq)
		pbuf_free(c->rxq);
	free(c);
}

struct dns_wait {
	bool done;
	bool found;
	ip_addr_t addr;
};

static void on_dns(const char *name, const ip_addr_t *addr, void *arg)
{
	struct dns_wait *w = arg;
	(void)name;
	w->done = true;
	if (addr) {
		w->found = true;
		w->addr = *addr;
	}
}

static int resolve(const char *host, uint32_t timeout_ms, ip_addr_t *out, struct cb_err *e)
{
	if (ipaddr_aton(host, out))
		return CB_OK;
	struct dns_wait w = {0};
	err_t err = dns_gethostbyname(host, &w.addr, on_dns, &w);
	if (err == ERR_OK) {
		*out = w.addr;
		return CB_OK;
	}
	if (err != ERR_INPROGRESS)
		return cb_errf(e, CB_EINVAL, "dns %s: cannot resolve (%s)", host, lwip_strerr(err));
	uint64_t deadline = clock_ms() + timeout_ms;
	while (!w.done) {
		if (clock_ms() > deadline)
			return cb_errf(e, CB_ETIMEDOUT, "dns %s: no answer in %u ms", host, timeout_ms);
		net_poll();
	}
	if (!w.found)
		return cb_errf(e, CB_ENOENT, "dns %s: name not found", host);
	*out = w.addr;
	return CB_OK;
}

static int lwip_dial(struct cb_dialer *d, const char *host, uint16_t port, const struct cb_dial_opts *opts,
                     struct cb_transport **out, struct cb_err *e)
{
	(void)d;
	if (opts->tls)
		return cb_errf(e, CB_EUNSUP, "tcp %s:%u: TLS is not set up (no trust anchors configured)", host, port);
	uint32_t connect_ms = opts->connect_ms ? opts->connect_ms : 10000;
	ip_addr_t addr;
	int rc = resolve(host, connect_ms, &addr, e);
	if (rc)
		return rc;
	struct tcp_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return cb_errf(e, CB_ENOMEM, "tcp %s: out of memory", host);
	strncpy(c->host, host, sizeof(c->host) - 1);
	c->idle_ms = opts->idle_ms ? opts->idle_ms : 30000;
	c->pcb = tcp_new_ip_type(IP_GET_TYPE(&addr));
	if (!c->pcb) {
		free(c);
		return cb_errf(e, CB_ENOMEM, "tcp %s: no free TCP control block", host);
	}
	tcp_arg(c->pcb, c);
	tcp_recv(c->pcb, on_recv);
	tcp_err(c->pcb, on_error);
	tcp_nagle_disable(c->pcb);
	err_t err = tcp_connect(c->pcb, &addr, port, on_connected);
	uint64_t deadline = clock_ms() + connect_ms;
	while (err == ERR_OK && !c->connected && c->error == ERR_OK) {
		if (clock_ms() > deadline) {
			err = ERR_TIMEOUT;
			break;
		}
		net_poll();
	}
	if (err == ERR_OK)
		err = c->error;
	if (err != ERR_OK) {
		struct cb_transport *t = &c->t;
		t->priv = c;
		conn_close(t);
		return cb_errf(e, err == ERR_TIMEOUT ? CB_ETIMEDOUT : CB_ECONN, "tcp %s:%u: connect: %s", host, port,
		               err == ERR_RST ? "connection refused" : err_text(err));
	}
	c->t = (struct cb_transport){conn_recv, conn_send, conn_close, c};
	*out = &c->t;
	return CB_OK;
}

static struct cb_dialer tcp_dialer = {lwip_dial, NULL};
static struct tls_dialer tls_dialer;
static bool tls_ready;

void net_set_tls(const struct tls_config *cfg)
{
	tls_ready = cfg != NULL;
	if (cfg)
		tls_dialer_init(&tls_dialer, &tcp_dialer, cfg, net_clock());
}

struct cb_dialer *net_dialer(void) { return tls_ready ? &tls_dialer.d : &tcp_dialer; }
