/* json_fuzz.c: libFuzzer target for oci/json.c, json_write.c and runtime/common/base64.c: parse, walk every
 * value checking the accessors' invariants, re-serialize through json_quote and re-parse to the same tree. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "json.h"

#define CHECK(cond)                                                                 \
	do {                                                                            \
		if (!(cond)) {                                                              \
			fprintf(stderr, "json_fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                \
		}                                                                           \
	} while (0)

struct out {
	char *buf;
	size_t n, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		o->cap = (o->n + n + 1) * 2;
		o->buf = realloc(o->buf, o->cap);
		CHECK(o->buf);
	}
	memcpy(o->buf + o->n, s, n);
	o->n += n;
	o->buf[o->n] = 0;
}

/* json_quote of s appended to o, checked against a measure-only call and a one-byte-short buffer. */
static void put_quoted(struct out *o, const char *s, size_t len)
{
	size_t need = json_quote(NULL, 0, s);
	CHECK(need >= len + 2 && need <= 6 * len + 2);
	char *q = malloc(need + 1);
	CHECK(q);
	CHECK(json_quote(q, need + 1, s) == need && strlen(q) == need && q[0] == '"' && q[need - 1] == '"');
	char *shortq = malloc(need);
	CHECK(shortq);
	CHECK(json_quote(shortq, need, s) == need && strlen(shortq) == need - 1 && !memcmp(shortq, q, need - 1));
	free(shortq);

	/* the literal alone parses back to exactly the same bytes */
	struct json_doc *d = NULL;
	struct cb_err e;
	size_t back_len = 0;
	CHECK(json_parse(q, need, NULL, &d, &e) == 0);
	const char *back = json_str(json_root(d), &back_len);
	CHECK(back && back_len == len && !memcmp(back, s, len));
	json_free(d);

	put(o, q, need);
	free(q);
}

static bool valid_number(const char *t)
{
	const char *p = t + (*t == '-');
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return false;
	if (*p == '.') {
		if (!(*++p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p += p[1] == '+' || p[1] == '-' ? 2 : 1;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return !*p;
}

/* Walks v (depth is capped by the parser's limit, so recursion here is bounded) into compact JSON. */
static void walk(struct out *o, const struct json_value *v, unsigned depth, size_t *values)
{
	CHECK(v && depth <= 64);
	(*values)++;
	size_t len = 0;
	bool b;
	int64_t i64;
	uint64_t u64;
	char num[32];
	const char *t = json_number_text(v);
	CHECK((json_type(v) == JSON_NUMBER) == (t != NULL));
	CHECK((json_type(v) == JSON_STRING) == (json_str(v, NULL) != NULL));
	CHECK((json_type(v) == JSON_BOOL) == json_bool(v, &b));
	if (json_type(v) != JSON_ARRAY && json_type(v) != JSON_OBJECT)
		CHECK(json_count(v) == 0 && !json_at(v, 0) && !json_key_at(v, 0));
	switch (json_type(v)) {
	case JSON_NULL:
		put(o, "null", 4);
		break;
	case JSON_BOOL:
		put(o, b ? "true" : "false", b ? 4 : 5);
		break;
	case JSON_NUMBER:
		CHECK(valid_number(t));
		if (json_int64(v, &i64)) {
			snprintf(num, sizeof(num), "%" PRId64, i64);
			CHECK(!strcmp(num, t) || (!strcmp(t, "-0") && i64 == 0));
		}
		if (json_uint64(v, &u64)) {
			snprintf(num, sizeof(num), "%" PRIu64, u64);
			CHECK(!strcmp(num, t) || (!strcmp(t, "-0") && u64 == 0));
		}
		if (!strpbrk(t, ".eE") && strlen(t) < 19)
			CHECK(json_int64(v, &i64));
		put(o, t, strlen(t));
		break;
	case JSON_STRING:
		CHECK(json_str(v, &len) && strlen(json_str(v, NULL)) == len);
		put_quoted(o, json_str(v, NULL), len);
		break;
	case JSON_ARRAY:
		put(o, "[", 1);
		for (size_t i = 0; i < json_count(v); i++) {
			if (i)
				put(o, ",", 1);
			CHECK(!json_key_at(v, i));
			walk(o, json_at(v, i), depth + 1, values);
		}
		CHECK(!json_at(v, json_count(v)));
		put(o, "]", 1);
		break;
	case JSON_OBJECT:
		put(o, "{", 1);
		for (size_t i = 0; i < json_count(v); i++) {
			const char *k = json_key_at(v, i);
			if (i)
				put(o, ",", 1);
			CHECK(k);
			/* keys are unique, so the lookup by key finds this very member */
			CHECK(json_get(v, k) == json_at(v, i));
			put_quoted(o, k, strlen(k));
			put(o, ":", 1);
			walk(o, json_at(v, i), depth + 1, values);
		}
		CHECK(!json_at(v, json_count(v)) && !json_key_at(v, json_count(v)));
		put(o, "}", 1);
		break;
	default:
		CHECK(!"unknown type");
	}
}

/* Tight limits only ever add CB_ELIMIT: a document they accept is accepted without them, the same tree. */
static void fuzz_limits(const uint8_t *data, size_t size, int rc, const struct out *full)
{
	const struct json_limits lim = { size, 4, 24, 8 };
	struct json_doc *d = NULL;
	struct cb_err e;
	int rc2 = json_parse(data, size, &lim, &d, &e);
	if (rc2) {
		CHECK(!d && (rc2 == CB_ELIMIT || rc2 == rc));
		return;
	}
	struct out o = { 0 };
	size_t values = 0;
	CHECK(rc == 0);
	walk(&o, json_root(d), 0, &values);
	CHECK(values <= 24 && o.n == full->n && !memcmp(o.buf, full->buf, o.n));
	json_free(d);
	free(o.buf);
}

static void fuzz_json(const uint8_t *data, size_t size)
{
	struct json_doc *d = (struct json_doc *)&d;
	struct cb_err e;
	memset(&e, 0, sizeof(e));
	int rc = json_parse(data, size, NULL, &d, &e);
	if (rc) {
		fuzz_limits(data, size, rc, NULL);
		unsigned long long off;
		CHECK(!d && e.code == rc && (rc == CB_EINVAL || rc == CB_ELIMIT || rc == CB_ENOMEM));
		CHECK(sscanf(e.msg, "json: offset %llu: ", &off) == 1 && off <= size && strlen(e.msg) < sizeof(e.msg) - 1);
		CHECK(!strchr(e.msg, '\n'));
		return;
	}
	struct out a = { 0 }, b = { 0 };
	size_t values = 0, values2 = 0;
	walk(&a, json_root(d), 0, &values);
	CHECK(a.n <= 6 * size + 2);
	json_free(d);
	/* the compact form parses to the same tree, which dumps to the same bytes */
	CHECK(json_parse(a.buf, a.n, NULL, &d, &e) == 0);
	walk(&b, json_root(d), 0, &values2);
	CHECK(values == values2 && a.n == b.n && !memcmp(a.buf, b.buf, a.n));
	json_free(d);
	fuzz_limits(data, size, 0, &a);
	free(a.buf);
	free(b.buf);
}

/* Strict base64 is a bijection: whatever decodes re-encodes to the very same text. */
static void fuzz_base64(const uint8_t *data, size_t size)
{
	size_t cap = b64_decoded_max(size), n = 0;
	uint8_t *raw = malloc(cap + 1);
	struct cb_err e;
	CHECK(raw);
	if (b64_decode((const char *)data, size, raw, cap, &n, &e) == 0) {
		CHECK(n <= cap && b64_encoded_len(n) == size);
		char *enc = malloc(size + 1);
		CHECK(enc);
		b64_encode(raw, n, enc);
		CHECK(!memcmp(enc, data, size));
		free(enc);
		if (n)
			CHECK(b64_decode((const char *)data, size, raw, n - 1, &n, &e) == CB_ELIMIT && n == 0);
	} else {
		CHECK(n == 0 && !strncmp(e.msg, "base64: ", 8));
	}
	free(raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_json(data, size);
	fuzz_base64(data, size);
	return 0;
}
