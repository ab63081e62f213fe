/* tls.h: cloud-boot's TLS 1.2 client over BearSSL: trust anchors (compiled in, PEM/DER, EFI signature lists),
 * and tls_wrap() turning a connected TCP cb_transport into a verified TLS one. No sockets, no firmware here. */
#ifndef CB_TLS_H
#define CB_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "transport.h"

#define TLS_MAX_ANCHORS 1024         /* trust anchors per config */
#define TLS_MAX_CERT_BYTES (16 * 1024) /* one DER certificate */
#define TLS_ENTROPY_BYTES 32         /* asked from the entropy callback per connection */
#define TLS_WEAK_ENTROPY_BYTES 1024   /* asked on top when the callback says its source is weak */
/* Clock readings before 2024-01-01T00:00:00Z are taken for an unset clock (a firmware RTC after a reset
 * reads 1970, 1998 or 2000); no certificate can be checked against them. */
#define TLS_CLOCK_FLOOR INT64_C(1704067200)

struct tls_anchors; /* the trust anchors of a config (tls_config.c) */

/* Everything a connection needs from its environment. Fill the callbacks by hand; add anchors with
 * tls_config_add_*(); release with tls_config_free(). Read-only once connections use it. */
struct tls_config {
	struct tls_anchors *anchors;
	/* Seconds since 1970-01-01 UTC, or -1 when the clock is unknown. NULL: unknown. */
	int64_t (*unix_time)(void *ctx);
	/* Fills buf with len unpredictable bytes: 0, or a CB_E* code when there is no entropy at all. Sets
	 * *weak when the source is a documented fallback (timing jitter) rather than a real RNG: then
	 * TLS_WEAK_ENTROPY_BYTES more are asked for, and BearSSL's HMAC-DRBG condenses all of them. Required. */
	int (*entropy)(void *ctx, void *buf, size_t len, bool *weak);
	/* Optional: one debug line per event (cipher suite chosen, weak entropy). */
	void (*log)(void *ctx, const char *line);
	void *ctx;
};

/* Zeroes the config: no anchors, no callbacks. */
void tls_config_init(struct tls_config *cfg);
/* Frees the anchors added at run time. The config can be reused after tls_config_init(). */
void tls_config_free(struct tls_config *cfg);
/* Number of trust anchors in the config. */
size_t tls_config_anchor_count(const struct tls_config *cfg);

/* Adds the anchors compiled in at build time (net/tls/meson.build: the ca-certificates bundle plus the
 * `extra_ca` option). Only in builds that link tls_builtin_lib. */
int tls_config_add_builtin(struct tls_config *cfg, struct cb_err *e);

/* Adds every CERTIFICATE of a PEM bundle as a trust anchor; other PEM blocks are skipped. Input without any
 * "-----BEGIN " line is taken as one DER certificate, or an EFI_SIGNATURE_LIST series when it does not start
 * like DER. All or nothing: on error nothing is added, and e names the certificate, e.g.
 * "tls: PEM line 40: certificate 2: X.509 decoding failed (BearSSL error 33: X509_INVALID_VALUE)". */
int tls_config_add_pem(struct tls_config *cfg, const char *pem, size_t len, struct cb_err *e);
/* tls_config_add_pem() for the contents of a named source (a file, a firmware variable): errors read
 * "tls: <name>: certificate 2 (PEM line 40): ...". */
int tls_config_add_named(struct tls_config *cfg, const char *name, const void *data, size_t len, struct cb_err *e);
/* Adds one DER-encoded X.509 certificate. */
int tls_config_add_der(struct tls_config *cfg, const void *der, size_t len, struct cb_err *e);
/* Adds the X.509 entries of a series of EFI_SIGNATURE_LISTs (the TlsCaCertificate variable OVMF fills from
 * fw_cfg etc/edk2/https/cacerts); lists of other signature types are skipped. All or nothing. */
int tls_config_add_efi_siglist(struct tls_config *cfg, const void *buf, size_t len, struct cb_err *e);

/* Runs a TLS 1.2 handshake over `tcp` (connected): SNI for `host` unless it is an IP literal, chain
 * verified against cfg's anchors at cfg's time, `host` matched against the certificate's names (a
 * wildcard covers one label). Suites: ECDHE-ECDSA/RSA with AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305.
 * timeout_ms bounds the whole handshake (clk measures it; 0 or clk NULL: no bound; the TCP transport's own
 * idle timeout should not be longer). cfg must outlive the handshake. On success *out owns tcp: its
 * recv/send carry application data, close sends close_notify.
 * On failure tcp is closed too, and e holds one line, e.g.
 * "tls: example.org: certificate not trusted (BearSSL error 62: X509_NOT_TRUSTED)". */
int tls_wrap(struct cb_transport *tcp, const char *host, const struct tls_config *cfg, uint32_t timeout_ms,
             const struct cb_clock *clk, struct cb_transport **out, struct cb_err *e);

/* A dialer that opens TCP through `tcp` and wraps it with tls_wrap() when opts->tls (plain connections pass
 * through). The inner dialer is asked for an idle timeout of min(connect_ms, idle_ms) so the handshake
 * deadline holds; afterwards recv waits through those shorter timeouts until idle_ms passed without a byte
 * (a send stalled for the shorter one fails). cfg and clk must outlive the dialer's connections. */
struct tls_dialer {
	struct cb_dialer d; /* hand &d to the HTTP client */
	struct cb_dialer *tcp;
	const struct tls_config *cfg;
	const struct cb_clock *clk;
};
void tls_dialer_init(struct tls_dialer *td, struct cb_dialer *tcp, const struct tls_config *cfg,
                     const struct cb_clock *clk);

#endif
