/* tls_pem_fuzz.c: libFuzzer target for net/tls's CA input parser: PEM bundles (runtime/common/pem_scan.c), and
 * the DER and EFI signature list shapes tls_config_add_pem() detects. Checks the all-or-nothing contract. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_config cfg;
	tls_config_init(&cfg);
	struct cb_err e = { 0 };
	int rc = tls_config_add_pem(&cfg, (const char *)data, size, &e);
	size_t n = tls_config_anchor_count(&cfg);
	if (rc == 0 && n == 0)
		abort();
	if (rc != 0 && (n != 0 || strncmp(e.msg, "tls: ", 5) || rc != e.code))
		abort();
	tls_config_free(&cfg);
	return 0;
}
