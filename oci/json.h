/* json.h: the project's one strict JSON (RFC 8259) DOM parser, with accessors, and a tiny string writer.
 * Not a streaming parser and not a general serializer: documents are parsed whole into one doc-owned arena. */
#ifndef OCI_JSON_H
#define OCI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

/* Caps enforced by json_parse; exceeding one is CB_ELIMIT. */
struct json_limits {
	size_t max_bytes;   /* input length */
	unsigned max_depth; /* nesting of arrays/objects (a scalar at top level is depth 0) */
	size_t max_values;  /* values in the whole document (object keys not counted) */
	size_t max_string;  /* decoded bytes of one string (keys included) */
};

/* Defaults: 4 MiB, depth 64, 1,000,000 values, 1 MiB string. */
void json_limits_default(struct json_limits *l);

struct json_doc;
struct json_value;

/* Parses buf[0..len) as exactly one JSON value (any type) surrounded by optional whitespace. Strict: no
 * comments, trailing commas, leading zeros, NaN/Infinity, invalid UTF-8, lone surrogates, \u0000 or duplicate
 * keys. lim NULL = defaults. Returns 0 and sets *out, or CB_EINVAL / CB_ELIMIT / CB_ENOMEM with one line
 * "json: offset N: <reason>" (N = offset of the offending byte). Free *out with json_free. */
int json_parse(const void *buf, size_t len, const struct json_limits *lim, struct json_doc **out,
	       struct cb_err *e);
/* Frees the doc and every value, string and key in it. NULL ok. */
void json_free(struct json_doc *d);

/* The top-level value; valid until json_free. */
const struct json_value *json_root(const struct json_doc *d);
/* v NULL -> JSON_NULL. */
enum json_type json_type(const struct json_value *v);
/* Object member by key (exact byte compare); NULL when v is not an object or the key is absent. */
const struct json_value *json_get(const struct json_value *obj, const char *key);
/* Array elements / object members, else 0. */
size_t json_count(const struct json_value *v);
/* Array element i or the value of object member i (document order); NULL when out of range or not a
 * container. */
const struct json_value *json_at(const struct json_value *v, size_t i);
/* Key of object member i (decoded, NUL-terminated); NULL if not an object or out of range. */
const char *json_key_at(const struct json_value *obj, size_t i);
/* String contents (decoded, NUL-terminated) or NULL when v is not a string; *len optional. */
const char *json_str(const struct json_value *v, size_t *len);
/* Shorthand: json_str(json_get(obj, key), NULL). */
const char *json_get_str(const struct json_value *obj, const char *key);
/* *out = the boolean; false if v is not a bool. */
bool json_bool(const struct json_value *v, bool *out);
/* Integer numbers only (no fraction/exponent), exact, in range; false otherwise. */
bool json_int64(const struct json_value *v, int64_t *out);
bool json_uint64(const struct json_value *v, uint64_t *out);
/* The number's literal text as written (for numbers that are not integers), NULL if not a number. */
const char *json_number_text(const struct json_value *v);

/* Appends s as a JSON string literal (quotes, escapes: \" \\ \b \f \n \r \t, other < 0x20 as \u00XX; UTF-8
 * passed through) to buf. Returns the number of bytes it needs (like snprintf); writes at most cap-1 + NUL.
 * Like snprintf it writes from buf[0]: append to a larger text by passing (buf + used, cap - used). buf may be
 * NULL when cap is 0 (measure only). */
size_t json_quote(char *buf, size_t cap, const char *s);

/* Writes v back as compact JSON (object members in document order, numbers as written, strings through
 * json_quote), with json_quote's snprintf semantics. Recursion is bounded by the parser's depth limit. */
size_t json_write_value(char *buf, size_t cap, const struct json_value *v);

#endif
