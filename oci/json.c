/* json.c: the strict RFC 8259 DOM parser and the accessors behind json.h; one arena per document, no recursion.
 * Not a writer (json_write.c) and not a streaming parser: the whole text is in memory. */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"

#define CHUNK_MIN 4096u              /* first arena chunk; each next one doubles ... */
#define CHUNK_MAX (1024u * 1024)     /* ... up to this; a larger request gets a chunk of its own */
#define KEY_SHOW 32u                 /* bytes of a key echoed in a message */

struct json_member;

struct json_value {
	uint8_t type; /* enum json_type */
	bool b;       /* JSON_BOOL: the value; JSON_NUMBER: an integer literal (no fraction, no exponent) */
	size_t n;     /* JSON_STRING: decoded bytes; JSON_NUMBER: text bytes; containers: elements or members */
	union {
		const char *s;               /* JSON_STRING, JSON_NUMBER: NUL-terminated, in the arena */
		struct json_value *items;    /* JSON_ARRAY */
		struct json_member *members; /* JSON_OBJECT, in document order */
	} u;
};

struct json_member {
	const char *key;
	size_t klen;
	struct json_value v;
};

struct chunk {
	struct chunk *next;
	size_t used, cap;
	uint64_t data[]; /* 8-byte aligned storage for values, members and strings */
};
_Static_assert(_Alignof(struct json_member) <= _Alignof(uint64_t), "arena alignment");
#define ARENA_ALIGN ((size_t)_Alignof(uint64_t))

struct json_doc {
	struct chunk *chunks;
	size_t next_cap;
	struct json_value root;
};

/* A finished value waiting for its container to close, with its key when the container is an object. */
struct slot {
	struct json_value v;
	const char *key;
	size_t klen, koff;
};

/* An open array or object: its values are slots[base..]. */
struct frame {
	size_t base, open;
	bool obj;
	const char *key; /* objects: the key read for the value being parsed */
	size_t klen, koff;
};

struct parser {
	const unsigned char *s;
	size_t len, pos;
	struct json_limits lim;
	struct json_doc *d;
	struct cb_err *e;
	size_t values;
	struct slot *slots;
	size_t nslots, slots_cap;
	struct frame *frames;
	size_t depth, frames_cap;
	size_t *order; /* merge-sort scratch for the duplicate-key check: 2 * members */
	size_t order_cap;
};

void json_limits_default(struct json_limits *l)
{
	l->max_bytes = 4u * 1024 * 1024;
	l->max_depth = 64;
	l->max_values = 1000000;
	l->max_string = 1024u * 1024;
}

/* ---- arena ---- */

static void *arena_alloc(struct json_doc *d, size_t size)
{
	size_t need;
	if (!cb_add_ok(size, ARENA_ALIGN - 1, &need))
		return NULL;
	need &= ~(ARENA_ALIGN - 1);
	struct chunk *c = d->chunks;
	if (c && c->cap - c->used >= need) {
		void *p = (unsigned char *)c->data + c->used;
		c->used += need;
		return p;
	}
	size_t cap = need > d->next_cap ? need : d->next_cap, total;
	if (!cb_add_ok(sizeof(*c), cap, &total) || !(c = malloc(total)))
		return NULL;
	c->cap = cap;
	c->used = need;
	if (need > d->next_cap && d->chunks) {
		/* A big block: keep the current chunk's free space for what follows. */
		c->next = d->chunks->next;
		d->chunks->next = c;
	} else {
		c->next = d->chunks;
		d->chunks = c;
		if (d->next_cap < CHUNK_MAX)
			d->next_cap *= 2;
	}
	return c->data;
}

void json_free(struct json_doc *d)
{
	if (!d)
		return;
	for (struct chunk *c = d->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(d);
}

/* ---- errors ---- */

__attribute__((format(printf, 4, 5))) static int fail(struct parser *p, int code, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cb_verrf(p->e, code, fmt, ap);
	va_end(ap);
	cb_err_prefix(p->e, "json: offset %zu: ", off);
	return code;
}

struct shown {
	char s[24];
};

/* The byte at off for a message: 'x', byte 0xNN or end of input. */
static struct shown show(const struct parser *p, size_t off)
{
	struct shown r;
	if (off >= p->len)
		snprintf(r.s, sizeof(r.s), "end of input");
	else if (p->s[off] > 0x20 && p->s[off] < 0x7f)
		snprintf(r.s, sizeof(r.s), "'%c'", p->s[off]);
	else
		snprintf(r.s, sizeof(r.s), "byte 0x%02x", p->s[off]);
	return r;
}

static int oom(struct parser *p) { return fail(p, CB_ENOMEM, p->pos, "out of memory"); }

/* ---- scalars ---- */

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool starts_with(const struct parser *p, size_t off, const char *word)
{
	size_t n = strlen(word);
	return cb_in_bounds(off, n, p->len) && !memcmp(p->s + off, word, n);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len &&
	       (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static int hex4(const unsigned char *h)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		unsigned char c = h[k];
		int d = is_digit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* Validates the UTF-8 sequence at s[i] (lead byte >= 0x80) that must end before `end`; *n = its length. */
static int utf8_seq(struct parser *p, size_t i, size_t end, size_t *n)
{
	unsigned char c = p->s[i];
	size_t len;
	uint32_t cp;
	if (c < 0xc0)
		return fail(p, CB_EINVAL, i, "invalid UTF-8: continuation byte 0x%02x without a lead byte", c);
	if (c < 0xc2)
		return fail(p, CB_EINVAL, i, "invalid UTF-8: overlong encoding");
	if (c < 0xe0)
		len = 2, cp = c & 0x1f;
	else if (c < 0xf0)
		len = 3, cp = c & 0x0f;
	else if (c < 0xf5)
		len = 4, cp = c & 0x07;
	else if (c < 0xf8)
		return fail(p, CB_EINVAL, i, "invalid UTF-8: code point above U+10FFFF");
	else
		return fail(p, CB_EINVAL, i, "invalid UTF-8: byte 0x%02x", c);
	for (size_t k = 1; k < len; k++) {
		if (i + k >= end || (p->s[i + k] & 0xc0) != 0x80)
			return fail(p, CB_EINVAL, i, "invalid UTF-8: incomplete %zu-byte sequence", len);
		cp = cp << 6 | (p->s[i + k] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
		return fail(p, CB_EINVAL, i, "invalid UTF-8: overlong encoding");
	if (cp >= 0xd800 && cp <= 0xdfff)
		return fail(p, CB_EINVAL, i, "invalid UTF-8: encoded surrogate U+%04X", (unsigned)cp);
	if (cp > 0x10ffff)
		return fail(p, CB_EINVAL, i, "invalid UTF-8: code point above U+10FFFF");
	*n = len;
	return 0;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Decodes the \u escape (or surrogate pair) at s[i] into o; *in / *out = bytes consumed / written. */
static int unicode_escape(struct parser *p, size_t i, size_t end, char *o, size_t *in, size_t *out)
{
	int hi = i + 6 <= end ? hex4(p->s + i + 2) : -1;
	if (hi < 0)
		return fail(p, CB_EINVAL, i, "invalid \\u escape (expected 4 hex digits)");
	if (hi == 0)
		return fail(p, CB_EINVAL, i, "\\u0000 is not allowed (strings are NUL-terminated)");
	uint32_t cp = (uint32_t)hi;
	*in = 6;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(p, CB_EINVAL, i, "lone surrogate \\u%04X", (unsigned)cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		int lo = i + 12 <= end && p->s[i + 6] == '\\' && p->s[i + 7] == 'u' ? hex4(p->s + i + 8) : -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(p, CB_EINVAL, i, "lone surrogate \\u%04X (no low surrogate follows)", (unsigned)cp);
		cp = 0x10000 + ((cp - 0xd800) << 10) + ((uint32_t)lo - 0xdc00);
		*in = 12;
	}
	*out = put_utf8(o, cp);
	return 0;
}

/* The string whose opening quote is at pos: decoded, validated, NUL-terminated, in the arena. */
static int parse_string(struct parser *p, const char **out, size_t *out_len)
{
	size_t open = p->pos, i = open + 1, end = i;
	while (end < p->len && p->s[end] != '"')
		end += p->s[end] == '\\' ? 2 : 1;
	if (end > p->len)
		end = p->len;
	/* Decoding never grows a string: end - i + 1 bytes hold it and its NUL. */
	char *dst = arena_alloc(p->d, end - i + 1);
	if (!dst)
		return oom(p);
	size_t o = 0;
	int rc;
	while (i < end) {
		unsigned char c = p->s[i];
		size_t in = 1, n = 1;
		if (c == '\\') {
			if (i + 1 >= end)
				break;
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *hit = p->s[i + 1] ? strchr(from, p->s[i + 1]) : NULL;
			if (hit) {
				dst[o] = to[hit - from];
				in = 2;
			} else if (p->s[i + 1] == 'u') {
				if ((rc = unicode_escape(p, i, end, dst + o, &in, &n)) < 0)
					return rc;
			} else if (p->s[i + 1] > 0x20 && p->s[i + 1] < 0x7f) {
				return fail(p, CB_EINVAL, i, "invalid escape '\\%c'", p->s[i + 1]);
			} else {
				return fail(p, CB_EINVAL, i, "invalid escape (backslash and byte 0x%02x)", p->s[i + 1]);
			}
		} else if (c < 0x20) {
			return fail(p, CB_EINVAL, i, "control character 0x%02x in a string must be escaped", c);
		} else if (c < 0x80) {
			dst[o] = (char)c;
		} else {
			if ((rc = utf8_seq(p, i, end, &n)) < 0)
				return rc;
			memcpy(dst + o, p->s + i, n);
			in = n;
		}
		i += in;
		o += n;
	}
	if (end == p->len)
		return fail(p, CB_EINVAL, open, "unterminated string");
	if (o > p->lim.max_string)
		return fail(p, CB_ELIMIT, open, "string longer than %zu bytes", p->lim.max_string);
	dst[o] = 0;
	*out = dst;
	*out_len = o;
	p->pos = end + 1;
	return 0;
}

static int not_a_number(struct parser *p, size_t off)
{
	return fail(p, CB_EINVAL, off, "NaN and Infinity are not JSON numbers");
}

static int parse_number(struct parser *p, struct json_value *v)
{
	const unsigned char *s = p->s;
	size_t start = p->pos, i = start;
	bool integer = true;
	if (s[i] == '-' && ++i < p->len && !is_digit(s[i]) && starts_with(p, i, "Infinity"))
		return not_a_number(p, start);
	if (i >= p->len || !is_digit(s[i]))
		return fail(p, CB_EINVAL, i, "expected a digit after '-', found %s", show(p, i).s);
	if (s[i] == '0') {
		if (i + 1 < p->len && is_digit(s[i + 1]))
			return fail(p, CB_EINVAL, i, "leading zeros are not allowed");
		i++;
	} else {
		while (i < p->len && is_digit(s[i]))
			i++;
	}
	if (i < p->len && s[i] == '.') {
		integer = false;
		if (++i >= p->len || !is_digit(s[i]))
			return fail(p, CB_EINVAL, i, "expected a digit after '.', found %s", show(p, i).s);
		while (i < p->len && is_digit(s[i]))
			i++;
	}
	if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
		integer = false;
		if (++i < p->len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= p->len || !is_digit(s[i]))
			return fail(p, CB_EINVAL, i, "expected a digit in the exponent, found %s", show(p, i).s);
		while (i < p->len && is_digit(s[i]))
			i++;
	}
	char *text = arena_alloc(p->d, i - start + 1);
	if (!text)
		return oom(p);
	memcpy(text, s + start, i - start);
	text[i - start] = 0;
	*v = (struct json_value){ .type = JSON_NUMBER, .b = integer, .n = i - start, .u.s = text };
	p->pos = i;
	return 0;
}

static int parse_literal(struct parser *p, const char *word)
{
	for (size_t k = 0; word[k]; k++)
		if (p->pos + k >= p->len || p->s[p->pos + k] != (unsigned char)word[k])
			return fail(p, CB_EINVAL, p->pos + k, "invalid literal (expected '%s'), found %s", word,
				    show(p, p->pos + k).s);
	p->pos += strlen(word);
	return 0;
}

/* A value that is not an array or object, at pos (whitespace skipped). */
static int parse_scalar(struct parser *p, struct json_value *v)
{
	*v = (struct json_value){ .type = JSON_NULL };
	switch (p->s[p->pos]) {
	case '"':
		v->type = JSON_STRING;
		return parse_string(p, &v->u.s, &v->n);
	case 't':
	case 'f':
		v->type = JSON_BOOL;
		v->b = p->s[p->pos] == 't';
		return parse_literal(p, v->b ? "true" : "false");
	case 'n':
		return parse_literal(p, "null");
	case '-':
	case '0' ... '9':
		return parse_number(p, v);
	case 'N':
	case 'I':
		if (starts_with(p, p->pos, "NaN") || starts_with(p, p->pos, "Infinity"))
			return not_a_number(p, p->pos);
		break;
	case '/':
		return fail(p, CB_EINVAL, p->pos, "comments are not allowed");
	case '\'':
		return fail(p, CB_EINVAL, p->pos, "strings must be in double quotes");
	}
	return fail(p, CB_EINVAL, p->pos, "expected a value, found %s", show(p, p->pos).s);
}

/* ---- containers ---- */

static int push_slot(struct parser *p, const struct json_value *v, const struct frame *f)
{
	if (p->nslots == p->slots_cap) {
		size_t cap = p->slots_cap ? p->slots_cap * 2 : 64, bytes;
		struct slot *n;
		if (!cb_mul_ok(cap, sizeof(*n), &bytes) || !(n = realloc(p->slots, bytes)))
			return oom(p);
		p->slots = n;
		p->slots_cap = cap;
	}
	p->slots[p->nslots++] = (struct slot){ .v = *v, .key = f->key, .klen = f->klen, .koff = f->koff };
	return 0;
}

static int key_cmp(const struct slot *a, const struct slot *b)
{
	int c = memcmp(a->key, b->key, a->klen < b->klen ? a->klen : b->klen);
	return c ? c : (a->klen > b->klen) - (a->klen < b->klen);
}

/* The key for a message: printable ASCII, others as '?', cut at KEY_SHOW bytes. */
static void show_key(char out[KEY_SHOW + 4], const char *key, size_t klen)
{
	size_t n = klen < KEY_SHOW ? klen : KEY_SHOW;
	for (size_t i = 0; i < n; i++)
		out[i] = key[i] >= 0x20 && key[i] < 0x7f ? key[i] : '?';
	strcpy(out + n, klen > KEY_SHOW ? "..." : "");
}

/* Rejects a key that occurs twice among slots[base..base+n); reports the first repeat in document order.
 * A stable bottom-up merge sort of the member indices keeps this O(n log n) for any input. */
static int check_duplicates(struct parser *p, size_t base, size_t n)
{
	if (n < 2)
		return 0;
	size_t need, bytes;
	if (!cb_mul_ok(n, (size_t)2, &need) || !cb_mul_ok(need, sizeof(size_t), &bytes))
		return oom(p);
	if (need > p->order_cap) {
		size_t *o = realloc(p->order, bytes);
		if (!o)
			return oom(p);
		p->order = o;
		p->order_cap = need;
	}
	size_t *a = p->order, *b = p->order + n;
	const struct slot *s = p->slots + base;
	for (size_t i = 0; i < n; i++)
		a[i] = i;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = mid + w < n ? mid + w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				b[k++] = key_cmp(&s[a[j]], &s[a[i]]) < 0 ? a[j++] : a[i++];
			while (i < mid)
				b[k++] = a[i++];
			while (j < hi)
				b[k++] = a[j++];
		}
		size_t *t = a;
		a = b;
		b = t;
	}
	const struct slot *dup = NULL;
	for (size_t i = 1; i < n; i++)
		if (!key_cmp(&s[a[i - 1]], &s[a[i]]) && (!dup || s[a[i]].koff < dup->koff))
			dup = &s[a[i]];
	if (!dup)
		return 0;
	char shown[KEY_SHOW + 4];
	show_key(shown, dup->key, dup->klen);
	return fail(p, CB_EINVAL, dup->koff, "duplicate key \"%s\"", shown);
}

/* Closes the innermost container (its closing bracket already consumed) into *v. */
static int close_container(struct parser *p, struct json_value *v)
{
	struct frame *f = &p->frames[p->depth - 1];
	size_t n = p->nslots - f->base, bytes;
	int rc;
	*v = (struct json_value){ .type = f->obj ? JSON_OBJECT : JSON_ARRAY, .n = n };
	if (f->obj) {
		if ((rc = check_duplicates(p, f->base, n)) < 0)
			return rc;
		if (n && (!cb_mul_ok(n, sizeof(struct json_member), &bytes) || !(v->u.members = arena_alloc(p->d, bytes))))
			return oom(p);
		for (size_t i = 0; i < n; i++) {
			const struct slot *s = &p->slots[f->base + i];
			v->u.members[i] = (struct json_member){ .key = s->key, .klen = s->klen, .v = s->v };
		}
	} else {
		if (n && (!cb_mul_ok(n, sizeof(struct json_value), &bytes) || !(v->u.items = arena_alloc(p->d, bytes))))
			return oom(p);
		for (size_t i = 0; i < n; i++)
			v->u.items[i] = p->slots[f->base + i].v;
	}
	p->nslots = f->base;
	p->depth--;
	return 0;
}

/* An object key and its ':' at pos (whitespace skipped), stored in the innermost frame. */
static int parse_key(struct parser *p)
{
	struct frame *f = &p->frames[p->depth - 1];
	int rc;
	if (p->pos >= p->len || p->s[p->pos] != '"')
		return fail(p, CB_EINVAL, p->pos, "expected a string key, found %s", show(p, p->pos).s);
	f->koff = p->pos;
	if ((rc = parse_string(p, &f->key, &f->klen)) < 0)
		return rc;
	skip_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != ':')
		return fail(p, CB_EINVAL, p->pos, "expected ':' after an object key, found %s", show(p, p->pos).s);
	p->pos++;
	return 0;
}

static char closer(const struct frame *f) { return f->obj ? '}' : ']'; }

/* Starts the value at pos. Returns 1 for a scalar or an empty container, left in *v; 0 when a non-empty
 * container was opened (its first key read) and its first value follows; or an error. */
static int begin_value(struct parser *p, struct json_value *v)
{
	int rc;
	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, CB_EINVAL, p->pos, "expected a value, found end of input");
	if (p->values >= p->lim.max_values)
		return fail(p, CB_ELIMIT, p->pos, "more than %zu values", p->lim.max_values);
	p->values++;
	unsigned char c = p->s[p->pos];
	if (c != '[' && c != '{')
		return (rc = parse_scalar(p, v)) < 0 ? rc : 1;
	if (p->depth >= p->lim.max_depth)
		return fail(p, CB_ELIMIT, p->pos, "nesting deeper than %u levels", p->lim.max_depth);
	if (p->depth == p->frames_cap) {
		size_t cap = p->frames_cap ? p->frames_cap * 2 : 16, bytes;
		struct frame *n;
		if (!cb_mul_ok(cap, sizeof(*n), &bytes) || !(n = realloc(p->frames, bytes)))
			return oom(p);
		p->frames = n;
		p->frames_cap = cap;
	}
	struct frame *f = &p->frames[p->depth++];
	*f = (struct frame){ .base = p->nslots, .open = p->pos, .obj = c == '{' };
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == closer(f)) {
		p->pos++;
		return (rc = close_container(p, v)) < 0 ? rc : 1;
	}
	return f->obj ? parse_key(p) : 0;
}

/* Hands the finished *v to its container and closes every container that ends here. Returns 1 when *v is
 * the top-level value, 0 when the next value of an open container follows (its key read), or an error. */
static int finish_value(struct parser *p, struct json_value *v)
{
	int rc;
	while (p->depth) {
		struct frame *f = &p->frames[p->depth - 1];
		if ((rc = push_slot(p, v, f)) < 0)
			return rc;
		skip_ws(p);
		if (p->pos >= p->len)
			return fail(p, CB_EINVAL, p->pos, "unexpected end of input in the %s opened at offset %zu",
				    f->obj ? "object" : "array", f->open);
		if (p->s[p->pos] == ',') {
			size_t comma = p->pos++;
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == closer(f))
				return fail(p, CB_EINVAL, comma, "trailing comma before '%c'", closer(f));
			return f->obj ? parse_key(p) : 0;
		}
		if (p->s[p->pos] != closer(f))
			return fail(p, CB_EINVAL, p->pos, "expected ',' or '%c' after an %s, found %s", closer(f),
				    f->obj ? "object member" : "array element", show(p, p->pos).s);
		p->pos++;
		if ((rc = close_container(p, v)) < 0)
			return rc;
	}
	return 1;
}

static int parse_doc(struct parser *p)
{
	struct json_value v;
	int rc;
	do {
		if ((rc = begin_value(p, &v)) > 0)
			rc = finish_value(p, &v);
	} while (rc == 0);
	if (rc < 0)
		return rc;
	p->d->root = v;
	skip_ws(p);
	if (p->pos < p->len)
		return fail(p, CB_EINVAL, p->pos, "unexpected %s after the top-level value", show(p, p->pos).s);
	return 0;
}

int json_parse(const void *buf, size_t len, const struct json_limits *lim, struct json_doc **out, struct cb_err *e)
{
	struct parser p = { .s = buf, .len = len, .e = e };
	*out = NULL;
	if (lim)
		p.lim = *lim;
	else
		json_limits_default(&p.lim);
	if (len > p.lim.max_bytes)
		return cb_errf(e, CB_ELIMIT, "json: offset %zu: document larger than %zu bytes", p.lim.max_bytes,
			       p.lim.max_bytes);
	if (!(p.d = calloc(1, sizeof(*p.d))))
		return cb_errf(e, CB_ENOMEM, "json: offset 0: out of memory");
	p.d->next_cap = CHUNK_MIN;
	int rc = parse_doc(&p);
	free(p.slots);
	free(p.frames);
	free(p.order);
	if (rc < 0) {
		json_free(p.d);
		return rc;
	}
	*out = p.d;
	return 0;
}

/* ---- accessors ---- */

const struct json_value *json_root(const struct json_doc *d) { return d ? &d->root : NULL; }

enum json_type json_type(const struct json_value *v) { return v ? (enum json_type)v->type : JSON_NULL; }

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT || !key)
		return NULL;
	size_t klen = strlen(key);
	for (size_t i = 0; i < obj->n; i++)
		if (obj->u.members[i].klen == klen && !memcmp(obj->u.members[i].key, key, klen))
			return &obj->u.members[i].v;
	return NULL;
}

size_t json_count(const struct json_value *v)
{
	return v && (v->type == JSON_ARRAY || v->type == JSON_OBJECT) ? v->n : 0;
}

const struct json_value *json_at(const struct json_value *v, size_t i)
{
	if (i >= json_count(v))
		return NULL;
	return v->type == JSON_ARRAY ? &v->u.items[i] : &v->u.members[i].v;
}

const char *json_key_at(const struct json_value *obj, size_t i)
{
	return obj && obj->type == JSON_OBJECT && i < obj->n ? obj->u.members[i].key : NULL;
}

const char *json_str(const struct json_value *v, size_t *len)
{
	if (!v || v->type != JSON_STRING)
		return NULL;
	if (len)
		*len = v->n;
	return v->u.s;
}

const char *json_get_str(const struct json_value *obj, const char *key) { return json_str(json_get(obj, key), NULL); }

bool json_bool(const struct json_value *v, bool *out)
{
	if (!v || v->type != JSON_BOOL)
		return false;
	*out = v->b;
	return true;
}

/* An integer literal as sign and magnitude; false when v is not one or the magnitude exceeds 64 bits. */
static bool int_parts(const struct json_value *v, bool *neg, uint64_t *mag)
{
	if (!v || v->type != JSON_NUMBER || !v->b)
		return false;
	const char *t = v->u.s;
	uint64_t m = 0;
	*neg = *t == '-';
	for (t += *neg; *t; t++)
		if (!cb_mul_ok(m, (uint64_t)10, &m) || !cb_add_ok(m, (uint64_t)(*t - '0'), &m))
			return false;
	*mag = m;
	return true;
}

bool json_int64(const struct json_value *v, int64_t *out)
{
	bool neg;
	uint64_t m;
	if (!int_parts(v, &neg, &m) || m > (uint64_t)INT64_MAX + neg)
		return false;
	*out = neg && m ? -(int64_t)(m - 1) - 1 : (int64_t)m;
	return true;
}

bool json_uint64(const struct json_value *v, uint64_t *out)
{
	bool neg;
	uint64_t m;
	if (!int_parts(v, &neg, &m) || (neg && m))
		return false;
	*out = m;
	return true;
}

const char *json_number_text(const struct json_value *v) { return v && v->type == JSON_NUMBER ? v->u.s : NULL; }
