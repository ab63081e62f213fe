/* plan.c: plan_load's pipeline (lex, parse, check, evaluate) and the evaluated plan: target and disk fields as
 * strings, the checks on evaluated values (arch, fs, sources), lookups by name and arch. Fetches nothing. */
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"

struct builder {
	struct plan_eval *ev;
	struct plan_arena *out;
	struct cb_err *e;
	const struct plan_tdef *td;
};

bool plan_arch_known(const char *arch)
{
	for (size_t i = 0; arch && i < sizeof(plan_arches) / sizeof(plan_arches[0]); i++)
		if (!strcmp(arch, plan_arches[i]))
			return true;
	return false;
}

bool plan_target_runs_on(const struct plan_target *t, const char *arch)
{
	return !t->arch || (arch && !strcmp(t->arch, arch));
}

const struct plan_target *plan_find(const struct plan *p, const char *name)
{
	for (size_t i = 0; p && name && i < p->n_targets; i++)
		if (!strcmp(p->targets[i].name, name))
			return plan_target_runs_on(&p->targets[i], p->arch) ? &p->targets[i] : NULL;
	return NULL;
}

size_t plan_targets_for_arch(const struct plan *p, const char *arch, const struct plan_target **out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; p && i < p->n_targets; i++) {
		if (!plan_target_runs_on(&p->targets[i], arch))
			continue;
		if (n < cap)
			out[n] = &p->targets[i];
		n++;
	}
	return n;
}

void plan_free(struct plan *p)
{
	if (p)
		plan_arena_free(p->arena);
}

static int keep(struct builder *b, const char *s, size_t len, struct plan_pos pos, char **dst)
{
	*dst = plan_arena_strndup(b->out, s, len);
	return *dst ? 0 : plan_err_alloc(b->e, b->out, pos);
}

/* The text of value v (lists joined) copied into the plan. */
static int keep_val(struct builder *b, const struct plan_val *v, struct plan_pos pos, char **dst, size_t *len)
{
	const char *s;
	int rc = plan_val_text(b->ev, v, pos, true, &s, len);
	return rc ? rc : keep(b, s, *len, pos, dst);
}

static int build_disk(struct builder *b, struct plan_disk *d)
{
	const struct plan_expr *x = b->td->attr[PLAN_TA_DISK];
	const struct plan_val *v;
	char *field[PLAN_DK_COUNT] = { NULL };
	int rc = plan_eval_attr(b->ev, (size_t)(b->td - b->ev->prog->targets), PLAN_TA_DISK, &v);
	if (rc)
		return rc;
	if (v->kind != PV_MAP)
		return plan_err(b->e, CB_EINVAL, x->pos, "the disk of target \"%s\" is %s, not an object { device = ... }",
				b->td->name, plan_vkind_name(v->kind));
	bool literal = x->kind == PX_OBJ;
	size_t n = plan_val_count(v);
	for (size_t i = 0; i < n; i++) {
		const char *key = plan_val_key_at(v, i);
		struct plan_pos kpos = literal ? x->key_pos[i] : x->pos, vpos = literal ? x->kids[i]->pos : x->pos;
		int k = plan_disk_key(key);
		char q[PLAN_QUOTE_SIZE];
		const struct plan_val *fv;
		size_t len;
		if (k < 0)
			return plan_err(b->e, CB_EINVAL, kpos, "unknown key %s in the disk of target \"%s\" (allowed: %s)",
					plan_quote(key, strlen(key), q), b->td->name,
					"device, fs, dataset, kernel, initrd, luks-passphrase");
		if (field[k])
			return plan_err(b->e, CB_EINVAL, kpos, "the disk of target \"%s\" sets %s twice", b->td->name,
					plan_dkey_names[k]);
		if ((rc = plan_val_at(b->ev, v, i, vpos, &fv)) || (rc = keep_val(b, fv, vpos, &field[k], &len)))
			return rc;
		if (k == PLAN_DK_FS && strcmp(field[k], "ext4") && strcmp(field[k], "xfs") && strcmp(field[k], "btrfs") &&
		    strcmp(field[k], "zfs"))
			return plan_err(b->e, CB_EINVAL, vpos, "disk fs %s of target \"%s\" is not one of ext4, xfs, btrfs, zfs",
					plan_quote(field[k], len, q), b->td->name);
		if (k == PLAN_DK_DEVICE && !len)
			return plan_err(b->e, CB_EINVAL, vpos, "the disk device of target \"%s\" is empty", b->td->name);
	}
	if (!field[PLAN_DK_DEVICE])
		return plan_err(b->e, CB_EINVAL, x->pos, "the disk of target \"%s\" has no device", b->td->name);
	d->device = field[PLAN_DK_DEVICE];
	d->fs = field[PLAN_DK_FS];
	d->dataset = field[PLAN_DK_DATASET];
	d->kernel = field[PLAN_DK_KERNEL];
	d->initrd = field[PLAN_DK_INITRD];
	d->luks_passphrase = field[PLAN_DK_LUKS];
	return 0;
}

static int build_target(struct builder *b, size_t t, struct plan_target *out)
{
	const struct plan_tdef *td = &b->ev->prog->targets[t];
	char *field[PLAN_TA_COUNT] = { NULL };
	int rc;
	b->td = td;
	if ((rc = keep(b, td->name, strlen(td->name), td->pos, &out->name)))
		return rc;
	for (size_t a = 0; a < PLAN_TA_COUNT; a++) {
		const struct plan_val *v;
		const struct plan_expr *x = td->attr[a];
		size_t len;
		char q[PLAN_QUOTE_SIZE];
		if (!x || a == PLAN_TA_DISK)
			continue;
		if ((rc = plan_eval_attr(b->ev, t, (enum plan_tattr)a, &v)) || (rc = keep_val(b, v, x->pos, &field[a], &len)))
			return rc;
		if (a == PLAN_TA_ARCH && !plan_arch_known(field[a]))
			return plan_err(b->e, CB_EINVAL, x->pos, "arch %s of target \"%s\" is not one of %s",
					plan_quote(field[a], len, q), td->name, plan_arch_list);
		if ((a == PLAN_TA_INDEX || a == PLAN_TA_KERNEL) && !len)
			return plan_err(b->e, CB_EINVAL, x->pos, "%s of target \"%s\" is empty", plan_tattr_names[a], td->name);
	}
	out->label = field[PLAN_TA_LABEL];
	out->version = field[PLAN_TA_VERSION];
	out->arch = field[PLAN_TA_ARCH];
	out->cmdline = field[PLAN_TA_CMDLINE];
	out->index = field[PLAN_TA_INDEX];
	out->kernel = field[PLAN_TA_KERNEL];
	out->initrd = field[PLAN_TA_INITRD];
	out->modpack = field[PLAN_TA_MODPACK];
	out->has_disk = td->attr[PLAN_TA_DISK] != NULL;
	return out->has_disk ? build_disk(b, &out->disk) : 0;
}

static int build_default(struct builder *b, struct plan *p)
{
	const struct plan_expr *x = b->ev->prog->default_target;
	const struct plan_val *v;
	const char *s;
	size_t len;
	char q[PLAN_QUOTE_SIZE];
	int rc;
	if ((rc = plan_eval_expr(b->ev, x, &v)) || (rc = plan_val_text(b->ev, v, x->pos, false, &s, &len)))
		return rc;
	for (size_t i = 0; i < p->n_targets; i++) {
		const struct plan_target *t = &p->targets[i];
		if (strcmp(t->name, s))
			continue;
		if (!plan_target_runs_on(t, p->arch))
			return plan_err(b->e, CB_EINVAL, x->pos, "default_target \"%s\" is only for %s, not for the guest arch %s",
					t->name, t->arch, p->arch);
		p->default_target = t->name;
		return 0;
	}
	return plan_err(b->e, CB_EINVAL, x->pos, "default_target %s names no target", plan_quote(s, len, q));
}

static int build(struct plan_eval *ev, struct plan_arena *outa, struct plan **out)
{
	struct builder b = { .ev = ev, .out = outa, .e = ev->e };
	struct plan_pos start = { 1, 1 };
	const struct plan_prog *pr = ev->prog;
	struct plan *p = plan_arena_alloc(outa, sizeof(*p));
	if (!p || !(p->targets = plan_arena_alloc(outa, pr->n_targets * sizeof(*p->targets))))
		return plan_err_alloc(ev->e, outa, start);
	int rc = keep(&b, ev->arch, strlen(ev->arch), start, &p->arch);
	p->n_targets = pr->n_targets;
	for (size_t t = 0; !rc && t < pr->n_targets; t++)
		rc = build_target(&b, t, &p->targets[t]);
	if (!rc)
		rc = build_default(&b, p);
	if (rc)
		return rc;
	p->arena = outa;
	*out = p;
	return 0;
}

int plan_load(const char *text, size_t len, const struct plan_env *env, struct plan **out, struct cb_err *e)
{
	if (out)
		*out = NULL;
	if (!out || !env || (!text && len))
		return cb_errf(e, CB_EINVAL, "plan: invalid arguments");
	if (!plan_arch_known(env->arch))
		return cb_errf(e, CB_EINVAL, "plan: guest arch \"%s\" is not one of %s", env->arch ? env->arch : "(none)",
			       plan_arch_list);
	if (len > PLAN_MAX_INPUT)
		return plan_err(e, CB_ELIMIT, (struct plan_pos){ 1, 1 }, "the plan is %zu bytes, more than the %u-byte limit",
				len, PLAN_MAX_INPUT);
	struct plan_arena *work = plan_arena_new(PLAN_MAX_WORK), *outa = plan_arena_new(PLAN_MAX_OUTPUT);
	struct plan_tok *toks = NULL;
	size_t n_toks, n_items;
	struct plan_item *items;
	struct plan_prog prog;
	struct plan_eval ev;
	int rc;
	if (!work || !outa)
		rc = cb_errf(e, CB_ENOMEM, "plan: out of memory");
	else if (!(rc = plan_lex(text, len, work, &toks, &n_toks, e)) &&
		 !(rc = plan_parse(toks, n_toks, work, &items, &n_items, e)) &&
		 !(rc = plan_check(items, n_items, work, &prog, e)) && !(rc = plan_eval_init(&ev, &prog, env, work, e)))
		rc = build(&ev, outa, out);
	free(toks);
	plan_arena_free(work);
	if (rc)
		plan_arena_free(outa);
	return rc;
}
