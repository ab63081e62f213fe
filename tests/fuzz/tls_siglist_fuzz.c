/* tls_siglist_fuzz.c: libFuzzer target for net/tls's EFI_SIGNATURE_LIST parser (the TlsCaCertificate
 * variable) including the X.509 decoding of its entries. Checks the all-or-nothing contract on every input. */
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
	int rc = tls_config_add_efi_siglist(&cfg, data, size, &e);
	size_t n = tls_config_anchor_count(&cfg);
	if (rc == 0 && n == 0)
		abort(); /* success always adds something */
	if (rc != 0 && (n != 0 || strncmp(e.msg, "tls: ", 5) || rc != e.code))
		abort(); /* failure adds nothing and says why */
	tls_config_free(&cfg);
	return 0;
}
