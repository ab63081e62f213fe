/* plan_fuzz.c: libFuzzer target for plan_load. Input: one byte choosing the guest arch and whether metadata is
 * present, then the plan text. Checks the invariants a valid plan promises, and one-line errors otherwise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "plan.h"

static const char meta_text[] =
	"{\"cloudboot\": {\"target\": \"a\", \"console\": \"ttyS0\", \"n\": 7, \"f\": 1.50, \"t\": true, \"z\": null,"
	" \"args\": [\"quiet\", 2], \"disk\": {\"device\": \"/dev/vda2\", \"fs\": \"xfs\"}}}";

static const char *const arches[4] = { "amd64", "arm64", "riscv64", "loong64" };

static void check_str(const char *s)
{
	if (s && strlen(s) > PLAN_MAX_STRING)
		abort();
}

static void check_plan(const struct plan *p, const char *arch)
{
	const struct plan_target *d = plan_find(p, p->default_target);
	if (!d || strcmp(p->arch, arch) || !p->n_targets || p->n_targets > PLAN_MAX_TARGETS)
		abort();
	for (size_t i = 0; i < p->n_targets; i++) {
		const struct plan_target *t = &p->targets[i];
		size_t n = strlen(t->name);
		if (!n || n > 64 || strpbrk(t->name, "/\\ \"") || (t->arch && !plan_arch_known(t->arch)))
			abort();
		if (!!(t->index || t->kernel) == t->has_disk)
			abort();
		if ((t->index && !*t->index) || (t->kernel && !*t->kernel))
			abort();
		if (t->has_disk) {
			const char *fs = t->disk.fs;
			if (!t->disk.device || !*t->disk.device ||
			    (fs && strcmp(fs, "ext4") && strcmp(fs, "xfs") && strcmp(fs, "btrfs") && strcmp(fs, "zfs")))
				abort();
		} else if (t->disk.device || t->disk.fs) {
			abort();
		}
		const char *f[] = { t->label, t->version, t->cmdline, t->index, t->kernel, t->initrd, t->modpack,
				    t->disk.device, t->disk.dataset, t->disk.kernel, t->disk.initrd, t->disk.luks_passphrase };
		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
			check_str(f[k]);
		if ((plan_find(p, t->name) == t) != plan_target_runs_on(t, arch))
			abort();
	}
	size_t n = plan_targets_for_arch(p, arch, NULL, 0);
	if (n == 0 || n > p->n_targets)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct json_doc *meta;
	struct cb_err e;
	if (!meta && json_parse(meta_text, strlen(meta_text), NULL, &meta, &e))
		abort();
	if (size < 1)
		return 0;
	const char *arch = arches[data[0] & 3];
	struct plan_env env = { arch, (data[0] & 4) ? json_root(meta) : NULL };
	struct plan *p = (struct plan *)&env;
	memset(&e, 0, sizeof(e));
	int rc = plan_load((const char *)data + 1, size - 1, &env, &p, &e);
	if (rc) {
		if (p || rc >= 0 || e.code != rc || strncmp(e.msg, "plan:", 5) || strchr(e.msg, '\n'))
			abort();
		return 0;
	}
	check_plan(p, arch);
	/* Same input, same result. */
	struct plan *q = NULL;
	if (plan_load((const char *)data + 1, size - 1, &env, &q, &e) || q->n_targets != p->n_targets ||
	    strcmp(q->default_target, p->default_target))
		abort();
	plan_free(q);
	plan_free(p);
	return 0;
}
