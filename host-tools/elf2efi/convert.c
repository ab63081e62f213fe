/* elf2efi: the whole conversion of an in-memory ELF64 static PIE into an in-memory PE32+ image, running
 * the stages in order; a library entry point usable by the CLI, tests and fuzzers alike. */
#include <stdlib.h>
#include <string.h>

#include "elf2efi.h"

int e2e_convert(const uint8_t *in, size_t len, const struct e2e_options *opt, struct e2e_output *out,
		struct e2e_diag *diag)
{
	struct e2e_image *img = calloc(1, sizeof(*img));
	int r;

	out->data = NULL;
	out->len = 0;
	if (!img)
		return e2e_fail(diag, "out of memory");
	img->in = in;
	img->len = len;
	img->diag = diag;
	img->subsystem = opt->subsystem;

	r = e2e_parse_header(img);
	if (r == 0)
		r = e2e_parse_segments(img);
	if (r == 0)
		r = e2e_parse_dynamic(img);
	if (r == 0)
		r = e2e_collect_relocs(img);
	if (r == 0)
		r = e2e_layout(img);
	if (r == 0)
		r = e2e_emit(img, out);

	free(img->relocs);
	free(img->reloc_blob);
	free(img);
	return r;
}
