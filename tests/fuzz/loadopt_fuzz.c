/* loadopt_fuzz.c: libFuzzer target for EFI_LOAD_OPTION parsing and device path text (varstore_loadopt.c):
 * the input is taken both as a whole load option and as a bare device path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "varstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct varstore_loadopt o;
	struct cb_err e = { 0, "" };
	char text[VARSTORE_DEVPATH_TEXT_MAX];
	if (varstore_loadopt_parse(data, size, &o, &e) == 0) {
		if (o.devpath < data || o.devpath + o.devpath_len > data + size || o.optional + o.optional_len != data + size)
			abort();
		varstore_devpath_text(o.devpath, o.devpath_len, text, sizeof(text), &e);
		if (strlen(text) >= sizeof(text))
			abort();
	}
	varstore_devpath_text(data, size, text, sizeof(text), &e);
	char small[16];
	varstore_devpath_text(data, size, small, sizeof(small), &e);
	if (strlen(small) >= sizeof(small))
		abort();
	return 0;
}
