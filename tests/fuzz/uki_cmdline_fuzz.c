/* uki_cmdline_fuzz.c: libFuzzer target for both ends of a UKI's command line: the stub joining .cmdline and its
 * UCS-2 LoadOptions (boot/uki/uki_cmdline.c) and `cloud-boot build` checking --cmdline/--plan (uki_parts.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../boot/uki/uki_cmdline.h"
#include "../../host-tools/cloud-boot/uki_parts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	/* First byte: where the .cmdline section ends and the LoadOptions begin. */
	size_t split = data[0] < size ? data[0] : size - 1;
	const char *sec = (const char *)data + 1;
	size_t sec_len = split, opts_len = size - 1 - split;
	char *out;
	enum uki_opts_use use;
	struct cb_err e;
	if (uki_cmdline_compose(sec, sec_len, data + 1 + split, opts_len, &out, &use, &e) == CB_OK) {
		size_t n = strlen(out);
		if (n > UKI_CMDLINE_MAX || (n && (out[0] == ' ' || out[n - 1] == ' ')))
			__builtin_trap();
		free(out);
	}
	/* The same bytes as --cmdline and --plan (NUL-terminated copies). */
	char *cmd = malloc(sec_len + 1), *plan = malloc(opts_len + 1);
	if (!cmd || !plan)
		abort();
	memcpy(cmd, sec, sec_len);
	cmd[sec_len] = 0;
	memcpy(plan, data + 1 + split, opts_len);
	plan[opts_len] = 0;
	if (uki_make_cmdline(cmd, (data[0] & 1) ? plan : NULL, &out, &e) == CB_OK) {
		if (strlen(out) > UKI_CMDLINE_MAX)
			__builtin_trap();
		free(out);
	}
	free(cmd);
	free(plan);
	return 0;
}
