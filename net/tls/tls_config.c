/* tls_config.c: the trust anchor store of a tls_config: DER certificates decoded with BearSSL's X.509
 * decoder, PEM bundles and EFI signature lists added all-or-nothing. No handshakes here (tls.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "pem_scan.h"
#include "tls_internal.h"

#define DN_MAX 4096 /* bytes of one encoded subject DN */

void tls_config_init(struct tls_config *cfg) { memset(cfg, 0, sizeof(*cfg)); }

/* Drops the anchors from index `keep` on. */
static void truncate_anchors(struct tls_anchors *a, size_t keep)
{
	for (size_t i = keep; i < a->n; i++)
		free(a->blob[i]);
	a->n = keep;
}

void tls_config_free(struct tls_config *cfg)
{
	struct tls_anchors *a = cfg->anchors;
	if (!a)
		return;
	truncate_anchors(a, 0);
	free(a->ta);
	free(a->blob);
	free(a);
	cfg->anchors = NULL;
}

size_t tls_config_anchor_count(const struct tls_config *cfg) { return cfg->anchors ? cfg->anchors->n : 0; }

int tls_anchors_append(struct tls_config *cfg, const br_x509_trust_anchor *ta, unsigned char *blob,
                       struct cb_err *e)
{
	struct tls_anchors *a = cfg->anchors;
	if (!a && !(a = cfg->anchors = calloc(1, sizeof(*a))))
		return cb_errf(e, CB_ENOMEM, "tls: out of memory for trust anchors");
	if (a->n == TLS_MAX_ANCHORS)
		return cb_errf(e, CB_ELIMIT, "tls: more than %u trust anchors", TLS_MAX_ANCHORS);
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		if (cap > TLS_MAX_ANCHORS)
			cap = TLS_MAX_ANCHORS;
		br_x509_trust_anchor *t = realloc(a->ta, cap * sizeof(*t));
		if (t)
			a->ta = t;
		unsigned char **b = t ? realloc(a->blob, cap * sizeof(*b)) : NULL;
		if (!b)
			return cb_errf(e, CB_ENOMEM, "tls: out of memory for trust anchors");
		a->blob = b;
		a->cap = cap;
	}
	a->ta[a->n] = *ta;
	a->blob[a->n] = blob;
	a->n++;
	return 0;
}

struct dn_buf {
	unsigned char data[DN_MAX];
	size_t len;
	bool overflow;
};

static void dn_append(void *ctx, const void *buf, size_t len)
{
	struct dn_buf *d = ctx;
	if (d->overflow || len > sizeof(d->data) - d->len) {
		d->overflow = true;
		return;
	}
	memcpy(d->data + d->len, buf, len);
	d->len += len;
}

int tls_anchor_from_der(const uint8_t *der, size_t len, br_x509_trust_anchor *ta, unsigned char **blob,
                        struct cb_err *e)
{
	*blob = NULL;
	if (!len)
		return cb_errf(e, CB_EINVAL, "empty certificate");
	if (len > TLS_MAX_CERT_BYTES)
		return cb_errf(e, CB_ELIMIT, "certificate of %zu bytes exceeds %u", len, TLS_MAX_CERT_BYTES);
	struct dn_buf *dn = malloc(sizeof(*dn));
	br_x509_decoder_context *dc = malloc(sizeof(*dc));
	int rc = 0;
	if (!dn || !dc) {
		rc = cb_errf(e, CB_ENOMEM, "out of memory");
		goto out;
	}
	dn->len = 0;
	dn->overflow = false;
	br_x509_decoder_init(dc, dn_append, dn);
	br_x509_decoder_push(dc, der, len);
	const br_x509_pkey *pk = br_x509_decoder_get_pkey(dc);
	int err = br_x509_decoder_last_error(dc);
	if (!pk || err) {
		err = err ? err : BR_ERR_X509_TRUNCATED;
		rc = cb_errf(e, CB_EINVAL, "X.509 decoding failed (BearSSL error %d: %s)", err, tls_br_error_name(err));
		goto out;
	}
	if (dn->overflow) {
		rc = cb_errf(e, CB_ELIMIT, "subject name longer than %u bytes", DN_MAX);
		goto out;
	}
	size_t k1, k2;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		k1 = pk->key.rsa.nlen;
		k2 = pk->key.rsa.elen;
	} else if (pk->key_type == BR_KEYTYPE_EC) {
		k1 = pk->key.ec.qlen;
		k2 = 0;
	} else {
		rc = cb_errf(e, CB_EUNSUP, "unsupported public key type %u", pk->key_type);
		goto out;
	}
	/* All three lengths are bounded by the certificate's own length. */
	unsigned char *b = malloc(dn->len + k1 + k2 + 1);
	if (!b) {
		rc = cb_errf(e, CB_ENOMEM, "out of memory");
		goto out;
	}
	memset(ta, 0, sizeof(*ta));
	memcpy(b, dn->data, dn->len);
	ta->dn.data = b;
	ta->dn.len = dn->len;
	ta->flags = br_x509_decoder_isCA(dc) ? BR_X509_TA_CA : 0;
	ta->pkey.key_type = pk->key_type;
	unsigned char *k = b + dn->len;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		memcpy(k, pk->key.rsa.n, k1);
		memcpy(k + k1, pk->key.rsa.e, k2);
		ta->pkey.key.rsa = (br_rsa_public_key){ k, k1, k + k1, k2 };
	} else {
		memcpy(k, pk->key.ec.q, k1);
		ta->pkey.key.ec = (br_ec_public_key){ pk->key.ec.curve, k, k1 };
	}
	*blob = b;
out:
	free(dn);
	free(dc);
	return rc;
}

/* Adds one DER certificate; `what` names it in errors ("certificate 2 (PEM line 40)"). */
static int add_der(struct tls_config *cfg, const uint8_t *der, size_t len, const char *what, struct cb_err *e)
{
	br_x509_trust_anchor ta;
	unsigned char *blob;
	int rc = tls_anchor_from_der(der, len, &ta, &blob, e);
	if (!rc && (rc = tls_anchors_append(cfg, &ta, blob, e)))
		free(blob);
	else if (rc)
		cb_err_prefix(e, "tls: %s: ", what);
	return rc;
}

int tls_config_add_der(struct tls_config *cfg, const void *der, size_t len, struct cb_err *e)
{
	return add_der(cfg, der, len, "DER certificate", e);
}

void tls_anchors_rollback(struct tls_config *cfg, size_t keep)
{
	if (cfg->anchors)
		truncate_anchors(cfg->anchors, keep);
}

struct siglist_add {
	struct tls_config *cfg;
	size_t added;
	bool entry_failed; /* the error came from a certificate, already prefixed */
};

static int siglist_entry(void *ctx, const uint8_t *der, size_t len, size_t index, struct cb_err *e)
{
	struct siglist_add *s = ctx;
	char what[64];
	snprintf(what, sizeof(what), "EFI signature list certificate %zu", index + 1);
	int rc = add_der(s->cfg, der, len, what, e);
	s->added += rc == 0;
	s->entry_failed = rc != 0;
	return rc;
}

int tls_config_add_efi_siglist(struct tls_config *cfg, const void *buf, size_t len, struct cb_err *e)
{
	size_t keep = tls_config_anchor_count(cfg);
	struct siglist_add s = { cfg, 0, false };
	int rc = tls_siglist_walk(buf, len, siglist_entry, &s, e);
	if (rc && !s.entry_failed)
		cb_err_prefix(e, "tls: ");
	if (!rc && !s.added)
		rc = cb_errf(e, CB_ENOENT, "tls: EFI signature list: no X.509 certificate (EFI_CERT_X509_GUID)");
	if (rc)
		tls_anchors_rollback(cfg, keep);
	return rc;
}

static bool has_pem_armor(const char *s, size_t len)
{
	static const char begin[] = "-----BEGIN ";
	const size_t n = sizeof(begin) - 1;
	for (const char *p = s; (p = memchr(p, '-', len - (size_t)(p - s))); p++)
		if (len - (size_t)(p - s) >= n && !memcmp(p, begin, n))
			return true;
	return false;
}

int tls_config_add_pem(struct tls_config *cfg, const char *pem, size_t len, struct cb_err *e)
{
	if (!has_pem_armor(pem, len)) {
		if (len >= 2 && (unsigned char)pem[0] == 0x30)
			return tls_config_add_der(cfg, pem, len, e);
		if (tls_siglist_looks_like(pem, len))
			return tls_config_add_efi_siglist(cfg, pem, len, e);
		return cb_errf(e, CB_EINVAL, "tls: no PEM certificate, DER certificate or EFI signature list found");
	}
	size_t keep = tls_config_anchor_count(cfg), certs = 0;
	struct pem_scan scan;
	pem_scan_init(&scan, pem, len, TLS_MAX_CERT_BYTES);
	int rc;
	for (;;) {
		struct pem_block blk;
		rc = pem_scan_next(&scan, &blk, e);
		if (rc <= 0) {
			if (rc)
				cb_err_prefix(e, "tls: ");
			break;
		}
		rc = 0;
		if (!strcmp(blk.label, "CERTIFICATE")) {
			char what[64];
			snprintf(what, sizeof(what), "certificate %zu (PEM line %zu)", ++certs, blk.line);
			rc = add_der(cfg, blk.der, blk.len, what, e);
		}
		free(blk.der);
		if (rc)
			break;
	}
	if (!rc && !certs)
		rc = cb_errf(e, CB_ENOENT, "tls: no CERTIFICATE block in the PEM input");
	if (rc)
		tls_anchors_rollback(cfg, keep);
	return rc;
}

int tls_config_add_named(struct tls_config *cfg, const char *name, const void *data, size_t len, struct cb_err *e)
{
	int rc = tls_config_add_pem(cfg, data, len, e);
	if (rc && !strncmp(e->msg, "tls: ", 5)) {
		char detail[CB_ERR_MSG_MAX];
		snprintf(detail, sizeof(detail), "%s", e->msg + 5);
		cb_errf(e, rc, "tls: %s: %s", name, detail);
	}
	return rc;
}
