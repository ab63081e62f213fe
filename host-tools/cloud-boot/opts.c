/* opts.c: cb_opts_parse, the table-driven option parser behind pull, push and sign. Not getopt: no option
 * bundling, no abbreviations; every mistake is one usage line naming the option. */
#include <string.h>

#include "cmd.h"
#include "opts.h"

static const struct cb_opt *find(const char *a, const struct cb_opt *opts, size_t n, const char **inline_val)
{
	*inline_val = NULL;
	for (size_t k = 0; k < n; k++) {
		const char *names[] = { opts[k].name, opts[k].alias };
		for (size_t j = 0; j < 2; j++) {
			size_t l = names[j] ? strlen(names[j]) : 0;
			if (!l || strncmp(a, names[j], l) != 0)
				continue;
			if (a[l] == 0)
				return &opts[k];
			if (a[l] == '=' && l > 2 && opts[k].val) {
				*inline_val = a + l + 1;
				return &opts[k];
			}
		}
	}
	return NULL;
}

int cb_opts_parse(const char *cmd, int argc, char **argv, const struct cb_opt *opts, size_t n_opts, char **pos,
                  size_t max_pos, size_t *npos)
{
	bool only_pos = false;
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (only_pos || a[0] != '-' || a[1] == 0) {
			if (*npos == max_pos)
				return cb_usage_err(cmd, "unexpected argument '%s'", a);
			pos[(*npos)++] = argv[i];
			continue;
		}
		const char *val;
		const struct cb_opt *o = find(a, opts, n_opts, &val);
		if (!o)
			return cb_usage_err(cmd, "unknown option '%s'", a);
		if (o->flag) {
			*o->flag = true;
			continue;
		}
		if (!val) {
			if (i + 1 >= argc)
				return cb_usage_err(cmd, "%s needs a value", a);
			val = argv[++i];
		}
		char written[64]; /* the option as typed, without "=VALUE" */
		size_t wl = strcspn(a, "=");
		memcpy(written, a, wl < sizeof(written) ? wl : sizeof(written) - 1);
		written[wl < sizeof(written) ? wl : sizeof(written) - 1] = 0;
		if (*o->val)
			return cb_usage_err(cmd, "%s given twice", written);
		if (!*val)
			return cb_usage_err(cmd, "%s needs a value", written);
		*o->val = val;
	}
	return EXIT_OK;
}
