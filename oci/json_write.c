/* json_write.c: json_quote, the one JSON string-literal writer (registry requests, host tools).
 * Not a serializer of json_value trees and not a UTF-8 validator: bytes >= 0x80 pass through as they are. */
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
