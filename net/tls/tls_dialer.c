/* tls_dialer.c: a cb_dialer that opens TCP through another dialer (sockets or lwIP) and, for opts->tls,
 * wraps the connection with tls_wrap(). Plain connections pass through untouched. */
#include "tls_internal.h"

static uint64_t elapsed_since(const struct cb_clock *clk, uint64_t start)
{
	return clk ? clk->now_ms(clk->ctx) - start : 0;
}

static int tls_dial(struct cb_dialer *d, const char *host, uint16_t port, const struct cb_dial_opts *opts,
                    struct cb_transport **out, struct cb_err *e)
{
	struct tls_dialer *td = d->priv;
	*out = NULL;
	if (!opts->tls)
		return td->tcp->dial(td->tcp, host, port, opts, out, e);
	uint32_t connect_ms = opts->connect_ms ? opts->connect_ms : 10000;
	uint32_t idle_ms = opts->idle_ms ? opts->idle_ms : 30000;
	struct cb_dial_opts tcp_opts = { .tls = false, .connect_ms = connect_ms,
		                         .idle_ms = idle_ms < connect_ms ? idle_ms : connect_ms };
	uint64_t start = td->clk ? td->clk->now_ms(td->clk->ctx) : 0;
	struct cb_transport *tcp;
	int rc = td->tcp->dial(td->tcp, host, port, &tcp_opts, &tcp, e);
	if (rc)
		return rc;
	uint64_t used = elapsed_since(td->clk, start);
	uint32_t left = used >= connect_ms ? 1 : (uint32_t)(connect_ms - used);
	if ((rc = tls_wrap(tcp, host, td->cfg, left, td->clk, out, e)))
		return rc;
	tls_conn_set_idle(*out, idle_ms);
	return 0;
}

void tls_dialer_init(struct tls_dialer *td, struct cb_dialer *tcp, const struct tls_config *cfg,
                     const struct cb_clock *clk)
{
	td->d = (struct cb_dialer){ .dial = tls_dial, .priv = td };
	td->tcp = tcp;
	td->cfg = cfg;
	td->clk = clk;
}
