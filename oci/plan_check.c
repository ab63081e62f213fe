/* plan_check.c: the plan's static rules on the syntax tree: allowed blocks and attributes, duplicates, target
 * names, boot sources, disk keys, local./self. references, arch literals and reference cycles. No evaluation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"

#define NAME_MAX_LEN 64
#define ATTR_LIST "label, version, arch, cmdline, index, kernel, initrd, modpack, disk"
#define DISK_LIST "device, fs, dataset, kernel, initrd, luks-passphrase"

const char *const plan_tattr_names[PLAN_TA_COUNT] = {
	"label", "version", "arch", "cmdline", "index", "kernel", "initrd", "modpack", "disk",
};
const char *const plan_dkey_names[PLAN_DK_COUNT] = {
	"device", "fs", "dataset", "kernel", "initrd", "luks-passphrase",
};

int plan_disk_key(const char *name)
{
	if (!strcmp(name, "luks_passphrase"))
		return PLAN_DK_LUKS;
	for (int i = 0; i < PLAN_DK_COUNT; i++)
		if (!strcmp(name, plan_dkey_names[i]))
			return i;
	return -1;
}

static int tattr(const char *name)
{
	for (int i = 0; i < PLAN_TA_COUNT; i++)
		if (!strcmp(name, plan_tattr_names[i]))
			return i;
	return -1;
}

/* A node of the reference graph: locals first, then PLAN_TA_COUNT slots per target. */
struct gnode {
	size_t *to;
	struct plan_pos *at; /* where each reference is written */
	size_t n, cap, pcap;
	uint8_t color;  /* 0 new, 1 on the path, 2 done */
	size_t height;  /* done: nodes on the longest chain of references starting here */
};

struct checker {
	struct plan_arena *a;
	struct cb_err *e;
	struct plan_prog *prog;
	struct gnode *g;
	size_t cur_node;  /* node whose expression is being walked, SIZE_MAX for default_target */
	size_t cur_target; /* SIZE_MAX outside targets */
	size_t path[PLAN_MAX_CHAIN];
};

static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return true;
}

static int local_cmp(const void *a, const void *b)
{
	const struct plan_local *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	return (x->pos.col > y->pos.col) - (x->pos.col < y->pos.col);
}

static bool pos_before(struct plan_pos a, struct plan_pos b) { return a.line < b.line || (a.line == b.line && a.col < b.col); }

/* Sorts the locals; a name set twice is an error at its first repetition in source order. */
static int sort_locals(struct checker *c)
{
	struct plan_prog *pr = c->prog;
	if (pr->n_locals < 2)
		return 0;
	qsort(pr->locals, pr->n_locals, sizeof(*pr->locals), local_cmp);
	size_t bad = SIZE_MAX, first = 0;
	for (size_t i = 1; i < pr->n_locals; i++) {
		if (strcmp(pr->locals[i].name, pr->locals[i - 1].name))
			continue;
		if (bad == SIZE_MAX || pos_before(pr->locals[i].pos, pr->locals[bad].pos)) {
			bad = i;
			for (first = i - 1; first > 0 && !strcmp(pr->locals[first - 1].name, pr->locals[i].name); first--)
				;
		}
	}
	if (bad == SIZE_MAX)
		return 0;
	return plan_err(c->e, CB_EINVAL, pr->locals[bad].pos, "duplicate local %s (first set at line %u)",
			pr->locals[bad].name, (unsigned)pr->locals[first].pos.line);
}

static size_t find_local(const struct plan_prog *pr, const char *name)
{
	size_t lo = 0, hi = pr->n_locals;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(pr->locals[mid].name, name);
		if (!cmp)
			return mid;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

static int add_edge(struct checker *c, size_t to, struct plan_pos at)
{
	if (c->cur_node == SIZE_MAX)
		return 0;
	struct gnode *g = &c->g[c->cur_node];
	if (!plan_arena_grow(c->a, (void **)&g->to, &g->cap, sizeof(*g->to), g->n + 1) ||
	    !plan_arena_grow(c->a, (void **)&g->at, &g->pcap, sizeof(*g->at), g->n + 1))
		return plan_err_alloc(c->e, c->a, at);
	g->to[g->n] = to;
	g->at[g->n++] = at;
	return 0;
}

static bool is_arch_var(const struct plan_expr *x) { return x->kind == PX_VAR && x->scope == PS_ARCH; }

/* arch == "aarch64" can never be true: say so. */
static int check_arch_literal(struct checker *c, const struct plan_expr *x)
{
	const struct plan_expr *l = x->kids[0], *r = x->kids[1];
	const struct plan_expr *lit = is_arch_var(l) && r->kind == PX_STR ? r : is_arch_var(r) && l->kind == PX_STR ? l : NULL;
	if (!lit || plan_arch_known(lit->s))
		return 0;
	char q[PLAN_QUOTE_SIZE];
	return plan_err(c->e, CB_EINVAL, lit->pos, "arch is never %s: guest arches are %s",
			plan_quote(lit->s, lit->len, q), plan_arch_list);
}

/* Resolves the references in x and records them as graph edges. */
static int walk(struct checker *c, struct plan_expr *x)
{
	int rc;
	if (x->kind == PX_VAR && x->scope == PS_LOCAL) {
		x->ref = find_local(c->prog, x->s);
		if (x->ref == SIZE_MAX)
			return plan_err(c->e, CB_EINVAL, x->pos, "local.%s is not defined in any locals block", x->s);
		return add_edge(c, x->ref, x->pos);
	}
	if (x->kind == PX_VAR && x->scope == PS_SELF) {
		if (c->cur_target == SIZE_MAX)
			return plan_err(c->e, CB_EINVAL, x->pos, "self.%s outside a target block (self is the enclosing target)", x->s);
		const struct plan_tdef *t = &c->prog->targets[c->cur_target];
		int a = tattr(x->s);
		if (a < 0)
			return plan_err(c->e, CB_EINVAL, x->pos, "self.%s: %s is not a target attribute (allowed: %s)", x->s,
					x->s, ATTR_LIST);
		if (!t->attr[a])
			return plan_err(c->e, CB_EINVAL, x->pos, "self.%s: target \"%s\" does not set %s", x->s, t->name, x->s);
		x->ref = (size_t)a;
		return add_edge(c, c->prog->n_locals + c->cur_target * PLAN_TA_COUNT + (size_t)a, x->pos);
	}
	if ((x->kind == PX_EQ || x->kind == PX_NE) && (rc = check_arch_literal(c, x)))
		return rc;
	for (size_t i = 0; i < x->n; i++)
		if ((rc = walk(c, x->kids[i])))
			return rc;
	return 0;
}

static void node_name(const struct checker *c, size_t id, char *buf, size_t size)
{
	const struct plan_prog *pr = c->prog;
	if (id < pr->n_locals)
		snprintf(buf, size, "local.%s", pr->locals[id].name);
	else
		snprintf(buf, size, "self.%s", plan_tattr_names[(id - pr->n_locals) % PLAN_TA_COUNT]);
}

static struct plan_pos node_pos(const struct checker *c, size_t id)
{
	const struct plan_prog *pr = c->prog;
	if (id < pr->n_locals)
		return pr->locals[id].pos;
	id -= pr->n_locals;
	return pr->targets[id / PLAN_TA_COUNT].attr_pos[id % PLAN_TA_COUNT];
}

static int cycle_error(struct checker *c, size_t depth, size_t to)
{
	size_t start = 0;
	while (c->path[start] != to)
		start++;
	char msg[CB_ERR_MSG_MAX], name[96];
	size_t o = 0;
	msg[0] = 0;
	for (size_t i = start; i <= depth; i++) {
		node_name(c, c->path[i], name, sizeof(name));
		int k = snprintf(msg + o, sizeof(msg) - o, "%s -> ", name);
		if (k < 0 || (size_t)k >= sizeof(msg) - o)
			break;
		o += (size_t)k;
	}
	node_name(c, to, name, sizeof(name));
	if (o < sizeof(msg))
		snprintf(msg + o, sizeof(msg) - o, "%s", name);
	const char *where = "";
	char tbuf[96];
	if (to >= c->prog->n_locals) {
		snprintf(tbuf, sizeof(tbuf), " in target \"%s\"",
			 c->prog->targets[(to - c->prog->n_locals) / PLAN_TA_COUNT].name);
		where = tbuf;
	}
	return plan_err(c->e, CB_EINVAL, node_pos(c, to), "reference cycle%s: %s", where, msg);
}

static int chain_error(struct checker *c, size_t id)
{
	char name[96];
	node_name(c, id, name, sizeof(name));
	return plan_err(c->e, CB_ELIMIT, node_pos(c, id), "%s starts a chain of more than %u references", name,
			PLAN_MAX_CHAIN);
}

/* Depth-first search from id; path[0..depth] is the chain of references that led here. */
static int visit(struct checker *c, size_t id, size_t depth)
{
	struct gnode *g = &c->g[id];
	if (depth >= PLAN_MAX_CHAIN)
		return chain_error(c, c->path[0]); /* path[0..depth] plus id: too long already */
	c->path[depth] = id;
	g->color = 1;
	size_t height = 1;
	for (size_t i = 0; i < g->n; i++) {
		size_t to = g->to[i];
		int rc;
		if (c->g[to].color == 1)
			return cycle_error(c, depth, to);
		if (c->g[to].color == 0 && (rc = visit(c, to, depth + 1)))
			return rc;
		if (c->g[to].height + 1 > height)
			height = c->g[to].height + 1;
	}
	if (height > PLAN_MAX_CHAIN)
		return chain_error(c, id);
	g->color = 2;
	g->height = height;
	return 0;
}

static int add_local(struct checker *c, const struct plan_item *it, size_t *cap)
{
	struct plan_prog *pr = c->prog;
	if (!plan_arena_grow(c->a, (void **)&pr->locals, cap, sizeof(*pr->locals), pr->n_locals + 1))
		return plan_err_alloc(c->e, c->a, it->pos);
	pr->locals[pr->n_locals++] = (struct plan_local){ it->name, it->pos, it->value };
	return 0;
}

static int check_locals_block(struct checker *c, const struct plan_item *b, size_t *cap)
{
	if (b->n_labels)
		return plan_err(c->e, CB_EINVAL, b->label_pos[0], "locals takes no label: locals { name = value }");
	for (size_t i = 0; i < b->n_items; i++) {
		const struct plan_item *it = &b->items[i];
		if (it->is_block)
			return plan_err(c->e, CB_EINVAL, it->pos, "blocks are not allowed inside locals (found %s)", it->name);
		int rc = add_local(c, it, cap);
		if (rc)
			return rc;
	}
	return 0;
}

/* disk { ... } as the object expression disk = { ... } would give. */
static int disk_block_expr(struct checker *c, const struct plan_item *b, struct plan_expr **out)
{
	if (b->n_labels)
		return plan_err(c->e, CB_EINVAL, b->label_pos[0], "disk takes no label: disk { device = ... }");
	struct plan_expr *x = plan_arena_alloc(c->a, sizeof(*x));
	size_t n = b->n_items;
	if (!x || (n && (!(x->kids = plan_arena_alloc(c->a, n * sizeof(*x->kids))) ||
			 !(x->keys = plan_arena_alloc(c->a, n * sizeof(*x->keys))) ||
			 !(x->key_pos = plan_arena_alloc(c->a, n * sizeof(*x->key_pos))))))
		return plan_err_alloc(c->e, c->a, b->pos);
	x->kind = PX_OBJ;
	x->pos = b->body_pos;
	x->n = n;
	for (size_t i = 0; i < n; i++) {
		const struct plan_item *it = &b->items[i];
		if (it->is_block)
			return plan_err(c->e, CB_EINVAL, it->pos, "blocks are not allowed inside disk (found %s)", it->name);
		x->kids[i] = it->value;
		x->keys[i] = it->name;
		x->key_pos[i] = it->pos;
		if (it->value->depth + 1 > x->depth)
			x->depth = it->value->depth + 1;
	}
	*out = x;
	return 0;
}

static int check_target_block(struct checker *c, const struct plan_item *b, size_t *cap)
{
	struct plan_prog *pr = c->prog;
	char q[PLAN_QUOTE_SIZE];
	if (b->n_labels != 1)
		return plan_err(c->e, CB_EINVAL, b->pos, "target takes exactly one label: target \"name\" { ... }");
	const char *name = b->labels[0];
	if (!name_ok(name))
		return plan_err(c->e, CB_EINVAL, b->label_pos[0],
				"target name %s: use 1-%u characters of A-Z a-z 0-9 . _ -, starting with a letter or digit",
				plan_quote(name, strlen(name), q), NAME_MAX_LEN);
	for (size_t i = 0; i < pr->n_targets; i++)
		if (!strcmp(pr->targets[i].name, name))
			return plan_err(c->e, CB_EINVAL, b->label_pos[0], "duplicate target \"%s\" (first at line %u)", name,
					(unsigned)pr->targets[i].pos.line);
	if (pr->n_targets == PLAN_MAX_TARGETS)
		return plan_err(c->e, CB_ELIMIT, b->pos, "more than %u targets", PLAN_MAX_TARGETS);
	if (!plan_arena_grow(c->a, (void **)&pr->targets, cap, sizeof(*pr->targets), pr->n_targets + 1))
		return plan_err_alloc(c->e, c->a, b->pos);
	struct plan_tdef *t = &pr->targets[pr->n_targets++];
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->pos = b->pos;
	for (size_t i = 0; i < b->n_items; i++) {
		const struct plan_item *it = &b->items[i];
		int a = tattr(it->name), rc;
		struct plan_expr *v = it->value;
		if (it->is_block && a != PLAN_TA_DISK)
			return plan_err(c->e, CB_EINVAL, it->pos, "unknown block %s in target \"%s\" (the only block is disk)",
					it->name, name);
		if (a < 0)
			return plan_err(c->e, CB_EINVAL, it->pos, "unknown attribute %s in target \"%s\" (allowed: %s)",
					it->name, name, ATTR_LIST);
		if (t->attr[a])
			return plan_err(c->e, CB_EINVAL, it->pos, "duplicate attribute %s in target \"%s\" (first at line %u)",
					it->name, name, (unsigned)t->attr_pos[a].line);
		if (it->is_block && (rc = disk_block_expr(c, it, &v)))
			return rc;
		t->attr[a] = v;
		t->attr_pos[a] = it->pos;
	}
	return 0;
}

/* Keys of a literal disk object; other disk expressions are checked when evaluated. */
static int check_disk_literal(struct checker *c, const struct plan_tdef *t)
{
	const struct plan_expr *d = t->attr[PLAN_TA_DISK];
	if (d->kind != PX_OBJ)
		return 0;
	struct plan_pos seen[PLAN_DK_COUNT];
	bool have[PLAN_DK_COUNT] = { false };
	for (size_t i = 0; i < d->n; i++) {
		int k = plan_disk_key(d->keys[i]);
		char q[PLAN_QUOTE_SIZE];
		if (k < 0)
			return plan_err(c->e, CB_EINVAL, d->key_pos[i], "unknown key %s in the disk of target \"%s\" (allowed: %s)",
					plan_quote(d->keys[i], strlen(d->keys[i]), q), t->name, DISK_LIST);
		if (have[k])
			return plan_err(c->e, CB_EINVAL, d->key_pos[i], "duplicate key %s in disk (first at line %u)",
					d->keys[i], (unsigned)seen[k].line);
		have[k] = true;
		seen[k] = d->key_pos[i];
	}
	if (!have[PLAN_DK_DEVICE])
		return plan_err(c->e, CB_EINVAL, d->pos, "the disk of target \"%s\" has no device", t->name);
	return 0;
}

static int check_sources(struct checker *c, const struct plan_tdef *t)
{
	bool oci = t->attr[PLAN_TA_INDEX] || t->attr[PLAN_TA_KERNEL], disk = t->attr[PLAN_TA_DISK] != NULL;
	if (!oci && !disk)
		return plan_err(c->e, CB_EINVAL, t->pos,
				"target \"%s\" has nothing to boot: set index or kernel (OCI) or a disk", t->name);
	if (oci && disk)
		return plan_err(c->e, CB_EINVAL, t->attr_pos[PLAN_TA_DISK],
				"target \"%s\" has both an OCI source (%s) and a disk: keep one", t->name,
				t->attr[PLAN_TA_INDEX] ? "index" : "kernel");
	return disk ? check_disk_literal(c, t) : 0;
}

static int check_top(struct checker *c, const struct plan_item *items, size_t n_items)
{
	struct plan_prog *pr = c->prog;
	size_t lcap = 0, tcap = 0;
	struct plan_pos dt_pos = { 0, 0 };
	int rc;
	for (size_t i = 0; i < n_items; i++) {
		const struct plan_item *it = &items[i];
		if (!it->is_block) {
			if (strcmp(it->name, "default_target"))
				return plan_err(c->e, CB_EINVAL, it->pos,
						"unknown top-level attribute %s (allowed: default_target; blocks: locals, target)",
						it->name);
			if (pr->default_target)
				return plan_err(c->e, CB_EINVAL, it->pos, "duplicate attribute default_target (first at line %u)",
						(unsigned)dt_pos.line);
			pr->default_target = it->value;
			dt_pos = it->pos;
		} else if (!strcmp(it->name, "locals")) {
			if ((rc = check_locals_block(c, it, &lcap)))
				return rc;
		} else if (!strcmp(it->name, "target")) {
			if ((rc = check_target_block(c, it, &tcap)))
				return rc;
		} else {
			return plan_err(c->e, CB_EINVAL, it->pos, "unknown block type %s (allowed: locals, target)", it->name);
		}
	}
	struct plan_pos start = { 1, 1 };
	if (!pr->default_target)
		return plan_err(c->e, CB_EINVAL, start, "default_target is not set (it names the target booted by default)");
	if (!pr->n_targets)
		return plan_err(c->e, CB_EINVAL, start, "the plan has no target block");
	for (size_t i = 0; i < pr->n_targets; i++)
		if ((rc = check_sources(c, &pr->targets[i])))
			return rc;
	return 0;
}

int plan_check(const struct plan_item *items, size_t n_items, struct plan_arena *a, struct plan_prog *out,
	       struct cb_err *e)
{
	memset(out, 0, sizeof(*out));
	struct checker c = { .a = a, .e = e, .prog = out, .cur_node = SIZE_MAX, .cur_target = SIZE_MAX };
	int rc = check_top(&c, items, n_items);
	if (!rc)
		rc = sort_locals(&c);
	if (rc)
		return rc;
	size_t n_nodes = out->n_locals + out->n_targets * PLAN_TA_COUNT;
	c.g = plan_arena_alloc(a, n_nodes * sizeof(*c.g));
	if (!c.g)
		return plan_err_alloc(e, a, (struct plan_pos){ 1, 1 });
	/* Walk in source order so the first wrong reference is the one reported. */
	if ((rc = walk(&c, (struct plan_expr *)out->default_target)))
		return rc;
	const struct plan_item *order = items;
	for (size_t i = 0; i < n_items; i++) {
		if (!order[i].is_block || strcmp(order[i].name, "locals"))
			continue;
		for (size_t j = 0; j < order[i].n_items; j++) {
			c.cur_node = find_local(out, order[i].items[j].name);
			if ((rc = walk(&c, order[i].items[j].value)))
				return rc;
		}
	}
	for (size_t t = 0; t < out->n_targets; t++) {
		const struct plan_tdef *td = &out->targets[t];
		bool done[PLAN_TA_COUNT] = { false };
		c.cur_target = t;
		for (;;) {
			size_t k = PLAN_TA_COUNT;
			for (size_t j = 0; j < PLAN_TA_COUNT; j++)
				if (td->attr[j] && !done[j] && (k == PLAN_TA_COUNT || pos_before(td->attr_pos[j], td->attr_pos[k])))
					k = j;
			if (k == PLAN_TA_COUNT)
				break;
			done[k] = true;
			c.cur_node = out->n_locals + t * PLAN_TA_COUNT + k;
			if ((rc = walk(&c, (struct plan_expr *)td->attr[k])))
				return rc;
		}
	}
	for (size_t i = 0; i < n_nodes; i++)
		if (!c.g[i].color && (rc = visit(&c, i, 0)))
			return rc;
	return 0;
}
