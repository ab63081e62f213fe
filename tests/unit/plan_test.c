/* plan_test.c: table-driven host tests of oci/plan_*.c: the REFERENCE.md example for amd64 and arm64, every
 * construct with exact evaluated strings, every validation error with its exact line:col, and hostile input. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"
#include "plan.h"

/* Loads text for arch with the metadata JSON meta (NULL: none). */
static int load(const char *text, size_t len, const char *arch, const char *meta, struct plan **p, struct cb_err *e)
{
	struct json_doc *d = NULL;
	memset(e, 0, sizeof(*e));
	if (meta && json_parse(meta, strlen(meta), NULL, &d, e)) {
		fprintf(stderr, "bad test metadata: %s\n", e->msg);
		exit(2);
	}
	struct plan_env env = { arch, d ? json_root(d) : NULL };
	int rc = plan_load(text, len, &env, p, e);
	json_free(d); /* the plan keeps no pointer into the metadata */
	return rc;
}

/* "name.attr", "name.disk.key" or "default": the field of the evaluated plan. */
static const char *field(const struct plan *p, const char *path, bool *found)
{
	char name[80];
	const char *dot = strchr(path, '.');
	*found = true;
	if (!strcmp(path, "default"))
		return p->default_target;
	if (!dot || (size_t)(dot - path) >= sizeof(name)) {
		*found = false;
		return NULL;
	}
	memcpy(name, path, (size_t)(dot - path));
	name[dot - path] = 0;
	const struct plan_target *t = NULL;
	for (size_t i = 0; i < p->n_targets; i++)
		if (!strcmp(p->targets[i].name, name))
			t = &p->targets[i];
	if (!t) {
		*found = false;
		return NULL;
	}
	const char *a = dot + 1;
	const struct plan_disk *d = &t->disk;
	const struct { const char *key, *val; } f[] = {
		{ "label", t->label }, { "version", t->version }, { "arch", t->arch }, { "cmdline", t->cmdline },
		{ "index", t->index }, { "kernel", t->kernel }, { "initrd", t->initrd }, { "modpack", t->modpack },
		{ "has_disk", t->has_disk ? "yes" : "no" }, { "disk.device", d->device }, { "disk.fs", d->fs },
		{ "disk.dataset", d->dataset }, { "disk.kernel", d->kernel }, { "disk.initrd", d->initrd },
		{ "disk.luks_passphrase", d->luks_passphrase },
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!strcmp(a, f[i].key))
			return f[i].val;
	*found = false;
	return NULL;
}

/* ---- the REFERENCE.md example, verbatim ---- */

static const char reference_plan[] =
	"default_target = \"primary\"\n"
	"locals { registry = \"reg.example/boot\"  console = arch == \"arm64\" ? \"ttyAMA0\" : \"ttyS0\" }\n"
	"target \"primary\" { version = \"6.6\"  label = \"Linux ${self.version}\"\n"
	"                   index = \"${local.registry}/linux:${self.version}\"  cmdline = \"console=${local.console} ro\" }\n"
	"target \"rescue\"  { arch = \"amd64\"  kernel = \"\xe2\x80\xa6\"  initrd = \"\xe2\x80\xa6\"  cmdline = [\"a\", \"b\"] }   # list \xe2\x86\x92 space-joined\n"
	"target \"alma\"    { disk = { device = \"/dev/vda2\"  fs = \"xfs\"  kernel = \"/boot/\xe2\x80\xa6\"  initrd = \"/boot/\xe2\x80\xa6\" } }\n";

static void check_target(const struct plan_target *t, const char *const want[17])
{
	const char *got[17] = { t->name, t->label, t->version, t->arch, t->cmdline, t->index, t->kernel, t->initrd,
				t->modpack, t->has_disk ? "disk" : NULL, t->disk.device, t->disk.fs, t->disk.dataset,
				t->disk.kernel, t->disk.initrd, t->disk.luks_passphrase, NULL };
	static const char *const names[17] = { "name", "label", "version", "arch", "cmdline", "index", "kernel",
					       "initrd", "modpack", "has_disk", "disk.device", "disk.fs", "disk.dataset",
					       "disk.kernel", "disk.initrd", "disk.luks_passphrase", "" };
	for (int i = 0; i < 16; i++)
		CHECK(streq(got[i], want[i]), "target %s: %s = %s, want %s", S(t->name), names[i], S(got[i]), S(want[i]));
}

static void test_reference(void)
{
	static const char *const want_primary[2][17] = {
		{ "primary", "Linux 6.6", "6.6", NULL, "console=ttyS0 ro", "reg.example/boot/linux:6.6" },
		{ "primary", "Linux 6.6", "6.6", NULL, "console=ttyAMA0 ro", "reg.example/boot/linux:6.6" },
	};
	static const char *const want_rescue[17] = { "rescue", NULL, NULL, "amd64", "a b", NULL, "\xe2\x80\xa6",
						     "\xe2\x80\xa6" };
	static const char *const want_alma[17] = { "alma", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "disk",
						   "/dev/vda2", "xfs", NULL, "/boot/\xe2\x80\xa6", "/boot/\xe2\x80\xa6" };
	const char *arches[2] = { "amd64", "arm64" };
	for (int i = 0; i < 2; i++) {
		struct plan *p = NULL;
		struct cb_err e;
		int rc = load(reference_plan, strlen(reference_plan), arches[i], NULL, &p, &e);
		CHECK(rc == 0, "reference/%s: rc %d: %s", arches[i], rc, e.msg);
		if (rc)
			continue;
		CHECK(streq(p->default_target, "primary"), "reference/%s: default %s", arches[i], S(p->default_target));
		CHECK(streq(p->arch, arches[i]), "reference/%s: arch %s", arches[i], S(p->arch));
		CHECK(p->n_targets == 3, "reference/%s: %zu targets", arches[i], p->n_targets);
		if (p->n_targets == 3) {
			check_target(&p->targets[0], want_primary[i]);
			check_target(&p->targets[1], want_rescue);
			check_target(&p->targets[2], want_alma);
		}
		/* rescue is amd64-only: hidden from plan_find and the arm64 list */
		const struct plan_target *r = plan_find(p, "rescue");
		CHECK(i == 0 ? r == &p->targets[1] : r == NULL, "reference/%s: plan_find(rescue) %p", arches[i], (void *)r);
		CHECK(plan_find(p, "primary") == &p->targets[0], "reference/%s: plan_find(primary)", arches[i]);
		CHECK(plan_find(p, "alma") == &p->targets[2], "reference/%s: plan_find(alma)", arches[i]);
		CHECK(plan_find(p, "nope") == NULL && plan_find(p, NULL) == NULL && plan_find(NULL, "alma") == NULL,
		      "reference/%s: plan_find of absent names", arches[i]);
		const struct plan_target *list[4] = { NULL };
		size_t n = plan_targets_for_arch(p, arches[i], list, 4);
		CHECK(n == (i == 0 ? 3u : 2u), "reference/%s: %zu targets for the arch", arches[i], n);
		CHECK(list[0] == &p->targets[0] && list[1] == &p->targets[i == 0 ? 1 : 2],
		      "reference/%s: targets for the arch in source order", arches[i]);
		CHECK(plan_targets_for_arch(p, "riscv64", list, 1) == 2 && list[0] == &p->targets[0],
		      "reference/%s: count beyond cap", arches[i]);
		CHECK(plan_targets_for_arch(p, "amd64", NULL, 0) == 3, "reference/%s: count only", arches[i]);
		CHECK(plan_target_runs_on(&p->targets[1], "amd64") && !plan_target_runs_on(&p->targets[1], "loong64") &&
		      plan_target_runs_on(&p->targets[0], "loong64"), "reference/%s: plan_target_runs_on", arches[i]);
		plan_free(p);
	}
}

/* ---- constructs: plan text -> exact fields ---- */

struct want {
	const char *path, *val; /* val NULL: the field is unset */
};
struct ok_case {
	const char *name, *arch, *meta, *plan;
	struct want want[6];
};

#define HEAD "default_target = \"a\"\n"

static const struct ok_case ok_cases[] = {
	{ "minimal", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\" }",
	  { { "default", "a" }, { "a.kernel", "k" }, { "a.label", NULL }, { "a.has_disk", "no" } } },
	{ "one attribute per line", "amd64", NULL,
	  HEAD "target \"a\" {\n  kernel = \"k\"\n  initrd = \"i\"\n  modpack = \"m\"\n}\n",
	  { { "a.kernel", "k" }, { "a.initrd", "i" }, { "a.modpack", "m" } } },
	{ "comments", "amd64", NULL,
	  "# hash\n// slashes\n/* block\n comment */ default_target = /* inline */ \"a\" // trailing\n"
	  "target \"a\" { kernel = \"k#not // a /* comment\" } # end",
	  { { "a.kernel", "k#not // a /* comment" } } },
	{ "escapes", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  label = \"q\\\" b\\\\ n\\n t\\t r\\r \\u00e9 \\U0001F600\" }",
	  { { "a.label", "q\" b\\ n\n t\t r\r \xc3\xa9 \xf0\x9f\x98\x80" } } },
	{ "template escapes $${ and %%{", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  label = \"$${x} %%{y} $ % $x\" }", { { "a.label", "${x} %{y} $ % $x" } } },
	{ "empty string", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  cmdline = \"\" }", { { "a.cmdline", "" } } },
	{ "numbers", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  version = 006.600  label = 0  cmdline = [1.0, 10, 0.5] }",
	  { { "a.version", "6.6" }, { "a.label", "0" }, { "a.cmdline", "1 10 0.5" } } },
	{ "bools", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  label = true  version = false }",
	  { { "a.label", "true" }, { "a.version", "false" } } },
	{ "list joined, trailing comma", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  cmdline = [\n \"console=ttyS0\",\n \"ro\",\n true,\n 3,\n] }",
	  { { "a.cmdline", "console=ttyS0 ro true 3" } } },
	{ "empty list", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  cmdline = [] }", { { "a.cmdline", "" } } },
	{ "interpolation of numbers and bools", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  version = 6.10  label = \"v${self.version} ${true}\" }",
	  { { "a.label", "v6.1 true" } } },
	{ "\"${x}\" is x itself (a list stays a list)", "amd64", NULL,
	  HEAD "locals { args = [\"a\", \"b\"] }\ntarget \"a\" { kernel = \"k\"  cmdline = \"${local.args}\" }",
	  { { "a.cmdline", "a b" } } },
	{ "nested interpolation", "amd64", NULL,
	  HEAD "locals { x = \"in\" }\ntarget \"a\" { kernel = \"k\"  label = \"<${\"[${local.x}]\"}>\" }",
	  { { "a.label", "<[in]>" } } },
	{ "arch for every guest", "riscv64", NULL, HEAD "target \"a\" { kernel = \"vmlinuz-${arch}\" }",
	  { { "a.kernel", "vmlinuz-riscv64" } } },
	{ "arch loong64", "loong64", NULL, HEAD "target \"a\" { kernel = \"k\"  arch = arch }",
	  { { "a.arch", "loong64" } } },
	{ "== != and ternary", "arm64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  label = arch == \"arm64\" ? \"yes\" : \"no\"\n"
	       "  version = arch != \"arm64\" ? \"yes\" : \"no\"  cmdline = (1 == 1.0) == true ? \"num\" : \"x\" }",
	  { { "a.label", "yes" }, { "a.version", "no" }, { "a.cmdline", "num" } } },
	{ "nested ternary (right associative)", "loong64", NULL,
	  HEAD "target \"a\" { kernel = arch == \"amd64\" ? \"x\" : arch == \"arm64\" ? \"y\" : arch == \"loong64\" ? \"l\" : \"r\" }",
	  { { "a.kernel", "l" } } },
	{ "equality of lists and objects", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  label = [1, \"a\"] == [1, \"a\"] ? \"eq\" : \"ne\"\n"
	       "  version = { a = 1, b = [2] } == { b = [2], a = 1 } ? \"eq\" : \"ne\"\n"
	       "  cmdline = [1] == [1, 2] ? \"eq\" : \"ne\"  initrd = { a = 1 } != { a = 2 } ? \"ne\" : \"eq\" }",
	  { { "a.label", "eq" }, { "a.version", "eq" }, { "a.cmdline", "ne" }, { "a.initrd", "ne" } } },
	{ "null compares", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  label = null == null ? \"y\" : \"n\"  version = \"x\" == null ? \"y\" : \"n\" }",
	  { { "a.label", "y" }, { "a.version", "n" } } },
	{ "ternary evaluates one branch", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  label = true ? \"ok\" : [\"a\"] == \"never evaluated\" }",
	  { { "a.label", "ok" } } },
	{ "parentheses", "amd64", NULL,
	  HEAD "target \"a\" { kernel = ((\"k\"))  label = (arch == \"amd64\") ? (\"p\") : (\"q\") }",
	  { { "a.kernel", "k" }, { "a.label", "p" } } },
	{ "lookup in a map literal", "arm64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  cmdline = \"console=${lookup({ amd64 = \"ttyS0\", arm64 = \"ttyAMA0\" }, arch, \"hvc0\")}\" }",
	  { { "a.cmdline", "console=ttyAMA0" } } },
	{ "lookup default", "riscv64", NULL,
	  HEAD "locals { consoles = { amd64 = \"ttyS0\"  arm64 = \"ttyAMA0\" } }\n"
	       "target \"a\" { kernel = \"k\"  cmdline = lookup(local.consoles, arch, \"ttyS0,115200\") }",
	  { { "a.cmdline", "ttyS0,115200" } } },
	{ "lookup with a number key and a list value", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  cmdline = lookup({ \"6\" = [\"six\", 6] }, 6, \"none\") }",
	  { { "a.cmdline", "six 6" } } },
	{ "object syntax: commas, colons, quoted keys", "amd64", NULL,
	  HEAD "locals { m = { a = \"1\", \"b-c\": \"2\"\n d = \"3\" } }\n"
	       "target \"a\" { kernel = local.m.a  label = lookup(local.m, \"b-c\", \"\")  version = local.m.d }",
	  { { "a.kernel", "1" }, { "a.label", "2" }, { "a.version", "3" } } },
	{ "locals referring to locals across blocks", "amd64", NULL,
	  HEAD "locals { c = \"${local.b}/c\" }\nlocals { a = \"r\"\n b = \"${local.a}/b\" }\n"
	       "target \"a\" { index = local.c }",
	  { { "a.index", "r/b/c" } } },
	{ "self chain", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k-${self.version}\"  label = \"L ${self.kernel}\"  version = \"1\" }",
	  { { "a.kernel", "k-1" }, { "a.label", "L k-1" } } },
	{ "self into a disk object", "amd64", NULL,
	  HEAD "target \"a\" { label = \"root on ${self.disk.device}\"  disk = { device = \"/dev/vdb1\" } }",
	  { { "a.label", "root on /dev/vdb1" }, { "a.disk.device", "/dev/vdb1" }, { "a.disk.fs", NULL } } },
	{ "disk block form, every key, luks_passphrase alias", "amd64", NULL,
	  HEAD "target \"a\" {\n disk {\n  device = \"/dev/disk/by-label/root\"\n  fs = \"zfs\"\n  dataset = \"rpool/ROOT/pve-1\"\n"
	       "  kernel = \"/boot/vmlinuz-6.8\"\n  initrd = \"/boot/initrd.img-6.8\"\n  luks_passphrase = \"s3cret\"\n }\n}",
	  { { "a.has_disk", "yes" }, { "a.disk.device", "/dev/disk/by-label/root" }, { "a.disk.fs", "zfs" },
	    { "a.disk.dataset", "rpool/ROOT/pve-1" }, { "a.disk.initrd", "/boot/initrd.img-6.8" },
	    { "a.disk.luks_passphrase", "s3cret" } } },
	{ "disk luks-passphrase and every fs", "amd64", NULL,
	  "default_target = \"e\"\n"
	  "target \"e\" { disk = { device = \"/dev/a\"  fs = \"ext4\"  luks-passphrase = \"p\" } }\n"
	  "target \"x\" { disk = { device = \"/dev/b\"  fs = \"xfs\" } }\n"
	  "target \"b\" { disk = { device = \"/dev/c\"  fs = \"btrfs\" } }\n",
	  { { "e.disk.luks_passphrase", "p" }, { "e.disk.fs", "ext4" }, { "x.disk.fs", "xfs" }, { "b.disk.fs", "btrfs" } } },
	{ "disk from a local", "amd64", NULL,
	  HEAD "locals { d = { device = \"/dev/vda2\", fs = \"btrfs\" } }\ntarget \"a\" { disk = local.d }",
	  { { "a.disk.device", "/dev/vda2" }, { "a.disk.fs", "btrfs" } } },
	{ "default_target as an expression", "arm64", NULL,
	  "default_target = arch == \"amd64\" ? \"x\" : \"y\"\ntarget \"x\" { kernel = \"k\"  arch = \"amd64\" }\n"
	  "target \"y\" { kernel = \"k\" }",
	  { { "default", "y" }, { "x.arch", "amd64" } } },
	{ "label names as identifiers, dashes and dots in names", "amd64", NULL,
	  "default_target = \"os-1.v2_3\"\ntarget \"os-1.v2_3\" { kernel = \"k\" }\ntarget rescue-2_b { kernel = \"r\" }",
	  { { "default", "os-1.v2_3" }, { "rescue-2_b.kernel", "r" } } },
	{ "CRLF, tabs, BOM", "amd64", NULL,
	  "\xef\xbb\xbf" "default_target = \"a\"\r\ntarget \"a\" {\r\n\tkernel = \"k\"\r\n}\r\n", { { "a.kernel", "k" } } },
	{ "empty target list item: index only", "amd64", NULL, HEAD "target \"a\" { index = \"r/i:1\" }",
	  { { "a.index", "r/i:1" }, { "a.kernel", NULL } } },
	/* meta.* */
	{ "meta paths", "amd64",
	  "{\"cloudboot\": {\"target\": \"b\", \"console\": \"hvc0\", \"n\": 7, \"f\": 6.60, \"t\": true, \"args\": [\"quiet\", 2, false],"
	  " \"disk\": {\"device\": \"/dev/sdb\", \"fs\": \"xfs\", \"luks_passphrase\": \"pw\"}}}",
	  "default_target = meta.cloudboot.target\n"
	  "target \"b\" { kernel = \"k\"  cmdline = meta.cloudboot.args  label = \"${meta.cloudboot.console} ${meta.cloudboot.n}\"\n"
	  "  version = meta.cloudboot.f  initrd = meta.cloudboot.t }\n"
	  "target \"c\" { disk = meta.cloudboot.disk }",
	  { { "default", "b" }, { "b.cmdline", "quiet 2 false" }, { "b.label", "hvc0 7" }, { "b.version", "6.6" },
	    { "b.initrd", "true" }, { "c.disk.luks_passphrase", "pw" } } },
	{ "meta lookup with defaults", "amd64", "{\"cloudboot\": {\"console\": \"hvc0\"}}",
	  HEAD "target \"a\" { kernel = \"k\"  label = lookup(meta.cloudboot, \"console\", \"ttyS0\")\n"
	       "  version = lookup(meta.cloudboot, \"version\", \"none\")  cmdline = lookup(meta.nothing.here, \"x\", \"d\") }",
	  { { "a.label", "hvc0" }, { "a.version", "none" }, { "a.cmdline", "d" } } },
	{ "meta missing keys are null", "amd64", "{\"cloudboot\": {}}",
	  HEAD "target \"a\" { kernel = \"k\"  label = meta.cloudboot.x == null ? \"unset\" : \"set\"\n"
	       "  version = meta.a.b.c == null ? \"null\" : \"x\" }",
	  { { "a.label", "unset" }, { "a.version", "null" } } },
	{ "no metadata: meta is null", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  label = meta == null ? \"none\" : \"some\"\n"
	       "  cmdline = lookup(meta.cloudboot, \"console\", \"console=ttyS0\") }",
	  { { "a.label", "none" }, { "a.cmdline", "console=ttyS0" } } },
	{ "meta compared with plan values", "amd64", "{\"v\": 6.6, \"l\": [\"a\", 1], \"o\": {\"k\": \"v\"}}",
	  HEAD "target \"a\" { kernel = \"k\"  label = meta.v == 6.60 ? \"eq\" : \"ne\"\n"
	       "  version = meta.l == [\"a\", 1] ? \"eq\" : \"ne\"  cmdline = meta.o == { k = \"v\" } ? \"eq\" : \"ne\" }",
	  { { "a.label", "eq" }, { "a.version", "eq" }, { "a.cmdline", "eq" } } },
};

static void test_ok_cases(void)
{
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *c = &ok_cases[i];
		struct plan *p = NULL;
		struct cb_err e;
		int rc = load(c->plan, strlen(c->plan), c->arch, c->meta, &p, &e);
		CHECK(rc == 0, "%s: rc %d: %s", c->name, rc, e.msg);
		if (rc)
			continue;
		for (size_t k = 0; k < 6 && c->want[k].path; k++) {
			bool found;
			const char *v = field(p, c->want[k].path, &found);
			CHECK(found, "%s: no field %s", c->name, c->want[k].path);
			CHECK(streq(v, c->want[k].val), "%s: %s = %s, want %s", c->name, c->want[k].path, S(v),
			      S(c->want[k].val));
		}
		plan_free(p);
	}
}

/* ---- errors: exact position, code and reason ---- */

struct err_case {
	const char *name, *arch, *meta, *plan;
	int rc;
	const char *msg; /* the message starts with this (plan:LINE:COL: and the reason, or all of it) */
};

static const struct err_case err_cases[] = {
	/* structure */
	{ "unknown top-level attribute", "amd64", NULL, HEAD "foo = 1\ntarget \"a\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:2:1: unknown top-level attribute foo (allowed: default_target; blocks: locals, target)" },
	{ "unknown block", "amd64", NULL, HEAD "variable \"x\" {}\ntarget \"a\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:2:1: unknown block type variable (allowed: locals, target)" },
	{ "unknown target attribute", "amd64", NULL, HEAD "target \"a\" {\n  kernel = \"k\"\n  colour = \"red\"\n}", CB_EINVAL,
	  "plan:4:3: unknown attribute colour in target \"a\" (allowed: label, version, arch, cmdline, index, kernel, "
	  "initrd, modpack, disk)" },
	{ "unknown block in target", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"\n  network { } }", CB_EINVAL,
	  "plan:3:3: unknown block network in target \"a\" (the only block is disk)" },
	{ "duplicate attribute", "amd64", NULL, HEAD "target \"a\" {\n kernel = \"k\"\n kernel = \"j\" }", CB_EINVAL,
	  "plan:4:2: duplicate attribute kernel in target \"a\" (first at line 3)" },
	{ "disk block and disk attribute", "amd64", NULL,
	  HEAD "target \"a\" {\n disk = { device = \"d\" }\n disk { device = \"e\" } }", CB_EINVAL,
	  "plan:4:2: duplicate attribute disk in target \"a\" (first at line 3)" },
	{ "duplicate default_target", "amd64", NULL, HEAD "default_target = \"a\"\ntarget \"a\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:2:1: duplicate attribute default_target (first at line 1)" },
	{ "duplicate target", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\" }\n\ntarget \"a\" { kernel = \"j\" }",
	  CB_EINVAL, "plan:4:8: duplicate target \"a\" (first at line 2)" },
	{ "duplicate local", "amd64", NULL,
	  HEAD "locals { x = 1 }\nlocals {\n y = 2\n x = 3 }\ntarget \"a\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:5:2: duplicate local x (first set at line 2)" },
	{ "duplicate object key", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  label = lookup({ a = 1\n a = 2 }, \"a\", 0) }",
	  CB_EINVAL, "plan:3:2: duplicate key \"a\" in object (first at line 2)" },
	{ "duplicate disk key through the alias", "amd64", NULL,
	  HEAD "target \"a\" { disk = { device = \"d\"  luks-passphrase = \"x\"\n luks_passphrase = \"y\" } }", CB_EINVAL,
	  "plan:3:2: duplicate key luks_passphrase in disk (first at line 2)" },
	{ "default_target missing", "amd64", NULL, "target \"a\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:1:1: default_target is not set (it names the target booted by default)" },
	{ "empty plan", "amd64", NULL, "", CB_EINVAL, "plan:1:1: default_target is not set" },
	{ "no target", "amd64", NULL, HEAD, CB_EINVAL, "plan:1:1: the plan has no target block" },
	{ "default_target names no target", "amd64", NULL, "\ndefault_target = \"b\"\ntarget \"a\" { kernel = \"k\" }",
	  CB_EINVAL, "plan:2:18: default_target \"b\" names no target" },
	{ "default_target for another arch", "arm64", NULL, HEAD "target \"a\" { kernel = \"k\"  arch = \"amd64\" }",
	  CB_EINVAL, "plan:1:18: default_target \"a\" is only for amd64, not for the guest arch arm64" },
	{ "default_target not a string", "amd64", NULL, "default_target = [\"a\"]\ntarget \"a\" { kernel = \"k\" }",
	  CB_EINVAL, "plan:1:18: the value is a list, not a string" },
	{ "no source", "amd64", NULL, HEAD "\ntarget \"a\" { label = \"x\"  initrd = \"i\" }", CB_EINVAL,
	  "plan:3:1: target \"a\" has nothing to boot: set index or kernel (OCI) or a disk" },
	{ "both sources", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"\n  disk = { device = \"d\" } }", CB_EINVAL,
	  "plan:3:3: target \"a\" has both an OCI source (kernel) and a disk: keep one" },
	{ "both sources, index", "amd64", NULL, HEAD "target \"a\" {\n disk { device = \"d\" }\n index = \"i\" }", CB_EINVAL,
	  "plan:3:2: target \"a\" has both an OCI source (index) and a disk: keep one" },
	{ "target without a label", "amd64", NULL, HEAD "target { kernel = \"k\" }", CB_EINVAL,
	  "plan:2:1: target takes exactly one label: target \"name\" { ... }" },
	{ "target with two labels", "amd64", NULL, HEAD "target \"a\" \"b\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:2:1: target takes exactly one label" },
	{ "bad target name", "amd64", NULL, HEAD "target \"../x\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:2:8: target name \"../x\": use 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit" },
	{ "empty target name", "amd64", NULL, HEAD "target \"\" { kernel = \"k\" }", CB_EINVAL, "plan:2:8: target name \"\":" },
	{ "label with interpolation", "amd64", NULL, HEAD "target \"${arch}\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:2:8: a block label must be a plain string, without ${...}" },
	{ "locals with a label", "amd64", NULL, HEAD "locals \"x\" { }", CB_EINVAL,
	  "plan:2:8: locals takes no label: locals { name = value }" },
	{ "block in locals", "amd64", NULL, HEAD "locals {\n  x { }\n}", CB_EINVAL,
	  "plan:3:3: blocks are not allowed inside locals (found x)" },
	{ "block in disk", "amd64", NULL, HEAD "target \"a\" { disk {\n device = \"d\"\n luks { } } }", CB_EINVAL,
	  "plan:4:2: blocks are not allowed inside disk (found luks)" },
	{ "too many targets", "amd64", NULL, NULL, CB_ELIMIT, "plan:258:1: more than 256 targets" },
	/* disk */
	{ "disk fs unknown", "amd64", NULL, HEAD "target \"a\" { disk = { device = \"d\"\n fs = \"vfat\" } }", CB_EINVAL,
	  "plan:3:7: disk fs \"vfat\" of target \"a\" is not one of ext4, xfs, btrfs, zfs" },
	{ "disk key unknown", "amd64", NULL, HEAD "target \"a\" { disk = { device = \"d\"\n  size = 1 } }", CB_EINVAL,
	  "plan:3:3: unknown key \"size\" in the disk of target \"a\" (allowed: device, fs, dataset, kernel, initrd, "
	  "luks-passphrase)" },
	{ "disk without device", "amd64", NULL, HEAD "target \"a\" { disk = { fs = \"xfs\" } }", CB_EINVAL,
	  "plan:2:21: the disk of target \"a\" has no device" },
	{ "disk block without device", "amd64", NULL, HEAD "target \"a\" {\n  disk { fs = \"xfs\" } }", CB_EINVAL,
	  "plan:3:8: the disk of target \"a\" has no device" },
	{ "disk not an object", "amd64", NULL, HEAD "target \"a\" { disk = \"/dev/vda\" }", CB_EINVAL,
	  "plan:2:21: the disk of target \"a\" is a string, not an object { device = ... }" },
	{ "disk device empty", "amd64", NULL, HEAD "target \"a\" { disk = { device = \"\" } }", CB_EINVAL,
	  "plan:2:32: the disk device of target \"a\" is empty" },
	{ "disk from metadata, bad fs", "amd64", "{\"d\": {\"device\": \"/dev/x\", \"fs\": \"ntfs\"}}",
	  HEAD "target \"a\" {\n disk = meta.d }", CB_EINVAL, "plan:3:9: disk fs \"ntfs\" of target \"a\" is not one of" },
	{ "disk from metadata, unknown key", "amd64", "{\"d\": {\"device\": \"/dev/x\", \"zone\": 1}}",
	  HEAD "target \"a\" {\n disk = meta.d }", CB_EINVAL, "plan:3:9: unknown key \"zone\" in the disk of target \"a\"" },
	{ "disk from metadata, missing", "amd64", "{}", HEAD "target \"a\" {\n disk = meta.d }", CB_EINVAL,
	  "plan:3:9: the disk of target \"a\" is null, not an object" },
	{ "disk from metadata, no device", "amd64", "{\"d\": {\"fs\": \"xfs\"}}", HEAD "target \"a\" {\n disk = meta.d }",
	  CB_EINVAL, "plan:3:9: the disk of target \"a\" has no device" },
	{ "disk from metadata, both spellings", "amd64", "{\"d\": {\"device\": \"x\", \"luks-passphrase\": \"a\", \"luks_passphrase\": \"b\"}}",
	  HEAD "target \"a\" {\n disk = meta.d }", CB_EINVAL, "plan:3:9: the disk of target \"a\" sets luks-passphrase twice" },
	/* values */
	{ "arch unknown", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"\n  arch = \"x86_64\" }", CB_EINVAL,
	  "plan:3:10: arch \"x86_64\" of target \"a\" is not one of amd64, arm64, riscv64, loong64" },
	{ "arch compared with an unknown arch", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"\n  label = arch == \"aarch64\" ? \"a\" : \"b\" }", CB_EINVAL,
	  "plan:3:19: arch is never \"aarch64\": guest arches are amd64, arm64, riscv64, loong64" },
	{ "arch unknown on the left, !=, untaken branch", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  label = false ? (\"x86\" != arch) : \"b\" }", CB_EINVAL,
	  "plan:2:45: arch is never \"x86\"" },
	{ "index empty", "amd64", NULL, HEAD "target \"a\" { index = \"\" }", CB_EINVAL,
	  "plan:2:22: index of target \"a\" is empty" },
	{ "kernel empty", "amd64", NULL, HEAD "target \"a\" { kernel = [] }", CB_EINVAL,
	  "plan:2:23: kernel of target \"a\" is empty" },
	{ "attribute is an object", "amd64", NULL, HEAD "target \"a\" { kernel = { a = 1 } }", CB_EINVAL,
	  "plan:2:23: the value is an object, not a string" },
	{ "attribute is null", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  label = null }", CB_EINVAL,
	  "plan:2:36: the value is null (a meta.* path missing from the metadata?)" },
	{ "meta value missing", "amd64", "{\"cloudboot\": {}}", HEAD "target \"a\" {\n kernel = meta.cloudboot.kernel }",
	  CB_EINVAL, "plan:3:11: the value is null" },
	{ "nested list in an attribute", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  cmdline = [\"a\", [\"b\"]] }",
	  CB_EINVAL, "plan:2:38: a list element is a list, not a string" },
	{ "list in an interpolation", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  label = \"x ${[1]}\" }",
	  CB_EINVAL, "plan:2:41: the interpolated value is a list, not a string" },
	{ "null in an interpolation", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  label = \"x ${meta.a}\" }",
	  CB_EINVAL, "plan:2:41: the interpolated value is null" },
	/* references */
	{ "self to an unset attribute", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"\n  label = \"v${self.version}\" }",
	  CB_EINVAL, "plan:3:15: self.version: target \"a\" does not set version" },
	{ "self to a non-attribute", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  label = self.name }", CB_EINVAL,
	  "plan:2:36: self.name: name is not a target attribute (allowed: label, version" },
	{ "self in locals", "amd64", NULL, HEAD "locals { x = self.kernel }\ntarget \"a\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:2:14: self.kernel outside a target block (self is the enclosing target)" },
	{ "self in default_target", "amd64", NULL, "default_target = self.label\ntarget \"a\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:1:18: self.label outside a target block" },
	{ "undefined local", "amd64", NULL, HEAD "locals { x = 1 }\ntarget \"a\" { kernel = \"${local.y}\" }", CB_EINVAL,
	  "plan:3:26: local.y is not defined in any locals block" },
	{ "undefined local in an untaken branch", "amd64", NULL,
	  HEAD "target \"a\" { kernel = true ? \"k\" : local.nope }", CB_EINVAL, "plan:2:36: local.nope is not defined" },
	{ "local self-cycle", "amd64", NULL, HEAD "locals {\n  x = local.x\n}\ntarget \"a\" { kernel = \"k\" }", CB_EINVAL,
	  "plan:3:3: reference cycle: local.x -> local.x" },
	{ "local cycle", "amd64", NULL,
	  HEAD "locals {\n  a = \"${local.b}\"\n  b = arch == \"amd64\" ? local.c : \"\"\n  c = [local.a]\n}\ntarget \"x\" { kernel = local.a }",
	  CB_EINVAL, "plan:3:3: reference cycle: local.a -> local.b -> local.c -> local.a" },
	{ "self cycle", "amd64", NULL,
	  HEAD "target \"t\" { kernel = \"k\"\n  label = \"${self.version}\"\n  version = self.cmdline\n  cmdline = [self.label] }",
	  CB_EINVAL, "plan:3:3: reference cycle in target \"t\": self.label -> self.version -> self.cmdline -> self.label" },
	{ "self cycle through the disk", "amd64", NULL,
	  HEAD "target \"t\" { label = self.disk.device\n  disk = { device = self.label } }", CB_EINVAL,
	  "plan:2:14: reference cycle in target \"t\": self.label -> self.disk -> self.label" },
	{ "chain of references too long", "amd64", NULL, NULL, CB_ELIMIT,
	  "plan:3:3: local.l00 starts a chain of more than 32 references" },
	{ "chain of references too long, found from its end", "amd64", NULL, NULL, CB_ELIMIT,
	  "plan:11:3: local.z08 starts a chain of more than 32 references" },
	{ "unknown name", "amd64", NULL, HEAD "target \"a\" { kernel = var.k }", CB_EINVAL,
	  "plan:2:23: unknown name var (known: arch, local.NAME, self.NAME, meta.PATH, true, false, null)" },
	{ "local without a name", "amd64", NULL, HEAD "target \"a\" { kernel = local }", CB_EINVAL,
	  "plan:2:23: local must be followed by .NAME" },
	{ "attribute of a string", "amd64", NULL, HEAD "target \"a\" { kernel = arch.name }", CB_EINVAL,
	  "plan:2:23: cannot read .name of a string" },
	{ "missing key of an object literal", "amd64", NULL, HEAD "locals { m = { a = 1 } }\ntarget \"a\" { kernel = local.m.b }",
	  CB_EINVAL, "plan:3:23: the object has no key b" },
	/* types */
	{ "== between list and string", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"\n  label = [\"a\"] == \"a\" ? \"x\" : \"y\" }", CB_EINVAL,
	  "plan:3:17: cannot compare a list with a string" },
	{ "== between number and string", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  label = 1 != \"1\" ? \"x\" : \"y\" }", CB_EINVAL,
	  "plan:2:38: cannot compare a number with a string" },
	{ "== inside lists", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"  label = [1, true] == [1, \"true\"] ? \"x\" : \"y\" }", CB_EINVAL,
	  "plan:2:46: cannot compare a bool with a string" },
	{ "ternary condition not bool", "amd64", NULL,
	  HEAD "target \"a\" { kernel = \"k\"\n  label = \"true\" ? \"x\" : \"y\" }", CB_EINVAL,
	  "plan:3:11: the condition before ? is a string, not a bool" },
	{ "ternary condition null", "amd64", NULL, HEAD "target \"a\" { kernel = meta.x ? \"a\" : \"b\" }", CB_EINVAL,
	  "plan:2:23: the condition before ? is null, not a bool" },
	{ "lookup on a non-map", "amd64", NULL, HEAD "target \"a\" { kernel = lookup([\"a\"], \"0\", \"d\") }", CB_EINVAL,
	  "plan:2:30: lookup needs an object as its first argument, not a list" },
	{ "lookup with a list key", "amd64", NULL, HEAD "target \"a\" { kernel = lookup({}, [\"a\"], \"d\") }", CB_EINVAL,
	  "plan:2:34: lookup needs a string key, not a list" },
	{ "lookup arity", "amd64", NULL, HEAD "target \"a\" { kernel = lookup({ a = 1 }, \"a\") }", CB_EINVAL,
	  "plan:2:23: lookup takes 3 arguments (map, key, default), got 2" },
	{ "unknown function", "amd64", NULL, HEAD "target \"a\" { kernel = upper(\"k\") }", CB_EINVAL,
	  "plan:2:23: unknown function upper (the only function is lookup)" },
	/* syntax */
	{ "missing =", "amd64", NULL, HEAD "target \"a\" { kernel \"k\" }", CB_EINVAL,
	  "plan:2:25: expected '{' to open block kernel (or '=' before a value), found '}'" },
	{ "missing value", "amd64", NULL, HEAD "target \"a\" { kernel = }", CB_EINVAL,
	  "plan:2:23: expected a value, found '}'" },
	{ "two values", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\" \"j\" }", CB_EINVAL,
	  "plan:2:27: unexpected a string after the value of kernel" },
	{ "comma between attributes", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\", label = \"l\" }", CB_EINVAL,
	  "plan:2:26: unexpected ',' after the value of kernel" },
	{ "stray }", "amd64", NULL, "}\n", CB_EINVAL, "plan:1:1: expected an attribute or a block, found '}'" },
	{ "} after a value", "amd64", NULL, HEAD "}\n", CB_EINVAL, "plan:2:1: unexpected '}' after the value of default_target" },
	{ "= after a name at top", "amd64", NULL, HEAD "target = = 1", CB_EINVAL, "plan:2:10: expected a value, found '='" },
	{ "missing ] in list", "amd64", NULL, HEAD "target \"a\" { kernel = [\"a\" \"b\"] }", CB_EINVAL,
	  "plan:2:28: expected ',' or ']' in the list, found a string" },
	{ "missing : in ternary", "amd64", NULL, HEAD "target \"a\" { kernel = true ? \"a\" }", CB_EINVAL,
	  "plan:2:34: expected ':' in the conditional, found '}'" },
	{ "missing ) ", "amd64", NULL, HEAD "target \"a\" { kernel = (\"a\" }", CB_EINVAL,
	  "plan:2:28: expected ')', found '}'" },
	{ "object key not a name", "amd64", NULL, HEAD "target \"a\" { disk = { 1 = 2 } }", CB_EINVAL,
	  "plan:2:23: expected an object key (a name or a plain string) or '}', found number 1" },
	{ "object key interpolated", "amd64", NULL, HEAD "target \"a\" { disk = { \"${arch}\" = 2 } }", CB_EINVAL,
	  "plan:2:23: an object key must be a plain string, without ${...}" },
	{ "object without =", "amd64", NULL, HEAD "target \"a\" { disk = { device \"x\" } }", CB_EINVAL,
	  "plan:2:30: expected '=' or ':' after the object key, found a string" },
	{ "number then letters", "amd64", NULL, HEAD "target \"a\" { kernel = 1e3 }", CB_EINVAL,
	  "plan:2:23: malformed number (numbers are digits with an optional .fraction)" },
	{ "unexpected character", "amd64", NULL, HEAD "target \"a\" { kernel = @k }", CB_EINVAL,
	  "plan:2:23: unexpected character '@'" },
	{ "non-ASCII outside strings", "amd64", NULL, HEAD "target \"a\" { kernel = \xc3\xa9 }", CB_EINVAL,
	  "plan:2:23: unexpected character (only ASCII is allowed outside strings and comments)" },
	{ "columns count characters", "amd64", NULL, HEAD "target \"a\" { kernel = \"\xe2\x80\xa6\xe2\x80\xa6\" @ }",
	  CB_EINVAL, "plan:2:28: unexpected character '@'" },
	{ "invalid escape", "amd64", NULL, HEAD "target \"a\" { kernel = \"a\\qb\" }", CB_EINVAL,
	  "plan:2:25: invalid escape \\q (known: \\n \\r \\t \\\" \\\\ \\uNNNN \\UNNNNNNNN)" },
	{ "short \\u", "amd64", NULL, HEAD "target \"a\" { kernel = \"\\u12\" }", CB_EINVAL,
	  "plan:2:24: \\u needs 4 hex digits" },
	{ "\\u0000", "amd64", NULL, HEAD "target \"a\" { kernel = \"\\u0000\" }", CB_EINVAL,
	  "plan:2:24: \\u escape U+0000 is not a usable character" },
	{ "surrogate escape", "amd64", NULL, HEAD "target \"a\" { kernel = \"\\ud800\" }", CB_EINVAL,
	  "plan:2:24: \\u escape U+D800 is not a usable character" },
	{ "escape beyond U+10FFFF", "amd64", NULL, HEAD "target \"a\" { kernel = \"\\U00110000\" }", CB_EINVAL,
	  "plan:2:24: \\U escape U+110000 is not a usable character" },
	/* unsupported HCL */
	{ "heredoc", "amd64", NULL, HEAD "target \"a\" {\n  kernel = <<EOT\nk\nEOT\n}", CB_EUNSUP,
	  "plan:3:12: heredoc strings (<<EOF) are not supported; use a quoted string" },
	{ "template directive", "amd64", NULL, HEAD "target \"a\" { kernel = \"%{ if true }k%{ endif }\" }", CB_EUNSUP,
	  "plan:2:24: template directives %{...} are not supported (write %%{ for a literal %{)" },
	{ "strip marker", "amd64", NULL, HEAD "target \"a\" { kernel = \"${~ arch}\" }", CB_EUNSUP,
	  "plan:2:24: template strip markers (${~) are not supported" },
	{ "strip marker at the end", "amd64", NULL, HEAD "target \"a\" { kernel = \"${arch ~}\" }", CB_EUNSUP,
	  "plan:2:31: template strip markers (~}) are not supported" },
	{ "arithmetic", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  version = 6 + 1 }", CB_EUNSUP,
	  "plan:2:40: operator + is not supported (only ==, !=, ? : and lookup())" },
	{ "logic", "amd64", NULL, HEAD "target \"a\" { kernel = true && false ? \"a\" : \"b\" }", CB_EUNSUP,
	  "plan:2:28: operator && is not supported" },
	{ "not", "amd64", NULL, HEAD "target \"a\" { kernel = !true ? \"a\" : \"b\" }", CB_EUNSUP,
	  "plan:2:23: operator ! is not supported" },
	{ "unary minus", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  version = -1 }", CB_EUNSUP,
	  "plan:2:38: operator - is not supported" },
	{ "comparison", "amd64", NULL, HEAD "target \"a\" { kernel = 1 <= 2 ? \"a\" : \"b\" }", CB_EUNSUP,
	  "plan:2:25: operator <= is not supported" },
	{ "index", "amd64", NULL, HEAD "locals { l = [\"a\"] }\ntarget \"a\" { kernel = local.l[0] }", CB_EUNSUP,
	  "plan:3:30: index expressions [...] are not supported; use lookup()" },
	{ "for expression", "amd64", NULL, HEAD "target \"a\" { kernel = \"k\"  cmdline = [for a in [1] : a] }", CB_EUNSUP,
	  "plan:2:39: for expressions are not supported" },
	/* hostile */
	{ "unterminated string", "amd64", NULL, HEAD "target \"a\" { kernel = \"k }\n", CB_EINVAL,
	  "plan:2:23: unterminated string (a quoted string ends on its line; heredocs are not supported)" },
	{ "unterminated string at EOF", "amd64", NULL, HEAD "target \"a\" { kernel = \"k", CB_EINVAL,
	  "plan:2:23: unterminated string" },
	{ "unterminated block", "amd64", NULL, HEAD "target \"a\" {\n  kernel = \"k\"\n", CB_EINVAL,
	  "plan:2:12: unclosed {: no matching } before the end of the plan" },
	{ "unterminated object", "amd64", NULL, HEAD "target \"a\" { disk = { device = \"d\" }", CB_EINVAL,
	  "plan:2:12: unclosed {: no matching } before the end of the plan" },
	{ "unterminated interpolation", "amd64", NULL, HEAD "target \"a\" { kernel = \"${arch", CB_EINVAL,
	  "plan:2:24: unterminated interpolation: ${ without a closing }" },
	{ "unterminated interpolation before the quote", "amd64", NULL, HEAD "target \"a\" { kernel = \"${arch\" }",
	  CB_EINVAL, "plan:2:30: unterminated string" },
	{ "unterminated comment", "amd64", NULL, HEAD "/* no end", CB_EINVAL, "plan:2:1: unterminated /* comment" },
	{ "unterminated list", "amd64", NULL, HEAD "target \"a\" { kernel = [\"a\", \"b\" }", CB_EINVAL,
	  "plan:2:33: expected ',' or ']' in the list, found '}'" },
	{ "NUL byte", "amd64", NULL, NULL, CB_EINVAL, "plan:2:25: control character 0x00" },
	{ "control character", "amd64", NULL, HEAD "target \"a\" { kernel = \"\x1b[2J\" }", CB_EINVAL,
	  "plan:2:24: control character 0x1b" },
	{ "invalid UTF-8", "amd64", NULL, HEAD "target \"a\" { kernel = \"\xc0\xaf\" }", CB_EINVAL,
	  "plan:2:24: invalid UTF-8 (byte 0xc0)" },
	{ "UTF-8 surrogate", "amd64", NULL, HEAD "# \xed\xa0\x80\n", CB_EINVAL, "plan:2:3: invalid UTF-8 (byte 0xed)" },
	{ "truncated UTF-8", "amd64", NULL, HEAD "# \xe2\x80", CB_EINVAL, "plan:2:3: invalid UTF-8 (byte 0xe2)" },
	{ "guest arch unknown", "x86_64", NULL, HEAD "target \"a\" { kernel = \"k\" }", CB_EINVAL,
	  "plan: guest arch \"x86_64\" is not one of amd64, arm64, riscv64, loong64" },
	{ "guest arch missing", NULL, NULL, HEAD "target \"a\" { kernel = \"k\" }", CB_EINVAL,
	  "plan: guest arch \"(none)\" is not one of" },
};

/* Plans too big to write inline, built for the err_cases that have plan == NULL. */
static char *big_plan(const char *name, size_t *len)
{
	size_t cap = 1 << 20, o = 0;
	char *s = malloc(cap);
	if (!s)
		exit(2);
#define ADD(...) (o += (size_t)snprintf(s + o, cap - o, __VA_ARGS__))
	if (!strcmp(name, "too many targets")) {
		ADD(HEAD);
		for (int i = 0; i < 257; i++)
			ADD("target \"t%d\" { kernel = \"k\" }\n", i);
	} else if (!strcmp(name, "chain of references too long")) {
		ADD(HEAD "locals {\n");
		for (int i = 0; i < 40; i++)
			ADD("  l%02d = local.l%02d\n", i, i + 1);
		ADD("  l40 = \"end\"\n}\ntarget \"a\" { kernel = local.l00 }\n");
	} else if (!strcmp(name, "chain of references too long, found from its end")) {
		/* z00 -> ... -> z09 -> a10 -> ... -> a40: a10's 31 are checked first, then z08 makes 33 */
		ADD(HEAD "locals {\n");
		for (int i = 0; i < 40; i++)
			ADD("  %c%02d = local.%c%02d\n", i < 10 ? 'z' : 'a', i, i < 9 ? 'z' : 'a', i + 1);
		ADD("  a40 = \"end\"\n}\ntarget \"a\" { kernel = local.z00 }\n");
	} else if (!strcmp(name, "NUL byte")) {
		ADD(HEAD "target \"a\" { kernel = \"k");
		s[o++] = 0;
		ADD("\" }");
	}
#undef ADD
	*len = o;
	return s;
}

static void test_err_cases(void)
{
	for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *c = &err_cases[i];
		struct plan *p = (struct plan *)&p;
		struct cb_err e;
		size_t len = c->plan ? strlen(c->plan) : 0;
		char *text = c->plan ? NULL : big_plan(c->name, &len);
		int rc = load(c->plan ? c->plan : text, len, c->arch, c->meta, &p, &e);
		CHECK(rc == c->rc, "%s: rc %d, want %d (%s)", c->name, rc, c->rc, e.msg);
		CHECK(p == NULL, "%s: *out not NULL on failure", c->name);
		CHECK(rc && e.code == rc, "%s: e.code %d", c->name, e.code);
		if (strchr(c->msg, ':') && !strncmp(c->msg, "plan:", 5) && c->msg[5] >= '0' && c->msg[5] <= '9')
			CHECK(!strncmp(e.msg, c->msg, strlen(c->msg)), "%s:\n   got  %s\n   want %s", c->name, e.msg, c->msg);
		else
			CHECK(strstr(e.msg, c->msg) && !strncmp(e.msg, "plan:", 5), "%s:\n   got  %s\n   want ...%s", c->name,
			      e.msg, c->msg);
		if (!rc)
			plan_free(p);
		free(text);
	}
}

/* ---- limits and hostile input ---- */

struct buf {
	char *s;
	size_t len, cap;
};

static void bput(struct buf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->s ? b->s + b->len : NULL, b->cap - b->len, fmt, ap);
		va_end(ap);
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap ? b->cap * 2 : 4096;
		if (!(b->s = realloc(b->s, b->cap)))
			exit(2);
	}
}

static void rep(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		bput(b, "%s", s);
}

struct limit_case {
	const char *name;
	int rc;
	const char *msg; /* exact prefix */
};

static void expect(const struct buf *b, const char *arch, const char *meta, const struct limit_case *c)
{
	struct plan *p = NULL;
	struct cb_err e;
	int rc = load(b->s, b->len, arch, meta, &p, &e);
	CHECK(rc == c->rc, "%s: rc %d, want %d (%s)", c->name, rc, c->rc, e.msg);
	CHECK(!strncmp(e.msg, c->msg, strlen(c->msg)), "%s:\n   got  %s\n   want %s", c->name, e.msg, c->msg);
	if (!rc)
		plan_free(p);
}

static void test_limits(void)
{
	struct buf b = { 0 };
	static const struct limit_case cases[] = {
		{ "10k nested parens", CB_ELIMIT, "plan:2:54: nesting deeper than 32 levels" },
		{ "10k nested lists", CB_ELIMIT, "plan:2:54: nesting deeper than 32 levels" },
		{ "10k nested objects", CB_ELIMIT, "plan:2:116: nesting deeper than 32 levels" },
		{ "10k nested interpolations", CB_ELIMIT, "plan:2:117: nesting deeper than 32 levels" },
		{ "10k ternaries", CB_ELIMIT, "plan:2:420: nesting deeper than 32 levels" },
		{ "10k == chain", CB_ELIMIT, "plan:2:180: nesting deeper than 32 levels" },
		{ "10k .attr chain", CB_ELIMIT, "plan:2:23: nesting deeper than 32 levels" },
		{ "huge list", CB_ELIMIT, "plan:2:65548: more than 65536 tokens" },
		{ "input too big", CB_ELIMIT, "plan:1:1: the plan is 262145 bytes, more than the 262144-byte limit" },
		{ "string literal too long", CB_ELIMIT, "plan:2:23: string literal longer than 65536 bytes" },
		{ "string too long after interpolation", CB_ELIMIT,
		  "plan:8:8: the string is longer than 65536 bytes after interpolation" },
		{ "joined list too long", CB_ELIMIT, "plan:3:38: the joined list is longer than 65536 bytes" },
		{ "evaluation explosion", CB_ELIMIT, "plan:12:32: evaluation takes more than 1000000 steps" },
		{ "memory explosion", CB_ELIMIT, "plan:249:10: plan needs more than 16 MiB of memory" },
		{ "identifier too long", CB_ELIMIT, "plan:2:1: identifier longer than 256 characters" },
		{ "number too long", CB_ELIMIT, "plan:2:23: number longer than 64 characters" },
		{ "long valid list", 0, "" },
		{ "32 levels are fine", 0, "" },
		{ "a chain of 32 references is fine", 0, "" },
		{ "evaluated plan too big", CB_ELIMIT, "plan:35:42: plan needs more than 4 MiB of memory" },
		{ "evaluation depth", CB_ELIMIT, "plan:31:10: evaluation nested deeper than 256 levels" },
		{ "meta number too long", CB_ELIMIT, "plan:2:23: the value is longer than 65536 bytes" },
		{ "meta string too long", CB_ELIMIT, "plan:2:23: a metadata string is longer than 65536 bytes" },
		{ "meta lookups are charged per key", CB_ELIMIT, "plan:2:14949: evaluation takes more than 1000000 steps" },
	};
	size_t k = 0;
	/* 10k nested parens; the 33rd level is at column 22 + 32 */
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = ");
	rep(&b, "(", 10000);
	bput(&b, "\"k\"");
	rep(&b, ")", 10000);
	bput(&b, " }");
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = ");
	rep(&b, "[", 10000);
	rep(&b, "]", 10000);
	bput(&b, " }");
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = ");
	rep(&b, "{a=", 10000);
	rep(&b, "}", 10000);
	bput(&b, " }");
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = ");
	rep(&b, "\"${", 10000);
	rep(&b, "}\"", 10000);
	bput(&b, " }");
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = ");
	rep(&b, "true ? \"a\" : ", 10000);
	bput(&b, "\"b\" }");
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = ");
	rep(&b, "1 == ", 10000);
	bput(&b, "1 }");
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = meta");
	rep(&b, ".a", 10000);
	bput(&b, " }");
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = [");
	rep(&b, "1,", 40000);
	bput(&b, "] }");
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = \"k\" }\n#");
	rep(&b, "x", PLAN_MAX_INPUT + 1 - b.len);
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = \"");
	rep(&b, "x", PLAN_MAX_STRING + 1);
	bput(&b, "\" }");
	expect(&b, "amd64", NULL, &cases[k++]);
	/* doubling: 4 KiB * 2^5 = 128 KiB */
	b.len = 0;
	bput(&b, HEAD "locals {\n  s0 = \"");
	rep(&b, "x", 4096);
	bput(&b, "\"\n");
	for (int i = 1; i <= 5; i++)
		bput(&b, "  s%d = \"${local.s%d}${local.s%d}\"\n", i, i - 1, i - 1);
	bput(&b, "}\ntarget \"a\" { kernel = local.s5 }");
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "locals { s = \"");
	rep(&b, "x", 40000);
	bput(&b, "\" }\ntarget \"a\" { kernel = \"k\"  cmdline = [local.s, local.s] }");
	expect(&b, "amd64", NULL, &cases[k++]);
	/* 10^7 elements compared: the step budget stops it */
	b.len = 0;
	bput(&b, HEAD "locals {\n  l0 = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
	for (int i = 1; i <= 7; i++) {
		bput(&b, "  l%d = [", i);
		for (int j = 0; j < 10; j++)
			bput(&b, "local.l%d, ", i - 1);
		bput(&b, "]\n");
	}
	bput(&b, "}\ntarget \"a\" { kernel = local.l7 == local.l7 ? \"eq\" : \"ne\" }");
	struct plan *p = NULL;
	struct cb_err e;
	int rc = load(b.s, b.len, "amd64", NULL, &p, &e);
	CHECK(rc == CB_ELIMIT && !strcmp(e.msg, "plan:12:32: evaluation takes more than 1000000 steps"), "%s: %d %s", cases[k].name,
	      rc, e.msg);
	k++;
	/* 400 strings of 60 KiB each, all alive at once: the work arena's cap stops it */
	b.len = 0;
	bput(&b, HEAD "locals {\n  s = \"");
	rep(&b, "x", 30000);
	bput(&b, "\"\n");
	for (int i = 0; i < 400; i++)
		bput(&b, "  s%d = \"${local.s}%d${local.s}\"\n", i, i);
	bput(&b, "}\ntarget \"a\" { kernel = [");
	for (int i = 0; i < 400; i++)
		bput(&b, "local.s%d, ", i);
	bput(&b, "] == [] ? \"a\" : \"b\" }");
	rc = load(b.s, b.len, "amd64", NULL, &p, &e);
	CHECK(rc == CB_ELIMIT && !strcmp(e.msg, "plan:249:10: plan needs more than 16 MiB of memory"), "%s: %d %s", cases[k].name, rc,
	      e.msg);
	k++;
	b.len = 0;
	bput(&b, HEAD);
	rep(&b, "x", 257);
	bput(&b, " = 1");
	expect(&b, "amd64", NULL, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = ");
	rep(&b, "1", 65);
	bput(&b, " }");
	expect(&b, "amd64", NULL, &cases[k++]);
	/* 20000 elements, joined to 40 KiB: within every limit */
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = \"k\"  cmdline = [");
	rep(&b, "1,", 20000);
	bput(&b, "] }");
	rc = load(b.s, b.len, "amd64", NULL, &p, &e);
	CHECK(rc == 0 && strlen(p->targets[0].cmdline) == 39999, "%s: %d %s", cases[k].name, rc, e.msg);
	if (!rc)
		plan_free(p);
	k++;
	/* the target body, the value and 30 parentheses: the deepest accepted nesting */
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = ");
	rep(&b, "(", 30);
	bput(&b, "\"k\"");
	rep(&b, ")", 30);
	bput(&b, " }");
	rc = load(b.s, b.len, "amd64", NULL, &p, &e);
	CHECK(rc == 0 && !strcmp(p->targets[0].kernel, "k"), "%s: %d %s", cases[k].name, rc, e.msg);
	if (!rc)
		plan_free(p);
	k++;
	b.len = 0;
	bput(&b, HEAD "locals {\n");
	for (int i = 0; i < 30; i++)
		bput(&b, "  l%02d = local.l%02d\n", i, i + 1);
	bput(&b, "  l30 = \"end\"\n}\ntarget \"a\" { kernel = local.l00 }\n"); /* kernel + 31 locals */
	rc = load(b.s, b.len, "amd64", NULL, &p, &e);
	CHECK(rc == 0 && !strcmp(p->targets[0].kernel, "end"), "%s: %d %s", cases[k].name, rc, e.msg);
	if (!rc)
		plan_free(p);
	k++;
	/* one 60 KiB string copied into 100 targets: the evaluated plan's cap (4 MiB) stops it */
	b.len = 0;
	bput(&b, HEAD "locals { s = \"");
	rep(&b, "x", 60000);
	bput(&b, "\" }\n");
	bput(&b, "target \"a\" { kernel = \"k\" }\n");
	for (int i = 1; i < 100; i++)
		bput(&b, "target \"t%d\" { kernel = local.s  label = local.s }\n", i);
	rc = load(b.s, b.len, "amd64", NULL, &p, &e);
	CHECK(rc == CB_ELIMIT && !strcmp(e.msg, "plan:35:42: plan needs more than 4 MiB of memory"), "%s: %d %s",
	      cases[k].name, rc, e.msg);
	k++;
	/* 31 locals of 9 nested values each: within the static limits, over the evaluator's 256 frames */
	b.len = 0;
	bput(&b, HEAD "locals {\n");
	for (int i = 0; i < 30; i++)
		bput(&b, "  l%02d = [[[[[[[[local.l%02d]]]]]]]]\n", i, i + 1);
	bput(&b, "  l30 = \"end\"\n}\ntarget \"a\" { kernel = \"k\"  label = local.l00 == [] ? \"a\" : \"b\" }\n");
	rc = load(b.s, b.len, "amd64", NULL, &p, &e);
	CHECK(rc == CB_ELIMIT && !strcmp(e.msg, "plan:31:10: evaluation nested deeper than 256 levels"), "%s: %d %s",
	      cases[k].name, rc, e.msg);
	k++;
	struct buf m = { 0 };
	bput(&m, "{\"n\": ");
	rep(&m, "7", 70000);
	bput(&m, ", \"s\": \"");
	rep(&m, "x", 70000);
	bput(&m, "\", \"big\": {");
	for (int i = 0; i < 2000; i++)
		bput(&m, "%s\"k%d\": %d", i ? ", " : "", i, i);
	bput(&m, "}}");
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = meta.n }");
	expect(&b, "amd64", m.s, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = meta.s }");
	expect(&b, "amd64", m.s, &cases[k++]);
	b.len = 0;
	bput(&b, HEAD "target \"a\" { kernel = \"k\"  cmdline = [");
	rep(&b, "lookup(meta.big, \"k1999\", 0), ", 600);
	bput(&b, "] }");
	expect(&b, "amd64", m.s, &cases[k++]);
	free(m.s);
	CHECK(k == sizeof(cases) / sizeof(cases[0]), "limit cases: ran %zu", k);
	free(b.s);
}

/* Every prefix of the reference plan fails cleanly or loads; never crashes (ASan/UBSan watch). */
static void test_prefixes(void)
{
	size_t n = strlen(reference_plan), ok = 0;
	for (size_t i = 0; i <= n; i++) {
		char *t = malloc(i ? i : 1);
		if (!t)
			exit(2);
		memcpy(t, reference_plan, i);
		struct plan *p = NULL;
		struct cb_err e;
		int rc = load(t, i, "amd64", NULL, &p, &e);
		CHECK(rc == 0 || !strncmp(e.msg, "plan:", 5), "prefix %zu: %s", i, e.msg);
		if (!rc) {
			ok++;
			plan_free(p);
		}
		free(t);
	}
	CHECK(ok >= 1, "prefixes: the whole plan loads");
}

static void test_args(void)
{
	struct plan *p = NULL;
	struct cb_err e;
	struct plan_env env = { "amd64", NULL };
	CHECK(plan_load("x", 1, NULL, &p, &e) == CB_EINVAL && !strcmp(e.msg, "plan: invalid arguments"), "NULL env");
	CHECK(plan_load("x", 1, &env, NULL, &e) == CB_EINVAL, "NULL out");
	CHECK(plan_load(NULL, 1, &env, &p, &e) == CB_EINVAL, "NULL text");
	CHECK(plan_load(NULL, 0, &env, &p, &e) == CB_EINVAL && !strcmp(e.msg, "plan:1:1: default_target is not set (it names the target booted by default)"),
	      "NULL empty text: %s", e.msg);
	plan_free(NULL);
	CHECK(plan_arch_known("amd64") && plan_arch_known("arm64") && plan_arch_known("riscv64") &&
	      plan_arch_known("loong64") && !plan_arch_known("x86_64") && !plan_arch_known(NULL) && !plan_arch_known(""),
	      "plan_arch_known");
}

int main(void)
{
	test_reference();
	test_ok_cases();
	test_err_cases();
	test_limits();
	test_prefixes();
	test_args();
	return check_summary("plan_test");
}
