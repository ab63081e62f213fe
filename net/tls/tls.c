/* tls.c: tls_wrap(): a BearSSL TLS 1.2 client engine driven over a TCP cb_transport (handshake with SNI,
 * chain and host name verification, then application data and close_notify), with one-line errors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_internal.h"

#define TLS_CLOCK_CEIL INT64_C(253402300799) /* 9999-12-31T23:59:59Z: later readings are garbage */
#define TLS_EOF 1                            /* run_until(): the peer's close_notify arrived */

/* Client preference. Without AES hardware that BearSSL uses (AES-NI, in the x86_64 loader too; POWER8),
 * BearSSL's constant-time AES-GCM is several times slower than ChaCha20-Poly1305 (tests/bench/tls-bench.c), so
 * ChaCha20 goes first; with it, AES-GCM is faster (also under QEMU TCG: tests/bench/https-bench.sh) and goes
 * first. */
static const uint16_t suites_aes_first[] = {
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,       BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,       BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
};
static const uint16_t suites_chacha_first[] = {
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,       BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,       BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
};
#define N_SUITES (sizeof(suites_aes_first) / sizeof(suites_aes_first[0]))

/* Wraps BearSSL's X.509 "minimal" engine only to give it the host name: the SSL engine passes its SNI name,
 * which is empty for IP literals (RFC 6066 forbids them in SNI), yet the name must still be checked. */
struct tls_x509 {
	const br_x509_class *vtable;
	br_x509_minimal_context *inner;
	const char *name;
};

struct tls_conn {
	struct cb_transport t;
	struct cb_transport *tcp;
	br_ssl_client_context cc;
	br_x509_minimal_context xc;
	struct tls_x509 xw;
	const struct cb_clock *clk;
	uint32_t idle_ms;      /* application data: recv waits through TCP timeouts this long (0: none) */
	int64_t when;          /* the validation time, for messages */
	int io_rc;             /* the TCP transport failed with this: the connection is dead */
	struct cb_err io_err;
	bool handshaking;
	char host[256];
	unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
};

static struct tls_x509 *xw_of(const br_x509_class **ctx) { return (struct tls_x509 *)(void *)ctx; }
static const br_x509_class **inner_of(const br_x509_class **ctx) { return &xw_of(ctx)->inner->vtable; }

static void xw_start_chain(const br_x509_class **ctx, const char *server_name)
{
	(void)server_name;
	(*inner_of(ctx))->start_chain(inner_of(ctx), xw_of(ctx)->name);
}
static void xw_start_cert(const br_x509_class **ctx, uint32_t length)
{
	(*inner_of(ctx))->start_cert(inner_of(ctx), length);
}
static void xw_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	(*inner_of(ctx))->append(inner_of(ctx), buf, len);
}
static void xw_end_cert(const br_x509_class **ctx) { (*inner_of(ctx))->end_cert(inner_of(ctx)); }
static unsigned xw_end_chain(const br_x509_class **ctx) { return (*inner_of(ctx))->end_chain(inner_of(ctx)); }
static const br_x509_pkey *xw_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	const struct tls_x509 *w = (const struct tls_x509 *)(const void *)ctx;
	return w->inner->vtable->get_pkey(&w->inner->vtable, usages);
}

static const br_x509_class xw_vtable = {
	sizeof(struct tls_x509), xw_start_chain, xw_start_cert, xw_append, xw_end_cert, xw_end_chain, xw_get_pkey,
};

static uint64_t now_ms(const struct tls_conn *c) { return c->clk ? c->clk->now_ms(c->clk->ctx) : 0; }

static void log_line(const struct tls_config *cfg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_line(const struct tls_config *cfg, const char *fmt, ...)
{
	if (!cfg->log)
		return;
	char line[CB_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	cfg->log(cfg->ctx, line);
}

static bool is_ip_literal(const char *host)
{
	return strchr(host, ':') || strspn(host, "0123456789.") == strlen(host);
}

/* The one-line message for the engine's error. */
static int engine_error(struct tls_conn *c, struct cb_err *e)
{
	int err = br_ssl_engine_last_error(&c->cc.eng);
	const char *h = c->host, *name = tls_br_error_name(err);
	char when[32];
	if (err >= BR_ERR_SEND_FATAL_ALERT)
		return cb_errf(e, CB_EPROTO, "tls: %s: sent alert %d (%s)", h, err - BR_ERR_SEND_FATAL_ALERT,
		               tls_alert_name(err - BR_ERR_SEND_FATAL_ALERT));
	if (err >= BR_ERR_RECV_FATAL_ALERT)
		return cb_errf(e, CB_EPROTO, "tls: %s: the server sent alert %d (%s)%s", h, err - BR_ERR_RECV_FATAL_ALERT,
		               tls_alert_name(err - BR_ERR_RECV_FATAL_ALERT),
		               c->handshaking ? " during the handshake" : "");
	switch (err) {
	case BR_ERR_X509_NOT_TRUSTED:
		return cb_errf(e, CB_EVERIFY, "tls: %s: certificate not trusted (BearSSL error %d: %s)", h, err, name);
	case BR_ERR_X509_BAD_SERVER_NAME:
		return cb_errf(e, CB_EVERIFY, "tls: %s: certificate does not match the host name (BearSSL error %d: %s)",
		               h, err, name);
	case BR_ERR_X509_EXPIRED:
		tls_time_format(c->when, when, sizeof(when));
		return cb_errf(e, CB_EVERIFY, "tls: %s: certificate expired or not yet valid at %s (BearSSL error %d: %s)",
		               h, when, err, name);
	case BR_ERR_X509_TIME_UNKNOWN:
		return cb_errf(e, CB_EVERIFY, "tls: %s: the firmware clock is unset; cannot check certificate validity",
		               h);
	case BR_ERR_UNSUPPORTED_VERSION:
	case BR_ERR_BAD_VERSION:
		return cb_errf(e, CB_EPROTO, "tls: %s: the server does not speak TLS 1.2 (BearSSL error %d: %s)", h, err,
		               name);
	default:
		if (err >= BR_ERR_X509_OK && err < BR_ERR_RECV_FATAL_ALERT)
			return cb_errf(e, CB_EVERIFY, "tls: %s: certificate rejected (BearSSL error %d: %s)", h, err, name);
		return cb_errf(e, CB_EPROTO, "tls: %s: %s failed (BearSSL error %d: %s)", h,
		               c->handshaking ? "handshake" : "connection", err, name);
	}
}

/* One TCP recv. During the handshake CB_ETIMEDOUT past `deadline` ends it; afterwards the TCP transport's
 * (shorter) timeouts are waited through until idle_ms has passed without a byte. */
static long tcp_recv(struct tls_conn *c, void *buf, size_t len, uint64_t deadline)
{
	uint64_t limit = deadline ? deadline : now_ms(c) + c->idle_ms;
	for (;;) {
		c->io_err.msg[0] = 0;
		long n = c->tcp->recv(c->tcp, buf, len, &c->io_err);
		if (n != CB_ETIMEDOUT || !c->clk || now_ms(c) >= limit)
			return n;
	}
}

/* The TCP transport failed: the connection is dead from now on, with that error (prefixed). */
static int io_failed(struct tls_conn *c, int rc, struct cb_err *e)
{
	if (!c->io_rc) {
		c->io_rc = rc;
		if (!c->io_err.msg[0])
			cb_errf(&c->io_err, rc, "%s", cb_status_str(rc));
	}
	cb_errf(e, c->io_rc, "tls: %s: %s", c->host, c->io_err.msg);
	return c->io_rc;
}

/* Drives the engine until its state has one of `target`'s bits. 0, TLS_EOF (close_notify), or CB_E*. */
static int run_until(struct tls_conn *c, unsigned target, uint64_t deadline, uint32_t timeout_ms, struct cb_err *e)
{
	br_ssl_engine_context *eng = &c->cc.eng;
	if (c->io_rc)
		return io_failed(c, c->io_rc, e);
	for (;;) {
		unsigned st = br_ssl_engine_current_state(eng);
		if (st & BR_SSL_CLOSED)
			return br_ssl_engine_last_error(eng) == BR_ERR_OK ? TLS_EOF : engine_error(c, e);
		if (st & BR_SSL_SENDREC) {
			size_t len;
			unsigned char *buf = br_ssl_engine_sendrec_buf(eng, &len);
			c->io_err.msg[0] = 0;
			int rc = c->tcp->send(c->tcp, buf, len, &c->io_err);
			if (rc)
				return io_failed(c, rc, e);
			br_ssl_engine_sendrec_ack(eng, len);
			continue;
		}
		if (st & target)
			return 0;
		if (st & BR_SSL_RECVAPP)
			return cb_errf(e, CB_EPROTO, "tls: %s: unread application data blocks sending", c->host);
		if (st & BR_SSL_RECVREC) {
			if (deadline && now_ms(c) >= deadline)
				return cb_errf(e, CB_ETIMEDOUT, "tls: %s: handshake timed out after %u ms", c->host, timeout_ms);
			size_t len;
			unsigned char *buf = br_ssl_engine_recvrec_buf(eng, &len);
			long n = tcp_recv(c, buf, len, deadline);
			if (n > 0) {
				br_ssl_engine_recvrec_ack(eng, (size_t)n);
				continue;
			}
			if (n == 0)
				return cb_errf(e, CB_ECONN, "tls: %s: connection closed by the server %s", c->host,
				               c->handshaking ? "during the handshake" : "without close_notify");
			if (n == CB_ETIMEDOUT && deadline)
				return cb_errf(e, CB_ETIMEDOUT, "tls: %s: handshake timed out after %u ms", c->host, timeout_ms);
			return io_failed(c, n < -1000 ? CB_EIO : (int)n, e);
		}
		/* Only SENDAPP with a partial record buffered: push it out to make room. */
		br_ssl_engine_flush(eng, 0);
		if (!(br_ssl_engine_current_state(eng) & BR_SSL_SENDREC))
			return cb_errf(e, CB_EPROTO, "tls: %s: engine stalled (state 0x%x)", c->host, st);
	}
}

static long tls_recv(struct cb_transport *t, void *buf, size_t len, struct cb_err *e)
{
	struct tls_conn *c = t->priv;
	if (!len)
		return cb_errf(e, CB_EINVAL, "tls: %s: recv of 0 bytes", c->host);
	int rc = run_until(c, BR_SSL_RECVAPP, 0, 0, e);
	if (rc == TLS_EOF)
		return 0;
	if (rc)
		return rc;
	size_t avail;
	unsigned char *p = br_ssl_engine_recvapp_buf(&c->cc.eng, &avail);
	size_t n = avail < len ? avail : len;
	memcpy(buf, p, n);
	br_ssl_engine_recvapp_ack(&c->cc.eng, n);
	return (long)n;
}

static int tls_send(struct cb_transport *t, const void *buf, size_t len, struct cb_err *e)
{
	struct tls_conn *c = t->priv;
	const unsigned char *src = buf;
	while (len) {
		int rc = run_until(c, BR_SSL_SENDAPP, 0, 0, e);
		if (rc == TLS_EOF)
			return cb_errf(e, CB_ECONN, "tls: %s: the server closed the connection", c->host);
		if (rc)
			return rc;
		size_t room;
		unsigned char *p = br_ssl_engine_sendapp_buf(&c->cc.eng, &room);
		size_t n = room < len ? room : len;
		memcpy(p, src, n);
		br_ssl_engine_sendapp_ack(&c->cc.eng, n);
		src += n;
		len -= n;
	}
	br_ssl_engine_flush(&c->cc.eng, 0);
	int rc = run_until(c, BR_SSL_SENDAPP | BR_SSL_RECVAPP, 0, 0, e);
	return rc == TLS_EOF ? cb_errf(e, CB_ECONN, "tls: %s: the server closed the connection", c->host) : rc;
}

/* Sends close_notify (without waiting for the server's), then closes TCP. */
static void tls_close(struct cb_transport *t)
{
	struct tls_conn *c = t->priv;
	br_ssl_engine_context *eng = &c->cc.eng;
	br_ssl_engine_close(eng);
	while (!c->io_rc && br_ssl_engine_current_state(eng) & BR_SSL_SENDREC) {
		size_t len;
		unsigned char *buf = br_ssl_engine_sendrec_buf(eng, &len);
		if (c->tcp->send(c->tcp, buf, len, &c->io_err))
			break;
		br_ssl_engine_sendrec_ack(eng, len);
	}
	c->tcp->close(c->tcp);
	free(c);
}

static void setup_engine(struct tls_conn *c, const struct tls_config *cfg, uint32_t days, uint32_t secs)
{
	static const struct {
		int id;
		const br_hash_class *impl;
	} hashes[] = { { br_sha1_ID, &br_sha1_vtable },     { br_sha224_ID, &br_sha224_vtable },
		       { br_sha256_ID, &br_sha256_vtable }, { br_sha384_ID, &br_sha384_vtable },
		       { br_sha512_ID, &br_sha512_vtable } };
	br_ssl_engine_context *eng = &c->cc.eng;
	br_ssl_client_zero(&c->cc);
	br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
	bool aes_hw = br_aes_x86ni_ctr_get_vtable() || br_aes_pwr8_ctr_get_vtable();
	br_ssl_engine_set_suites(eng, aes_hw ? suites_aes_first : suites_chacha_first, N_SUITES);
	br_ssl_engine_add_flags(eng, BR_OPT_NO_RENEGOTIATION);
	br_ssl_engine_set_default_ec(eng);
	br_ssl_engine_set_default_rsavrfy(eng);
	br_ssl_engine_set_default_ecdsa(eng);
	const struct tls_anchors *a = cfg->anchors;
	br_x509_minimal_init(&c->xc, &br_sha256_vtable, a ? a->ta : NULL, a ? a->n : 0);
	br_x509_minimal_set_rsa(&c->xc, br_ssl_engine_get_rsavrfy(eng));
	br_x509_minimal_set_ecdsa(&c->xc, br_ssl_engine_get_ec(eng), br_ssl_engine_get_ecdsa(eng));
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		br_ssl_engine_set_hash(eng, hashes[i].id, hashes[i].impl);
		br_x509_minimal_set_hash(&c->xc, hashes[i].id, hashes[i].impl);
	}
	br_x509_minimal_set_time(&c->xc, days, secs);
	c->xw = (struct tls_x509){ &xw_vtable, &c->xc, c->host };
	br_ssl_engine_set_x509(eng, &c->xw.vtable);
	br_ssl_engine_set_prf_sha256(eng, &br_tls12_sha256_prf);
	br_ssl_engine_set_prf_sha384(eng, &br_tls12_sha384_prf);
	br_ssl_engine_set_default_aes_gcm(eng);
	br_ssl_engine_set_default_chapol(eng);
	br_ssl_engine_set_buffer(eng, c->iobuf, sizeof(c->iobuf), 1);
}

static const char *suite_name(uint16_t s)
{
	switch (s) {
	case BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: return "ECDHE-ECDSA-AES128-GCM-SHA256";
	case BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: return "ECDHE-RSA-AES128-GCM-SHA256";
	case BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: return "ECDHE-ECDSA-AES256-GCM-SHA384";
	case BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: return "ECDHE-RSA-AES256-GCM-SHA384";
	case BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: return "ECDHE-ECDSA-CHACHA20-POLY1305";
	case BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: return "ECDHE-RSA-CHACHA20-POLY1305";
	default: return "?";
	}
}

static int handshake(struct tls_conn *c, const struct tls_config *cfg, uint32_t timeout_ms, struct cb_err *e)
{
	size_t hl = strlen(c->host);
	int64_t t = cfg->unix_time ? cfg->unix_time(cfg->ctx) : -1;
	if (t < TLS_CLOCK_FLOOR || t > TLS_CLOCK_CEIL)
		return cb_errf(e, CB_EVERIFY, "tls: %s: the firmware clock is unset; cannot check certificate validity",
		               c->host);
	c->when = t;
	uint32_t days, secs;
	tls_time_to_br(t, &days, &secs);
	if (!cfg->entropy)
		return cb_errf(e, CB_EUNSUP, "tls: %s: no entropy source configured", c->host);
	unsigned char seed[TLS_ENTROPY_BYTES + TLS_WEAK_ENTROPY_BYTES];
	size_t n_seed = TLS_ENTROPY_BYTES;
	bool weak = false;
	int rc = cfg->entropy(cfg->ctx, seed, TLS_ENTROPY_BYTES, &weak);
	if (!rc && weak) {
		log_line(cfg, "tls: %s: seeded from a weak entropy source (no hardware RNG)", c->host);
		rc = cfg->entropy(cfg->ctx, seed + n_seed, TLS_WEAK_ENTROPY_BYTES, &weak);
		n_seed += TLS_WEAK_ENTROPY_BYTES;
	}
	if (rc)
		return cb_errf(e, rc < 0 ? rc : CB_EIO, "tls: %s: no entropy for the handshake (%s)", c->host,
		               cb_status_str(rc));
	setup_engine(c, cfg, days, secs);
	br_ssl_engine_inject_entropy(&c->cc.eng, seed, n_seed);
	memset(seed, 0, n_seed);
	if (!br_ssl_client_reset(&c->cc, is_ip_literal(c->host) || !hl ? NULL : c->host, 0))
		return engine_error(c, e);
	uint64_t start = now_ms(c), deadline = c->clk && timeout_ms ? start + timeout_ms : 0;
	c->handshaking = true;
	rc = run_until(c, BR_SSL_SENDAPP, deadline, timeout_ms, e);
	c->handshaking = false;
	if (rc == TLS_EOF)
		return cb_errf(e, CB_ECONN, "tls: %s: connection closed during the handshake", c->host);
	if (rc)
		return rc;
	br_ssl_session_parameters sp;
	br_ssl_engine_get_session_parameters(&c->cc.eng, &sp);
	log_line(cfg, "tls: %s: TLS 1.2 %s, %zu trust anchors, %llu ms", c->host, suite_name(sp.cipher_suite),
	         tls_config_anchor_count(cfg), (unsigned long long)(now_ms(c) - start));
	return 0;
}

int tls_wrap(struct cb_transport *tcp, const char *host, const struct tls_config *cfg, uint32_t timeout_ms,
             const struct cb_clock *clk, struct cb_transport **out, struct cb_err *e)
{
	*out = NULL;
	size_t hl = strlen(host);
	if (!hl || hl >= sizeof(((struct tls_conn *)0)->host)) {
		tcp->close(tcp);
		return cb_errf(e, CB_EINVAL, "tls: host name of %zu bytes", hl);
	}
	struct tls_conn *c = calloc(1, sizeof(*c));
	if (!c) {
		tcp->close(tcp);
		return cb_errf(e, CB_ENOMEM, "tls: %s: out of memory", host);
	}
	memcpy(c->host, host, hl + 1);
	c->tcp = tcp;
	c->clk = clk;
	int rc = handshake(c, cfg, timeout_ms, e);
	if (rc) {
		tcp->close(tcp);
		free(c);
		return rc;
	}
	c->t = (struct cb_transport){ .recv = tls_recv, .send = tls_send, .close = tls_close, .priv = c };
	*out = &c->t;
	return 0;
}

void tls_conn_set_idle(struct cb_transport *t, uint32_t idle_ms)
{
	struct tls_conn *c = t->priv;
	c->idle_ms = idle_ms;
}
