/* plan_eval.c: values and expression evaluation over a checked plan: arch, local.*, self.*, meta.* (read from
 * the metadata JSON on demand), templates, ==, !=, ? :, lookup(). It does not decide what a target means. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cb_checked.h"
#include "json.h"
#include "plan_internal.h"

#define EVAL_DEPTH_MAX 256u /* native recursion through expressions, references and nested values */

enum { ST_NEW, ST_BUSY, ST_DONE };

static const struct plan_val null_val = { .kind = PV_NULL };
static const struct plan_val true_val = { .kind = PV_BOOL, .b = true };
static const struct plan_val false_val = { .kind = PV_BOOL, .b = false };

const char *plan_vkind_name(enum plan_vkind k)
{
	switch (k) {
	case PV_NULL: return "null";
	case PV_BOOL: return "a bool";
	case PV_NUM: return "a number";
	case PV_STR: return "a string";
	case PV_LIST: return "a list";
	case PV_MAP: return "an object";
	}
	return "?";
}

int plan_eval_init(struct plan_eval *ev, const struct plan_prog *prog, const struct plan_env *env,
		   struct plan_arena *a, struct cb_err *e)
{
	memset(ev, 0, sizeof(*ev));
	ev->prog = prog;
	ev->arch = env->arch;
	ev->meta = env->meta;
	ev->a = a;
	ev->e = e;
	ev->target = SIZE_MAX;
	size_t n_self = prog->n_targets * PLAN_TA_COUNT, nl = prog->n_locals;
	ev->local_val = plan_arena_alloc(a, (nl ? nl : 1) * sizeof(*ev->local_val));
	ev->local_state = plan_arena_alloc(a, nl ? nl : 1);
	ev->self_val = plan_arena_alloc(a, (n_self ? n_self : 1) * sizeof(*ev->self_val));
	ev->self_state = plan_arena_alloc(a, n_self ? n_self : 1);
	if (!ev->local_val || !ev->local_state || !ev->self_val || !ev->self_state)
		return plan_err_alloc(e, a, (struct plan_pos){ 1, 1 });
	return 0;
}

static int step(struct plan_eval *ev, struct plan_pos pos)
{
	if (++ev->steps > PLAN_MAX_STEPS)
		return plan_err(ev->e, CB_ELIMIT, pos, "evaluation takes more than %u steps", PLAN_MAX_STEPS);
	return 0;
}

static int enter(struct plan_eval *ev, struct plan_pos pos)
{
	if (ev->depth >= EVAL_DEPTH_MAX)
		return plan_err(ev->e, CB_ELIMIT, pos, "evaluation nested deeper than %u levels", EVAL_DEPTH_MAX);
	ev->depth++;
	return step(ev, pos);
}

static struct plan_val *new_val(struct plan_eval *ev, enum plan_vkind kind)
{
	struct plan_val *v = plan_arena_alloc(ev->a, sizeof(*v));
	if (v)
		v->kind = kind;
	return v;
}

static int str_val(struct plan_eval *ev, enum plan_vkind kind, const char *s, size_t len, struct plan_pos pos,
		   const struct plan_val **out)
{
	struct plan_val *v = new_val(ev, kind);
	if (!v)
		return plan_err_alloc(ev->e, ev->a, pos);
	v->s = s;
	v->len = len;
	*out = v;
	return 0;
}

/* A metadata JSON value as a plan value: scalars copied out, arrays and objects read in place. */
static int from_json(struct plan_eval *ev, const struct json_value *j, struct plan_pos pos, const struct plan_val **out)
{
	int rc = step(ev, pos);
	if (rc)
		return rc;
	switch (json_type(j)) {
	case JSON_NULL: *out = &null_val; return 0;
	case JSON_BOOL: {
		bool b = false;
		json_bool(j, &b);
		*out = b ? &true_val : &false_val;
		return 0;
	}
	case JSON_NUMBER: {
		int64_t i;
		const char *text;
		if (json_int64(j, &i)) {
			char buf[24];
			int n = snprintf(buf, sizeof(buf), "%" PRId64, i);
			char *s = plan_arena_strndup(ev->a, buf, (size_t)n);
			if (!s)
				return plan_err_alloc(ev->e, ev->a, pos);
			return str_val(ev, PV_NUM, s, (size_t)n, pos, out);
		}
		text = json_number_text(j);
		if (!text)
			text = "0";
		size_t n = strlen(text);
		if (strchr(text, '.') && !strchr(text, 'e') && !strchr(text, 'E')) { /* 6.60 is 6.6, as in plan text */
			while (text[n - 1] == '0')
				n--;
			if (text[n - 1] == '.')
				n--;
			if (n == 2 && !memcmp(text, "-0", 2)) {
				text = "0";
				n = 1;
			}
		}
		char *copy = plan_arena_strndup(ev->a, text, n);
		if (!copy)
			return plan_err_alloc(ev->e, ev->a, pos);
		return str_val(ev, PV_NUM, copy, n, pos, out);
	}
	case JSON_STRING: {
		size_t len = 0;
		const char *s = json_str(j, &len);
		if (len > PLAN_MAX_STRING)
			return plan_err(ev->e, CB_ELIMIT, pos, "a metadata string is longer than %u bytes", PLAN_MAX_STRING);
		return str_val(ev, PV_STR, s, len, pos, out);
	}
	case JSON_ARRAY:
	case JSON_OBJECT: {
		struct plan_val *v = new_val(ev, json_type(j) == JSON_ARRAY ? PV_LIST : PV_MAP);
		if (!v)
			return plan_err_alloc(ev->e, ev->a, pos);
		v->j = j;
		*out = v;
		return 0;
	}
	}
	*out = &null_val;
	return 0;
}

size_t plan_val_count(const struct plan_val *v) { return v->j ? json_count(v->j) : v->n; }

const char *plan_val_key_at(const struct plan_val *v, size_t i) { return v->j ? json_key_at(v->j, i) : v->keys[i]; }

int plan_val_at(struct plan_eval *ev, const struct plan_val *v, size_t i, struct plan_pos pos,
		const struct plan_val **out)
{
	if (v->j)
		return from_json(ev, json_at(v->j, i), pos, out);
	*out = v->items[i];
	return 0;
}

/* Member key of map m; *out NULL when absent. */
static int map_get(struct plan_eval *ev, const struct plan_val *m, const char *key, struct plan_pos pos,
		   const struct plan_val **out)
{
	*out = NULL;
	if (m->j) {
		size_t cost = json_count(m->j); /* charged as if json_get compared every key */
		if (cost > PLAN_MAX_STEPS - ev->steps)
			return plan_err(ev->e, CB_ELIMIT, pos, "evaluation takes more than %u steps", PLAN_MAX_STEPS);
		ev->steps += cost;
		const struct json_value *j = json_get(m->j, key);
		return j ? from_json(ev, j, pos, out) : 0;
	}
	for (size_t i = 0; i < m->n; i++) {
		int rc = step(ev, pos);
		if (rc)
			return rc;
		if (!strcmp(m->keys[i], key)) {
			*out = m->items[i];
			return 0;
		}
	}
	return 0;
}

static int equal(struct plan_eval *ev, const struct plan_val *a, const struct plan_val *b, struct plan_pos pos,
		 bool *eq)
{
	int rc = enter(ev, pos);
	if (rc)
		return rc;
	if (a->kind == PV_NULL || b->kind == PV_NULL) {
		*eq = a->kind == b->kind;
	} else if (a->kind != b->kind) {
		rc = plan_err(ev->e, CB_EINVAL, pos, "cannot compare %s with %s", plan_vkind_name(a->kind),
			      plan_vkind_name(b->kind));
	} else if (a->kind == PV_BOOL) {
		*eq = a->b == b->b;
	} else if (a->kind == PV_STR || a->kind == PV_NUM) {
		*eq = a->len == b->len && !memcmp(a->s, b->s, a->len);
	} else {
		size_t n = plan_val_count(a);
		*eq = n == plan_val_count(b);
		for (size_t i = 0; !rc && *eq && i < n; i++) {
			const struct plan_val *x, *y;
			if (a->kind == PV_LIST) {
				if (!(rc = plan_val_at(ev, a, i, pos, &x)) && !(rc = plan_val_at(ev, b, i, pos, &y)))
					rc = equal(ev, x, y, pos, eq);
			} else {
				if (!(rc = plan_val_at(ev, a, i, pos, &x)) &&
				    !(rc = map_get(ev, b, plan_val_key_at(a, i), pos, &y))) {
					if (!y)
						*eq = false;
					else
						rc = equal(ev, x, y, pos, eq);
				}
			}
		}
	}
	ev->depth--;
	return rc;
}

static int scalar_text(struct plan_eval *ev, const struct plan_val *v, struct plan_pos pos, const char *what,
		       const char **s, size_t *len)
{
	switch (v->kind) {
	case PV_STR:
	case PV_NUM:
		if (v->len > PLAN_MAX_STRING)
			return plan_err(ev->e, CB_ELIMIT, pos, "%s is longer than %u bytes", what, PLAN_MAX_STRING);
		*s = v->s;
		*len = v->len;
		return 0;
	case PV_BOOL:
		*s = v->b ? "true" : "false";
		*len = strlen(*s);
		return 0;
	case PV_NULL:
		return plan_err(ev->e, CB_EINVAL, pos, "%s is null (a meta.* path missing from the metadata?)", what);
	default:
		return plan_err(ev->e, CB_EINVAL, pos, "%s is %s, not a string", what, plan_vkind_name(v->kind));
	}
}

int plan_val_text(struct plan_eval *ev, const struct plan_val *v, struct plan_pos pos, bool join,
		  const char **s, size_t *len)
{
	if (v->kind != PV_LIST || !join)
		return scalar_text(ev, v, pos, "the value", s, len);
	size_t n = plan_val_count(v), total = 0;
	const char **parts = plan_arena_alloc(ev->a, (n ? n : 1) * sizeof(*parts));
	size_t *lens = plan_arena_alloc(ev->a, (n ? n : 1) * sizeof(*lens));
	if (!parts || !lens)
		return plan_err_alloc(ev->e, ev->a, pos);
	for (size_t i = 0; i < n; i++) {
		const struct plan_val *x;
		int rc;
		if ((rc = step(ev, pos)) || (rc = plan_val_at(ev, v, i, pos, &x)) ||
		    (rc = scalar_text(ev, x, pos, "a list element", &parts[i], &lens[i])))
			return rc;
		if (!cb_add_ok(total, lens[i] + (i > 0), &total) || total > PLAN_MAX_STRING)
			return plan_err(ev->e, CB_ELIMIT, pos, "the joined list is longer than %u bytes", PLAN_MAX_STRING);
	}
	char *out = plan_arena_alloc(ev->a, total + 1);
	if (!out)
		return plan_err_alloc(ev->e, ev->a, pos);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			out[o++] = ' ';
		memcpy(out + o, parts[i], lens[i]);
		o += lens[i];
	}
	*s = out;
	*len = total;
	return 0;
}

static int eval_template(struct plan_eval *ev, const struct plan_expr *x, const struct plan_val **out)
{
	if (x->n == 1)
		return plan_eval_expr(ev, x->kids[0], out); /* "${v}" is v itself, as in HCL */
	const char **parts = plan_arena_alloc(ev->a, x->n * sizeof(*parts));
	size_t *lens = plan_arena_alloc(ev->a, x->n * sizeof(*lens)), total = 0;
	if (!parts || !lens)
		return plan_err_alloc(ev->e, ev->a, x->pos);
	for (size_t i = 0; i < x->n; i++) {
		const struct plan_val *v;
		int rc;
		if ((rc = plan_eval_expr(ev, x->kids[i], &v)) ||
		    (rc = scalar_text(ev, v, x->kids[i]->pos, "the interpolated value", &parts[i], &lens[i])))
			return rc;
		if (!cb_add_ok(total, lens[i], &total) || total > PLAN_MAX_STRING)
			return plan_err(ev->e, CB_ELIMIT, x->pos, "the string is longer than %u bytes after interpolation",
					PLAN_MAX_STRING);
	}
	char *s = plan_arena_alloc(ev->a, total + 1);
	if (!s)
		return plan_err_alloc(ev->e, ev->a, x->pos);
	for (size_t i = 0, o = 0; i < x->n; o += lens[i], i++)
		memcpy(s + o, parts[i], lens[i]);
	return str_val(ev, PV_STR, s, total, x->pos, out);
}

static int eval_list(struct plan_eval *ev, const struct plan_expr *x, const struct plan_val **out)
{
	struct plan_val *v = new_val(ev, x->kind == PX_LIST ? PV_LIST : PV_MAP);
	if (!v || (x->n && !(v->items = plan_arena_alloc(ev->a, x->n * sizeof(*v->items)))))
		return plan_err_alloc(ev->e, ev->a, x->pos);
	for (size_t i = 0; i < x->n; i++) {
		int rc = plan_eval_expr(ev, x->kids[i], &v->items[i]);
		if (rc)
			return rc;
	}
	v->keys = x->keys;
	v->n = x->n;
	*out = v;
	return 0;
}

static int eval_local(struct plan_eval *ev, size_t i, struct plan_pos pos, const struct plan_val **out)
{
	const struct plan_local *l = &ev->prog->locals[i];
	if (ev->local_state[i] == ST_DONE) {
		*out = ev->local_val[i];
		return 0;
	}
	if (ev->local_state[i] == ST_BUSY)
		return plan_err(ev->e, CB_EINVAL, pos, "local.%s refers to itself", l->name);
	ev->local_state[i] = ST_BUSY;
	size_t saved = ev->target;
	ev->target = SIZE_MAX;
	int rc = plan_eval_expr(ev, l->value, out);
	ev->target = saved;
	if (rc)
		return rc;
	ev->local_val[i] = *out;
	ev->local_state[i] = ST_DONE;
	return 0;
}

int plan_eval_attr(struct plan_eval *ev, size_t t, enum plan_tattr attr, const struct plan_val **out)
{
	const struct plan_tdef *td = &ev->prog->targets[t];
	size_t k = t * PLAN_TA_COUNT + attr;
	if (ev->self_state[k] == ST_DONE) {
		*out = ev->self_val[k];
		return 0;
	}
	if (ev->self_state[k] == ST_BUSY)
		return plan_err(ev->e, CB_EINVAL, td->attr_pos[attr], "self.%s refers to itself", plan_tattr_names[attr]);
	ev->self_state[k] = ST_BUSY;
	size_t saved = ev->target;
	ev->target = t;
	int rc = plan_eval_expr(ev, td->attr[attr], out);
	ev->target = saved;
	if (rc)
		return rc;
	ev->self_val[k] = *out;
	ev->self_state[k] = ST_DONE;
	return 0;
}

static int eval_var(struct plan_eval *ev, const struct plan_expr *x, const struct plan_val **out)
{
	switch (x->scope) {
	case PS_ARCH: return str_val(ev, PV_STR, ev->arch, strlen(ev->arch), x->pos, out);
	case PS_LOCAL: return eval_local(ev, x->ref, x->pos, out);
	case PS_SELF: return plan_eval_attr(ev, ev->target, (enum plan_tattr)x->ref, out);
	case PS_META:
		if (!ev->meta) {
			*out = &null_val;
			return 0;
		}
		return from_json(ev, ev->meta, x->pos, out);
	}
	return plan_err(ev->e, CB_EINVAL, x->pos, "unknown scope");
}

/* obj.key: null for a key missing from the metadata (or anything read through null). */
static int eval_attr(struct plan_eval *ev, const struct plan_expr *x, const struct plan_val **out)
{
	const struct plan_val *o;
	int rc = plan_eval_expr(ev, x->kids[0], &o);
	if (rc)
		return rc;
	if (o->kind == PV_NULL) {
		*out = &null_val;
		return 0;
	}
	if (o->kind != PV_MAP)
		return plan_err(ev->e, CB_EINVAL, x->pos, "cannot read .%s of %s", x->s, plan_vkind_name(o->kind));
	if ((rc = map_get(ev, o, x->s, x->pos, out)))
		return rc;
	if (*out)
		return 0;
	if (!o->j)
		return plan_err(ev->e, CB_EINVAL, x->pos, "the object has no key %s", x->s);
	*out = &null_val;
	return 0;
}

static int eval_lookup(struct plan_eval *ev, const struct plan_expr *x, const struct plan_val **out)
{
	const struct plan_val *m, *k;
	int rc = plan_eval_expr(ev, x->kids[0], &m);
	if (rc)
		return rc;
	if (m->kind == PV_NULL)
		return plan_eval_expr(ev, x->kids[2], out);
	if (m->kind != PV_MAP)
		return plan_err(ev->e, CB_EINVAL, x->kids[0]->pos, "lookup needs an object as its first argument, not %s",
				plan_vkind_name(m->kind));
	if ((rc = plan_eval_expr(ev, x->kids[1], &k)))
		return rc;
	if (k->kind != PV_STR && k->kind != PV_NUM)
		return plan_err(ev->e, CB_EINVAL, x->kids[1]->pos, "lookup needs a string key, not %s",
				plan_vkind_name(k->kind));
	if ((rc = map_get(ev, m, k->s, x->pos, out))) /* plan and JSON strings never hold a NUL */
		return rc;
	if (*out)
		return 0;
	return plan_eval_expr(ev, x->kids[2], out);
}

int plan_eval_expr(struct plan_eval *ev, const struct plan_expr *x, const struct plan_val **out)
{
	int rc = enter(ev, x->pos);
	if (rc)
		return rc;
	bool eq = false;
	const struct plan_val *a, *b;
	switch (x->kind) {
	case PX_STR: rc = str_val(ev, PV_STR, x->s, x->len, x->pos, out); break;
	case PX_NUM: rc = str_val(ev, PV_NUM, x->s, x->len, x->pos, out); break;
	case PX_BOOL: *out = x->b ? &true_val : &false_val; break;
	case PX_NULL: *out = &null_val; break;
	case PX_TMPL: rc = eval_template(ev, x, out); break;
	case PX_LIST:
	case PX_OBJ: rc = eval_list(ev, x, out); break;
	case PX_VAR: rc = eval_var(ev, x, out); break;
	case PX_ATTR: rc = eval_attr(ev, x, out); break;
	case PX_EQ:
	case PX_NE:
		if (!(rc = plan_eval_expr(ev, x->kids[0], &a)) && !(rc = plan_eval_expr(ev, x->kids[1], &b)) &&
		    !(rc = equal(ev, a, b, x->pos, &eq)))
			*out = eq == (x->kind == PX_EQ) ? &true_val : &false_val;
		break;
	case PX_COND:
		if ((rc = plan_eval_expr(ev, x->kids[0], &a)))
			break;
		if (a->kind != PV_BOOL) {
			rc = plan_err(ev->e, CB_EINVAL, x->kids[0]->pos, "the condition before ? is %s, not a bool",
				      plan_vkind_name(a->kind));
			break;
		}
		rc = plan_eval_expr(ev, x->kids[a->b ? 1 : 2], out);
		break;
	case PX_LOOKUP: rc = eval_lookup(ev, x, out); break;
	}
	ev->depth--;
	return rc;
}
