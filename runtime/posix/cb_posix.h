/* cb_posix.h: the POSIX environment of the host and linux-init builds: a cb_dialer over BSD sockets, a
 * cb_clock over CLOCK_MONOTONIC, and TLS over them (tls_posix.c, whose users link net/tls's tls_dep). */
#ifndef CB_POSIX_H
#define CB_POSIX_H

#include "transport.h"

/* A dialer that resolves with getaddrinfo, tries each address until the connect_ms budget is spent, and
 * enforces idle_ms on every recv/send with poll. opts->tls is refused (CB_EUNSUP). */
void cb_posix_dialer_init(struct cb_dialer *d);

/* now_ms from CLOCK_MONOTONIC, sleep_ms with nanosleep. */
extern const struct cb_clock cb_posix_clock;

#define CB_POSIX_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"

struct tls_config;
/* A tls_config (net/tls) for this environment: anchors from `ca_file` (NULL: $SSL_CERT_FILE, else
 * CB_POSIX_CA_BUNDLE) plus every file in $CB_EXTRA_CA (':'-separated), each PEM, DER or EFI signature lists;
 * entropy from getrandom(), time from time(). Free with tls_config_free(). Errors name the file:
 * "tls: /etc/ca.pem: certificate 2 (PEM line 40): X.509 decoding failed (...)". */
int cb_posix_tls_config(struct tls_config *cfg, const char *ca_file, struct cb_err *e);

/* The socket dialer of cb_posix_dialer_init() plus TLS (tls_wrap() with cfg, which must outlive d) for
 * opts->tls. Holds no state of its own. */
void cb_posix_dialer_init_tls(struct cb_dialer *d, const struct tls_config *cfg);

#endif
