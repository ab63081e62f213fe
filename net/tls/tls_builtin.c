/* tls_builtin.c: tls_config_add_builtin(): the trust anchors compiled in at build time (the array ta2c
 * generates from the CA bundle and the `extra_ca` option). Linked only where those anchors are wanted. */
#include "tls_internal.h"

int tls_config_add_builtin(struct tls_config *cfg, struct cb_err *e)
{
	size_t keep = tls_config_anchor_count(cfg);
	for (size_t i = 0; i < tls_builtin_ta_count; i++) {
		int rc = tls_anchors_append(cfg, &tls_builtin_ta[i], NULL, e);
		if (rc) {
			tls_anchors_rollback(cfg, keep);
			return rc;
		}
	}
	return 0;
}
