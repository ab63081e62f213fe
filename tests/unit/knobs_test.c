/* knobs_test.c: table-driven host tests of runtime/common/knobs.c, knob_table.c and netcfg.c: tokenizer,
 * precedence, types, warnings, secrets, limits, validate() and netcfg, with exact values and messages. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "knobs.h"
#include "netcfg.h"

static int parse(struct knobs *k, enum knob_source src, const char *text, struct cb_err *e)
{
	memset(e, 0, sizeof(*e));
	return knobs_parse(k, src, text, strlen(text), e);
}

/* ---- tokenizer ---- */

struct kv {
	const char *key, *value;
};
struct tok_case {
	enum knob_source src;
	const char *in;
	int rc;
	const char *err;        /* exact message when rc != 0 */
	struct kv want[4];      /* knobs_get() after the parse (value NULL: unset) */
	const char *other;      /* knobs_other() */
	size_t other_count;
};

static const struct tok_case tok_cases[] = {
	{ KNOB_SRC_LOADOPTIONS, "", 0, NULL, { { "exit", "kexec" } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "   \t\n ", 0, NULL, { { "target", NULL } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.exit=reboot", 0, NULL, { { "exit", "reboot" } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "console=ttyS0 cloudboot.target=rescue ro  quiet", 0, NULL,
	  { { "target", "rescue" }, { "quiet", "0" } }, "console=ttyS0 ro quiet", 3 },
	/* quoted value, fully quoted token, quotes inside */
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.disk.kernel=\"/boot/my kernel\" x", 0, NULL,
	  { { "disk.kernel", "/boot/my kernel" } }, "x", 1 },
	{ KNOB_SRC_LOADOPTIONS, "\"cloudboot.disk.initrd=/boot/my initrd\"", 0, NULL,
	  { { "disk.initrd", "/boot/my initrd" } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=a\"b c\"d", 0, NULL, { { "target", "ab cd" } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=\"\"", 0, NULL, { { "target", NULL } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=\"\ta\t\"", 0, NULL, { { "target", "\ta\t" } }, "", 0 },
	/* backslashes are not special */
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.disk.kernel=C:\\boot\\k\\\" x\"", 0, NULL,
	  { { "disk.kernel", "C:\\boot\\k\\ x" } }, "", 0 },
	/* kernel tokens are kept byte for byte, quotes included */
	{ KNOB_SRC_LOADOPTIONS, "a=\"b c\"  \"d e\" cloudboot.debug", 0, NULL, { { "debug", "1" } }, "a=\"b c\" \"d e\"", 2 },
	/* bare key = 1, empty value = default, key==x */
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.net.skip", 0, NULL, { { "net.skip", "1" } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.exit=", 0, NULL, { { "exit", "kexec" } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target==x", 0, NULL, { { "target", "=x" } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=a=b", 0, NULL, { { "target", "a=b" } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.exit==x", -1,
	  "knobs: cloudboot.exit==x (LoadOptions): expected one of kexec, reboot", { { 0 } }, "", 0 },
	/* last one wins inside a text; '_' is '-' */
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=a cloudboot.target=b", 0, NULL, { { "target", "b" } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.net.dhcp_timeout=30", 0, NULL, { { "net.dhcp-timeout", "30" } }, "", 0 },
	/* whitespace: tabs, newlines, CRLF, \v \f */
	{ KNOB_SRC_LOADOPTIONS, "\tcloudboot.target=a\r\ncloudboot.keymap=fr\r\n", 0, NULL,
	  { { "target", "a" }, { "keymap", "fr" } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "x\vcloudboot.target=a\fy", 0, NULL, { { "target", "a" } }, "x y", 2 },
	/* trailing NULs are tolerated (LoadOptions often carry a terminator) */
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=a", 0, NULL, { { "target", "a" } }, "", 0 },
	/* '#' is only a comment in config files, and only at the start of a token */
	{ KNOB_SRC_LOADOPTIONS, "#cloudboot.target=a", 0, NULL, { { "target", NULL } }, "#cloudboot.target=a", 1 },
	{ KNOB_SRC_CONFIG, "# comment cloudboot.target=a\ncloudboot.target=b # c \"d\n", 0, NULL,
	  { { "target", "b" } }, "", 0 },
	{ KNOB_SRC_CONFIG, "cloudboot.target=a#b\n", 0, NULL, { { "target", "a#b" } }, "", 0 },
	{ KNOB_SRC_CONFIG, "cloudboot.target=\"a #b\"\r\n#\r\n\r\n  # x\n", 0, NULL, { { "target", "a #b" } }, "", 0 },
	{ KNOB_SRC_CONFIG, "cloudboot.target=a\n# no newline at the end", 0, NULL, { { "target", "a" } }, "", 0 },
	{ KNOB_SRC_CONFIG, "console=ttyS0 cloudboot.exit=reboot", 0, NULL, { { "exit", "reboot" } }, "console=ttyS0", 1 },
	/* errors */
	{ KNOB_SRC_LOADOPTIONS, "x cloudboot.target=\"abc", -1, "knobs: unterminated quote at byte 19 (LoadOptions)",
	  { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "foo=\"bar", -1, "knobs: unterminated quote at byte 4 (LoadOptions)", { { 0 } }, "", 0 },
	{ KNOB_SRC_CONFIG, "cloudboot.exit=reboot\ncloudboot.target=\"a\nb\"\n", -1,
	  "knobs: unterminated quote at byte 39 (cloudboot.cfg line 2)", { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=\"a\nb\"", -1,
	  "knobs: control character U+000A at byte 19 (LoadOptions)", { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=a\x01", -1,
	  "knobs: control character U+0001 at byte 18 (LoadOptions)", { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=a\x7f", -1,
	  "knobs: control character U+007F at byte 18 (LoadOptions)", { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=a\xc2\x85", -1,
	  "knobs: control character U+0085 at byte 18 (LoadOptions)", { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80", 0, NULL,
	  { { "target", "caf\xc3\xa9" } }, "\xe2\x82\xac\xf0\x9f\x98\x80", 1 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=caf\xc3", -1, "knobs: invalid UTF-8 at byte 20 (LoadOptions)",
	  { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=\xc0\xaf", -1, "knobs: invalid UTF-8 at byte 17 (LoadOptions)",
	  { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=\xed\xa0\x80", -1, "knobs: invalid UTF-8 at byte 17 (LoadOptions)",
	  { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=\xf4\x90\x80\x80", -1, "knobs: invalid UTF-8 at byte 17 (LoadOptions)",
	  { { 0 } }, "", 0 },
	/* kernel tokens may hold anything but NUL */
	{ KNOB_SRC_LOADOPTIONS, "a=\x01\xff", 0, NULL, { { 0 } }, "a=\x01\xff", 1 },
	/* malformed keys */
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.=1", -1, "knobs: malformed key \"cloudboot.\" at byte 0 (LoadOptions)",
	  { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "x cloudboot.", -1, "knobs: malformed key \"cloudboot.\" at byte 2 (LoadOptions)",
	  { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.disk..fs=xfs", -1,
	  "knobs: malformed key \"cloudboot.disk..fs\" at byte 0 (LoadOptions)", { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.disk.=xfs", -1,
	  "knobs: malformed key \"cloudboot.disk.\" at byte 0 (LoadOptions)", { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "\"cloudboot.a b=1\"", -1, "knobs: malformed key \"cloudboot.a b\" at byte 0 (LoadOptions)",
	  { { 0 } }, "", 0 },
	{ KNOB_SRC_LOADOPTIONS, "cloudboot.a/b=1", -1, "knobs: malformed key \"cloudboot.a/b\" at byte 0 (LoadOptions)",
	  { { 0 } }, "", 0 },
	/* not ours: other prefixes and cases */
	{ KNOB_SRC_LOADOPTIONS, "CloudBoot.exit=x cloudboot cloudbootx.y=1", 0, NULL, { { "exit", "kexec" } },
	  "CloudBoot.exit=x cloudboot cloudbootx.y=1", 3 },
	/* a value error names key, value and source; nothing of the text is kept */
	{ KNOB_SRC_EFIVAR, "cloudboot.target=t cloudboot.debug=maybe", -1,
	  "knobs: cloudboot.debug=maybe (CloudBootCmdline): expected a boolean (0, 1, true, false, yes, no, on, off)",
	  { { "target", NULL } }, "", 0 },
	{ KNOB_SRC_CONFIG, "\n\ncloudboot.timeout=-1\n", -1,
	  "knobs: cloudboot.timeout=-1 (cloudboot.cfg line 3): expected a decimal number 0..3600", { { 0 } }, "", 0 },
};

static void test_tokenizer(void)
{
	for (size_t i = 0; i < sizeof(tok_cases) / sizeof(tok_cases[0]); i++) {
		const struct tok_case *c = &tok_cases[i];
		struct knobs *k = knobs_new();
		struct cb_err e;
		int rc = parse(k, c->src, c->in, &e);
		CHECK(rc == c->rc, "tok[%zu] \"%s\": rc %d, want %d (%s)", i, c->in, rc, c->rc, e.msg);
		if (c->rc)
			CHECK(streq(e.msg, c->err), "tok[%zu]: message\n  got  \"%s\"\n  want \"%s\"", i, e.msg, c->err);
		for (size_t j = 0; j < 4 && c->want[j].key; j++) {
			const char *v = knobs_get(k, c->want[j].key);
			CHECK(streq(v, c->want[j].value), "tok[%zu] %s: got \"%s\", want \"%s\"", i, c->want[j].key, S(v),
			      S(c->want[j].value));
		}
		size_t n = 99;
		const char *o = knobs_other(k, c->src, &n);
		CHECK(streq(o, c->other) && n == c->other_count, "tok[%zu]: other \"%s\" (%zu), want \"%s\" (%zu)", i, o, n,
		      c->other, c->other_count);
		knobs_free(k);
	}

	/* Trailing NULs are ignored; a NUL elsewhere is an error. */
	struct knobs *k = knobs_new();
	struct cb_err e = { 0 };
	static const char t1[] = "cloudboot.target=a\0\0";
	CHECK(knobs_parse(k, KNOB_SRC_LOADOPTIONS, t1, sizeof(t1), &e) == 0, "trailing NUL: %s", e.msg);
	CHECK(streq(knobs_get(k, "target"), "a"), "trailing NUL value");
	static const char t2[] = "cloudboot.target=b\0x";
	CHECK(knobs_parse(k, KNOB_SRC_LOADOPTIONS, t2, sizeof(t2) - 1, &e) == CB_EINVAL, "inner NUL accepted");
	CHECK(streq(e.msg, "knobs: NUL byte at byte 18 (LoadOptions)"), "inner NUL: %s", e.msg);
	CHECK(streq(knobs_get(k, "target"), "a"), "inner NUL changed the store");
	/* length-bounded: bytes after len are not read */
	CHECK(knobs_parse(k, KNOB_SRC_LOADOPTIONS, "cloudboot.target=cdef", 18, &e) == 0, "len-bounded");
	CHECK(streq(knobs_get(k, "target"), "c"), "len-bounded value %s", S(knobs_get(k, "target")));
	CHECK(knobs_parse(k, KNOB_SRC_LOADOPTIONS, NULL, 0, &e) == 0, "NULL, 0");
	CHECK(knobs_parse(k, KNOB_SRC_LOADOPTIONS, NULL, 1, &e) == CB_EINVAL, "NULL, 1");
	CHECK(knobs_parse(k, KNOB_SRC_COUNT, "", 0, &e) == CB_EINVAL, "bad source");
	knobs_free(k);

	/* Other tokens accumulate across texts of one source. */
	k = knobs_new();
	CHECK(parse(k, KNOB_SRC_PROC_CMDLINE, "a b", &e) == 0, "other 1");
	CHECK(parse(k, KNOB_SRC_PROC_CMDLINE, "cloudboot.debug c", &e) == 0, "other 2");
	size_t n;
	CHECK(streq(knobs_other(k, KNOB_SRC_PROC_CMDLINE, &n), "a b c") && n == 3, "other accumulated: %s",
	      knobs_other(k, KNOB_SRC_PROC_CMDLINE, &n));
	CHECK(streq(knobs_other(k, KNOB_SRC_LOADOPTIONS, &n), "") && n == 0, "other of another source");
	knobs_free(k);
}

/* ---- limits ---- */

static char *repeat(const char *head, char c, size_t n, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = malloc(hl + n + tl + 1);
	memcpy(s, head, hl);
	memset(s + hl, c, n);
	memcpy(s + hl + n, tail, tl + 1);
	return s;
}

static void test_limits(void)
{
	struct cb_err e;
	struct knobs *k = knobs_new();

	/* token of exactly 4096 bytes: fine; 4097: refused */
	char *t = repeat("cloudboot.target=", 'a', KNOBS_MAX_TOKEN - 17, "");
	CHECK(strlen(t) == KNOBS_MAX_TOKEN, "setup");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, t, &e) == 0, "4096-byte token: %s", e.msg);
	CHECK(strlen(S(knobs_get(k, "target"))) == KNOBS_MAX_TOKEN - 17, "4096-byte token value");
	free(t);
	t = repeat("x cloudboot.target=", 'a', KNOBS_MAX_TOKEN - 16, "");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, t, &e) == CB_ELIMIT, "4097-byte token accepted");
	CHECK(streq(e.msg, "knobs: token at byte 2 is longer than 4096 bytes (LoadOptions)"), "long token: %s", e.msg);
	free(t);
	/* quotes count: 4094 bytes inside quotes + 2 quotes = 4096 */
	t = repeat("\"", 'b', KNOBS_MAX_TOKEN - 2, "\"");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, t, &e) == 0, "quoted 4096: %s", e.msg);
	free(t);
	t = repeat("\"", 'b', KNOBS_MAX_TOKEN - 1, "\"");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, t, &e) == CB_ELIMIT, "quoted 4097");
	free(t);
	/* a long kernel token is refused too */
	t = repeat("", 'x', KNOBS_MAX_TOKEN + 1, "");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, t, &e) == CB_ELIMIT, "long kernel token");
	free(t);

	/* input: 64 KiB fine, one more byte refused (trailing NULs not counted) */
	t = repeat("", ' ', KNOBS_MAX_INPUT, "");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, t, &e) == 0, "64 KiB: %s", e.msg);
	free(t);
	t = repeat("", ' ', KNOBS_MAX_INPUT + 1, "");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, t, &e) == CB_ELIMIT, "64 KiB + 1");
	CHECK(streq(e.msg, "knobs: input of 65537 bytes exceeds the limit of 65536 (LoadOptions)"), "input: %s", e.msg);
	free(t);
	t = calloc(1, KNOBS_MAX_INPUT + 100);
	memcpy(t, "cloudboot.debug", 15);
	CHECK(knobs_parse(k, KNOB_SRC_LOADOPTIONS, t, KNOBS_MAX_INPUT + 100, &e) == 0, "trailing NULs past 64 KiB");
	free(t);
	knobs_free(k);

	/* 256 cloudboot.* settings in one text: fine; 257: refused */
	size_t cap = 300 * 32;
	char *buf = malloc(cap);
	size_t o = 0;
	for (int i = 0; i < 256; i++)
		o += (size_t)snprintf(buf + o, cap - o, "cloudboot.x%d=1 ", i);
	k = knobs_new();
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, buf, &e) == 0, "256 knobs: %s", e.msg);
	CHECK(knobs_warning_count(k) == KNOBS_MAX_WARNINGS && knobs_warnings_dropped(k) == 256 - KNOBS_MAX_WARNINGS,
	      "warnings capped: %zu + %zu", knobs_warning_count(k), knobs_warnings_dropped(k));
	/* the same keys again: no new distinct ones */
	CHECK(parse(k, KNOB_SRC_EFIVAR, buf, &e) == 0, "256 again: %s", e.msg);
	CHECK(parse(k, KNOB_SRC_EFIVAR, "cloudboot.target=x", &e) == CB_ELIMIT, "257th distinct key accepted");
	CHECK(streq(e.msg, "knobs: more than 256 distinct knobs (CloudBootCmdline)"), "distinct: %s", e.msg);
	CHECK(knobs_get(k, "target") == NULL, "257th key stored");
	knobs_free(k);
	snprintf(buf + o, cap - o, "cloudboot.x256=1");
	k = knobs_new();
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, buf, &e) == CB_ELIMIT, "257 knobs accepted");
	CHECK(streq(e.msg, "knobs: more than 256 cloudboot.* settings (LoadOptions)"), "257: %s", e.msg);
	CHECK(knobs_warning_count(k) == 0 && !knobs_is_set(k, "x0"), "failed parse left something behind");
	knobs_free(k);
	free(buf);

	/* keys up to 128 bytes */
	k = knobs_new();
	t = repeat("cloudboot.", 'k', KNOBS_MAX_KEY, "=1");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, t, &e) == 0, "128-byte key: %s", e.msg);
	free(t);
	t = repeat("cloudboot.", 'k', KNOBS_MAX_KEY + 1, "=1");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, t, &e) == CB_EINVAL, "129-byte key");
	CHECK(strncmp(e.msg, "knobs: malformed key \"cloudboot.kkkk", 36) == 0, "129: %s", e.msg);
	CHECK(strlen(e.msg) < 120, "malformed key message not truncated: %zu", strlen(e.msg));
	free(t);
	/* values in messages are cut at 64 bytes */
	t = repeat("cloudboot.exit=", 'z', 100, "");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, t, &e) == CB_EINVAL, "long bad value");
	CHECK(streq(e.msg, "knobs: cloudboot.exit=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz... "
	                   "(LoadOptions): expected one of kexec, reboot"),
	      "cut: %s", e.msg);
	free(t);
	knobs_free(k);
}

/* ---- precedence ---- */

static void test_precedence(void)
{
	static const struct {
		enum knob_source src;
		const char *text;
	} in[] = {
		{ KNOB_SRC_CONFIG, "cloudboot.target=cfg cloudboot.keymap=fr cloudboot.timeout=1 cloudboot.exit=reboot" },
		{ KNOB_SRC_EFIVAR, "cloudboot.target=var cloudboot.keymap=fr-mac cloudboot.exit=" },
		{ KNOB_SRC_LOADOPTIONS, "cloudboot.target=lo" },
		{ KNOB_SRC_DEFAULT, "cloudboot.target=def cloudboot.timeout=2 cloudboot.debug=1" },
	};
	static const struct {
		const char *key, *value;
		enum knob_source src;
	} want[] = {
		{ "target", "lo", KNOB_SRC_LOADOPTIONS }, { "keymap", "fr-mac", KNOB_SRC_EFIVAR },
		{ "timeout", "1", KNOB_SRC_CONFIG },      { "debug", "1", KNOB_SRC_DEFAULT },
		{ "exit", "kexec", KNOB_SRC_EFIVAR },     { "quiet", "0", KNOB_SRC_DEFAULT },
	};
	/* every order of the four sources */
	int perm[4] = { 0, 1, 2, 3 }, orders = 0;
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			for (int c = 0; c < 4; c++)
				for (int d = 0; d < 4; d++) {
					if (a == b || a == c || a == d || b == c || b == d || c == d)
						continue;
					perm[0] = a, perm[1] = b, perm[2] = c, perm[3] = d;
					orders++;
					struct knobs *k = knobs_new();
					struct cb_err e;
					for (int i = 0; i < 4; i++)
						CHECK(parse(k, in[perm[i]].src, in[perm[i]].text, &e) == 0, "parse: %s", e.msg);
					for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
						const char *v = knobs_get(k, want[w].key);
						CHECK(streq(v, want[w].value) && knobs_source(k, want[w].key) == want[w].src,
						      "order %d%d%d%d: %s = %s (%s), want %s (%s)", a, b, c, d, want[w].key, S(v),
						      knob_source_name(knobs_source(k, want[w].key)), want[w].value,
						      knob_source_name(want[w].src));
					}
					CHECK(knobs_u32(k, "timeout", 99) == 1, "u32 timeout");
					CHECK(knobs_bool(k, "debug", false), "bool debug");
					knobs_free(k);
				}
	CHECK(orders == 24, "orders %d", orders);

	/* equal rank: the later parse wins; metadata beats the command line; lower never overrides */
	struct knobs *k = knobs_new();
	struct cb_err e;
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, "cloudboot.target=lo", &e) == 0, "lo");
	CHECK(parse(k, KNOB_SRC_PROC_CMDLINE, "cloudboot.target=proc", &e) == 0, "proc");
	CHECK(streq(knobs_get(k, "target"), "proc") && knobs_source(k, "target") == KNOB_SRC_PROC_CMDLINE, "equal rank");
	CHECK(knobs_set(k, KNOB_SRC_METADATA, "target", "meta", &e) == 0, "set: %s", e.msg);
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, "cloudboot.target=lo2", &e) == 0, "lo2");
	CHECK(streq(knobs_get(k, "cloudboot.target"), "meta") && knobs_source(k, "target") == KNOB_SRC_METADATA,
	      "metadata wins: %s", S(knobs_get(k, "target")));
	CHECK(!knobs_is_set(k, "plan") && knobs_source(k, "plan") == KNOB_SRC_DEFAULT, "plan unset");
	knobs_free(k);

	/* knob_source names and ranks */
	static const char *const names[] = { "default", "cloudboot.cfg", "CloudBootCmdline", "LoadOptions",
		                             "/proc/cmdline", "metadata" };
	for (int s = 0; s < KNOB_SRC_COUNT; s++)
		CHECK(streq(knob_source_name((enum knob_source)s), names[s]), "name %d", s);
	CHECK(knob_source_rank(KNOB_SRC_DEFAULT) < knob_source_rank(KNOB_SRC_CONFIG) &&
	          knob_source_rank(KNOB_SRC_CONFIG) < knob_source_rank(KNOB_SRC_EFIVAR) &&
	          knob_source_rank(KNOB_SRC_EFIVAR) < knob_source_rank(KNOB_SRC_LOADOPTIONS) &&
	          knob_source_rank(KNOB_SRC_LOADOPTIONS) == knob_source_rank(KNOB_SRC_PROC_CMDLINE) &&
	          knob_source_rank(KNOB_SRC_PROC_CMDLINE) < knob_source_rank(KNOB_SRC_METADATA),
	      "ranks");
}

/* ---- types ---- */

struct type_case {
	const char *key, *value;
	const char *err; /* NULL: accepted; else the reason after "(LoadOptions): " */
};
static const struct type_case type_cases[] = {
	/* bool */
	{ "debug", "1", NULL }, { "debug", "0", NULL }, { "debug", "true", NULL }, { "debug", "FALSE", NULL },
	{ "debug", "yes", NULL }, { "debug", "No", NULL }, { "debug", "on", NULL }, { "debug", "off", NULL },
	{ "debug", "2", "expected a boolean (0, 1, true, false, yes, no, on, off)" },
	{ "net.skip", "y", "expected a boolean (0, 1, true, false, yes, no, on, off)" },
	{ "net.lldp", " 1", "expected a boolean (0, 1, true, false, yes, no, on, off)" },
	/* enum */
	{ "exit", "kexec", NULL }, { "exit", "reboot", NULL },
	{ "exit", "foo", "expected one of kexec, reboot" },
	{ "exit", "Kexec", "expected one of kexec, reboot" },
	{ "keymap", "fr-mac", NULL }, { "keymap", "de", "expected one of us, fr, fr-mac" },
	{ "disk.fs", "zfs", NULL }, { "disk.fs", "ntfs", "expected one of ext4, xfs, btrfs, zfs" },
	{ "net.driver", "snp", NULL }, { "net.driver", "e1000", "expected one of virtio, snp" },
	/* uint */
	{ "timeout", "0", NULL }, { "timeout", "3600", NULL }, { "timeout", "007", NULL },
	{ "timeout", "3601", "expected a decimal number 0..3600" },
	{ "timeout", "-1", "expected a decimal number 0..3600" },
	{ "timeout", "+1", "expected a decimal number 0..3600" },
	{ "timeout", "0x10", "expected a decimal number 0..3600" },
	{ "timeout", "1s", "expected a decimal number 0..3600" },
	{ "timeout", "4294967296", "expected a decimal number 0..3600" },
	{ "timeout", "99999999999999999999999", "expected a decimal number 0..3600" },
	{ "net.dhcp-timeout", "1", NULL }, { "net.dhcp-timeout", "600", NULL },
	{ "net.dhcp-timeout", "0", "expected a decimal number 1..600" },
	/* string */
	{ "target", "any thing\tat all", NULL }, { "disk", "/dev/disk/by-label/root", NULL },
	{ "disk.kernel", "/boot/vmlinuz-6.6", NULL }, { "key", "\\EFI\\cloud-boot\\cosign.pub", NULL },
	/* url */
	{ "metadata.url", "http://169.254.169.254/openstack/latest/meta_data.json", NULL },
	{ "fetch", "HTTPS://example.org", NULL }, { "openstack.auth-url", "https://[fd00::1]:5000/v3", NULL },
	{ "fetch", "ftp://example.org/x", "expected an http:// or https:// URL with a host and no spaces" },
	{ "fetch", "http://", "expected an http:// or https:// URL with a host and no spaces" },
	{ "fetch", "http:///path", "expected an http:// or https:// URL with a host and no spaces" },
	{ "fetch", "https://a b", "expected an http:// or https:// URL with a host and no spaces" },
	{ "fetch", "example.org", "expected an http:// or https:// URL with a host and no spaces" },
	/* oci-ref */
	{ "plan", "oci://reg.example/boot/plan:v1", NULL }, { "index", "reg.example/linux:6.6", NULL },
	{ "plan.modpack", "reg.example/mods@sha256:abcd", NULL },
	{ "plan", "reg.example/a b", "expected an OCI reference (no spaces)" },
	/* netcfg */
	{ "net.static", "10.0.0.5/24:10.0.0.1:1.1.1.1", NULL },
	{ "net.static", "10.0.0.5/33::", "prefix 33 is out of range 0..32" },
};

static void test_types(void)
{
	for (size_t i = 0; i < sizeof(type_cases) / sizeof(type_cases[0]); i++) {
		const struct type_case *c = &type_cases[i];
		char text[256], want[512];
		snprintf(text, sizeof(text), "\"cloudboot.%s=%s\"", c->key, c->value);
		struct knobs *k = knobs_new();
		struct cb_err e;
		int rc = parse(k, KNOB_SRC_LOADOPTIONS, text, &e);
		if (!c->err) {
			CHECK(rc == 0, "type[%zu] %s: refused: %s", i, text, e.msg);
			CHECK(streq(knobs_get(k, c->key), c->value), "type[%zu] %s: stored %s", i, text,
			      S(knobs_get(k, c->key)));
		} else {
			snprintf(want, sizeof(want), "knobs: cloudboot.%s=%s (LoadOptions): %s", c->key, c->value, c->err);
			CHECK(rc == CB_EINVAL, "type[%zu] %s: accepted", i, text);
			CHECK(streq(e.msg, want), "type[%zu]\n  got  \"%s\"\n  want \"%s\"", i, e.msg, want);
		}
		/* knobs_set applies the same checks */
		struct cb_err e2 = { 0 };
		rc = knobs_set(k, KNOB_SRC_METADATA, c->key, c->value, &e2);
		if (!c->err) {
			CHECK(rc == 0, "type[%zu] set refused: %s", i, e2.msg);
		} else {
			snprintf(want, sizeof(want), "knobs: cloudboot.%s=%s (metadata): %s", c->key, c->value, c->err);
			CHECK(rc == CB_EINVAL && streq(e2.msg, want), "type[%zu] set\n  got  \"%s\"\n  want \"%s\"", i,
			      e2.msg, want);
		}
		knobs_free(k);
	}

	/* typed getters: defaults from the table, the caller's default otherwise */
	struct knobs *k = knobs_new();
	struct cb_err e;
	CHECK(knobs_u32(k, "timeout", 99) == 5 && knobs_u32(k, "net.dhcp-timeout", 99) == 10, "uint defaults");
	CHECK(knobs_u32(k, "nope", 99) == 99 && knobs_bool(k, "nope", true), "unknown defaults");
	CHECK(!knobs_bool(k, "debug", true), "bool default from table");
	CHECK(knobs_get(k, "net.driver") == NULL && knobs_get(k, "target") == NULL, "no default");
	CHECK(streq(knobs_get(k, "disk.fs"), "ext4") && streq(knobs_get(k, "cloudboot.disk.fs"), "ext4"), "fs default");
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, "cloudboot.debug=On cloudboot.timeout=0 cloudboot.x=7", &e) == 0, "%s", e.msg);
	CHECK(knobs_bool(k, "debug", false) && knobs_u32(k, "timeout", 99) == 0, "typed");
	CHECK(knobs_u32(k, "x", 1) == 7 && streq(knobs_get(k, "x"), "7"), "unknown key readable");
	knobs_free(k);

	/* knobs_set: key forms, control characters, length */
	k = knobs_new();
	CHECK(knobs_set(k, KNOB_SRC_METADATA, "cloudboot.disk.fs", "xfs", &e) == 0, "set prefix: %s", e.msg);
	CHECK(streq(knobs_get(k, "disk.fs"), "xfs"), "set prefix stored");
	CHECK(knobs_set(k, KNOB_SRC_METADATA, "disk.luks_passphrase", "p", &e) == 0, "set _: %s", e.msg);
	CHECK(streq(knobs_get(k, "cloudboot.disk.luks-passphrase"), "p") &&
	          streq(knobs_get(k, "disk.luks_passphrase"), "p"), "set _ stored");
	CHECK(knobs_set(k, KNOB_SRC_METADATA, "target", "a\nb", &e) == CB_EINVAL, "set control");
	CHECK(streq(e.msg, "knobs: cloudboot.target (metadata): control character U+000A in the value"), "%s", e.msg);
	CHECK(knobs_set(k, KNOB_SRC_METADATA, "disk.luks-passphrase", "\xff", &e) == CB_EINVAL, "set utf8");
	CHECK(streq(e.msg, "knobs: cloudboot.disk.luks-passphrase (metadata): invalid UTF-8 in the value"), "%s", e.msg);
	CHECK(knobs_set(k, KNOB_SRC_METADATA, "a b", "1", &e) == CB_EINVAL, "set bad key");
	CHECK(streq(e.msg, "knobs: malformed key \"cloudboot.a b\" (metadata)"), "%s", e.msg);
	char *big = repeat("", 'v', KNOBS_MAX_TOKEN + 1, "");
	CHECK(knobs_set(k, KNOB_SRC_METADATA, "target", big, &e) == CB_ELIMIT, "set long");
	CHECK(streq(e.msg, "knobs: cloudboot.target (metadata): value longer than 4096 bytes"), "%s", e.msg);
	free(big);
	CHECK(knobs_set(k, KNOB_SRC_METADATA, "disk.fs", "", &e) == 0 && streq(knobs_get(k, "disk.fs"), "ext4") &&
	          knobs_source(k, "disk.fs") == KNOB_SRC_METADATA,
	      "set empty resets");
	CHECK(knobs_set(k, KNOB_SRC_METADATA, "target", NULL, &e) == CB_EINVAL, "set NULL");
	knobs_free(k);
}

/* ---- warnings, secrets, dump ---- */

struct sink {
	char buf[4096];
	size_t len;
};
static void sink_write(void *ctx, const char *line)
{
	struct sink *s = ctx;
	s->len += (size_t)snprintf(s->buf + s->len, sizeof(s->buf) - s->len, "%s\n", line);
}

static void test_warnings(void)
{
	struct knobs *k = knobs_new();
	struct cb_err e;
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, "cloudboot.dsik=/dev/vda cloudboot.frobnicate=1 cloudboot.Exit=kexec", &e) == 0,
	      "unknown keys are not fatal: %s", e.msg);
	static const char *const want[] = {
		"knobs: cloudboot.dsik (LoadOptions): unknown key, ignored (did you mean cloudboot.disk?)",
		"knobs: cloudboot.frobnicate (LoadOptions): unknown key, ignored",
		"knobs: cloudboot.Exit (LoadOptions): unknown key, ignored (did you mean cloudboot.exit?)",
	};
	CHECK(knobs_warning_count(k) == 3, "warnings: %zu", knobs_warning_count(k));
	for (size_t i = 0; i < 3; i++)
		CHECK(streq(knobs_warning(k, i), want[i]), "warning %zu\n  got  \"%s\"\n  want \"%s\"", i,
		      S(knobs_warning(k, i)), want[i]);
	CHECK(knobs_warning(k, 3) == NULL, "warning 3");
	CHECK(streq(knobs_get(k, "exit"), "kexec") && knobs_source(k, "exit") == KNOB_SRC_DEFAULT, "Exit is not exit");
	knobs_clear_warnings(k);
	CHECK(knobs_warning_count(k) == 0, "cleared");
	/* a config file says which line; non-cloudboot tokens are noted but never echoed */
	CHECK(parse(k, KNOB_SRC_CONFIG, "# c\ncloudboot.disk.kernal=/k\nplan=x hunter2\n", &e) == 0, "%s", e.msg);
	static const char *const want2[] = {
		("knobs: cloudboot.disk.kernal (cloudboot.cfg line 2): unknown key, ignored (did you mean "
		 "cloudboot.disk.kernel?)"),
		"knobs: token at byte 29 (cloudboot.cfg line 3) is not a cloudboot.* setting, ignored",
		"knobs: token at byte 36 (cloudboot.cfg line 3) is not a cloudboot.* setting, ignored",
	};
	CHECK(knobs_warning_count(k) == 3, "cfg warnings: %zu", knobs_warning_count(k));
	for (size_t i = 0; i < 3; i++)
		CHECK(streq(knobs_warning(k, i), want2[i]), "cfg warning %zu\n  got  \"%s\"\n  want \"%s\"", i,
		      S(knobs_warning(k, i)), want2[i]);
	/* a failed parse adds no warnings */
	knobs_clear_warnings(k);
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, "cloudboot.zzz=1 cloudboot.exit=no", &e) == CB_EINVAL, "fail");
	CHECK(knobs_warning_count(k) == 0 && !knobs_is_set(k, "zzz"), "failed parse left a warning or a key");
	knobs_free(k);
}

static void test_secrets(void)
{
	struct knobs *k = knobs_new();
	struct cb_err e;
	CHECK(parse(k, KNOB_SRC_CONFIG,
	            "cloudboot.disk.luks-passphrase=\"hunter2 x\"\n"
	            "cloudboot.openstack.app-cred-secret=s3cret cloudboot.openstack.app-cred-id=id1\n"
	            "cloudboot.openstack.auth-url=https://keystone:5000/v3\n"
	            "cloudboot.vendor.api-token=tok cloudboot.future.password=pw\n",
	            &e) == 0,
	      "%s", e.msg);
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, "cloudboot.disk.kernel=\"/boot/my kernel\" cloudboot.plan=", &e) == 0, "%s",
	      e.msg);
	CHECK(streq(knobs_get(k, "disk.luks-passphrase"), "hunter2 x"), "secret readable by code");
	struct sink s = { .len = 0 };
	CHECK(knobs_dump(k, sink_write, &s) == 0, "dump");
	const char *want =
		"cloudboot.exit=kexec (default)\n"
		"cloudboot.keymap=us (default)\n"
		"cloudboot.disk.fs=ext4 (default)\n"
		"cloudboot.disk.kernel=\"/boot/my kernel\" (LoadOptions)\n"
		"cloudboot.disk.luks-passphrase=*** (cloudboot.cfg)\n"
		"cloudboot.plan= (LoadOptions)\n"
		"cloudboot.openstack.auth-url=https://keystone:5000/v3 (cloudboot.cfg)\n"
		"cloudboot.openstack.app-cred-id=id1 (cloudboot.cfg)\n"
		"cloudboot.openstack.app-cred-secret=*** (cloudboot.cfg)\n"
		"cloudboot.debug=0 (default)\n"
		"cloudboot.quiet=0 (default)\n"
		"cloudboot.net.skip=0 (default)\n"
		"cloudboot.net.lldp=0 (default)\n"
		"cloudboot.net.dhcp-timeout=10 (default)\n"
		"cloudboot.plain-http=0 (default)\n"
		"cloudboot.timeout=5 (default)\n"
		"cloudboot.vendor.api-token=*** (cloudboot.cfg)\n"
		"cloudboot.future.password=*** (cloudboot.cfg)\n";
	CHECK(streq(s.buf, want), "dump\n--- got\n%s--- want\n%s", s.buf, want);
	CHECK(!strstr(s.buf, "hunter2") && !strstr(s.buf, "s3cret"), "secret in dump");

	/* errors never echo a secret value */
	static const char *const bad[] = {
		"cloudboot.disk.luks-passphrase=\"hunter2",
		"cloudboot.disk.luks-passphrase=hunter2\x01",
		"cloudboot.openstack.app-cred-secret=hunter2\xff",
		"cloudboot.disk.luks-passphrase=hunter2 cloudboot.exit=hunter2x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		CHECK(parse(k, KNOB_SRC_LOADOPTIONS, bad[i], &e) == CB_EINVAL, "bad secret %zu accepted", i);
		CHECK(!strstr(e.msg, "hunter2 ") && !strstr(e.msg, "hunter2\"") && !strstr(e.msg, "hunter2\x01") &&
		          !strstr(e.msg, "hunter2 ("),
		      "secret echoed: %s", e.msg);
	}
	CHECK(streq(e.msg, "knobs: cloudboot.exit=hunter2x (LoadOptions): expected one of kexec, reboot"), "%s", e.msg);
	/* a secret-named key of a typed knob is masked in its own error */
	CHECK(knobs_set(k, KNOB_SRC_METADATA, "disk.luks-passphrase", "ok", &e) == 0, "set secret");
	knobs_free(k);

	CHECK(knob_key_is_secret("disk.luks-passphrase") && knob_key_is_secret("openstack.app-cred-secret") &&
	          knob_key_is_secret("x.PassWord") && knob_key_is_secret("api-token") && !knob_key_is_secret("disk") &&
	          !knob_key_is_secret("") && !knob_key_is_secret(NULL),
	      "is_secret");
	/* the table flags agree with the name rule */
	for (size_t i = 0; i < knob_table_len; i++)
		CHECK(!!(knob_table[i].flags & KNOB_F_SECRET) == knob_key_is_secret(knob_table[i].name), "flag %s",
		      knob_table[i].name);
}

static void test_table(void)
{
	static const char *const ref[] = {
		"exit", "target", "keymap", "disk", "disk.fs", "disk.device", "disk.kernel", "disk.initrd",
		"disk.luks-passphrase", "plan", "plan.modpack", "openstack.auth-url", "openstack.app-cred-id",
		"openstack.app-cred-secret", "metadata.url", "debug", "quiet", "net.skip", "net.static", "net.lldp",
		"net.driver", "fetch", "index", "key", "ca", "timeout", "net.dhcp-timeout", "cmdline", "plain-http",
	};
	for (size_t i = 0; i < sizeof(ref) / sizeof(ref[0]); i++)
		CHECK(knob_lookup(ref[i]) != NULL, "missing knob %s", ref[i]);
	CHECK(knob_table_len == sizeof(ref) / sizeof(ref[0]), "table has %zu knobs", knob_table_len);
	for (size_t i = 0; i < knob_table_len; i++) {
		const struct knob_def *d = &knob_table[i];
		CHECK(d->help && d->help[0], "help of %s", d->name);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(d->name, knob_table[j].name) != 0, "duplicate %s", d->name);
		if (d->dflt) {
			/* every default passes its own type check */
			struct knobs *k = knobs_new();
			struct cb_err e;
			CHECK(knobs_set(k, KNOB_SRC_DEFAULT, d->name, d->dflt, &e) == 0, "default of %s: %s", d->name, e.msg);
			knobs_free(k);
		}
		CHECK(d->type != KNOB_ENUM || (d->values && d->values[0]), "values of %s", d->name);
		CHECK(d->type != KNOB_UINT || d->min <= d->max, "range of %s", d->name);
	}
	CHECK(knob_lookup("cloudboot.net.dhcp_timeout") == knob_lookup("net.dhcp-timeout"), "lookup forms");
	CHECK(knob_lookup("nope") == NULL && knob_lookup(NULL) == NULL, "lookup miss");
	CHECK(streq(knob_type_name(KNOB_OCI_REF), "oci-ref") && streq(knob_type_name(KNOB_NETCFG), "netcfg"), "type names");
	CHECK(streq(KNOBS_EFIVARFS_CMDLINE, "CloudBootCmdline-a3c1d1e4-5b0f-4c7e-9d2a-6f1b8e0c4d21"), "efivarfs name");
	struct {
		uint32_t d1;
		uint16_t d2, d3;
		uint8_t d4[8];
	} g = CLOUDBOOT_VENDOR_GUID_INIT;
	CHECK(g.d1 == 0xa3c1d1e4 && g.d2 == 0x5b0f && g.d3 == 0x4c7e && g.d4[0] == 0x9d && g.d4[7] == 0x21, "guid");
}

/* ---- validate ---- */

struct val_case {
	const char *cfg, *lo;
	unsigned flags;
	int rc;
	const char *err;
	const char *warn; /* the only warning expected, or NULL for none */
};
static const struct val_case val_cases[] = {
	{ "", "", 0, 0, NULL, NULL },
	{ "", "", KNOBS_NEED_BOOT_SOURCE, CB_EINVAL,
	  "knobs: no boot source: set cloudboot.disk=, cloudboot.plan= or cloudboot.index=", NULL },
	{ "cloudboot.disk=/dev/vda2", "", KNOBS_NEED_BOOT_SOURCE, 0, NULL, NULL },
	{ "", "cloudboot.plan=reg/p:1", KNOBS_NEED_BOOT_SOURCE, 0, NULL, NULL },
	{ "", "cloudboot.index=reg/l:1 cloudboot.fetch=http://x/y", KNOBS_NEED_BOOT_SOURCE, 0, NULL, NULL },
	{ "cloudboot.disk=/dev/vda2", "cloudboot.plan=reg/p:1", 0, CB_EINVAL,
	  "knobs: cloudboot.disk (cloudboot.cfg) and cloudboot.plan (LoadOptions) are both set; exactly one boot "
	  "source is allowed: cloudboot.disk=, cloudboot.plan= or cloudboot.index=", NULL },
	{ "cloudboot.index=reg/l:1", "cloudboot.disk=/dev/vda2", 0, CB_EINVAL,
	  "knobs: cloudboot.disk (LoadOptions) and cloudboot.index (cloudboot.cfg) are both set; exactly one boot "
	  "source is allowed: cloudboot.disk=, cloudboot.plan= or cloudboot.index=", NULL },
	{ "cloudboot.plan=reg/p:1", "cloudboot.index=reg/l:1", 0, CB_EINVAL,
	  "knobs: cloudboot.plan (cloudboot.cfg) and cloudboot.index (LoadOptions) are both set; exactly one boot "
	  "source is allowed: cloudboot.disk=, cloudboot.plan= or cloudboot.index=", NULL },
	/* a higher source can cancel a lower one with an empty value */
	{ "cloudboot.plan=reg/p:1", "cloudboot.plan= cloudboot.disk=/dev/vda2", KNOBS_NEED_BOOT_SOURCE, 0, NULL, NULL },
	/* warnings */
	{ "", "cloudboot.disk=/dev/sda1 cloudboot.plan.modpack=reg/m:1", 0, 0, NULL,
	  "knobs: cloudboot.plan.modpack (LoadOptions) has no effect without cloudboot.plan or cloudboot.index" },
	{ "cloudboot.net.static=10.0.0.2/8::", "cloudboot.net.skip=yes", 0, 0, NULL,
	  "knobs: cloudboot.net.static (cloudboot.cfg) has no effect with cloudboot.net.skip=1" },
	{ "cloudboot.openstack.app-cred-id=a cloudboot.openstack.app-cred-secret=b", "", 0, 0, NULL,
	  "knobs: OpenStack credentials are incomplete: cloudboot.openstack.auth-url is not set" },
};

static void test_validate(void)
{
	for (size_t i = 0; i < sizeof(val_cases) / sizeof(val_cases[0]); i++) {
		const struct val_case *c = &val_cases[i];
		struct knobs *k = knobs_new();
		struct cb_err e;
		CHECK(parse(k, KNOB_SRC_LOADOPTIONS, c->lo, &e) == 0, "val[%zu] lo: %s", i, e.msg);
		CHECK(parse(k, KNOB_SRC_CONFIG, c->cfg, &e) == 0, "val[%zu] cfg: %s", i, e.msg);
		memset(&e, 0, sizeof(e));
		int rc = knobs_validate(k, c->flags, &e);
		CHECK(rc == c->rc, "val[%zu]: rc %d want %d (%s)", i, rc, c->rc, e.msg);
		if (c->rc)
			CHECK(streq(e.msg, c->err), "val[%zu]\n  got  \"%s\"\n  want \"%s\"", i, e.msg, c->err);
		CHECK(knobs_warning_count(k) == (c->warn ? 1u : 0u) && streq(knobs_warning(k, 0), c->warn),
		      "val[%zu] warning\n  got  \"%s\" (%zu)\n  want \"%s\"", i, S(knobs_warning(k, 0)),
		      knobs_warning_count(k), S(c->warn));
		knobs_free(k);
	}
}

/* ---- netcfg ---- */

struct net_case {
	const char *in;
	const char *out; /* netcfg_format() when accepted */
	const char *err;
	uint8_t mask[4];
};
static const struct net_case net_cases[] = {
	{ "10.0.0.5/24:10.0.0.1:1.1.1.1", "10.0.0.5/24:10.0.0.1:1.1.1.1", NULL, { 255, 255, 255, 0 } },
	{ "192.168.1.10/0::", "192.168.1.10/0::", NULL, { 0, 0, 0, 0 } },
	{ "1.2.3.4/32", "1.2.3.4/32::", NULL, { 255, 255, 255, 255 } },
	{ "1.2.3.4/20:1.2.0.1", "1.2.3.4/20:1.2.0.1:", NULL, { 255, 255, 240, 0 } },
	{ "1.2.3.4/1::8.8.8.8", "1.2.3.4/1::8.8.8.8", NULL, { 128, 0, 0, 0 } },
	{ "0.0.0.0/31:255.255.255.255:", "0.0.0.0/31:255.255.255.255:", NULL, { 255, 255, 255, 254 } },
	{ "1.2.3.4/33", NULL, "prefix 33 is out of range 0..32", { 0 } },
	{ "1.2.3.4/999::", NULL, "prefix 999 is out of range 0..32", { 0 } },
	{ "1.2.3.4/1000::", NULL, "the prefix length is not a decimal number 0..32 without leading zeros", { 0 } },
	{ "1.2.3.4/024::", NULL, "the prefix length is not a decimal number 0..32 without leading zeros", { 0 } },
	{ "1.2.3.4/-1::", NULL, "the prefix length is not a decimal number 0..32 without leading zeros", { 0 } },
	{ "1.2.3.4/24x", NULL, "the prefix length is not a decimal number 0..32 without leading zeros", { 0 } },
	{ "256.1.1.1/24", NULL,
	  "the address \"256.1.1.1\" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
	{ "01.2.3.4/24", NULL,
	  "the address \"01.2.3.4\" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
	{ "0x1.2.3.4/24", NULL,
	  "the address \"0x1.2.3.4\" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
	{ "1.2.3/24", NULL, "the address \"1.2.3\" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
	{ "1.2.3.4.5/24", NULL,
	  "the address \"1.2.3.4.5\" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
	{ "1..3.4/24", NULL, "the address \"1..3.4\" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
	{ "1.2.3.4 /24", NULL,
	  "the address \"1.2.3.4 \" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
	{ "1.2.3.4/24:1.2.3.256:", NULL,
	  "the gateway \"1.2.3.256\" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
	{ "1.2.3.4/24::8.8.8.08", NULL,
	  "the DNS server \"8.8.8.08\" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
	{ "1.2.3.4/24:1.2.3.1:8.8.8.8x", NULL,
	  "the DNS server \"8.8.8.8x\" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
	{ "1.2.3.4/24:1.2.3.1:8.8.8.8:", NULL, "too many ':' fields (expected <ip>/<prefix>:<gw>:<dns>)", { 0 } },
	{ "1.2.3.4", NULL, "missing /<prefix> after the address", { 0 } },
	{ "1.2.3.4:1.2.3.1:8.8.8.8", NULL, "missing /<prefix> after the address", { 0 } },
	{ "/24::", NULL, "missing address before /<prefix>", { 0 } },
	{ "1.2.3.4/::", NULL, "missing prefix length after '/'", { 0 } },
	{ "", NULL, "missing /<prefix> after the address", { 0 } },
	{ "1.2.3.4/24/8", NULL, "the prefix length is not a decimal number 0..32 without leading zeros", { 0 } },
	{ "1111111111111111111111111.2.3.4/8", NULL,
	  "the address \"11111111111111111111...\" is not an IPv4 address (four numbers 0..255, no leading zeros)", { 0 } },
};

static void test_netcfg(void)
{
	for (size_t i = 0; i < sizeof(net_cases) / sizeof(net_cases[0]); i++) {
		const struct net_case *c = &net_cases[i];
		struct netcfg n;
		struct cb_err e = { 0 };
		memset(&n, 0xaa, sizeof(n));
		int rc = netcfg_parse(c->in, strlen(c->in), &n, &e);
		if (c->out) {
			char buf[NETCFG_TEXT_MAX];
			CHECK(rc == 0, "net[%zu] %s refused: %s", i, c->in, e.msg);
			netcfg_format(&n, buf, sizeof(buf));
			CHECK(streq(buf, c->out), "net[%zu] %s: got %s want %s", i, c->in, buf, c->out);
			CHECK(memcmp(n.netmask, c->mask, 4) == 0, "net[%zu] mask %u.%u.%u.%u", i, n.netmask[0], n.netmask[1],
			      n.netmask[2], n.netmask[3]);
			if (!n.has_gateway)
				CHECK(!n.gateway[0] && !n.gateway[3], "net[%zu] gateway not zeroed", i);
		} else {
			CHECK(rc == CB_EINVAL, "net[%zu] %s accepted", i, c->in);
			CHECK(streq(e.msg, c->err), "net[%zu] %s\n  got  \"%s\"\n  want \"%s\"", i, c->in, e.msg, c->err);
		}
	}
	/* exact bytes */
	struct netcfg n;
	struct cb_err e;
	CHECK(netcfg_parse("10.1.2.3/16:10.1.0.1:9.9.9.9", 28, &n, &e) == 0, "parse");
	CHECK(n.addr[0] == 10 && n.addr[1] == 1 && n.addr[2] == 2 && n.addr[3] == 3 && n.prefix == 16 && n.has_gateway &&
	          n.gateway[2] == 0 && n.gateway[3] == 1 && n.has_dns && n.dns[0] == 9,
	      "bytes");
	/* length-bounded, NUL inside */
	CHECK(netcfg_parse("1.2.3.4/8xyz", 9, &n, &e) == 0 && n.prefix == 8, "bounded");
	CHECK(netcfg_parse("1.2.3.4/8\0", 10, &n, &e) == CB_EINVAL && streq(e.msg, "NUL byte in the value"), "nul");
	/* through knobs, with context */
	struct knobs *k = knobs_new();
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, "cloudboot.net.static=256.1.1.1/24", &e) == CB_EINVAL, "knob");
	CHECK(streq(e.msg, "knobs: cloudboot.net.static=256.1.1.1/24 (LoadOptions): the address \"256.1.1.1\" is not an "
	                   "IPv4 address (four numbers 0..255, no leading zeros)"),
	      "%s", e.msg);
	CHECK(parse(k, KNOB_SRC_LOADOPTIONS, "cloudboot.net.static=10.0.0.9/24:10.0.0.1:", &e) == 0, "%s", e.msg);
	CHECK(netcfg_parse(knobs_get(k, "net.static"), strlen(knobs_get(k, "net.static")), &n, &e) == 0 && n.has_gateway &&
	          !n.has_dns,
	      "round trip");
	knobs_free(k);
}

/* docs/knobs.md has a row per knob naming its type, range and default. */
static void test_docs(const char *path)
{
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL, "cannot open %s", path);
	if (!f)
		return;
	static char doc[65536];
	size_t n = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	doc[n] = 0;
	for (size_t i = 0; i < knob_table_len; i++) {
		const struct knob_def *d = &knob_table[i];
		char head[160], want[64];
		snprintf(head, sizeof(head), "\n| `cloudboot.%s` | ", d->name);
		const char *row = strstr(doc, head);
		CHECK(row != NULL, "docs: no row for cloudboot.%s", d->name);
		if (!row)
			continue;
		const char *end = strchr(row + 1, '\n');
		size_t rl = end ? (size_t)(end - row) : strlen(row);
		char line[1024];
		snprintf(line, sizeof(line), "%.*s", (int)rl, row);
		CHECK(strstr(line + strlen(head) - 1, knob_type_name(d->type)), "docs: type of %s: %s", d->name, line);
		if (d->dflt) {
			snprintf(want, sizeof(want), "| `%s` |", d->dflt);
			CHECK(strstr(line, want), "docs: default of %s: %s", d->name, line);
		}
		if (d->type == KNOB_UINT) {
			snprintf(want, sizeof(want), "%u..%u", (unsigned)d->min, (unsigned)d->max);
			CHECK(strstr(line, want), "docs: range of %s: %s", d->name, line);
		}
		for (size_t j = 0; d->type == KNOB_ENUM && d->values[j]; j++) {
			snprintf(want, sizeof(want), "`%s`", d->values[j]);
			CHECK(strstr(line, want), "docs: value %s of %s", d->values[j], d->name);
		}
		CHECK(!!strstr(line, "**secret**") == !!(d->flags & KNOB_F_SECRET), "docs: secret flag of %s", d->name);
	}
	CHECK(strstr(doc, CLOUDBOOT_VENDOR_GUID_STR) && strstr(doc, "CloudBootCmdline") && strstr(doc, "CloudBootTarget"),
	      "docs: EFI variables");
}

int main(int argc, char **argv)
{
	test_tokenizer();
	test_limits();
	test_precedence();
	test_types();
	test_warnings();
	test_secrets();
	test_table();
	test_validate();
	test_netcfg();
	if (argc > 1)
		test_docs(argv[1]);
	return check_summary("knobs_test");
}
