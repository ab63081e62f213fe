/* url_fuzz.c: libFuzzer target for http_url_parse, RFC 3986 resolution and the URL shaping of error
 * messages. Input: "<base>\n<reference>" (or just a URL). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "http_url.h"

static void check_parsed(const char *s)
{
	struct http_url u;
	struct cb_err e;
	if (http_url_parse(s, &u, &e) != 0) {
		if (!e.msg[0])
			abort();
		return;
	}
	if (u.target[0] != '/' || !u.host[0] || u.port == 0 || strlen(u.host) > 253)
		abort();
	for (const char *p = u.target; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			abort(); /* nothing that could split the request line */
	for (const char *p = u.authority; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '/' || *p == '@')
			abort();
	struct http_url v;
	if (http_url_parse(s, &v, &e) != 0 || !http_url_same_origin(&u, &v))
		abort();
	http_url_free(&v);
	http_url_free(&u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	char *nl = strchr(s, '\n');
	const char *base = s, *ref = s;
	if (nl) {
		*nl = 0;
		ref = nl + 1;
	}
	check_parsed(base);
	check_parsed(ref);
	char *out = NULL;
	struct cb_err e;
	if (http_url_resolve(base, ref, &out, &e) == 0) {
		if (!out || strlen(out) > strlen(base) + strlen(ref) + 8)
			abort();
		check_parsed(out);
		free(out);
	} else if (out || !e.msg[0]) {
		abort();
	}
	char msg[HTTP_URL_MSG_SIZE], small[20], ex[HTTP_EXCERPT_SIZE];
	if (strlen(http_url_for_msg(base, msg, sizeof(msg))) > 160 || strlen(http_url_for_msg(ref, small, sizeof(small))) >= sizeof(small))
		abort();
	if (strlen(http_excerpt(s, size, ex, sizeof(ex))) >= sizeof(ex))
		abort();
	free(s);
	return 0;
}
