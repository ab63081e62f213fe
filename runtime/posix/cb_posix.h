/* cb_posix.h: the POSIX environment of the host and linux-init builds: a cb_dialer over BSD sockets and a
 * cb_clock over CLOCK_MONOTONIC. Plain TCP only; TLS wraps the dialer elsewhere. */
#ifndef CB_POSIX_H
#define CB_POSIX_H

#include "transport.h"

/* A dialer that resolves with getaddrinfo, tries each address until the connect_ms budget is spent, and
 * enforces idle_ms on every recv/send with poll. opts->tls is refused (CB_EUNSUP). */
void cb_posix_dialer_init(struct cb_dialer *d);

/* now_ms from CLOCK_MONOTONIC, sleep_ms with nanosleep. */
extern const struct cb_clock cb_posix_clock;

#endif
