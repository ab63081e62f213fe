/* plan_parse.c: tokens to a syntax tree: bodies of attributes and blocks, and expressions (templates, lists,
 * objects, references, ==, !=, ? :, lookup()). Which names are allowed where is plan_check.c's job. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"

struct parser {
	const struct plan_tok *t;
	size_t n, i;
	struct plan_arena *a;
	struct cb_err *e;
	unsigned depth; /* parse_expr / block recursion */
};

static const struct plan_tok *peek(const struct parser *p) { return &p->t[p->i]; }
static const struct plan_tok *peek2(const struct parser *p) { return &p->t[p->i + 1 < p->n ? p->i + 1 : p->i]; }
static const struct plan_tok *next(struct parser *p)
{
	const struct plan_tok *t = &p->t[p->i];
	if (t->kind != PT_EOF)
		p->i++;
	return t;
}

/* "identifier foo", "'{'", "end of the plan" ... for messages. */
static const char *describe(const struct plan_tok *t, char *buf, size_t size)
{
	char q[PLAN_QUOTE_SIZE];
	switch (t->kind) {
	case PT_EOF: return "the end of the plan";
	case PT_IDENT: snprintf(buf, size, "name %s", t->text); return buf;
	case PT_NUMBER: snprintf(buf, size, "number %s", t->text); return buf;
	case PT_OQUOTE: return "a string";
	case PT_LIT: snprintf(buf, size, "text %s", plan_quote(t->text, t->len, q)); return buf;
	case PT_INTERP: return "'${'";
	case PT_INTERP_END: return "'}'";
	case PT_CQUOTE: return "'\"'";
	case PT_LBRACE: return "'{'";
	case PT_RBRACE: return "'}'";
	case PT_LBRACK: return "'['";
	case PT_RBRACK: return "']'";
	case PT_LPAREN: return "'('";
	case PT_RPAREN: return "')'";
	case PT_COMMA: return "','";
	case PT_DOT: return "'.'";
	case PT_ASSIGN: return "'='";
	case PT_EQ: return "'=='";
	case PT_NE: return "'!='";
	case PT_QUESTION: return "'?'";
	case PT_COLON: return "':'";
	case PT_BADOP: snprintf(buf, size, "operator %s", t->text); return buf;
	}
	return "?";
}

static int unexpected(struct parser *p, const struct plan_tok *t, const char *wanted)
{
	char buf[96];
	return plan_err(p->e, CB_EINVAL, t->pos, "expected %s, found %s", wanted, describe(t, buf, sizeof(buf)));
}

static int bad_op(struct parser *p, const struct plan_tok *t)
{
	return plan_err(p->e, CB_EUNSUP, t->pos, "operator %s is not supported (only ==, !=, ? : and lookup())", t->text);
}

static int enter(struct parser *p, struct plan_pos pos)
{
	if (++p->depth > PLAN_MAX_DEPTH)
		return plan_err(p->e, CB_ELIMIT, pos, "nesting deeper than %u levels", PLAN_MAX_DEPTH);
	return 0;
}

static struct plan_expr *node(struct parser *p, enum plan_ex_kind kind, struct plan_pos pos)
{
	struct plan_expr *x = plan_arena_alloc(p->a, sizeof(*x));
	if (x) {
		x->kind = kind;
		x->pos = pos;
		x->depth = 1;
	}
	return x;
}

/* Sets the kids of x from a scratch array, checking the tree depth. */
static int set_kids(struct parser *p, struct plan_expr *x, struct plan_expr **kids, size_t n)
{
	x->kids = n ? plan_arena_alloc(p->a, n * sizeof(*kids)) : NULL;
	if (n && !x->kids)
		return plan_err_alloc(p->e, p->a, x->pos);
	for (size_t i = 0; i < n; i++) {
		x->kids[i] = kids[i];
		if (kids[i]->depth + 1 > x->depth)
			x->depth = kids[i]->depth + 1;
	}
	x->n = n;
	if (x->depth > PLAN_MAX_DEPTH)
		return plan_err(p->e, CB_ELIMIT, x->pos, "nesting deeper than %u levels", PLAN_MAX_DEPTH);
	return 0;
}

static int parse_expr(struct parser *p, struct plan_expr **out);

/* Appends x to a scratch vector in the arena. */
static int push_kid(struct parser *p, struct plan_expr ***v, size_t *n, size_t *cap, struct plan_expr *x)
{
	if (!plan_arena_grow(p->a, (void **)v, cap, sizeof(**v), *n + 1))
		return plan_err_alloc(p->e, p->a, x->pos);
	(*v)[(*n)++] = x;
	return 0;
}

/* After '"': literal parts and ${...} up to the closing quote. */
static int parse_template(struct parser *p, struct plan_pos pos, struct plan_expr **out)
{
	struct plan_expr **parts = NULL, *x;
	size_t n = 0, cap = 0;
	int rc;
	for (;;) {
		const struct plan_tok *t = next(p);
		if (t->kind == PT_CQUOTE)
			break;
		if (t->kind == PT_LIT) {
			if (!(x = node(p, PX_STR, t->pos)))
				return plan_err_alloc(p->e, p->a, t->pos);
			x->s = t->text;
			x->len = t->len;
		} else if (t->kind == PT_INTERP) {
			if ((rc = parse_expr(p, &x)))
				return rc;
			if (peek(p)->kind != PT_INTERP_END)
				return unexpected(p, peek(p), "'}' to close the ${ interpolation");
			next(p);
		} else {
			return unexpected(p, t, "the end of the string");
		}
		if ((rc = push_kid(p, &parts, &n, &cap, x)))
			return rc;
	}
	if (n == 1 && parts[0]->kind == PX_STR) {
		*out = parts[0];
		(*out)->pos = pos; /* a plain string is where its quote is */
		return 0;
	}
	if (n == 0) {
		if (!(*out = node(p, PX_STR, pos)))
			return plan_err_alloc(p->e, p->a, pos);
		(*out)->s = "";
		return 0;
	}
	if (!(*out = node(p, PX_TMPL, pos)))
		return plan_err_alloc(p->e, p->a, pos);
	return set_kids(p, *out, parts, n);
}

/* A string without ${...} (block labels, object keys): its text, or an error. */
static int plain_string(struct parser *p, const char *what, const char **s, size_t *len)
{
	const struct plan_tok *q = next(p);
	*s = "";
	*len = 0;
	if (peek(p)->kind == PT_LIT) {
		*s = peek(p)->text;
		*len = peek(p)->len;
		next(p);
	}
	if (peek(p)->kind == PT_INTERP)
		return plan_err(p->e, CB_EINVAL, q->pos, "%s must be a plain string, without ${...}", what);
	next(p); /* the lexer guarantees the closing quote */
	return 0;
}

static int parse_list(struct parser *p, struct plan_pos pos, struct plan_expr **out)
{
	struct plan_expr **items = NULL, *x;
	size_t n = 0, cap = 0;
	int rc;
	if (peek(p)->kind == PT_IDENT && strcmp(peek(p)->text, "for") == 0 && peek2(p)->kind == PT_IDENT)
		return plan_err(p->e, CB_EUNSUP, peek(p)->pos, "for expressions are not supported");
	while (peek(p)->kind != PT_RBRACK) {
		if ((rc = parse_expr(p, &x)) || (rc = push_kid(p, &items, &n, &cap, x)))
			return rc;
		if (peek(p)->kind == PT_COMMA)
			next(p);
		else if (peek(p)->kind != PT_RBRACK)
			return unexpected(p, peek(p), "',' or ']' in the list");
	}
	next(p);
	if (!(*out = node(p, PX_LIST, pos)))
		return plan_err_alloc(p->e, p->a, pos);
	return set_kids(p, *out, items, n);
}

struct okey {
	const char *key;
	struct plan_pos pos;
	size_t idx;
};

static int okey_cmp(const void *a, const void *b)
{
	const struct okey *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Duplicate keys: the first repeated one in source order is the error. */
static int check_dup_keys(struct parser *p, const struct plan_expr *o)
{
	if (o->n < 2)
		return 0;
	struct okey *k = malloc(o->n * sizeof(*k));
	if (!k)
		return plan_err(p->e, CB_ENOMEM, o->pos, "out of memory");
	for (size_t i = 0; i < o->n; i++)
		k[i] = (struct okey){ o->keys[i], o->key_pos[i], i };
	qsort(k, o->n, sizeof(*k), okey_cmp);
	size_t bad = SIZE_MAX, first = 0;
	for (size_t i = 1; i < o->n; i++)
		if (strcmp(k[i].key, k[i - 1].key) == 0 && (bad == SIZE_MAX || k[i].idx < k[bad].idx)) {
			bad = i;
			for (first = i - 1; first > 0 && strcmp(k[first - 1].key, k[i].key) == 0; first--)
				;
		}
	int rc = 0;
	if (bad != SIZE_MAX) {
		char q[PLAN_QUOTE_SIZE];
		rc = plan_err(p->e, CB_EINVAL, k[bad].pos, "duplicate key %s in object (first at line %u)",
			      plan_quote(k[bad].key, strlen(k[bad].key), q), (unsigned)k[first].pos.line);
	}
	free(k);
	return rc;
}

static int parse_object(struct parser *p, struct plan_pos pos, struct plan_expr **out)
{
	struct plan_expr **vals = NULL, *x;
	const char **keys = NULL;
	struct plan_pos *kpos = NULL;
	size_t n = 0, cap = 0, kcap = 0, pcap = 0;
	int rc;
	if (peek(p)->kind == PT_IDENT && strcmp(peek(p)->text, "for") == 0 && peek2(p)->kind == PT_IDENT)
		return plan_err(p->e, CB_EUNSUP, peek(p)->pos, "for expressions are not supported");
	while (peek(p)->kind != PT_RBRACE) {
		const struct plan_tok *t = peek(p);
		const char *key;
		size_t klen;
		if (t->kind == PT_IDENT) {
			key = t->text;
			next(p);
		} else if (t->kind == PT_OQUOTE) {
			if ((rc = plain_string(p, "an object key", &key, &klen)))
				return rc;
		} else {
			return unexpected(p, t, "an object key (a name or a plain string) or '}'");
		}
		if (peek(p)->kind != PT_ASSIGN && peek(p)->kind != PT_COLON)
			return unexpected(p, peek(p), "'=' or ':' after the object key");
		next(p);
		if ((rc = parse_expr(p, &x)) || (rc = push_kid(p, &vals, &n, &cap, x)))
			return rc;
		if (!plan_arena_grow(p->a, (void **)&keys, &kcap, sizeof(*keys), n) ||
		    !plan_arena_grow(p->a, (void **)&kpos, &pcap, sizeof(*kpos), n))
			return plan_err_alloc(p->e, p->a, t->pos);
		keys[n - 1] = key;
		kpos[n - 1] = t->pos;
		if (peek(p)->kind == PT_COMMA)
			next(p);
	}
	next(p);
	if (!(*out = node(p, PX_OBJ, pos)))
		return plan_err_alloc(p->e, p->a, pos);
	(*out)->keys = keys;
	(*out)->key_pos = kpos;
	if ((rc = set_kids(p, *out, vals, n)))
		return rc;
	return check_dup_keys(p, *out);
}

static int parse_call(struct parser *p, const struct plan_tok *name, struct plan_expr **out)
{
	struct plan_expr **args = NULL, *x;
	size_t n = 0, cap = 0;
	int rc;
	if (strcmp(name->text, "lookup") != 0)
		return plan_err(p->e, CB_EINVAL, name->pos, "unknown function %s (the only function is lookup)", name->text);
	next(p);
	while (peek(p)->kind != PT_RPAREN) {
		if ((rc = parse_expr(p, &x)) || (rc = push_kid(p, &args, &n, &cap, x)))
			return rc;
		if (peek(p)->kind == PT_COMMA)
			next(p);
		else if (peek(p)->kind != PT_RPAREN)
			return unexpected(p, peek(p), "',' or ')' in the arguments of lookup");
	}
	next(p);
	if (n != 3)
		return plan_err(p->e, CB_EINVAL, name->pos, "lookup takes 3 arguments (map, key, default), got %zu", n);
	if (!(*out = node(p, PX_LOOKUP, name->pos)))
		return plan_err_alloc(p->e, p->a, name->pos);
	return set_kids(p, *out, args, n);
}

static int parse_ident(struct parser *p, struct plan_expr **out)
{
	const struct plan_tok *t = next(p);
	const char *s = t->text;
	struct plan_expr *x;
	if (peek(p)->kind == PT_LPAREN)
		return parse_call(p, t, out);
	if (!strcmp(s, "true") || !strcmp(s, "false")) {
		if (!(x = node(p, PX_BOOL, t->pos)))
			return plan_err_alloc(p->e, p->a, t->pos);
		x->b = s[0] == 't';
	} else if (!strcmp(s, "null")) {
		if (!(x = node(p, PX_NULL, t->pos)))
			return plan_err_alloc(p->e, p->a, t->pos);
	} else if (!strcmp(s, "arch") || !strcmp(s, "meta")) {
		if (!(x = node(p, PX_VAR, t->pos)))
			return plan_err_alloc(p->e, p->a, t->pos);
		x->scope = s[0] == 'a' ? PS_ARCH : PS_META;
	} else if (!strcmp(s, "local") || !strcmp(s, "self")) {
		if (peek(p)->kind != PT_DOT || peek2(p)->kind != PT_IDENT)
			return plan_err(p->e, CB_EINVAL, t->pos, "%s must be followed by .NAME", s);
		next(p);
		if (!(x = node(p, PX_VAR, t->pos)))
			return plan_err_alloc(p->e, p->a, t->pos);
		x->scope = s[0] == 'l' ? PS_LOCAL : PS_SELF;
		x->s = next(p)->text;
		x->len = strlen(x->s);
	} else if (!strcmp(s, "for") && peek(p)->kind == PT_IDENT) {
		return plan_err(p->e, CB_EUNSUP, t->pos, "for expressions are not supported");
	} else {
		return plan_err(p->e, CB_EINVAL, t->pos,
				"unknown name %s (known: arch, local.NAME, self.NAME, meta.PATH, true, false, null)", s);
	}
	*out = x;
	return 0;
}

static int parse_primary(struct parser *p, struct plan_expr **out)
{
	const struct plan_tok *t = peek(p);
	int rc;
	switch (t->kind) {
	case PT_NUMBER:
		next(p);
		if (!(*out = node(p, PX_NUM, t->pos)))
			return plan_err_alloc(p->e, p->a, t->pos);
		(*out)->s = t->text;
		(*out)->len = t->len;
		return 0;
	case PT_IDENT: return parse_ident(p, out);
	case PT_OQUOTE: next(p); return parse_template(p, t->pos, out);
	case PT_LBRACK: next(p); return parse_list(p, t->pos, out);
	case PT_LBRACE: next(p); return parse_object(p, t->pos, out);
	case PT_LPAREN:
		next(p);
		if ((rc = parse_expr(p, out)))
			return rc;
		if (peek(p)->kind != PT_RPAREN)
			return unexpected(p, peek(p), "')'");
		next(p);
		return 0;
	case PT_BADOP: return bad_op(p, t);
	default: return unexpected(p, t, "a value");
	}
}

static int parse_postfix(struct parser *p, struct plan_expr **out)
{
	int rc = parse_primary(p, out);
	while (!rc) {
		const struct plan_tok *t = peek(p);
		if (t->kind == PT_LBRACK)
			return plan_err(p->e, CB_EUNSUP, t->pos, "index expressions [...] are not supported; use lookup()");
		if (t->kind != PT_DOT)
			break;
		next(p);
		if (peek(p)->kind != PT_IDENT)
			return unexpected(p, peek(p), "a name after '.'");
		struct plan_expr *x = node(p, PX_ATTR, (*out)->pos); /* a.b.c is where a is */
		if (!x)
			return plan_err_alloc(p->e, p->a, t->pos);
		x->s = next(p)->text;
		x->len = strlen(x->s);
		rc = set_kids(p, x, out, 1);
		*out = x;
	}
	return rc;
}

static int parse_equality(struct parser *p, struct plan_expr **out)
{
	int rc = parse_postfix(p, out);
	while (!rc) {
		const struct plan_tok *t = peek(p);
		if (t->kind == PT_BADOP)
			return bad_op(p, t);
		if (t->kind != PT_EQ && t->kind != PT_NE)
			break;
		next(p);
		struct plan_expr *kids[2] = { *out, NULL };
		if ((rc = parse_postfix(p, &kids[1])))
			return rc;
		struct plan_expr *x = node(p, t->kind == PT_EQ ? PX_EQ : PX_NE, t->pos);
		if (!x)
			return plan_err_alloc(p->e, p->a, t->pos);
		rc = set_kids(p, x, kids, 2);
		*out = x;
	}
	return rc;
}

static int parse_expr(struct parser *p, struct plan_expr **out)
{
	int rc = enter(p, peek(p)->pos);
	if (!rc)
		rc = parse_equality(p, out);
	if (!rc && peek(p)->kind == PT_QUESTION) {
		const struct plan_tok *q = next(p);
		struct plan_expr *kids[3] = { *out, NULL, NULL };
		if ((rc = parse_expr(p, &kids[1])))
			goto out;
		if (peek(p)->kind != PT_COLON) {
			rc = unexpected(p, peek(p), "':' in the conditional");
			goto out;
		}
		next(p);
		if ((rc = parse_expr(p, &kids[2])))
			goto out;
		struct plan_expr *x = node(p, PX_COND, q->pos);
		if (!x) {
			rc = plan_err_alloc(p->e, p->a, q->pos);
			goto out;
		}
		rc = set_kids(p, x, kids, 3);
		*out = x;
	}
out:
	p->depth--;
	return rc;
}

static int parse_body(struct parser *p, bool top, struct plan_item **items, size_t *n_items);

static int parse_block(struct parser *p, struct plan_item *it)
{
	struct plan_pos *lpos = NULL;
	const char **labels = NULL;
	size_t cap = 0, pcap = 0;
	int rc;
	while (peek(p)->kind == PT_OQUOTE || peek(p)->kind == PT_IDENT) {
		struct plan_pos pos = peek(p)->pos;
		const char *label;
		size_t len;
		if (peek(p)->kind == PT_IDENT)
			label = next(p)->text;
		else if ((rc = plain_string(p, "a block label", &label, &len)))
			return rc;
		if (!plan_arena_grow(p->a, (void **)&labels, &cap, sizeof(*labels), it->n_labels + 1) ||
		    !plan_arena_grow(p->a, (void **)&lpos, &pcap, sizeof(*lpos), it->n_labels + 1))
			return plan_err_alloc(p->e, p->a, pos);
		labels[it->n_labels] = label;
		lpos[it->n_labels++] = pos;
	}
	it->labels = labels;
	it->label_pos = lpos;
	if (peek(p)->kind != PT_LBRACE) {
		char buf[96];
		return plan_err(p->e, CB_EINVAL, peek(p)->pos, "expected '{' to open block %s (or '=' before a value), found %s",
				it->name, describe(peek(p), buf, sizeof(buf)));
	}
	it->body_pos = next(p)->pos;
	if ((rc = enter(p, it->body_pos)))
		return rc;
	rc = parse_body(p, false, &it->items, &it->n_items);
	p->depth--;
	if (!rc)
		next(p); /* the '}' parse_body stopped at */
	return rc;
}

static int parse_body(struct parser *p, bool top, struct plan_item **items, size_t *n_items)
{
	struct plan_item *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	for (;;) {
		const struct plan_tok *t = peek(p);
		if (t->kind == PT_EOF || (t->kind == PT_RBRACE && !top))
			break;
		if (t->kind != PT_IDENT)
			return unexpected(p, t, top ? "an attribute or a block" : "an attribute, a block or '}'");
		if (!plan_arena_grow(p->a, (void **)&v, &cap, sizeof(*v), n + 1))
			return plan_err_alloc(p->e, p->a, t->pos);
		struct plan_item *it = &v[n++];
		it->name = t->text;
		it->pos = t->pos;
		next(p);
		if (peek(p)->kind == PT_ASSIGN) {
			next(p);
			if ((rc = parse_expr(p, &it->value)))
				return rc;
			const struct plan_tok *f = peek(p);
			if (f->kind != PT_IDENT && f->kind != PT_EOF && !(f->kind == PT_RBRACE && !top)) {
				char buf[96];
				return plan_err(p->e, CB_EINVAL, f->pos, "unexpected %s after the value of %s",
						describe(f, buf, sizeof(buf)), it->name);
			}
		} else if (peek(p)->kind == PT_OQUOTE || peek(p)->kind == PT_IDENT || peek(p)->kind == PT_LBRACE) {
			it->is_block = true;
			if ((rc = parse_block(p, it)))
				return rc;
		} else {
			char buf[96];
			return plan_err(p->e, CB_EINVAL, peek(p)->pos, "expected '=' or a block after %s, found %s", it->name,
					describe(peek(p), buf, sizeof(buf)));
		}
	}
	*items = v;
	*n_items = n;
	return 0;
}

int plan_parse(const struct plan_tok *toks, size_t n_toks, struct plan_arena *a, struct plan_item **items,
	       size_t *n_items, struct cb_err *e)
{
	struct parser p = { .t = toks, .n = n_toks, .a = a, .e = e };
	return parse_body(&p, true, items, n_items);
}
