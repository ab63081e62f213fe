/* knobs.c: tokenizer, checks and precedence store behind knobs.h, one implementation for every source.
 * It does not read files, EFI variables or LoadOptions, and knows nothing of what a knob makes happen. */
#include "knobs.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cb_checked.h"
#include "netcfg.h"

#define PREFIX_LEN (sizeof(KNOBS_PREFIX) - 1)
#define SHOW_MAX 64 /* bytes of a value echoed in a message */

struct knob_entry {
	char *key;                  /* canonical short name: "disk.fs" */
	char *value;                /* "" = back to the default */
	const struct knob_def *def; /* NULL: a key we do not know */
	enum knob_source src;
};

struct wlist {
	char *w[KNOBS_MAX_WARNINGS];
	size_t n, dropped;
};

struct other {
	char *text; /* NUL-terminated, NULL when empty */
	size_t len, count;
};

struct knobs {
	struct knob_entry ent[KNOBS_MAX_KNOBS];
	size_t n;
	struct other other[KNOB_SRC_COUNT];
	struct wlist warn;
};

/* One parse (or knobs_set): what it will add to the store if it succeeds. */
struct staged {
	char *key, *value;
	const struct knob_def *def;
};
struct pctx {
	const char *text;
	size_t len;
	enum knob_source src;
	bool config;
	struct cb_err *e;
	struct staged st[KNOBS_MAX_KNOBS];
	size_t nst;
	struct wlist warn;
	struct other other;
	size_t other_cap;
	size_t line_off, line_no; /* where(): the line of offset line_off, so counting is not quadratic */
};

/* ---- sources ---- */

static const struct {
	const char *name;
	unsigned rank;
} sources[KNOB_SRC_COUNT] = {
	[KNOB_SRC_DEFAULT] = { "default", 0 },
	[KNOB_SRC_CONFIG] = { "cloudboot.cfg", 1 },
	[KNOB_SRC_EFIVAR] = { KNOBS_EFIVAR_CMDLINE, 2 },
	[KNOB_SRC_LOADOPTIONS] = { "LoadOptions", 3 },
	[KNOB_SRC_PROC_CMDLINE] = { "/proc/cmdline", 3 },
	[KNOB_SRC_METADATA] = { "metadata", 4 },
};

static bool src_ok(enum knob_source src) { return (unsigned)src < KNOB_SRC_COUNT; }

const char *knob_source_name(enum knob_source src) { return src_ok(src) ? sources[src].name : "?"; }

unsigned knob_source_rank(enum knob_source src) { return src_ok(src) ? sources[src].rank : 0; }

/* ---- small helpers ---- */

static bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

static char *dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

static bool is_secret(const struct knob_def *d, const char *key)
{
	return (d && (d->flags & KNOB_F_SECRET)) || knob_key_is_secret(key);
}

/* Where an offset of the text is, for messages: "LoadOptions" or "cloudboot.cfg line 3". Offsets mostly
 * grow during a parse, so the line count resumes from the previous call. */
static void where(struct pctx *p, size_t off, char *buf, size_t size)
{
	if (!p->config || !p->text) {
		snprintf(buf, size, "%s", knob_source_name(p->src));
		return;
	}
	if (off > p->len)
		off = p->len;
	if (p->line_no == 0 || off < p->line_off) {
		p->line_off = 0;
		p->line_no = 1;
	}
	for (size_t i = p->line_off; i < off; i++)
		p->line_no += p->text[i] == '\n';
	p->line_off = off;
	snprintf(buf, size, "%s line %zu", knob_source_name(p->src), p->line_no);
}

/* A value as messages show it: at most SHOW_MAX bytes (never half a UTF-8 sequence), then "...". The values
 * reaching here have passed check_text, so they hold no control characters. */
static void show_value(const char *v, char *out, size_t size)
{
	size_t n = strlen(v);
	if (n <= SHOW_MAX) {
		snprintf(out, size, "%s", v);
		return;
	}
	n = SHOW_MAX;
	while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
		n--;
	snprintf(out, size, "%.*s...", (int)n, v);
}

/* A printable-ASCII rendering of untrusted bytes (non-cloudboot tokens may hold anything but NUL). */
static void show_raw(const char *s, size_t n, char *out, size_t size)
{
	size_t max = size - 4, j = 0;
	for (size_t i = 0; i < n && j < max; i++) {
		unsigned char c = (unsigned char)s[i];
		out[j++] = (c >= 0x20 && c < 0x7f && c != '"') ? (char)c : '?';
	}
	if (j == max && n > max) {
		memcpy(out + j, "...", 3);
		j += 3;
	}
	out[j] = 0;
}

/* Checks bytes for well-formed UTF-8 without control characters (C0 but tab, DEL, C1). Returns 0, or 1 with
 * *bad = offset and *cp = the control character, or 2 with *bad = offset of malformed UTF-8. */
static int check_text(const unsigned char *s, size_t n, size_t *bad, uint32_t *cp)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		uint32_t u;
		size_t len;
		unsigned char lo = 0x80, hi = 0xbf;
		if (c < 0x80) {
			u = c;
			len = 1;
		} else if (c >= 0xc2 && c <= 0xdf) {
			u = c & 0x1f;
			len = 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			u = c & 0x0f;
			len = 3;
			if (c == 0xe0)
				lo = 0xa0;
			if (c == 0xed)
				hi = 0x9f; /* no surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			u = c & 0x07;
			len = 4;
			if (c == 0xf0)
				lo = 0x90;
			if (c == 0xf4)
				hi = 0x8f;
		} else {
			*bad = i;
			return 2;
		}
		if (len > n - i) {
			*bad = i;
			return 2;
		}
		for (size_t j = 1; j < len; j++) {
			unsigned char t = s[i + j];
			if (t < (j == 1 ? lo : 0x80) || t > (j == 1 ? hi : 0xbf)) {
				*bad = i;
				return 2;
			}
			u = u << 6 | (t & 0x3f);
		}
		if ((u < 0x20 && u != '\t') || (u >= 0x7f && u <= 0x9f)) {
			*bad = i;
			*cp = u;
			return 1;
		}
		i += len;
	}
	return 0;
}

/* Checks bytes of a token (p->text set: offsets are reported) or of the value of `key` (knobs_set). */
static int check_text_err(struct pctx *p, const char *s, size_t n, size_t base, const char *key)
{
	size_t bad = 0;
	uint32_t cp = 0;
	char w[64];
	switch (check_text((const unsigned char *)s, n, &bad, &cp)) {
	case 0: return 0;
	case 1:
		where(p, base + bad, w, sizeof(w));
		if (!key)
			return cb_errf(p->e, CB_EINVAL, "knobs: control character U+%04X at byte %zu (%s)", (unsigned)cp,
			               base + bad, w);
		return cb_errf(p->e, CB_EINVAL, "knobs: " KNOBS_PREFIX "%s (%s): control character U+%04X in the value",
		               key, w, (unsigned)cp);
	default:
		where(p, base + bad, w, sizeof(w));
		if (!key)
			return cb_errf(p->e, CB_EINVAL, "knobs: invalid UTF-8 at byte %zu (%s)", base + bad, w);
		return cb_errf(p->e, CB_EINVAL, "knobs: " KNOBS_PREFIX "%s (%s): invalid UTF-8 in the value", key, w);
	}
}

static void wlist_free(struct wlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->w[i]);
	l->n = l->dropped = 0;
}

static void warnf(struct wlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(struct wlist *l, const char *fmt, ...)
{
	if (l->n >= KNOBS_MAX_WARNINGS) {
		l->dropped++;
		return;
	}
	char buf[CB_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char *w = dupn(buf, strlen(buf));
	if (!w) {
		l->dropped++;
		return;
	}
	l->w[l->n++] = w;
}

/* Moves the warnings of `from` to the end of `to`. */
static void wlist_move(struct wlist *to, struct wlist *from)
{
	for (size_t i = 0; i < from->n; i++) {
		if (to->n < KNOBS_MAX_WARNINGS)
			to->w[to->n++] = from->w[i];
		else {
			free(from->w[i]);
			to->dropped++;
		}
	}
	to->dropped += from->dropped;
	from->n = from->dropped = 0;
}

/* ---- names ---- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[KNOBS_MAX_KEY + 2];
	if (lb > KNOBS_MAX_KEY)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The known name nearest to an unknown one (edit distance <= 2), or NULL. */
static const char *suggest(const char *key)
{
	const char *best = NULL;
	size_t bestd = 3, kl = strlen(key);
	for (size_t i = 0; i < knob_table_len; i++) {
		size_t tl = strlen(knob_table[i].name);
		if (tl + 2 < kl || kl + 2 < tl)
			continue;
		size_t d = edit_distance(knob_table[i].name, key);
		if (d < bestd) {
			bestd = d;
			best = knob_table[i].name;
		}
	}
	return best;
}

/* A key after "cloudboot.": [A-Za-z0-9._-], dot-separated non-empty parts, at most KNOBS_MAX_KEY bytes.
 * Returns the canonical copy ('_' becomes '-') or NULL with *oom telling why. */
static char *canon_key(const char *k, size_t n, bool *oom)
{
	*oom = false;
	if (n == 0 || n > KNOBS_MAX_KEY || k[0] == '.' || k[n - 1] == '.')
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		          c == '_' || c == '.';
		if (!ok || (c == '.' && k[i + 1] == '.'))
			return NULL;
	}
	char *out = dupn(k, n);
	if (!out) {
		*oom = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (out[i] == '_')
			out[i] = '-';
	return out;
}

/* ---- values ---- */

static bool parse_bool(const char *v, bool *out)
{
	static const char *const t[] = { "1", "true", "yes", "on" }, *const f[] = { "0", "false", "no", "off" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, t[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(v, f[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool parse_u32(const char *v, uint32_t *out)
{
	uint32_t x = 0;
	if (!*v)
		return false;
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return false;
		if (!cb_mul_ok(x, 10u, &x) || !cb_add_ok(x, (uint32_t)(*v - '0'), &x))
			return false;
	}
	*out = x;
	return true;
}

static bool has_space(const char *v) { return strchr(v, ' ') || strchr(v, '\t'); }

/* Checks a non-empty value against its knob's type; on failure writes why into `why`. */
static bool check_value(const struct knob_def *d, const char *v, char *why, size_t size)
{
	switch (d->type) {
	case KNOB_BOOL: {
		bool b;
		if (parse_bool(v, &b))
			return true;
		snprintf(why, size, "expected a boolean (0, 1, true, false, yes, no, on, off)");
		return false;
	}
	case KNOB_ENUM: {
		size_t o = 0;
		for (size_t i = 0; d->values[i]; i++)
			if (strcmp(v, d->values[i]) == 0)
				return true;
		o += (size_t)snprintf(why, size, "expected one of ");
		for (size_t i = 0; d->values[i] && o < size; i++)
			o += (size_t)snprintf(why + o, size - o, "%s%s", i ? ", " : "", d->values[i]);
		return false;
	}
	case KNOB_UINT: {
		uint32_t x;
		if (parse_u32(v, &x) && x >= d->min && x <= d->max)
			return true;
		snprintf(why, size, "expected a decimal number %" PRIu32 "..%" PRIu32, d->min, d->max);
		return false;
	}
	case KNOB_STRING: return true;
	case KNOB_URL: {
		size_t skip = strncasecmp(v, "http://", 7) == 0 ? 7 : strncasecmp(v, "https://", 8) == 0 ? 8 : 0;
		if (skip && v[skip] && !strchr("/?#:@", v[skip]) && !has_space(v))
			return true;
		snprintf(why, size, "expected an http:// or https:// URL with a host and no spaces");
		return false;
	}
	case KNOB_OCI_REF:
		if (!has_space(v))
			return true;
		snprintf(why, size, "expected an OCI reference (no spaces)");
		return false;
	case KNOB_NETCFG: {
		struct cb_err e = { 0 };
		if (netcfg_parse(v, strlen(v), NULL, &e) == 0)
			return true;
		snprintf(why, size, "%s", e.msg);
		return false;
	}
	}
	snprintf(why, size, "unknown type");
	return false;
}

/* ---- staging and commit ---- */

static void staged_free(struct pctx *p)
{
	for (size_t i = 0; i < p->nst; i++) {
		free(p->st[i].key);
		free(p->st[i].value);
	}
	p->nst = 0;
	wlist_free(&p->warn);
	free(p->other.text);
	p->other.text = NULL;
}

/* Takes ownership of key and value (both freed on error). `off` is where the token starts. */
static int stage(struct pctx *p, char *key, char *value, size_t off)
{
	char w[64], shown[SHOW_MAX + 8], why[CB_ERR_MSG_MAX];
	const struct knob_def *d = knob_lookup(key);
	if (p->nst >= KNOBS_MAX_KNOBS) {
		where(p, off, w, sizeof(w));
		free(key);
		free(value);
		return cb_errf(p->e, CB_ELIMIT, "knobs: more than %u cloudboot.* settings (%s)", KNOBS_MAX_KNOBS, w);
	}
	if (d && value[0] && !check_value(d, value, why, sizeof(why))) {
		where(p, off, w, sizeof(w));
		if (is_secret(d, key))
			snprintf(shown, sizeof(shown), "***");
		else
			show_value(value, shown, sizeof(shown));
		int rc = cb_errf(p->e, CB_EINVAL, "knobs: " KNOBS_PREFIX "%s=%s (%s): %s", key, shown, w, why);
		free(key);
		free(value);
		return rc;
	}
	if (!d) {
		const char *s = suggest(key);
		where(p, off, w, sizeof(w));
		if (s)
			warnf(&p->warn, "knobs: " KNOBS_PREFIX "%s (%s): unknown key, ignored (did you mean " KNOBS_PREFIX "%s?)",
			      key, w, s);
		else
			warnf(&p->warn, "knobs: " KNOBS_PREFIX "%s (%s): unknown key, ignored", key, w);
	}
	p->st[p->nst++] = (struct staged){ .key = key, .value = value, .def = d };
	return 0;
}

static struct knob_entry *find(const struct knobs *k, const char *key)
{
	if (!k || !key)
		return NULL;
	for (size_t i = 0; i < k->n; i++)
		if (knob_name_eq(key, k->ent[i].key))
			return (struct knob_entry *)&k->ent[i];
	return NULL;
}

static int append_other(struct other *o, size_t *cap, const char *s, size_t n)
{
	size_t need;
	if (!cb_add_ok(o->len, n, &need) || !cb_add_ok(need, (size_t)2, &need))
		return CB_ELIMIT;
	if (need > *cap) {
		size_t nc = *cap ? *cap : 64;
		while (nc < need)
			nc *= 2;
		char *t = realloc(o->text, nc);
		if (!t)
			return CB_ENOMEM;
		o->text = t;
		*cap = nc;
	}
	if (o->len)
		o->text[o->len++] = ' ';
	memcpy(o->text + o->len, s, n);
	o->len += n;
	o->text[o->len] = 0;
	o->count++;
	return 0;
}

/* Applies a successful parse: all or nothing. */
static int commit(struct knobs *k, struct pctx *p)
{
	size_t fresh = 0;
	for (size_t i = 0; i < p->nst; i++) {
		if (find(k, p->st[i].key))
			continue;
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = strcmp(p->st[i].key, p->st[j].key) == 0;
		fresh += !dup;
	}
	if (k->n + fresh > KNOBS_MAX_KNOBS)
		return cb_errf(p->e, CB_ELIMIT, "knobs: more than %u distinct knobs (%s)", KNOBS_MAX_KNOBS,
		               knob_source_name(p->src));
	struct other *o = &k->other[p->src];
	if (p->other.len) {
		size_t need;
		char *t;
		if (!cb_add_ok(o->len, p->other.len, &need) || !cb_add_ok(need, (size_t)2, &need) ||
		    !(t = realloc(o->text, need)))
			return cb_errf(p->e, CB_ENOMEM, "knobs: out of memory (%s)", knob_source_name(p->src));
		if (o->len)
			t[o->len++] = ' ';
		memcpy(t + o->len, p->other.text, p->other.len + 1);
		o->text = t;
		o->len += p->other.len;
	}
	o->count += p->other.count;
	for (size_t i = 0; i < p->nst; i++) {
		struct staged *s = &p->st[i];
		struct knob_entry *e = find(k, s->key);
		if (!e) {
			e = &k->ent[k->n++];
			*e = (struct knob_entry){ .key = s->key, .value = s->value, .def = s->def, .src = p->src };
		} else if (knob_source_rank(e->src) <= knob_source_rank(p->src)) {
			free(e->value);
			e->value = s->value;
			e->src = p->src;
			free(s->key);
		} else {
			free(s->key);
			free(s->value);
		}
		s->key = s->value = NULL;
	}
	p->nst = 0;
	wlist_move(&k->warn, &p->warn);
	return 0;
}

/* ---- the tokenizer ---- */

/* One token: text[start, end) raw, dec[0, dlen) with the quotes removed. */
static int token(struct pctx *p, size_t start, size_t end, const char *dec, size_t dlen)
{
	char w[64];
	if (dlen < PREFIX_LEN || memcmp(dec, KNOBS_PREFIX, PREFIX_LEN) != 0) {
		/* Not echoed: a stray space can turn half of a secret into a token of its own. */
		if (p->config) {
			where(p, start, w, sizeof(w));
			warnf(&p->warn, "knobs: token at byte %zu (%s) is not a cloudboot.* setting, ignored", start, w);
		}
		if (append_other(&p->other, &p->other_cap, p->text + start, end - start))
			return cb_errf(p->e, CB_ENOMEM, "knobs: out of memory (%s)", knob_source_name(p->src));
		return 0;
	}
	int rc = check_text_err(p, p->text + start, end - start, start, NULL);
	if (rc)
		return rc;
	const char *eq = memchr(dec, '=', dlen);
	size_t klen = (eq ? (size_t)(eq - dec) : dlen) - PREFIX_LEN;
	bool oom;
	char *key = canon_key(dec + PREFIX_LEN, klen, &oom);
	if (!key) {
		if (oom)
			return cb_errf(p->e, CB_ENOMEM, "knobs: out of memory (%s)", knob_source_name(p->src));
		char shown[SHOW_MAX + 8];
		show_raw(dec, klen + PREFIX_LEN, shown, sizeof(shown));
		where(p, start, w, sizeof(w));
		return cb_errf(p->e, CB_EINVAL, "knobs: malformed key \"%s\" at byte %zu (%s)", shown, start, w);
	}
	char *value = eq ? dupn(eq + 1, dlen - (size_t)(eq + 1 - dec)) : dupn("1", 1);
	if (!value) {
		free(key);
		return cb_errf(p->e, CB_ENOMEM, "knobs: out of memory (%s)", knob_source_name(p->src));
	}
	return stage(p, key, value, start);
}

static int tokenize(struct pctx *p, char *buf)
{
	const char *t = p->text;
	size_t len = p->len, pos = 0;
	char w[64];
	while (pos < len) {
		unsigned char c = (unsigned char)t[pos];
		if (is_space(c)) {
			pos++;
			continue;
		}
		if (p->config && c == '#') {
			while (pos < len && t[pos] != '\n')
				pos++;
			continue;
		}
		size_t start = pos, dlen = 0, qstart = 0;
		bool inq = false;
		while (pos < len) {
			c = (unsigned char)t[pos];
			if (!inq && is_space(c))
				break;
			if (inq && p->config && c == '\n')
				break; /* a quote does not span lines in a config file */
			if (pos - start >= KNOBS_MAX_TOKEN) {
				where(p, start, w, sizeof(w));
				return cb_errf(p->e, CB_ELIMIT, "knobs: token at byte %zu is longer than %u bytes (%s)", start,
				               KNOBS_MAX_TOKEN, w);
			}
			pos++;
			if (c == '"') {
				inq = !inq;
				if (inq)
					qstart = pos - 1;
				continue;
			}
			buf[dlen++] = (char)c;
		}
		if (inq) {
			where(p, qstart, w, sizeof(w));
			return cb_errf(p->e, CB_EINVAL, "knobs: unterminated quote at byte %zu (%s)", qstart, w);
		}
		buf[dlen] = 0;
		int rc = token(p, start, pos, buf, dlen);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- API ---- */

struct knobs *knobs_new(void) { return calloc(1, sizeof(struct knobs)); }

void knobs_free(struct knobs *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++) {
		free(k->ent[i].key);
		free(k->ent[i].value);
	}
	for (size_t s = 0; s < KNOB_SRC_COUNT; s++)
		free(k->other[s].text);
	wlist_free(&k->warn);
	free(k);
}

int knobs_parse(struct knobs *k, enum knob_source src, const char *text, size_t len, struct cb_err *e)
{
	if (!k || !src_ok(src) || (!text && len))
		return cb_errf(e, CB_EINVAL, "knobs: invalid arguments");
	while (len && text[len - 1] == 0)
		len--;
	if (len > KNOBS_MAX_INPUT)
		return cb_errf(e, CB_ELIMIT, "knobs: input of %zu bytes exceeds the limit of %u (%s)", len,
		               KNOBS_MAX_INPUT, knob_source_name(src));
	const char *nul = len ? memchr(text, 0, len) : NULL;
	if (nul)
		return cb_errf(e, CB_EINVAL, "knobs: NUL byte at byte %zu (%s)", (size_t)(nul - text),
		               knob_source_name(src));
	struct pctx *p = calloc(1, sizeof(*p));
	char *buf = malloc(KNOBS_MAX_TOKEN + 1);
	if (!p || !buf) {
		free(p);
		free(buf);
		return cb_errf(e, CB_ENOMEM, "knobs: out of memory (%s)", knob_source_name(src));
	}
	p->text = text;
	p->len = len;
	p->src = src;
	p->config = src == KNOB_SRC_CONFIG;
	p->e = e;
	int rc = tokenize(p, buf);
	if (rc == 0)
		rc = commit(k, p);
	staged_free(p);
	free(p);
	free(buf);
	return rc;
}

int knobs_set(struct knobs *k, enum knob_source src, const char *key, const char *value, struct cb_err *e)
{
	if (!k || !src_ok(src) || !key || !value)
		return cb_errf(e, CB_EINVAL, "knobs: invalid arguments");
	struct pctx *p = calloc(1, sizeof(*p));
	if (!p)
		return cb_errf(e, CB_ENOMEM, "knobs: out of memory (%s)", knob_source_name(src));
	p->src = src;
	p->e = e;
	int rc;
	if (strncmp(key, KNOBS_PREFIX, PREFIX_LEN) == 0)
		key += PREFIX_LEN;
	size_t klen = strnlen(key, KNOBS_MAX_KEY + 1), vlen = strnlen(value, KNOBS_MAX_TOKEN + 1);
	bool oom;
	char *ck = canon_key(key, klen, &oom), *cv = NULL;
	if (!ck) {
		char shown[SHOW_MAX + 8];
		show_raw(key, klen, shown, sizeof(shown));
		rc = oom ? cb_errf(e, CB_ENOMEM, "knobs: out of memory (%s)", knob_source_name(src))
		         : cb_errf(e, CB_EINVAL, "knobs: malformed key \"" KNOBS_PREFIX "%s\" (%s)", shown,
		                   knob_source_name(src));
	} else if (vlen > KNOBS_MAX_TOKEN) {
		rc = cb_errf(e, CB_ELIMIT, "knobs: " KNOBS_PREFIX "%s (%s): value longer than %u bytes", ck,
		             knob_source_name(src), KNOBS_MAX_TOKEN);
	} else if ((rc = check_text_err(p, value, vlen, 0, ck)) != 0) {
		/* message set */
	} else if (!(cv = dupn(value, vlen))) {
		rc = cb_errf(e, CB_ENOMEM, "knobs: out of memory (%s)", knob_source_name(src));
	} else {
		rc = stage(p, ck, cv, 0);
		ck = cv = NULL;
		if (rc == 0)
			rc = commit(k, p);
	}
	free(ck);
	staged_free(p);
	free(p);
	return rc;
}

const char *knobs_get(const struct knobs *k, const char *key)
{
	const struct knob_entry *e = find(k, key);
	if (e && e->value[0])
		return e->value;
	const struct knob_def *d = e ? e->def : knob_lookup(key);
	return d ? d->dflt : NULL;
}

bool knobs_is_set(const struct knobs *k, const char *key)
{
	const struct knob_entry *e = find(k, key);
	return e && e->value[0];
}

enum knob_source knobs_source(const struct knobs *k, const char *key)
{
	const struct knob_entry *e = find(k, key);
	return e ? e->src : KNOB_SRC_DEFAULT;
}

bool knobs_bool(const struct knobs *k, const char *key, bool dflt)
{
	const char *v = knobs_get(k, key);
	bool b;
	return v && parse_bool(v, &b) ? b : dflt;
}

uint32_t knobs_u32(const struct knobs *k, const char *key, uint32_t dflt)
{
	const char *v = knobs_get(k, key);
	uint32_t x;
	return v && parse_u32(v, &x) ? x : dflt;
}

static const char *src_of(const struct knobs *k, const char *key) { return knob_source_name(knobs_source(k, key)); }

int knobs_validate(struct knobs *k, unsigned flags, struct cb_err *e)
{
	if (!k)
		return cb_errf(e, CB_EINVAL, "knobs: invalid arguments");
	static const char *const boot[] = { "disk", "plan", "index" };
	const char *set[3];
	size_t n = 0;
	for (size_t i = 0; i < 3; i++)
		if (knobs_is_set(k, boot[i]))
			set[n++] = boot[i];
	if (n > 1)
		return cb_errf(e, CB_EINVAL,
		               "knobs: " KNOBS_PREFIX "%s (%s) and " KNOBS_PREFIX "%s (%s) are both set; exactly one boot "
		               "source is allowed: " KNOBS_PREFIX "disk=, " KNOBS_PREFIX "plan= or " KNOBS_PREFIX "index=",
		               set[0], src_of(k, set[0]), set[1], src_of(k, set[1]));
	if (n == 0 && (flags & KNOBS_NEED_BOOT_SOURCE))
		return cb_errf(e, CB_EINVAL,
		               "knobs: no boot source: set " KNOBS_PREFIX "disk=, " KNOBS_PREFIX "plan= or " KNOBS_PREFIX
		               "index=");

	if (knobs_is_set(k, "plan.modpack") && !knobs_is_set(k, "plan") && !knobs_is_set(k, "index"))
		warnf(&k->warn, "knobs: " KNOBS_PREFIX "plan.modpack (%s) has no effect without " KNOBS_PREFIX
		      "plan or " KNOBS_PREFIX "index", src_of(k, "plan.modpack"));
	if (knobs_is_set(k, "net.static") && knobs_bool(k, "net.skip", false))
		warnf(&k->warn, "knobs: " KNOBS_PREFIX "net.static (%s) has no effect with " KNOBS_PREFIX "net.skip=1",
		      src_of(k, "net.static"));
	static const char *const os[] = { "openstack.auth-url", "openstack.app-cred-id", "openstack.app-cred-secret" };
	size_t nos = 0;
	for (size_t i = 0; i < 3; i++)
		nos += knobs_is_set(k, os[i]);
	if (nos && nos < 3)
		for (size_t i = 0; i < 3; i++)
			if (!knobs_is_set(k, os[i]))
				warnf(&k->warn, "knobs: OpenStack credentials are incomplete: " KNOBS_PREFIX "%s is not set",
				      os[i]);
	return 0;
}

size_t knobs_warning_count(const struct knobs *k) { return k ? k->warn.n : 0; }

const char *knobs_warning(const struct knobs *k, size_t i) { return k && i < k->warn.n ? k->warn.w[i] : NULL; }

size_t knobs_warnings_dropped(const struct knobs *k) { return k ? k->warn.dropped : 0; }

void knobs_clear_warnings(struct knobs *k)
{
	if (k)
		wlist_free(&k->warn);
}

const char *knobs_other(const struct knobs *k, enum knob_source src, size_t *count)
{
	if (!k || !src_ok(src)) {
		if (count)
			*count = 0;
		return "";
	}
	if (count)
		*count = k->other[src].count;
	return k->other[src].text ? k->other[src].text : "";
}

static int dump_line(const char *key, const char *value, const struct knob_def *d, enum knob_source src,
                     knobs_write_fn *write, void *ctx)
{
	const char *v = is_secret(d, key) && value[0] ? "***" : value;
	const char *q = has_space(v) ? "\"" : "";
	size_t n = PREFIX_LEN + strlen(key) + strlen(v) + strlen(knob_source_name(src)) + 16;
	char *line = malloc(n);
	if (!line)
		return CB_ENOMEM;
	snprintf(line, n, KNOBS_PREFIX "%s=%s%s%s (%s)", key, q, v, q, knob_source_name(src));
	write(ctx, line);
	free(line);
	return 0;
}

int knobs_dump(const struct knobs *k, knobs_write_fn *write, void *ctx)
{
	if (!k || !write)
		return CB_EINVAL;
	int rc = 0;
	for (size_t i = 0; i < knob_table_len && !rc; i++) {
		const struct knob_def *d = &knob_table[i];
		const struct knob_entry *e = find(k, d->name);
		if (e)
			rc = dump_line(d->name, e->value, d, e->src, write, ctx);
		else if (d->dflt)
			rc = dump_line(d->name, d->dflt, d, KNOB_SRC_DEFAULT, write, ctx);
	}
	for (size_t i = 0; i < k->n && !rc; i++)
		if (!k->ent[i].def)
			rc = dump_line(k->ent[i].key, k->ent[i].value, NULL, k->ent[i].src, write, ctx);
	return rc;
}
