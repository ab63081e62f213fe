/* pull_cosign.c: the keyed cosign signature hook shared by the loader and `cloud-boot pull`: signature manifest
 * → cosign_verify_sig_manifest, layer blobs fetched (digest-checked) from the signature's repository. */
#include "pull_cosign.h"

#include <stddef.h>
#include <stdint.h>

static int fetch_sig_layer(void *ctx, const struct cosign_sig_layer *layer, void **bytes, size_t *len,
                           struct cb_err *e)
{
	const struct oci_sig_found *sig = ctx;
	uint8_t *b = NULL;
	/* cosign_verify_sig_manifest refuses oversized layers before asking; the cap is a second guard. */
	int rc = oci_sig_fetch(sig, layer->digest, layer->size, COSIGN_BUNDLE_MAX, &b, e);
	if (rc)
		return rc;
	*bytes = b;
	*len = (size_t)layer->size;
	return CB_OK;
}

static int verify_sig(void *ctx, const struct oci_sig_found *sig, struct cb_err *e)
{
	const struct oci_cosign_hook *h = ctx;
	struct cosign_want want = { .digest = sig->signed_digest };
	int rc = cosign_verify_sig_manifest(h->key, sig->manifest, sig->len, &want, fetch_sig_layer, (void *)sig, e);
	if (h->log)
		h->log(h->log_ctx, sig, rc, rc ? e->msg : "");
	return rc;
}

void oci_cosign_hook_init(struct oci_cosign_hook *h, const struct cosign_key *key, oci_cosign_log_fn log,
                          void *log_ctx)
{
	h->hook.verify = verify_sig;
	h->hook.ctx = h;
	h->key = key;
	h->log = log;
	h->log_ctx = log_ctx;
}
