/* varstore_fuzz.c: libFuzzer target for the EDK2 variable store editor: open a hostile store, walk it, read
 * every Boot#### as a load option, then edit it and check the result still opens and holds the edit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "varstore.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	struct varstore vs;
	struct cb_err e = { 0, "" };
	if (varstore_open(&vs, buf, size, &e) != 0) {
		free(buf);
		return 0;
	}
	size_t cur = 0;
	struct varstore_var v;
	unsigned n = 0;
	while (varstore_next(&vs, &cur, &v)) {
		n++;
		check(v.off >= vs.vars_off && v.off < vs.vars_end && v.data >= buf && v.data + v.data_size <= buf + size);
		if (strncmp(v.name, "Boot", 4) == 0 && varstore_state_live(v.state)) {
			struct varstore_loadopt o;
			char text[VARSTORE_DEVPATH_TEXT_MAX];
			if (varstore_loadopt_parse(v.data, v.data_size, &o, &e) == 0)
				varstore_devpath_text(o.devpath, o.devpath_len, text, sizeof(text), &e);
		}
	}
	check(n == vs.nvars);
	static const uint8_t order[] = { 1, 0, 0, 0 };
	if (varstore_set(&vs, "BootOrder", varstore_global_guid, VARSTORE_NV_BS_RT, order, sizeof(order), &e) == 0) {
		struct varstore again;
		check(varstore_open(&again, buf, size, &e) == 0);
		check(varstore_get(&again, "BootOrder", varstore_global_guid, &v, &e) == 0);
		check(v.data_size == sizeof(order) && memcmp(v.data, order, sizeof(order)) == 0);
		check(varstore_delete(&again, "BootOrder", varstore_global_guid, &e) == 0);
		check(varstore_get(&again, "BootOrder", varstore_global_guid, &v, &e) == CB_ENOENT);
	}
	free(buf);
	return 0;
}
