/* signkey_tool.c: test helper for tests/host/signkey_test.sh: `signkey_tool KEYFILE BLOB SIGOUT` loads KEYFILE with
 * signkey_load (password from $COSIGN_PASSWORD), signs BLOB and writes the DER signature to SIGOUT. Not shipped. */
#include <stdio.h>
#include <stdlib.h>

#include "signkey.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: signkey_tool KEYFILE BLOB SIGOUT\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "rb");
	size_t cap = 1 << 20, n = 0;
	char *blob = malloc(cap);
	if (!f || !blob) {
		fprintf(stderr, "signkey_tool: cannot read %s\n", argv[2]);
		return 1;
	}
	n = fread(blob, 1, cap, f);
	fclose(f);
	if (n == cap) {
		fprintf(stderr, "signkey_tool: %s: larger than %zu bytes\n", argv[2], cap);
		return 1;
	}
	struct cb_signkey k;
	struct cb_err e = { 0 };
	uint8_t sig[SIGNKEY_SIG_MAX];
	size_t sig_len = 0;
	int rc = signkey_load(argv[1], NULL, &k, &e);
	if (!rc) {
		rc = signkey_sign(&k, blob, n, sig, &sig_len, &e);
		signkey_wipe(&k);
	}
	free(blob);
	if (rc) {
		fprintf(stderr, "signkey_tool: %s\n", e.msg);
		return 1;
	}
	FILE *out = fopen(argv[3], "wb");
	if (!out || fwrite(sig, 1, sig_len, out) != sig_len || fclose(out) != 0) {
		fprintf(stderr, "signkey_tool: cannot write %s\n", argv[3]);
		return 1;
	}
	return 0;
}
