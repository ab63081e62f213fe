/* oci_manifest_fuzz.c: libFuzzer target for oci_manifest_parse + oci_manifest_select +
 * oci_manifest_classify on arbitrary bytes (JSON documents in the corpus). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_manifest m;
	struct cb_err e = { 0 };
	if (oci_manifest_parse(data, size, size & 1 ? OCI_MT_INDEX : NULL, &m, &e) != 0) {
		if (!e.msg[0] || m.doc || m.desc)
			abort();
		return 0;
	}
	for (size_t i = 0; i < m.n; i++)
		if (!m.desc[i].media_type || !oci_digest_valid(m.desc[i].digest))
			abort();
	if (m.kind == OCI_KIND_INDEX) {
		static const char *const arches[] = { "amd64", "arm64", "riscv64", "loong64" };
		for (size_t i = 0; i < 4; i++) {
			struct oci_platform p = { arches[i], NULL, i == 1 ? "v8" : NULL };
			const struct oci_descriptor *d;
			int rc = oci_manifest_select(&m, &p, &d, &e);
			if ((rc == 0) != (d != NULL) || (rc && !e.msg[0]))
				abort();
			if (d && (d < m.desc || d >= m.desc + m.n))
				abort();
		}
	} else {
		struct oci_artifact *art = malloc(sizeof(*art));
		if (art && oci_manifest_classify(&m, art, &e) == 0) {
			if (art->n_tars > OCI_MAX_TAR_LAYERS || (art->kernel && art->kernel == art->initrd))
				abort();
		}
		free(art);
	}
	oci_manifest_free(&m);
	return 0;
}
