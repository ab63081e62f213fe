/* plan_util.c: the capped bump arena and the "plan:LINE:COL:" messages shared by the plan_* files.
 * No parsing here. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "plan_internal.h"

#define CHUNK_MIN (64u * 1024)
#define ALIGN 16u

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct plan_arena {
	struct chunk *head;
	size_t total, cap; /* bytes of chunks allocated / allowed */
	bool over;         /* the last failure was the cap, not malloc */
};

const char *const plan_arches[4] = { "amd64", "arm64", "riscv64", "loong64" };
const char plan_arch_list[] = "amd64, arm64, riscv64, loong64";

struct plan_arena *plan_arena_new(size_t cap)
{
	struct plan_arena *a = calloc(1, sizeof(*a));
	if (a)
		a->cap = cap;
	return a;
}

void *plan_arena_alloc(struct plan_arena *a, size_t n)
{
	size_t need;
	if (!cb_add_ok(n, (size_t)ALIGN - 1, &need))
		return NULL;
	need &= ~(size_t)(ALIGN - 1);
	if (!need)
		need = ALIGN;
	struct chunk *c = a->head;
	if (!c || c->size - c->used < need) {
		size_t size = need > CHUNK_MIN ? need : CHUNK_MIN, bytes, total;
		if (!cb_add_ok(size, sizeof(struct chunk), &bytes) || !cb_add_ok(a->total, bytes, &total) ||
		    total > a->cap) {
			a->over = true;
			return NULL;
		}
		c = malloc(bytes);
		if (!c) {
			a->over = false;
			return NULL;
		}
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		a->total = total;
	}
	void *p = c->data + c->used;
	c->used += need;
	memset(p, 0, n);
	return p;
}

char *plan_arena_strndup(struct plan_arena *a, const char *s, size_t n)
{
	size_t n1;
	if (!cb_add_ok(n, (size_t)1, &n1))
		return NULL;
	char *p = plan_arena_alloc(a, n1);
	if (p && n)
		memcpy(p, s, n);
	return p;
}

bool plan_arena_grow(struct plan_arena *a, void **arr, size_t *cap, size_t size, size_t need)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap : 8, bytes;
	while (ncap < need)
		if (!cb_mul_ok(ncap, (size_t)2, &ncap))
			return false;
	if (!cb_mul_ok(ncap, size, &bytes))
		return false;
	void *p = plan_arena_alloc(a, bytes);
	if (!p)
		return false;
	if (*cap)
		memcpy(p, *arr, *cap * size);
	*arr = p;
	*cap = ncap;
	return true;
}

void plan_arena_free(struct plan_arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

int plan_err(struct cb_err *e, int code, struct plan_pos pos, const char *fmt, ...)
{
	char msg[CB_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cb_errf(e, code, "plan:%u:%u: %s", (unsigned)pos.line, (unsigned)pos.col, msg);
}

int plan_err_alloc(struct cb_err *e, const struct plan_arena *a, struct plan_pos pos)
{
	if (a->over)
		return plan_err(e, CB_ELIMIT, pos, "plan needs more than %zu MiB of memory", a->cap >> 20);
	return plan_err(e, CB_ENOMEM, pos, "out of memory");
}

const char *plan_quote(const char *s, size_t n, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, max = n > 48 ? 48 : n;
	buf[o++] = '"';
	for (size_t i = 0; i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			buf[o++] = (char)c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	buf[o++] = '"';
	if (n > max) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = 0;
	return buf;
}
