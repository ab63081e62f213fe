/* oci_ref_fuzz.c: libFuzzer target for oci_ref_parse: any input either fails with a message or yields parts
 * that are themselves valid and re-parse to the same reference when formatted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	struct oci_ref r, again;
	struct cb_err e = { 0 };
	if (oci_ref_parse(s, &r, &e) != 0) {
		if (!e.msg[0])
			abort();
		free(s);
		return 0;
	}
	if (!r.registry[0] || !r.repo[0] || (!r.tag && !r.digest) || strlen(r.repo) > OCI_REPO_MAX)
		abort();
	if (r.digest && !oci_digest_is_sha256(r.digest))
		abort();
	char buf[OCI_REF_MAX + 64];
	size_t n = oci_ref_format(&r, buf, sizeof(buf));
	if (n >= sizeof(buf))
		abort();
	if (oci_ref_parse(buf, &again, &e) != 0)
		abort();
	if (strcmp(again.registry, r.registry) || strcmp(again.repo, r.repo) || (!again.tag != !r.tag) ||
	    (r.tag && strcmp(again.tag, r.tag)) || (!again.digest != !r.digest) ||
	    (r.digest && strcmp(again.digest, r.digest)))
		abort();
	oci_ref_free(&again);
	oci_ref_free(&r);
	free(s);
	return 0;
}
