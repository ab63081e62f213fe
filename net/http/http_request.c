/* http_request.c: writes the request line and header section of one HTTP/1.1 request, after checking the
 * caller's header fields cannot split or smuggle anything. Does no I/O. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"

#define HTTP_HEADER_NAME_MAX 256

static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (!isalnum(ch) && !strchr("!#$%&'*+-.^_`|~", ch))
			return false;
	}
	return true;
}

/* Headers only the client may write: framing, connection management, the target host. */
static const char *const owned[] = { "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect",
	                             "TE", "Upgrade", "Keep-Alive" };

int http_check_headers(const struct http_header *h, size_t n, struct cb_err *e)
{
	char ex[HTTP_EXCERPT_SIZE];
	for (size_t i = 0; i < n; i++) {
		if (!h[i].name || !h[i].value)
			return cb_errf(e, CB_EINVAL, "header %zu has no name or value", i);
		size_t nl = strnlen(h[i].name, HTTP_HEADER_NAME_MAX + 1);
		if (nl > HTTP_HEADER_NAME_MAX || !is_token(h[i].name))
			return cb_errf(e, CB_EINVAL, "invalid header name %s", http_excerpt(h[i].name, nl, ex, sizeof(ex)));
		for (size_t k = 0; k < sizeof(owned) / sizeof(owned[0]); k++)
			if (!strcasecmp(h[i].name, owned[k]))
				return cb_errf(e, CB_EINVAL, "header \"%s\" is set by the client", owned[k]);
		for (const char *v = h[i].value; *v; v++) {
			unsigned char ch = (unsigned char)*v;
			if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
				return cb_errf(e, CB_EINVAL, "invalid character 0x%02x in header \"%s\"", ch, h[i].name);
		}
	}
	return 0;
}

static bool is_credential(const char *name)
{
	return !strcasecmp(name, "Authorization") || !strcasecmp(name, "Proxy-Authorization") ||
	       !strcasecmp(name, "Cookie");
}

static bool is_body_header(const char *name)
{
	return !strncasecmp(name, "Content-", 8);
}

static void put_header(struct http_buf *b, const char *name, const char *value)
{
	http_buf_puts(b, name);
	http_buf_puts(b, ": ");
	http_buf_puts(b, value);
	http_buf_puts(b, "\r\n");
}

int http_write_request(struct http_buf *b, const char *method, const struct http_url *u,
                       const struct http_header *h, size_t n, const struct http_req_extra *x, struct cb_err *e)
{
	if (!is_token(method))
		return cb_errf(e, CB_EINVAL, "invalid method");
	http_buf_puts(b, method);
	http_buf_puts(b, " ");
	http_buf_puts(b, u->target);
	http_buf_puts(b, " HTTP/1.1\r\n");
	put_header(b, "Host", u->authority);
	bool have_ua = false;
	for (size_t i = 0; i < n; i++) {
		if (x->strip_auth && is_credential(h[i].name))
			continue;
		if (x->drop_body_headers && is_body_header(h[i].name))
			continue;
		if (x->has_range && (!strcasecmp(h[i].name, "Range") || !strcasecmp(h[i].name, "If-Range")))
			continue;
		have_ua = have_ua || !strcasecmp(h[i].name, "User-Agent");
		put_header(b, h[i].name, h[i].value);
	}
	if (!have_ua && x->user_agent)
		put_header(b, "User-Agent", x->user_agent);
	char num[48];
	if (x->has_range) {
		snprintf(num, sizeof(num), "bytes=%llu-", (unsigned long long)x->range_from);
		put_header(b, "Range", num);
		if (x->if_range)
			put_header(b, "If-Range", x->if_range);
	}
	if (x->send_length) {
		snprintf(num, sizeof(num), "%zu", x->body_len);
		put_header(b, "Content-Length", num);
	}
	http_buf_puts(b, "\r\n");
	if (b->failed)
		return cb_errf(e, CB_ENOMEM, "out of memory writing the request");
	return 0;
}
