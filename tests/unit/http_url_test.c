/* http_url_test.c: table tests of http_url_parse, RFC 3986 reference resolution (the section 5.4 examples)
 * and the URL shaping used in error messages. */
#include <stdint.h>
#include <stdlib.h>

#include "http_internal.h"
#include "http_test_util.h"

struct parse_case {
	const char *in;
	int rc;
	const char *msg; /* expected error, or NULL */
	bool tls;
	const char *host, *authority, *target;
	uint16_t port;
};

#define ERR(i, r, m) { .in = (i), .rc = (r), .msg = (m) }

static const struct parse_case parse_cases[] = {
	{ "http://example.com", 0, NULL, false, "example.com", "example.com", "/", 80 },
	{ "http://Example.COM:8080/a/b?c=d#frag", 0, NULL, false, "example.com", "example.com:8080", "/a/b?c=d", 8080 },
	{ "https://10.0.2.2/x", 0, NULL, true, "10.0.2.2", "10.0.2.2", "/x", 443 },
	{ "https://h:443/", 0, NULL, true, "h", "h", "/", 443 },
	{ "http://h:443/", 0, NULL, false, "h", "h:443", "/", 443 },
	{ "HTTP://h/p", 0, NULL, false, "h", "h", "/p", 80 },
	{ "http://h:/p", 0, NULL, false, "h", "h", "/p", 80 },
	{ "http://h?q=1", 0, NULL, false, "h", "h", "/?q=1", 80 },
	{ "http://h#f", 0, NULL, false, "h", "h", "/", 80 },
	{ "http://[::1]:8080/p", 0, NULL, false, "::1", "[::1]:8080", "/p", 8080 },
	{ "https://[2001:DB8::1]/v2/", 0, NULL, true, "2001:db8::1", "[2001:db8::1]", "/v2/", 443 },
	{ "http://[::ffff:10.0.0.1]/", 0, NULL, false, "::ffff:10.0.0.1", "[::ffff:10.0.0.1]", "/", 80 },
	{ "http://reg_istry-1.docker.io/v2/library/alpine/manifests/3.19", 0, NULL, false, "reg_istry-1.docker.io",
	  "reg_istry-1.docker.io", "/v2/library/alpine/manifests/3.19", 80 },
	{ "http://h/a/../b/./c", 0, NULL, false, "h", "h", "/a/../b/./c", 80 }, /* sent as given */
	ERR("ftp://h/", CB_EUNSUP, "invalid URL: unsupported scheme \"ftp\""),
	ERR("file:///etc/passwd", CB_EUNSUP, "invalid URL: unsupported scheme \"file\""),
	ERR("http:/h", CB_EINVAL, "invalid URL: missing host"),
	ERR("http:h", CB_EINVAL, "invalid URL: missing host"),
	ERR("http://", CB_EINVAL, "invalid URL: missing host"),
	ERR("http://:80/", CB_EINVAL, "invalid URL: missing host"),
	ERR("//h/p", CB_EINVAL, "invalid URL: no scheme"),
	ERR("h/p", CB_EINVAL, "invalid URL: no scheme"),
	ERR("", CB_EINVAL, "invalid URL: no scheme"),
	ERR("1http://h/", CB_EINVAL, "invalid URL: malformed scheme"),
	ERR(":foo", CB_EINVAL, "invalid URL: empty scheme"),
	ERR("http://user:pw@h/", CB_EUNSUP, "invalid URL: user info not supported"),
	ERR("http://h:99999/", CB_EINVAL, "invalid URL: bad port \"99999\""),
	ERR("http://h:0/", CB_EINVAL, "invalid URL: bad port \"0\""),
	ERR("http://h:8x/", CB_EINVAL, "invalid URL: bad port \"8x\""),
	ERR("http://h:-1/", CB_EINVAL, "invalid URL: bad port \"-1\""),
	ERR("http://h h/", CB_EINVAL, "invalid URL: control character or space at offset 8"),
	ERR("http://h/\r\nX-Injected: 1", CB_EINVAL, "invalid URL: control character or space at offset 9"),
	ERR("http://h/\xc3\xa9", CB_EINVAL, "invalid URL: non-ASCII byte at offset 9"),
	ERR("http://[::1/", CB_EINVAL, "invalid URL: unterminated IPv6 literal"),
	ERR("http://[fe80::1%25eth0]/", CB_EUNSUP, "invalid URL: unsupported IPv6 literal"),
	ERR("http://[v1.x]/", CB_EUNSUP, "invalid URL: unsupported IPv6 literal"),
	ERR("http://[1234]/", CB_EINVAL, "invalid URL: malformed IPv6 literal"),
	ERR("http://[::1]x/", CB_EINVAL, "invalid URL: junk after IPv6 literal"),
	ERR("http://h!st/", CB_EINVAL, "invalid URL: bad character '!' in host"),
	ERR("http://h%41/", CB_EINVAL, "invalid URL: bad character '%' in host"),
};

static void test_parse(void)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct http_url u;
		struct cb_err e = { 0 };
		int rc = http_url_parse(c->in, &u, &e);
		CHECK_INT(rc, c->rc, c->in);
		if (c->rc) {
			CHECK_STR(e.msg, c->msg, c->in);
			CHECK(u.host == NULL && u.target == NULL, "%s: outputs left set", c->in);
			continue;
		}
		CHECK(u.tls == c->tls, "%s: tls", c->in);
		CHECK_STR(u.host, c->host, c->in);
		CHECK_STR(u.authority, c->authority, c->in);
		CHECK_STR(u.target, c->target, c->in);
		CHECK_INT(u.port, c->port, c->in);
		http_url_free(&u);
	}
	/* Length limit. */
	size_t n = HTTP_URL_MAX + 1;
	char *big = malloc(n + 1);
	memcpy(big, "http://h/", 9);
	memset(big + 9, 'a', n - 9);
	big[n] = 0;
	struct http_url u;
	struct cb_err e = { 0 };
	CHECK_INT(http_url_parse(big, &u, &e), CB_ELIMIT, "long URL");
	CHECK_STR(e.msg, "invalid URL: longer than 8192 bytes", "long URL");
	big[n - 1] = 0;
	CHECK_INT(http_url_parse(big, &u, &e), 0, "8192-byte URL");
	http_url_free(&u);
	free(big);

	/* Origins. */
	struct http_url a, b, c2, d;
	http_url_parse("http://h:80/x", &a, &e);
	http_url_parse("http://H/y?z", &b, &e);
	http_url_parse("https://h/x", &c2, &e);
	http_url_parse("http://h:8080/x", &d, &e);
	CHECK(http_url_same_origin(&a, &b), "same origin h:80 vs H");
	CHECK(!http_url_same_origin(&a, &c2), "http vs https");
	CHECK(!http_url_same_origin(&a, &d), "port 80 vs 8080");
	http_url_free(&a);
	http_url_free(&b);
	http_url_free(&c2);
	http_url_free(&d);
}

struct resolve_case {
	const char *ref, *want;
};

/* RFC 3986 section 5.4.1 and 5.4.2, base "http://a/b/c/d;p?q" (strict parser: "http:g" stays). */
static const struct resolve_case rfc_cases[] = {
	{ "g:h", "g:h" },
	{ "g", "http://a/b/c/g" },
	{ "./g", "http://a/b/c/g" },
	{ "g/", "http://a/b/c/g/" },
	{ "/g", "http://a/g" },
	{ "//g", "http://g" },
	{ "?y", "http://a/b/c/d;p?y" },
	{ "g?y", "http://a/b/c/g?y" },
	{ "#s", "http://a/b/c/d;p?q#s" },
	{ "g#s", "http://a/b/c/g#s" },
	{ "g?y#s", "http://a/b/c/g?y#s" },
	{ ";x", "http://a/b/c/;x" },
	{ "g;x", "http://a/b/c/g;x" },
	{ "g;x?y#s", "http://a/b/c/g;x?y#s" },
	{ "", "http://a/b/c/d;p?q" },
	{ ".", "http://a/b/c/" },
	{ "./", "http://a/b/c/" },
	{ "..", "http://a/b/" },
	{ "../", "http://a/b/" },
	{ "../g", "http://a/b/g" },
	{ "../..", "http://a/" },
	{ "../../", "http://a/" },
	{ "../../g", "http://a/g" },
	{ "../../../g", "http://a/g" },
	{ "../../../../g", "http://a/g" },
	{ "/./g", "http://a/g" },
	{ "/../g", "http://a/g" },
	{ "g.", "http://a/b/c/g." },
	{ ".g", "http://a/b/c/.g" },
	{ "g..", "http://a/b/c/g.." },
	{ "..g", "http://a/b/c/..g" },
	{ "./../g", "http://a/b/g" },
	{ "./g/.", "http://a/b/c/g/" },
	{ "g/./h", "http://a/b/c/g/h" },
	{ "g/../h", "http://a/b/c/h" },
	{ "g;x=1/./y", "http://a/b/c/g;x=1/y" },
	{ "g;x=1/../y", "http://a/b/c/y" },
	{ "g?y/./x", "http://a/b/c/g?y/./x" },
	{ "g?y/../x", "http://a/b/c/g?y/../x" },
	{ "g#s/./x", "http://a/b/c/g#s/./x" },
	{ "g#s/../x", "http://a/b/c/g#s/../x" },
	{ "http:g", "http:g" },
};

struct resolve3_case {
	const char *base, *ref, *want;
};

static const struct resolve3_case more_cases[] = {
	{ "http://h:8080", "x", "http://h:8080/x" },           /* merge with an empty base path */
	{ "http://h:8080", "?q", "http://h:8080?q" },
	{ "http://reg/v2/a/blobs/sha256:1", "https://s3.example/blob?X-Amz-Signature=abc",
	  "https://s3.example/blob?X-Amz-Signature=abc" },
	{ "http://reg/v2/a/blobs/uploads/", "/v2/a/blobs/uploads/u1?_state=x", "http://reg/v2/a/blobs/uploads/u1?_state=x" },
	{ "http://reg/v2/a/blobs/uploads/", "u1", "http://reg/v2/a/blobs/uploads/u1" },
	{ "http://h/_chain/3/f", "../2/f", "http://h/_chain/2/f" },
	{ "http://h/a/b", "//other:81/p", "http://other:81/p" },
	{ "https://h/a?x#f", "HTTP://Other/./b/../c", "HTTP://Other/c" },
	{ "http://[::1]:8/a/b", "c", "http://[::1]:8/a/c" },
};

static void test_resolve(void)
{
	struct cb_err e = { 0 };
	for (size_t i = 0; i < sizeof(rfc_cases) / sizeof(rfc_cases[0]); i++) {
		char *out = NULL;
		int rc = http_url_resolve("http://a/b/c/d;p?q", rfc_cases[i].ref, &out, &e);
		CHECK_INT(rc, 0, rfc_cases[i].ref);
		CHECK_STR(out, rfc_cases[i].want, rfc_cases[i].ref);
		free(out);
	}
	for (size_t i = 0; i < sizeof(more_cases) / sizeof(more_cases[0]); i++) {
		char *out = NULL;
		int rc = http_url_resolve(more_cases[i].base, more_cases[i].ref, &out, &e);
		CHECK_INT(rc, 0, more_cases[i].ref);
		CHECK_STR(out, more_cases[i].want, more_cases[i].ref);
		free(out);
	}
	char *out = NULL;
	CHECK_INT(http_url_resolve("a/b", "c", &out, &e), CB_EINVAL, "relative base");
	CHECK_STR(e.msg, "invalid URL: base is not absolute", "relative base");
	CHECK_INT(http_url_resolve("http://h/", "1x:y", &out, &e), CB_EINVAL, "bad ref scheme");
	CHECK_STR(e.msg, "invalid URL: malformed scheme", "bad ref scheme");
	CHECK(out == NULL, "no output on error");
}

static void test_for_msg(void)
{
	char buf[HTTP_URL_MSG_SIZE];
	CHECK_STR(http_url_for_msg("http://h/x?drop=1", buf, sizeof(buf)), "http://h/x?drop=1", "short");
	char sig[300];
	snprintf(sig, sizeof(sig), "https://s3/b?%s", "X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	CHECK_STR(http_url_for_msg(sig, buf, sizeof(buf)), "https://s3/b?...", "long query hidden");
	CHECK_STR(http_url_for_msg("http://h/a\x01\"b", buf, sizeof(buf)), "http://h/a\\x01\\x22b", "escaped");
	char longp[400];
	memcpy(longp, "http://h/", 9);
	memset(longp + 9, 'p', 300);
	longp[309] = 0;
	http_url_for_msg(longp, buf, sizeof(buf));
	CHECK_INT(strlen(buf), 159, "truncated length");
	CHECK(!strcmp(buf + strlen(buf) - 3, "..."), "truncated ends with ...: %s", buf);
}

int main(void)
{
	test_parse();
	test_resolve();
	test_for_msg();
	return check_summary("http_url_test");
}
