/* knobs_fuzz.c: libFuzzer target over runtime/common/knobs.c and netcfg.c. The first byte picks the entry
 * point (command-line text, config file, knobs_set key/value, netcfg); the rest is the hostile input.
 * Links: runtime/common/{knobs,knob_table,netcfg,cb_err}.c, include dir runtime/common. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knobs.h"
#include "netcfg.h"

static void sink(void *ctx, const char *line)
{
	size_t *n = ctx;
	*n += strlen(line);
}

static void exercise(struct knobs *k)
{
	struct cb_err e = { 0 };
	size_t n = 0;
	(void)knobs_validate(k, KNOBS_NEED_BOOT_SOURCE, &e);
	(void)knobs_dump(k, sink, &n);
	for (size_t i = 0; i < knob_table_len; i++) {
		(void)knobs_get(k, knob_table[i].name);
		(void)knobs_source(k, knob_table[i].name);
		(void)knobs_bool(k, knob_table[i].name, false);
		(void)knobs_u32(k, knob_table[i].name, 0);
	}
	for (size_t i = 0; i < knobs_warning_count(k); i++)
		if (!knobs_warning(k, i))
			abort();
	for (int s = 0; s < KNOB_SRC_COUNT; s++)
		(void)knobs_other(k, (enum knob_source)s, &n);
	const char *ns = knobs_get(k, "net.static");
	struct netcfg c;
	if (ns && netcfg_parse(ns, strlen(ns), &c, &e) != 0)
		abort(); /* a stored net.static always parses */
}

static void check_err(int rc, const struct cb_err *e)
{
	if (rc != 0 && (e->code != rc || !e->msg[0] || !memchr(e->msg, 0, sizeof(e->msg))))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0] % 4;
	const char *in = (const char *)data + 1;
	size_t len = size - 1;
	struct cb_err e = { 0 };
	int rc;

	if (mode == 3) { /* netcfg, then its canonical text must parse to the same thing */
		struct netcfg a, b;
		rc = netcfg_parse(in, len, &a, &e);
		check_err(rc, &e);
		if (rc == 0) {
			char txt[NETCFG_TEXT_MAX];
			netcfg_format(&a, txt, sizeof(txt));
			if (netcfg_parse(txt, strlen(txt), &b, &e) != 0 || memcmp(&a, &b, sizeof(a)) != 0)
				abort();
		}
		return 0;
	}

	struct knobs *k = knobs_new();
	if (!k)
		return 0;
	if (mode == 2) { /* knobs_set: key NUL value */
		char *buf = malloc(len + 2);
		memcpy(buf, in, len);
		buf[len] = buf[len + 1] = 0;
		const char *key = buf, *value = buf + strlen(buf) + 1;
		if (value > buf + len)
			value = "";
		rc = knobs_set(k, KNOB_SRC_METADATA, key, value, &e);
		check_err(rc, &e);
		free(buf);
	} else {
		/* The same bytes as two sources, so precedence and the config syntax both run. */
		enum knob_source src = mode ? KNOB_SRC_CONFIG : KNOB_SRC_LOADOPTIONS;
		rc = knobs_parse(k, src, in, len, &e);
		check_err(rc, &e);
		rc = knobs_parse(k, mode ? KNOB_SRC_LOADOPTIONS : KNOB_SRC_CONFIG, in, len, &e);
		check_err(rc, &e);
	}
	exercise(k);
	knobs_free(k);
	return 0;
}
