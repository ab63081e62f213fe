/* json_test.c: table-driven host tests of oci/json.c and oci/json_write.c: valid documents dumped through the
 * accessors, every rejection with its exact message and offset, limits, deep nesting, integers, json_quote and
 * json_write_value. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"

/* ---- a dump of a tree through the public accessors only ---- */

struct out {
	char buf[8192];
	size_t n;
	bool overflow;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->n + n >= sizeof(o->buf)) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->n, s, n);
	o->n += n;
	o->buf[o->n] = 0;
}

static void put_quoted(struct out *o, const char *s)
{
	char q[2048];
	size_t n = json_quote(q, sizeof(q), s);
	if (n >= sizeof(q))
		o->overflow = true;
	else
		put(o, q, n);
}

/* Compact JSON, strings re-quoted with json_quote; also checks the accessors agree with each other. */
static void dump(struct out *o, const struct json_value *v)
{
	size_t len;
	bool b;
	switch (json_type(v)) {
	case JSON_NULL:
		put(o, "null", 4);
		break;
	case JSON_BOOL:
		CHECK(json_bool(v, &b), "json_bool on a bool");
		put(o, b ? "true" : "false", b ? 4 : 5);
		break;
	case JSON_NUMBER:
		put(o, json_number_text(v), strlen(json_number_text(v)));
		break;
	case JSON_STRING:
		CHECK(json_str(v, &len) && strlen(json_str(v, NULL)) == len, "string length");
		put_quoted(o, json_str(v, NULL));
		break;
	case JSON_ARRAY:
		put(o, "[", 1);
		for (size_t i = 0; i < json_count(v); i++) {
			if (i)
				put(o, ",", 1);
			CHECK(!json_key_at(v, i), "json_key_at on an array");
			dump(o, json_at(v, i));
		}
		CHECK(!json_at(v, json_count(v)), "json_at past the end");
		put(o, "]", 1);
		break;
	case JSON_OBJECT:
		put(o, "{", 1);
		for (size_t i = 0; i < json_count(v); i++) {
			if (i)
				put(o, ",", 1);
			put_quoted(o, json_key_at(v, i));
			put(o, ":", 1);
			CHECK(json_get(v, json_key_at(v, i)) == json_at(v, i), "json_get(key_at(i)) == at(i)");
			dump(o, json_at(v, i));
		}
		CHECK(!json_at(v, json_count(v)) && !json_key_at(v, json_count(v)), "json_at past the end");
		put(o, "}", 1);
		break;
	}
}

static int parse(const char *in, size_t len, const struct json_limits *lim, struct json_doc **d, struct cb_err *e)
{
	memset(e, 0, sizeof(*e));
	return json_parse(in, len ? len : strlen(in), lim, d, e);
}

/* ---- valid documents ---- */

struct ok_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *dump;
};

static const struct ok_case ok_cases[] = {
	/* every type at top level, whitespace around */
	{ "null", 0, "null" },
	{ "true", 0, "true" },
	{ "false", 0, "false" },
	{ "0", 0, "0" },
	{ "\"\"", 0, "\"\"" },
	{ "[]", 0, "[]" },
	{ "{}", 0, "{}" },
	{ " \t\r\n null \t\r\n ", 0, "null" },
	{ "[ ]", 0, "[]" },
	{ "{\n}", 0, "{}" },
	{ "[1 , 2\t,\n3\r]", 0, "[1,2,3]" },
	{ "{ \"a\" : 1 , \"b\" :[ ] }", 0, "{\"a\":1,\"b\":[]}" },
	/* numbers are kept as written */
	{ "-0", 0, "-0" },
	{ "[0,-1,10,123456789012345678901234567890]", 0, "[0,-1,10,123456789012345678901234567890]" },
	{ "[0.5,-0.0,1e5,1E+5,1e-05,2.50E-3,0e0]", 0, "[0.5,-0.0,1e5,1E+5,1e-05,2.50E-3,0e0]" },
	/* member order is kept, nested containers */
	{ "{\"z\":1,\"a\":2,\"m\":3}", 0, "{\"z\":1,\"a\":2,\"m\":3}" },
	{ "[[[]],{\"a\":{\"b\":[null,true,false]}},[{}]]", 0, "[[[]],{\"a\":{\"b\":[null,true,false]}},[{}]]" },
	/* escapes: every short one, \u in both cases, surrogate pairs */
	{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0, "\"\\\"\\\\/\\b\\f\\n\\r\\t\"" },
	{ "\"\\u0041\\u00e9\\u00E9\\u20ac\"", 0, "\"A\xc3\xa9\xc3\xa9\xe2\x82\xac\"" },
	{ "\"\\u0001\\u001f\\u007f\"", 0, "\"\\u0001\\u001f\x7f\"" },
	{ "\"\\ud83d\\ude00\"", 0, "\"\xf0\x9f\x98\x80\"" },
	{ "\"\\uD800\\uDC00\\uDBFF\\uDFFF\"", 0, "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"" },
	{ "\"\\uFFFF\\uE000\\uD7FF\"", 0, "\"\xef\xbf\xbf\xee\x80\x80\xed\x9f\xbf\"" },
	/* raw UTF-8 at every length boundary, DEL allowed raw */
	{ "\"\xc2\x80\xdf\xbf\"", 0, "\"\xc2\x80\xdf\xbf\"" },
	{ "\"\xe0\xa0\x80\xef\xbf\xbf\xed\x9f\xbf\xee\x80\x80\"", 0, "\"\xe0\xa0\x80\xef\xbf\xbf\xed\x9f\xbf\xee\x80\x80\"" },
	{ "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"", 0, "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"" },
	{ "\"a\x7f" "b\"", 0, "\"a\x7f" "b\"" },
	/* keys that differ only in length or by one byte are not duplicates; "" is a key */
	{ "{\"a\":1,\"aa\":2,\"\":3,\"b\":4,\"A\":5}", 0, "{\"a\":1,\"aa\":2,\"\":3,\"b\":4,\"A\":5}" },
	{ "{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":2}}", 0, "{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":2}}" },
	/* a key and a value written with different escapes but the same bytes */
	{ "{\"\\u0061\":\"\\u0061\"}", 0, "{\"a\":\"a\"}" },
};

static void test_ok(void)
{
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *c = &ok_cases[i];
		struct json_doc *d = NULL;
		struct cb_err e;
		int rc = parse(c->in, c->len, NULL, &d, &e);
		CHECK(rc == 0 && d, "ok[%zu] %s: rc %d: %s", i, c->in, rc, e.msg);
		if (rc)
			continue;
		struct out o = { .n = 0 };
		dump(&o, json_root(d));
		CHECK(!o.overflow && !strcmp(o.buf, c->dump), "ok[%zu]: dump %s, want %s", i, o.buf, c->dump);
		/* json_write_value writes the same compact text, measures it, and cuts it NUL-terminated */
		size_t want = strlen(c->dump);
		char *w = malloc(want + 2);
		CHECK(json_write_value(NULL, 0, json_root(d)) == want, "ok[%zu]: write_value measure", i);
		CHECK(w && json_write_value(w, want + 1, json_root(d)) == want && !strcmp(w, c->dump),
		      "ok[%zu]: write_value %s", i, w ? w : "");
		CHECK(w && json_write_value(w, want, json_root(d)) == want && strlen(w) == want - 1 &&
		      !memcmp(w, c->dump, want - 1), "ok[%zu]: write_value cut", i);
		free(w);
		json_free(d);
	}
}

/* ---- rejections: exact message, which names the offset ---- */

struct bad_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	int rc;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	/* empty, trailing data, several values */
	{ "", 0, CB_EINVAL, "json: offset 0: expected a value, found end of input" },
	{ " \n\t ", 0, CB_EINVAL, "json: offset 4: expected a value, found end of input" },
	{ "1 2", 0, CB_EINVAL, "json: offset 2: unexpected '2' after the top-level value" },
	{ "{} {}", 0, CB_EINVAL, "json: offset 3: unexpected '{' after the top-level value" },
	{ "null,", 0, CB_EINVAL, "json: offset 4: unexpected ',' after the top-level value" },
	{ "[]]", 0, CB_EINVAL, "json: offset 2: unexpected ']' after the top-level value" },
	{ "nullx", 0, CB_EINVAL, "json: offset 4: unexpected 'x' after the top-level value" },
	{ "0\0", 2, CB_EINVAL, "json: offset 1: unexpected byte 0x00 after the top-level value" },
	/* only the four RFC whitespace bytes, no BOM */
	{ "\f1", 0, CB_EINVAL, "json: offset 0: expected a value, found byte 0x0c" },
	{ "\v1", 0, CB_EINVAL, "json: offset 0: expected a value, found byte 0x0b" },
	{ "\xc2\xa0" "1", 0, CB_EINVAL, "json: offset 0: expected a value, found byte 0xc2" },
	{ "\xef\xbb\xbf{}", 0, CB_EINVAL, "json: offset 0: expected a value, found byte 0xef" },
	/* comments, single quotes, bare words */
	{ "// c\n1", 0, CB_EINVAL, "json: offset 0: comments are not allowed" },
	{ "[1,/* c */2]", 0, CB_EINVAL, "json: offset 3: comments are not allowed" },
	{ "1 // c", 0, CB_EINVAL, "json: offset 2: unexpected '/' after the top-level value" },
	{ "'a'", 0, CB_EINVAL, "json: offset 0: strings must be in double quotes" },
	{ "{'a':1}", 0, CB_EINVAL, "json: offset 1: expected a string key, found '''" },
	{ "{a:1}", 0, CB_EINVAL, "json: offset 1: expected a string key, found 'a'" },
	{ "undefined", 0, CB_EINVAL, "json: offset 0: expected a value, found 'u'" },
	/* literals */
	{ "tru", 0, CB_EINVAL, "json: offset 3: invalid literal (expected 'true'), found end of input" },
	{ "True", 0, CB_EINVAL, "json: offset 0: expected a value, found 'T'" },
	{ "fals3", 0, CB_EINVAL, "json: offset 4: invalid literal (expected 'false'), found '3'" },
	{ "[nul]", 0, CB_EINVAL, "json: offset 4: invalid literal (expected 'null'), found ']'" },
	/* NaN, Infinity */
	{ "NaN", 0, CB_EINVAL, "json: offset 0: NaN and Infinity are not JSON numbers" },
	{ "[Infinity]", 0, CB_EINVAL, "json: offset 1: NaN and Infinity are not JSON numbers" },
	{ "-Infinity", 0, CB_EINVAL, "json: offset 0: NaN and Infinity are not JSON numbers" },
	{ "Nan", 0, CB_EINVAL, "json: offset 0: expected a value, found 'N'" },
	/* numbers */
	{ "01", 0, CB_EINVAL, "json: offset 0: leading zeros are not allowed" },
	{ "[-007]", 0, CB_EINVAL, "json: offset 2: leading zeros are not allowed" },
	{ "00.5", 0, CB_EINVAL, "json: offset 0: leading zeros are not allowed" },
	{ "-", 0, CB_EINVAL, "json: offset 1: expected a digit after '-', found end of input" },
	{ "-a", 0, CB_EINVAL, "json: offset 1: expected a digit after '-', found 'a'" },
	{ "- 1", 0, CB_EINVAL, "json: offset 1: expected a digit after '-', found byte 0x20" },
	{ "+1", 0, CB_EINVAL, "json: offset 0: expected a value, found '+'" },
	{ ".5", 0, CB_EINVAL, "json: offset 0: expected a value, found '.'" },
	{ "1.", 0, CB_EINVAL, "json: offset 2: expected a digit after '.', found end of input" },
	{ "1.e5", 0, CB_EINVAL, "json: offset 2: expected a digit after '.', found 'e'" },
	{ "1e", 0, CB_EINVAL, "json: offset 2: expected a digit in the exponent, found end of input" },
	{ "1e+", 0, CB_EINVAL, "json: offset 3: expected a digit in the exponent, found end of input" },
	{ "[1E-x]", 0, CB_EINVAL, "json: offset 4: expected a digit in the exponent, found 'x'" },
	{ "0x10", 0, CB_EINVAL, "json: offset 1: unexpected 'x' after the top-level value" },
	{ "1.5.2", 0, CB_EINVAL, "json: offset 3: unexpected '.' after the top-level value" },
	/* arrays */
	{ "[", 0, CB_EINVAL, "json: offset 1: expected a value, found end of input" },
	{ "[1", 0, CB_EINVAL, "json: offset 2: unexpected end of input in the array opened at offset 0" },
	{ "[1,", 0, CB_EINVAL, "json: offset 3: expected a value, found end of input" },
	{ "[1,]", 0, CB_EINVAL, "json: offset 2: trailing comma before ']'" },
	{ "[1 , \n]", 0, CB_EINVAL, "json: offset 3: trailing comma before ']'" },
	{ "[,1]", 0, CB_EINVAL, "json: offset 1: expected a value, found ','" },
	{ "[1,,2]", 0, CB_EINVAL, "json: offset 3: expected a value, found ','" },
	{ "[1 2]", 0, CB_EINVAL, "json: offset 3: expected ',' or ']' after an array element, found '2'" },
	{ "[1}", 0, CB_EINVAL, "json: offset 2: expected ',' or ']' after an array element, found '}'" },
	{ "[[1]", 0, CB_EINVAL, "json: offset 4: unexpected end of input in the array opened at offset 0" },
	{ "]", 0, CB_EINVAL, "json: offset 0: expected a value, found ']'" },
	/* objects */
	{ "{", 0, CB_EINVAL, "json: offset 1: expected a string key, found end of input" },
	{ "{\"a\"", 0, CB_EINVAL, "json: offset 4: expected ':' after an object key, found end of input" },
	{ "{\"a\" 1}", 0, CB_EINVAL, "json: offset 5: expected ':' after an object key, found '1'" },
	{ "{\"a\"=1}", 0, CB_EINVAL, "json: offset 4: expected ':' after an object key, found '='" },
	{ "{\"a\":}", 0, CB_EINVAL, "json: offset 5: expected a value, found '}'" },
	{ "{\"a\":1", 0, CB_EINVAL, "json: offset 6: unexpected end of input in the object opened at offset 0" },
	{ "{\"a\":1,}", 0, CB_EINVAL, "json: offset 6: trailing comma before '}'" },
	{ "{\"a\":1 \"b\":2}", 0, CB_EINVAL,
	  "json: offset 7: expected ',' or '}' after an object member, found '\"'" },
	{ "{\"a\":1]", 0, CB_EINVAL, "json: offset 6: expected ',' or '}' after an object member, found ']'" },
	{ "{1:2}", 0, CB_EINVAL, "json: offset 1: expected a string key, found '1'" },
	{ "{,}", 0, CB_EINVAL, "json: offset 1: expected a string key, found ','" },
	{ "{\"a\":1,,}", 0, CB_EINVAL, "json: offset 7: expected a string key, found ','" },
	{ "[{\"a\":1]}", 0, CB_EINVAL, "json: offset 7: expected ',' or '}' after an object member, found ']'" },
	/* duplicate keys: the first repeat in document order, also when escaped differently */
	{ "{\"a\":1,\"a\":2}", 0, CB_EINVAL, "json: offset 7: duplicate key \"a\"" },
	{ "{\"b\":1,\"a\":2,\"c\":3,\"a\":4,\"b\":5}", 0, CB_EINVAL, "json: offset 19: duplicate key \"a\"" },
	{ "{\"x\":{\"k\":[],\"k\":{}}}", 0, CB_EINVAL, "json: offset 13: duplicate key \"k\"" },
	{ "{\"a\":1,\"\\u0061\":2}", 0, CB_EINVAL, "json: offset 7: duplicate key \"a\"" },
	{ "{\"\":1,\"\":2}", 0, CB_EINVAL, "json: offset 6: duplicate key \"\"" },
	/* the check runs when the object closes: a syntax error before the '}' is reported instead */
	{ "{\"a\":1,\"a\":2,}", 0, CB_EINVAL, "json: offset 12: trailing comma before '}'" },
	{ "{\"t\\tab\\u00e9\":1,\"t\\tab\\u00e9\":2}", 0, CB_EINVAL, "json: offset 17: duplicate key \"t?ab??\"" },
	{ "{\"0123456789abcdef0123456789abcdefXYZ\":1,\"0123456789abcdef0123456789abcdefXYZ\":2}", 0, CB_EINVAL,
	  "json: offset 41: duplicate key \"0123456789abcdef0123456789abcdef...\"" },
	/* strings */
	{ "\"abc", 0, CB_EINVAL, "json: offset 0: unterminated string" },
	{ "[\"a\\\"]", 0, CB_EINVAL, "json: offset 1: unterminated string" },
	{ "\"\\", 0, CB_EINVAL, "json: offset 0: unterminated string" },
	{ "\"a\nb\"", 0, CB_EINVAL, "json: offset 2: control character 0x0a in a string must be escaped" },
	{ "\"\t\"", 0, CB_EINVAL, "json: offset 1: control character 0x09 in a string must be escaped" },
	{ "\"a\0b\"", 5, CB_EINVAL, "json: offset 2: control character 0x00 in a string must be escaped" },
	{ "\"\\x41\"", 0, CB_EINVAL, "json: offset 1: invalid escape '\\x'" },
	{ "\"\\'\"", 0, CB_EINVAL, "json: offset 1: invalid escape '\\''" },
	{ "\"\\U0041\"", 0, CB_EINVAL, "json: offset 1: invalid escape '\\U'" },
	{ "\"\\\n\"", 0, CB_EINVAL, "json: offset 1: invalid escape (backslash and byte 0x0a)" },
	{ "\"\\u12\"", 0, CB_EINVAL, "json: offset 1: invalid \\u escape (expected 4 hex digits)" },
	{ "\"\\u12G4\"", 0, CB_EINVAL, "json: offset 1: invalid \\u escape (expected 4 hex digits)" },
	{ "\"\\u", 0, CB_EINVAL, "json: offset 1: invalid \\u escape (expected 4 hex digits)" },
	{ "\"\\u 123\"", 0, CB_EINVAL, "json: offset 1: invalid \\u escape (expected 4 hex digits)" },
	{ "\"ab\\u0000\"", 0, CB_EINVAL, "json: offset 3: \\u0000 is not allowed (strings are NUL-terminated)" },
	/* lone surrogates */
	{ "\"\\uD800\"", 0, CB_EINVAL, "json: offset 1: lone surrogate \\uD800 (no low surrogate follows)" },
	{ "\"\\uDBFFx\"", 0, CB_EINVAL, "json: offset 1: lone surrogate \\uDBFF (no low surrogate follows)" },
	{ "\"\\ud800\\u0041\"", 0, CB_EINVAL, "json: offset 1: lone surrogate \\uD800 (no low surrogate follows)" },
	{ "\"\\uD800\\uD800\"", 0, CB_EINVAL, "json: offset 1: lone surrogate \\uD800 (no low surrogate follows)" },
	{ "\"\\uD800\\uDC0\"", 0, CB_EINVAL, "json: offset 1: lone surrogate \\uD800 (no low surrogate follows)" },
	{ "\"\\uD800\\n\"", 0, CB_EINVAL, "json: offset 1: lone surrogate \\uD800 (no low surrogate follows)" },
	{ "\"x\\uDC00\"", 0, CB_EINVAL, "json: offset 2: lone surrogate \\uDC00" },
	{ "\"\\uDFFF\\uD800\"", 0, CB_EINVAL, "json: offset 1: lone surrogate \\uDFFF" },
	/* UTF-8: overlongs, encoded surrogates, above U+10FFFF, stray and incomplete sequences */
	{ "\"\xc0\x80\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: overlong encoding" },
	{ "\"\xc1\xbf\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: overlong encoding" },
	{ "\"\xe0\x80\x80\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: overlong encoding" },
	{ "\"\xe0\x9f\xbf\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: overlong encoding" },
	{ "\"\xf0\x80\x80\x80\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: overlong encoding" },
	{ "\"\xf0\x8f\xbf\xbf\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: overlong encoding" },
	{ "\"ab\xed\xa0\x80\"", 0, CB_EINVAL, "json: offset 3: invalid UTF-8: encoded surrogate U+D800" },
	{ "\"\xed\xbf\xbf\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: encoded surrogate U+DFFF" },
	{ "\"\xed\xa0\xbd\xed\xb8\x80\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: encoded surrogate U+D83D" },
	{ "\"\xf4\x90\x80\x80\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: code point above U+10FFFF" },
	{ "\"\xf5\x80\x80\x80\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: code point above U+10FFFF" },
	{ "\"\xf7\xbf\xbf\xbf\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: code point above U+10FFFF" },
	{ "\"\xf8\x88\x80\x80\x80\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: byte 0xf8" },
	{ "\"\xff\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: byte 0xff" },
	{ "\"a\x80\"", 0, CB_EINVAL, "json: offset 2: invalid UTF-8: continuation byte 0x80 without a lead byte" },
	{ "\"\xc3\xa9\xbf\"", 0, CB_EINVAL,
	  "json: offset 3: invalid UTF-8: continuation byte 0xbf without a lead byte" },
	{ "\"\xc3\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: incomplete 2-byte sequence" },
	{ "\"\xe2\x82\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: incomplete 3-byte sequence" },
	{ "\"\xe2\x28\xa1\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: incomplete 3-byte sequence" },
	{ "\"\xf0\x9f\x98\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: incomplete 4-byte sequence" },
	{ "\"\xf0\x9f\x98", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: incomplete 4-byte sequence" },
	{ "\"\xc3\\u0041\"", 0, CB_EINVAL, "json: offset 1: invalid UTF-8: incomplete 2-byte sequence" },
	/* the first error in document order wins */
	{ "[01, \"\\x\"]", 0, CB_EINVAL, "json: offset 1: leading zeros are not allowed" },
	{ "[\"\\x\", 01]", 0, CB_EINVAL, "json: offset 2: invalid escape '\\x'" },
};

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct json_doc *d = (struct json_doc *)&d;
		struct cb_err e;
		int rc = parse(c->in, c->len, NULL, &d, &e);
		CHECK(rc == c->rc && e.code == c->rc && !d, "bad[%zu] %s: rc %d, want %d", i, c->in, rc, c->rc);
		CHECK(!strcmp(e.msg, c->msg), "bad[%zu]: message\n  got  %s\n  want %s", i, e.msg, c->msg);
		if (!rc)
			json_free(d);
	}
}

/* ---- limits ---- */

struct limit_case {
	struct json_limits lim;
	const char *in;
	int rc;
	const char *msg; /* NULL: accepted */
};

static const struct limit_case limit_cases[] = {
	/* bytes: the whole input counts, whitespace included */
	{ { 4, 64, 100, 100 }, "true", 0, NULL },
	{ { 4, 64, 100, 100 }, "true ", CB_ELIMIT, "json: offset 4: document larger than 4 bytes" },
	{ { 0, 64, 100, 100 }, "1", CB_ELIMIT, "json: offset 0: document larger than 0 bytes" },
	/* depth: a scalar is depth 0, each array or object one more */
	{ { 100, 0, 100, 100 }, "7", 0, NULL },
	{ { 100, 0, 100, 100 }, "[]", CB_ELIMIT, "json: offset 0: nesting deeper than 0 levels" },
	{ { 100, 3, 100, 100 }, "[{\"a\":[]}]", 0, NULL },
	{ { 100, 3, 100, 100 }, "[{\"a\":[{}]}]", CB_ELIMIT, "json: offset 7: nesting deeper than 3 levels" },
	{ { 100, 2, 100, 100 }, "[[],[],{}]", 0, NULL },
	/* values: containers and scalars count, keys do not */
	{ { 100, 64, 4, 100 }, "[1,[2]]", 0, NULL },
	{ { 100, 64, 4, 100 }, "[1,[2,3]]", CB_ELIMIT, "json: offset 6: more than 4 values" },
	{ { 100, 64, 2, 100 }, "{\"a\":1}", 0, NULL },
	{ { 100, 64, 2, 100 }, "{\"a\":1,\"b\":2}", CB_ELIMIT, "json: offset 11: more than 2 values" },
	{ { 100, 64, 0, 100 }, "null", CB_ELIMIT, "json: offset 0: more than 0 values" },
	/* strings: decoded bytes, keys included */
	{ { 100, 64, 100, 3 }, "\"abc\"", 0, NULL },
	{ { 100, 64, 100, 3 }, "\"abcd\"", CB_ELIMIT, "json: offset 0: string longer than 3 bytes" },
	{ { 100, 64, 100, 3 }, "\"\\u00e9\\u00e9\"", CB_ELIMIT, "json: offset 0: string longer than 3 bytes" },
	{ { 100, 64, 100, 3 }, "\"\\u00e9\\n\"", 0, NULL },
	{ { 100, 64, 100, 4 }, "\"\\ud83d\\ude00\"", 0, NULL },
	{ { 100, 64, 100, 3 }, "[\"\\ud83d\\ude00\"]", CB_ELIMIT, "json: offset 1: string longer than 3 bytes" },
	{ { 100, 64, 100, 3 }, "{\"abcd\":1}", CB_ELIMIT, "json: offset 1: string longer than 3 bytes" },
	{ { 100, 64, 100, 0 }, "[\"\"]", 0, NULL },
};

static void test_limits(void)
{
	struct json_limits def;
	json_limits_default(&def);
	CHECK(def.max_bytes == 4u * 1024 * 1024 && def.max_depth == 64 && def.max_values == 1000000 &&
	      def.max_string == 1024u * 1024, "defaults");
	for (size_t i = 0; i < sizeof(limit_cases) / sizeof(limit_cases[0]); i++) {
		const struct limit_case *c = &limit_cases[i];
		struct json_doc *d = NULL;
		struct cb_err e;
		int rc = parse(c->in, 0, &c->lim, &d, &e);
		CHECK(rc == c->rc && (rc != 0) == !d, "limit[%zu] %s: rc %d, want %d (%s)", i, c->in, rc, c->rc, e.msg);
		CHECK(!c->msg || !strcmp(e.msg, c->msg), "limit[%zu]: message\n  got  %s\n  want %s", i, e.msg, S(c->msg));
		json_free(d);
	}

	/* Default limits, at and just past each one. */
	size_t big = def.max_bytes + 1;
	char *buf = malloc(big);
	struct json_doc *d = NULL;
	struct cb_err e;
	memset(buf, ' ', big);
	buf[0] = '0';
	CHECK(json_parse(buf, def.max_bytes, NULL, &d, &e) == 0 && json_type(json_root(d)) == JSON_NUMBER,
	      "max_bytes of input: %s", e.msg);
	json_free(d);
	CHECK(json_parse(buf, big, NULL, &d, &e) == CB_ELIMIT && !d &&
	      !strcmp(e.msg, "json: offset 4194304: document larger than 4194304 bytes"), "max_bytes + 1: %s", e.msg);

	/* 1 MiB string exactly, then one byte more */
	size_t n = def.max_string;
	buf[0] = '"';
	memset(buf + 1, 'x', n + 1);
	buf[n + 1] = '"';
	size_t len;
	CHECK(json_parse(buf, n + 2, NULL, &d, &e) == 0 && json_str(json_root(d), &len) && len == n,
	      "max_string: %s", e.msg);
	json_free(d);
	buf[n + 1] = 'x';
	buf[n + 2] = '"';
	CHECK(json_parse(buf, n + 3, NULL, &d, &e) == CB_ELIMIT &&
	      !strcmp(e.msg, "json: offset 0: string longer than 1048576 bytes"), "max_string + 1: %s", e.msg);

	/* 1,000,000 values: an array of 999,999 zeros; one more is refused at its offset */
	size_t nz = def.max_values - 1;
	buf[0] = '[';
	for (size_t i = 0; i <= nz; i++) {
		buf[1 + 2 * i] = '0';
		buf[2 + 2 * i] = ',';
	}
	buf[2 * nz] = ']';
	CHECK(json_parse(buf, 2 * nz + 1, NULL, &d, &e) == 0 && json_count(json_root(d)) == nz,
	      "max_values: %s", e.msg);
	json_free(d);
	buf[2 * nz] = ',';
	buf[2 * nz + 2] = ']';
	char want[96];
	snprintf(want, sizeof(want), "json: offset %zu: more than 1000000 values", 2 * nz + 1);
	CHECK(json_parse(buf, 2 * nz + 3, NULL, &d, &e) == CB_ELIMIT && !d && !strcmp(e.msg, want),
	      "max_values + 1: %s", e.msg);
	free(buf);
}

/* ---- deep nesting: no recursion in the parser or in json_free ---- */

static void test_deep(void)
{
	enum { N = 10000 };
	char *buf = malloc(2 * N + 1);
	struct json_doc *d = NULL;
	struct cb_err e;
	memset(buf, '[', N);
	memset(buf + N, ']', N);
	CHECK(json_parse(buf, N, NULL, &d, &e) == CB_ELIMIT &&
	      !strcmp(e.msg, "json: offset 64: nesting deeper than 64 levels"),
	      "10000 [ with defaults: %s", e.msg);
	CHECK(json_parse(buf, 2 * N, NULL, &d, &e) == CB_ELIMIT &&
	      !strcmp(e.msg, "json: offset 64: nesting deeper than 64 levels"), "10000 [] with defaults: %s", e.msg);
	struct json_limits lim;
	json_limits_default(&lim);
	lim.max_depth = 1000000;
	CHECK(json_parse(buf, N, &lim, &d, &e) == CB_EINVAL &&
	      !strcmp(e.msg, "json: offset 10000: expected a value, found end of input"), "10000 [ unlimited: %s", e.msg);
	CHECK(json_parse(buf, 2 * N - 1, &lim, &d, &e) == CB_EINVAL &&
	      !strcmp(e.msg, "json: offset 19999: unexpected end of input in the array opened at offset 0"),
	      "10000 [ 9999 ]: %s", e.msg);
	CHECK(json_parse(buf, 2 * N, &lim, &d, &e) == 0, "10000 [] unlimited: %s", e.msg);
	const struct json_value *v = json_root(d);
	size_t depth = 0;
	while (json_count(v) == 1) {
		v = json_at(v, 0);
		depth++;
	}
	CHECK(depth == N - 1 && json_type(v) == JSON_ARRAY && json_count(v) == 0, "depth %zu", depth);
	json_free(d);
	/* depth exactly at the limit, objects */
	lim.max_depth = 64;
	char obj[64 * 6 + 1 + 64];
	size_t o = 0;
	for (int i = 0; i < 64; i++)
		o += (size_t)snprintf(obj + o, sizeof(obj) - o, i < 63 ? "{\"k\":" : "{");
	for (int i = 0; i < 64; i++)
		obj[o++] = '}';
	CHECK(json_parse(obj, o, &lim, &d, &e) == 0, "depth 64 objects: %s", e.msg);
	json_free(d);
	free(buf);
}

/* ---- big objects: the duplicate check stays fast and finds the repeat ---- */

static void test_big_object(void)
{
	enum { N = 200000 };
	char *buf = malloc((size_t)N * 24 + 64);
	size_t o = 0;
	buf[o++] = '{';
	/* keys in an order that is neither sorted nor reversed */
	for (unsigned i = 0; i < N; i++)
		o += (size_t)sprintf(buf + o, "%s\"k%u\":%u", i ? "," : "", (i * 7919u) % N, i);
	buf[o++] = '}';
	struct json_doc *d = NULL;
	struct cb_err e;
	CHECK(json_parse(buf, o, NULL, &d, &e) == 0 && json_count(json_root(d)) == N, "big object: %s", e.msg);
	const struct json_value *root = json_root(d);
	int64_t x;
	CHECK(!strcmp(S(json_key_at(root, 1)), "k7919") && json_int64(json_at(root, 1), &x) && x == 1, "order");
	CHECK(json_int64(json_get(root, "k0"), &x) && x == 0, "k0");
	json_free(d);
	/* the same with the first key repeated last */
	buf[o - 1] = ',';
	size_t dup_off = o;
	o += (size_t)sprintf(buf + o, "\"k0\":1}");
	char want[64];
	snprintf(want, sizeof(want), "json: offset %zu: duplicate key \"k0\"", dup_off);
	CHECK(json_parse(buf, o, NULL, &d, &e) == CB_EINVAL && !strcmp(e.msg, want), "big dup: %s", e.msg);
	free(buf);
}

/* ---- accessors ---- */

struct int_case {
	const char *in;
	bool i64_ok;
	int64_t i64;
	bool u64_ok;
	uint64_t u64;
};

static const struct int_case int_cases[] = {
	{ "0", true, 0, true, 0 },
	{ "-0", true, 0, true, 0 },
	{ "42", true, 42, true, 42 },
	{ "-42", true, -42, false, 0 },
	{ "9223372036854775807", true, INT64_MAX, true, 9223372036854775807u },
	{ "9223372036854775808", false, 0, true, 9223372036854775808u },
	{ "-9223372036854775808", true, INT64_MIN, false, 0 },
	{ "-9223372036854775809", false, 0, false, 0 },
	{ "18446744073709551615", false, 0, true, UINT64_MAX },
	{ "18446744073709551616", false, 0, false, 0 },
	{ "123456789012345678901234567890", false, 0, false, 0 },
	{ "1.0", false, 0, false, 0 },
	{ "1e2", false, 0, false, 0 },
	{ "-0.0", false, 0, false, 0 },
	{ "\"1\"", false, 0, false, 0 },
	{ "true", false, 0, false, 0 },
	{ "null", false, 0, false, 0 },
};

static void test_accessors(void)
{
	for (size_t i = 0; i < sizeof(int_cases) / sizeof(int_cases[0]); i++) {
		const struct int_case *c = &int_cases[i];
		struct json_doc *d = NULL;
		struct cb_err e;
		CHECK(parse(c->in, 0, NULL, &d, &e) == 0, "int[%zu]: %s", i, e.msg);
		int64_t a = 7;
		uint64_t b = 7;
		bool ia = json_int64(json_root(d), &a), ib = json_uint64(json_root(d), &b);
		CHECK(ia == c->i64_ok && (!ia ? a == 7 : a == c->i64), "int[%zu] %s: int64 %d %" PRId64, i, c->in, ia, a);
		CHECK(ib == c->u64_ok && (!ib ? b == 7 : b == c->u64), "int[%zu] %s: uint64 %d %" PRIu64, i, c->in, ib, b);
		const char *t = json_number_text(json_root(d));
		CHECK(json_type(json_root(d)) == JSON_NUMBER ? t && !strcmp(t, c->in) : !t, "int[%zu]: text %s", i, S(t));
		json_free(d);
	}

	const char *doc = "{\"name\":\"r\\u00e9g\",\"n\":3,\"ok\":true,\"no\":false,\"nil\":null,\"arr\":[1,\"two\"],"
			  "\"obj\":{\"k\":\"v\"},\"\":\"empty key\"}";
	struct json_doc *d = NULL;
	struct cb_err e;
	CHECK(parse(doc, 0, NULL, &d, &e) == 0, "accessor doc: %s", e.msg);
	const struct json_value *r = json_root(d), *arr = json_get(r, "arr");
	size_t len = 99;
	bool b = false;
	CHECK(json_type(r) == JSON_OBJECT && json_count(r) == 8, "root");
	CHECK(!strcmp(S(json_get_str(r, "name")), "r\xc3\xa9g") && json_str(json_get(r, "name"), &len) && len == 4,
	      "name");
	CHECK(json_str(json_get(r, "name"), NULL), "json_str with len NULL");
	CHECK(!strcmp(S(json_get_str(r, "")), "empty key"), "empty key");
	CHECK(!json_get_str(r, "n") && !json_get_str(r, "missing") && !json_get_str(NULL, "n"), "get_str misses");
	CHECK(!json_get(r, "NAME") && !json_get(r, "nam") && !json_get(r, "name2") && !json_get(r, NULL), "exact key");
	CHECK(json_bool(json_get(r, "ok"), &b) && b && json_bool(json_get(r, "no"), &b) && !b, "bools");
	b = true;
	CHECK(!json_bool(json_get(r, "nil"), &b) && b && !json_bool(json_get(r, "n"), &b) && !json_bool(NULL, &b),
	      "not bools");
	CHECK(json_type(json_get(r, "nil")) == JSON_NULL && json_get(r, "nil") != NULL, "null member");
	CHECK(json_type(NULL) == JSON_NULL && json_type(json_get(r, "absent")) == JSON_NULL, "json_type(NULL)");
	CHECK(json_type(arr) == JSON_ARRAY && json_count(arr) == 2 && !strcmp(S(json_str(json_at(arr, 1), NULL)), "two"),
	      "arr");
	CHECK(!json_at(arr, 2) && !json_at(arr, SIZE_MAX) && !json_key_at(arr, 0) && !json_get(arr, "0"), "arr misses");
	CHECK(!json_at(r, 8) && !json_key_at(r, 8) && !strcmp(S(json_key_at(r, 7)), "") &&
	      !strcmp(S(json_key_at(r, 0)), "name"), "object by index");
	CHECK(!strcmp(S(json_get_str(json_get(r, "obj"), "k")), "v"), "nested");
	const struct json_value *n = json_get(r, "n");
	CHECK(json_count(n) == 0 && !json_at(n, 0) && !json_key_at(n, 0) && !json_str(n, &len) &&
	      !strcmp(S(json_number_text(n)), "3") && !json_number_text(json_get(r, "name")), "scalar accessors");
	CHECK(json_count(NULL) == 0 && !json_at(NULL, 0) && !json_key_at(NULL, 0) && !json_str(NULL, NULL) &&
	      !json_number_text(NULL) && !json_root(NULL), "NULL accessors");
	json_free(d);
	json_free(NULL);

	/* strings with bytes a C string cannot hold are refused, so strlen() always equals the length */
	CHECK(parse("[\"a\\u0000\"]", 0, NULL, &d, &e) == CB_EINVAL && !d, "NUL refused");
}

/* ---- json_quote ---- */

struct quote_case {
	const char *in, *out;
};

static const struct quote_case quote_cases[] = {
	{ "", "\"\"" },
	{ "abc", "\"abc\"" },
	{ "a\"b\\c/d", "\"a\\\"b\\\\c/d\"" },
	{ "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
	{ "\x01\x1f\x0b\x7f", "\"\\u0001\\u001f\\u000b\x7f\"" },
	{ "r\xc3\xa9g \xf0\x9f\x98\x80", "\"r\xc3\xa9g \xf0\x9f\x98\x80\"" },
	{ "\xff\xfe", "\"\xff\xfe\"" },
};

static void test_quote(void)
{
	for (size_t i = 0; i < sizeof(quote_cases) / sizeof(quote_cases[0]); i++) {
		const struct quote_case *c = &quote_cases[i];
		char buf[64];
		size_t want = strlen(c->out);
		memset(buf, '#', sizeof(buf));
		CHECK(json_quote(buf, sizeof(buf), c->in) == want && !strcmp(buf, c->out), "quote[%zu]: %s", i, buf);
		CHECK(json_quote(NULL, 0, c->in) == want, "quote[%zu] measure", i);
		/* every smaller capacity: a NUL-terminated prefix, nothing past cap */
		for (size_t cap = 1; cap <= want; cap++) {
			memset(buf, '#', sizeof(buf));
			CHECK(json_quote(buf, cap, c->in) == want && strlen(buf) == cap - 1 &&
			      !memcmp(buf, c->out, cap - 1) && buf[cap] == '#', "quote[%zu] cap %zu", i, cap);
		}
		/* the quoted text parses back to the input when the input is valid JSON text */
		struct json_doc *d = NULL;
		struct cb_err e;
		if (!strchr(c->in, '\xff')) {
			CHECK(json_parse(c->out, want, NULL, &d, &e) == 0 && !strcmp(S(json_str(json_root(d), NULL)), c->in),
			      "quote[%zu] round trip: %s", i, e.msg);
			json_free(d);
		}
	}
	/* appending into a larger buffer */
	char buf[32] = "{\"k\":";
	size_t used = strlen(buf);
	used += json_quote(buf + used, sizeof(buf) - used, "v\n");
	CHECK(used == 10 && !strcmp(buf, "{\"k\":\"v\\n\""), "append: %s", buf);
}

int main(void)
{
	test_ok();
	test_bad();
	test_limits();
	test_deep();
	test_big_object();
	test_accessors();
	test_quote();
	return check_summary("json_test");
}
