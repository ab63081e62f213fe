/* tls_internal.h: what the files of net/tls share and the tests reach into: the anchor store, the EFI
 * signature list walker, BearSSL error names and time conversions. Not for other modules. */
#ifndef CB_TLS_INTERNAL_H
#define CB_TLS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bearssl.h"
#include "cb_err.h"
#include "tls.h"

/* Trust anchors: BearSSL wants one contiguous array. blob[i] owns the DN and key bytes of ta[i] (NULL for
 * compiled-in anchors, whose bytes are static). */
struct tls_anchors {
	br_x509_trust_anchor *ta;
	unsigned char **blob;
	size_t n, cap;
};

/* Compiled-in anchors (the file ta2c generates). */
extern const br_x509_trust_anchor tls_builtin_ta[];
extern const size_t tls_builtin_ta_count;

/* ---- tls_siglist.c ---- */
#define TLS_SIGLIST_HEADER 28   /* sizeof(EFI_SIGNATURE_LIST) */
#define TLS_SIGLIST_MAX_ENTRIES 4096

/* Calls fn for every EFI_CERT_X509_GUID entry's certificate (owner GUID stripped) of the lists in buf, in
 * order, after checking the whole buffer's structure first. fn returns 0 to go on or a CB_E* code to stop.
 * Errors name the list's offset: "EFI signature list at offset 28: SignatureSize 12 is too small". */
int tls_siglist_walk(const void *buf, size_t len,
                     int (*fn)(void *ctx, const uint8_t *der, size_t der_len, size_t index, struct cb_err *e),
                     void *ctx, struct cb_err *e);
/* true when buf starts with a plausible EFI_SIGNATURE_LIST header (for tls_config_add_pem's detection). */
bool tls_siglist_looks_like(const void *buf, size_t len);

/* ---- tls_errors.c ---- */
/* "X509_NOT_TRUSTED" for BR_ERR_X509_NOT_TRUSTED, "UNKNOWN" for codes BearSSL does not define. */
const char *tls_br_error_name(int err);
/* "handshake_failure" for alert 40, "unknown" otherwise. */
const char *tls_alert_name(int alert);

/* ---- tls_time.c ---- */
/* Unix seconds to BearSSL's (days since 0000-01-01, seconds of day). */
void tls_time_to_br(int64_t unix_time, uint32_t *days, uint32_t *seconds);
/* "2026-12-04T12:00:00Z" into buf (at least 21 bytes). */
void tls_time_format(int64_t unix_time, char *buf, size_t size);

/* ---- tls.c ---- */
/* After tls_wrap(): recv waits through the TCP transport's timeouts until idle_ms passed without a byte. */
void tls_conn_set_idle(struct cb_transport *t, uint32_t idle_ms);

/* ---- tls_config.c ---- */
/* Appends anchors to the store (growing it); the helpers below build them. */
int tls_anchors_append(struct tls_config *cfg, const br_x509_trust_anchor *ta, unsigned char *blob,
                       struct cb_err *e);
/* Drops the anchors added after the first `keep` (a failed all-or-nothing add). */
void tls_anchors_rollback(struct tls_config *cfg, size_t keep);
/* Decodes one DER certificate into an anchor whose bytes live in one malloc'd blob (*blob). */
int tls_anchor_from_der(const uint8_t *der, size_t len, br_x509_trust_anchor *ta, unsigned char **blob,
                        struct cb_err *e);

#endif
