/* json_write.c: json_quote, the one JSON string-literal writer, and json_write_value, which writes a parsed
 * value back (compact, members in document order). Not a UTF-8 validator: bytes >= 0x80 pass through. */
#include "json.h"

#include <stdio.h>
#include <string.h>

static void put(char *buf, size_t cap, size_t *n, char c)
{
	if (*n + 1 < cap)
		buf[*n] = c;
	(*n)++;
}

size_t json_quote(char *buf, size_t cap, const char *s)
{
	static const char esc_from[] = "\"\\\b\f\n\r\t", esc_to[] = "\"\\bfnrt";
	size_t n = 0;
	put(buf, cap, &n, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *hit = strchr(esc_from, c);
		if (hit) {
			put(buf, cap, &n, '\\');
			put(buf, cap, &n, esc_to[hit - esc_from]);
		} else if (c < 0x20) {
			char u[7];
			snprintf(u, sizeof(u), "\\u%04x", c);
			for (int k = 0; k < 6; k++)
				put(buf, cap, &n, u[k]);
		} else {
			put(buf, cap, &n, (char)c);
		}
	}
	put(buf, cap, &n, '"');
	if (cap)
		buf[n < cap ? n : cap - 1] = 0;
	return n;
}

/* Appends json_quote(s) at *n (measuring past cap like snprintf). */
static void put_quoted(char *buf, size_t cap, size_t *n, const char *s)
{
	size_t need = json_quote(NULL, 0, s);
	if (*n < cap)
		json_quote(buf + *n, cap - *n, s);
	*n += need;
}

static void put_str(char *buf, size_t cap, size_t *n, const char *s)
{
	for (; *s; s++)
		put(buf, cap, n, *s);
}

static void write_value(char *buf, size_t cap, size_t *n, const struct json_value *v)
{
	switch (json_type(v)) {
	case JSON_NULL: put_str(buf, cap, n, "null"); break;
	case JSON_BOOL: {
		bool b = false;
		json_bool(v, &b);
		put_str(buf, cap, n, b ? "true" : "false");
		break;
	}
	case JSON_NUMBER: put_str(buf, cap, n, json_number_text(v)); break;
	case JSON_STRING: put_quoted(buf, cap, n, json_str(v, NULL)); break;
	case JSON_ARRAY:
	case JSON_OBJECT: {
		bool obj = json_type(v) == JSON_OBJECT;
		put(buf, cap, n, obj ? '{' : '[');
		for (size_t i = 0; i < json_count(v); i++) {
			if (i)
				put(buf, cap, n, ',');
			if (obj) {
				put_quoted(buf, cap, n, json_key_at(v, i));
				put(buf, cap, n, ':');
			}
			write_value(buf, cap, n, json_at(v, i));
		}
		put(buf, cap, n, obj ? '}' : ']');
		break;
	}
	}
}

size_t json_write_value(char *buf, size_t cap, const struct json_value *v)
{
	size_t n = 0;
	write_value(buf, cap, &n, v);
	if (cap)
		buf[n < cap ? n : cap - 1] = 0;
	return n;
}
