/* transport.h: the byte-stream interface protocol code (HTTP, the OCI client) talks through. Back ends:
 * lwIP TCP (loader), BSD sockets (linux-init, host), TLS on top of either. Protocol code never sees which. */
#ifndef CB_TRANSPORT_H
#define CB_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

struct cb_transport {
	/* Up to len bytes; >0 bytes received, 0 orderly close by the peer, <0 CB_E* (CB_ETIMEDOUT when the
	 * idle timeout given at dial time ran out). */
	long (*recv)(struct cb_transport *t, void *buf, size_t len, struct cb_err *e);
	/* All len bytes or CB_E*. */
	int (*send)(struct cb_transport *t, const void *buf, size_t len, struct cb_err *e);
	/* Closes and frees the transport. */
	void (*close)(struct cb_transport *t);
	void *priv;
};

struct cb_dial_opts {
	bool tls;              /* wrap in TLS, verifying `host` */
	uint32_t connect_ms;   /* connect (and TLS handshake) timeout */
	uint32_t idle_ms;      /* recv/send without progress for this long: CB_ETIMEDOUT */
};

/* Opens connections: the HTTP client needs new ones for redirects to other hosts and for resuming. */
struct cb_dialer {
	int (*dial)(struct cb_dialer *d, const char *host, uint16_t port, const struct cb_dial_opts *opts,
	            struct cb_transport **out, struct cb_err *e);
	void *priv;
};

/* A monotonic clock, for timeouts and throughput figures. */
struct cb_clock {
	uint64_t (*now_ms)(void *ctx);
	void *ctx;
	/* Optional: wait about `ms` milliseconds (retry backoff). The loader keeps polling its network stack
	 * meanwhile; POSIX builds sleep. NULL: callers retry without waiting. */
	void (*sleep_ms)(void *ctx, uint32_t ms);
};

#endif
