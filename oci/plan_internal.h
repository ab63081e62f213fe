/* plan_internal.h: what the plan_* files share: arena, positioned errors, tokens, syntax tree, the checked
 * program and evaluated values. Not a public API: only oci/plan_*.c include it. */
#ifndef PLAN_INTERNAL_H
#define PLAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "plan.h"

/* ---- arena (plan_util.c) ---- */

/* Zeroed bump allocations, freed all at once; refuses to grow past its cap. */
struct plan_arena *plan_arena_new(size_t cap);
void *plan_arena_alloc(struct plan_arena *a, size_t n);    /* NULL: no memory or over the cap */
char *plan_arena_strndup(struct plan_arena *a, const char *s, size_t n);
/* Makes room for `need` elements of `size` bytes in *arr (capacity *cap), copying into a larger block. */
bool plan_arena_grow(struct plan_arena *a, void **arr, size_t *cap, size_t size, size_t need);
void plan_arena_free(struct plan_arena *a);                /* NULL ok */

/* ---- positions and messages (plan_util.c) ---- */

struct plan_pos {
	uint32_t line, col; /* 1-based; col counts characters (UTF-8 sequences), a tab is one */
};

/* "plan:LINE:COL: <fmt>"; returns code. */
int plan_err(struct cb_err *e, int code, struct plan_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The failed allocation as CB_ELIMIT (the arena's cap, named by what) or CB_ENOMEM. */
int plan_err_alloc(struct cb_err *e, const struct plan_arena *a, struct plan_pos pos);
/* s[0..n) quoted for a message: at most 48 bytes, non-printable bytes as \xNN. */
#define PLAN_QUOTE_SIZE 208
const char *plan_quote(const char *s, size_t n, char *buf);
extern const char *const plan_arches[4];
extern const char plan_arch_list[]; /* "amd64, arm64, riscv64, loong64" */

/* ---- tokens (plan_lex.c) ---- */

enum plan_tok_kind {
	PT_EOF, PT_IDENT, PT_NUMBER,
	PT_OQUOTE, PT_LIT, PT_INTERP, PT_INTERP_END, PT_CQUOTE, /* "lit ${ expr } lit" */
	PT_LBRACE, PT_RBRACE, PT_LBRACK, PT_RBRACK, PT_LPAREN, PT_RPAREN,
	PT_COMMA, PT_DOT, PT_ASSIGN, PT_EQ, PT_NE, PT_QUESTION, PT_COLON,
	PT_BADOP, /* an HCL operator we do not implement: + - * / % && || ! < > <= >= */
};

struct plan_tok {
	enum plan_tok_kind kind;
	struct plan_pos pos;
	const char *text; /* IDENT, BADOP: as written; NUMBER: canonical; LIT: decoded. NUL-terminated */
	size_t len;
};

/* Tokens of src[0..len); the last one is PT_EOF. toks is malloc'ed (free it), texts live in the arena. */
int plan_lex(const char *src, size_t len, struct plan_arena *a, struct plan_tok **toks, size_t *n_toks,
	     struct cb_err *e);

/* ---- syntax tree (plan_parse.c) ---- */

enum plan_ex_kind {
	PX_STR, PX_NUM, PX_BOOL, PX_NULL, /* literals */
	PX_TMPL,   /* kids: parts, concatenated */
	PX_LIST,   /* kids: elements */
	PX_OBJ,    /* kids: values, keys/key_pos: their keys */
	PX_VAR,    /* scope + name (NULL for arch and a bare meta) */
	PX_ATTR,   /* kids[0].name */
	PX_EQ, PX_NE,
	PX_COND,   /* kids[0] ? kids[1] : kids[2] */
	PX_LOOKUP, /* lookup(kids[0], kids[1], kids[2]) */
};

enum plan_scope { PS_ARCH, PS_LOCAL, PS_SELF, PS_META };

struct plan_expr {
	enum plan_ex_kind kind;
	struct plan_pos pos;
	unsigned depth;       /* 1 + the deepest kid */
	const char *s;        /* STR, NUM: the value; VAR: name after local./self.; ATTR: the key */
	size_t len;
	bool b;               /* BOOL */
	enum plan_scope scope; /* VAR */
	size_t ref;           /* VAR local/self: the local's index or the target attribute (set by plan_check) */
	struct plan_expr **kids;
	size_t n;
	const char **keys;    /* OBJ */
	struct plan_pos *key_pos;
};

struct plan_item {
	bool is_block;
	const char *name;          /* attribute name or block type */
	struct plan_pos pos;
	struct plan_expr *value;   /* attribute */
	const char **labels;       /* block */
	struct plan_pos *label_pos;
	size_t n_labels;
	struct plan_item *items;   /* block body */
	size_t n_items;
	struct plan_pos body_pos;  /* block: its '{' */
};

/* The top-level body of the file. */
int plan_parse(const struct plan_tok *toks, size_t n_toks, struct plan_arena *a, struct plan_item **items,
	       size_t *n_items, struct cb_err *e);

/* ---- checked program (plan_check.c) ---- */

enum plan_tattr {
	PLAN_TA_LABEL, PLAN_TA_VERSION, PLAN_TA_ARCH, PLAN_TA_CMDLINE, PLAN_TA_INDEX, PLAN_TA_KERNEL,
	PLAN_TA_INITRD, PLAN_TA_MODPACK, PLAN_TA_DISK, PLAN_TA_COUNT
};
extern const char *const plan_tattr_names[PLAN_TA_COUNT];

enum plan_dkey { PLAN_DK_DEVICE, PLAN_DK_FS, PLAN_DK_DATASET, PLAN_DK_KERNEL, PLAN_DK_INITRD, PLAN_DK_LUKS,
		 PLAN_DK_COUNT };
/* The disk key a name means ("luks_passphrase" is accepted for "luks-passphrase"), or -1. */
int plan_disk_key(const char *name);
extern const char *const plan_dkey_names[PLAN_DK_COUNT];

struct plan_local {
	const char *name;
	struct plan_pos pos;
	const struct plan_expr *value;
};

struct plan_tdef {
	const char *name;
	struct plan_pos pos;
	const struct plan_expr *attr[PLAN_TA_COUNT]; /* NULL: not set */
	struct plan_pos attr_pos[PLAN_TA_COUNT];
};

struct plan_prog {
	const struct plan_expr *default_target;
	struct plan_local *locals; /* sorted by name */
	size_t n_locals;
	struct plan_tdef *targets; /* source order */
	size_t n_targets;
};

/* Schema, names, references and cycles; resolves every local./self. reference (sets ref). */
int plan_check(const struct plan_item *items, size_t n_items, struct plan_arena *a, struct plan_prog *out,
	       struct cb_err *e);

/* ---- values and evaluation (plan_eval.c) ---- */

enum plan_vkind { PV_NULL, PV_BOOL, PV_NUM, PV_STR, PV_LIST, PV_MAP };

struct plan_val {
	enum plan_vkind kind;
	bool b;
	const char *s; /* NUM, STR (NUL-terminated) */
	size_t len;
	const struct plan_val **items; /* LIST, MAP built by the plan */
	const char **keys;             /* MAP built by the plan */
	size_t n;
	const struct json_value *j;    /* LIST or MAP read from the metadata */
};

struct plan_eval {
	const struct plan_prog *prog;
	const char *arch;
	const struct json_value *meta;
	struct plan_arena *a;
	struct cb_err *e;
	size_t steps;
	unsigned depth;
	size_t target; /* whose self.* is in scope; SIZE_MAX outside targets */
	const struct plan_val **local_val;
	uint8_t *local_state;
	const struct plan_val **self_val; /* [target * PLAN_TA_COUNT + attr] */
	uint8_t *self_state;
};

int plan_eval_init(struct plan_eval *ev, const struct plan_prog *prog, const struct plan_env *env,
		   struct plan_arena *a, struct cb_err *e);
int plan_eval_expr(struct plan_eval *ev, const struct plan_expr *x, const struct plan_val **out);
/* Target t's attribute (evaluated once, then cached). */
int plan_eval_attr(struct plan_eval *ev, size_t t, enum plan_tattr attr, const struct plan_val **out);
/* The text of a value: strings and numbers as they are, bools as true/false; with join, a list of those
 * joined by single spaces. Errors (null, objects, nested lists, too long) are reported at pos. */
int plan_val_text(struct plan_eval *ev, const struct plan_val *v, struct plan_pos pos, bool join,
		  const char **s, size_t *len);
const char *plan_vkind_name(enum plan_vkind k); /* with its article: "a string", "an object", "null" */
size_t plan_val_count(const struct plan_val *v);
const char *plan_val_key_at(const struct plan_val *v, size_t i);
int plan_val_at(struct plan_eval *ev, const struct plan_val *v, size_t i, struct plan_pos pos,
		const struct plan_val **out);

#endif
