/* plan.h: the plan language (an HCL subset, docs/plans.md): parse, validate and evaluate a plan's text for one
 * guest arch into plain strings. Pure logic: it fetches nothing and verifies no signature. */
#ifndef PLAN_H
#define PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "cb_err.h"

struct json_value;

/* Hard limits; exceeding one is CB_ELIMIT with a positioned message. */
#define PLAN_MAX_INPUT (256u * 1024)     /* bytes of plan text */
#define PLAN_MAX_TOKENS 65536u           /* tokens after lexing */
#define PLAN_MAX_DEPTH 32u               /* nesting of blocks, brackets, strings and expressions */
#define PLAN_MAX_STRING (64u * 1024)     /* bytes of one string, literal or after interpolation/joining */
#define PLAN_MAX_TARGETS 256u            /* target blocks */
#define PLAN_MAX_CHAIN 32u               /* local/self references followed one after another */
#define PLAN_MAX_STEPS 1000000u          /* evaluation steps (expressions, compared or joined elements) */
#define PLAN_MAX_WORK (16u << 20)        /* bytes of tokens, syntax tree and intermediate values */
#define PLAN_MAX_OUTPUT (4u << 20)       /* bytes of the evaluated plan */

/* What a plan is evaluated against. arch: the guest arch, one of amd64 arm64 riscv64 loong64. meta: the
 * metadata-URL JSON document's root (NULL: no metadata; every meta.* path is then null). */
struct plan_env {
	const char *arch;
	const struct json_value *meta;
};

/* Every field NULL when the plan does not set it. */
struct plan_disk {
	char *device, *fs, *dataset, *kernel, *initrd, *luks_passphrase;
};

struct plan_target {
	char *name;
	char *label, *version, *arch, *cmdline, *index, *kernel, *initrd, *modpack; /* NULL when unset */
	bool has_disk;
	struct plan_disk disk;
};

struct plan_arena;

/* A validated, evaluated plan. All strings live in the arena; free the whole with plan_free. */
struct plan {
	char *default_target;        /* names a target usable on `arch` */
	struct plan_target *targets; /* in source order, including targets for other arches */
	size_t n_targets;
	char *arch;                  /* the guest arch the plan was evaluated for */
	struct plan_arena *arena;
};

/* Lexes, parses, validates and evaluates text[0..len) (hostile) for env. 0 and *out set, or a negative CB_E*
 * code (CB_EINVAL invalid plan, CB_EUNSUP an HCL feature we do not implement, CB_ELIMIT a limit above,
 * CB_ENOMEM) with one line "plan:LINE:COL: reason" in e. Nothing is kept on failure. */
int plan_load(const char *text, size_t len, const struct plan_env *env, struct plan **out, struct cb_err *e);
void plan_free(struct plan *p); /* NULL ok */

/* true for amd64 arm64 riscv64 loong64. */
bool plan_arch_known(const char *arch);
/* A target with an `arch` attribute is only for that guest arch; one without is for every arch. */
bool plan_target_runs_on(const struct plan_target *t, const char *arch);
/* The target called name if it runs on the plan's guest arch (p->arch), else NULL. */
const struct plan_target *plan_find(const struct plan *p, const char *name);
/* Stores up to cap pointers to the targets that run on arch, in source order; returns how many there are. */
size_t plan_targets_for_arch(const struct plan *p, const char *arch, const struct plan_target **out, size_t cap);

#endif
