/* oci_www_auth_test.c: oci/www_auth.c against a table of WWW-Authenticate values (registry challenges,
 * several challenges per value, quoted strings with escapes, token68) rendered back in a fixed canonical
 * form, and of malformed values with exact messages. */
#include <stdlib.h>

#include "http_test_util.h"
#include "www_auth.h"

/* Renders challenges as `scheme[token68]{name=value;...}` joined with " | ". */
static void render(const struct oci_www_auth *a, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = 0;
	for (size_t i = 0; i < a->n && o < cap; i++) {
		const struct oci_auth_challenge *c = &a->ch[i];
		o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? " | " : "", c->scheme);
		if (c->token68 && o < cap)
			o += (size_t)snprintf(out + o, cap - o, "[%s]", c->token68);
		if (c->n_params && o < cap) {
			o += (size_t)snprintf(out + o, cap - o, "{");
			for (size_t k = 0; k < c->n_params && o < cap; k++)
				o += (size_t)snprintf(out + o, cap - o, "%s%s=%s", k ? ";" : "", c->params[k].name,
				                      c->params[k].value);
			if (o < cap)
				o += (size_t)snprintf(out + o, cap - o, "}");
		}
	}
}

struct good {
	const char *in, *want;
};

static const struct good goods[] = {
	{ "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/ubuntu:pull\"",
	  "Bearer{realm=https://auth.docker.io/token;service=registry.docker.io;scope=repository:library/ubuntu:pull}" },
	{ "Basic realm=\"Registry Realm\"", "Basic{realm=Registry Realm}" },
	{ "Basic", "Basic" },
	{ "Negotiate abc+/def==", "Negotiate[abc+/def==]" },
	{ "Negotiate abc==, Basic realm=x", "Negotiate[abc==] | Basic{realm=x}" },
	{ "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"",
	  "Newauth{realm=apps;type=1;title=Login to \"apps\"} | Basic{realm=simple}" },
	{ "  , Bearer  REALM = \"r\" ,, Service=s ,", "Bearer{realm=r;service=s}" },
	{ "Bearer realm=\"\", error=\"insufficient_scope\"", "Bearer{realm=;error=insufficient_scope}" },
	{ "Bearer realm=\"a\\\\b\\c\"", "Bearer{realm=a\\bc}" },
	{ "Bearer realm=\"tab\tinside\"", "Bearer{realm=tab\tinside}" },
	{ "", "" },
	{ "A, B, C", "A | B | C" },
	{ "Bearer a=b, Basic", "Bearer{a=b} | Basic" },
	{ "Bearer realm=", "Bearer[realm=]" },
	{ "Bearer abc=, Basic realm=x", "Bearer[abc=] | Basic{realm=x}" },
};

struct bad {
	const char *in;
	int code;
	const char *msg;
};

static const struct bad bads[] = {
	{ "=x", CB_EINVAL, "www-authenticate: offset 0: expected an auth scheme" },
	{ "Bearer realm=\"x", CB_EINVAL, "www-authenticate: offset 15: unterminated quoted string" },
	{ "Bearer realm=\"x\\", CB_EINVAL, "www-authenticate: offset 16: unterminated quoted string" },
	{ "Bearer realm=\"a\x01\"", CB_EINVAL, "www-authenticate: offset 15: control character in quoted string" },
	{ "Bearer realm=;", CB_EINVAL, "www-authenticate: offset 13: expected a token or quoted string after '='" },
	{ "Bearer realm=a b", CB_EINVAL, "www-authenticate: offset 15: expected ',' after a parameter" },
	{ "Bearer realm=a, realm=b", CB_EINVAL, "www-authenticate: offset 16: duplicate parameter" },
	{ "Bearer\tx=y", CB_EINVAL, "www-authenticate: offset 6: expected a space after the auth scheme" },
	{ "Bearer @@", CB_EINVAL, "www-authenticate: offset 7: expected auth parameters or a token68" },
	{ "Bearer abc== x", CB_EINVAL, "www-authenticate: offset 7: expected auth parameters or a token68" },
	{ "A, B, C, D, E, F, G, H, I", CB_ELIMIT, "www-authenticate: offset 24: more than 8 challenges" },
};

static void limits(void)
{
	struct oci_www_auth a;
	struct cb_err e = { 0 };
	char buf[400];
	size_t o = (size_t)snprintf(buf, sizeof(buf), "Bearer ");
	for (int i = 0; i < 17; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%sp%d=v", i ? "," : "", i);
	oci_www_auth_init(&a);
	CHECK_INT(oci_www_auth_add(&a, buf, &e), CB_ELIMIT, "17 params");
	CHECK(strstr(e.msg, "more than 16 parameters in one challenge") != NULL, "message: %s", e.msg);
	CHECK_INT(a.n, 0, "nothing kept from a failed value");
	oci_www_auth_free(&a);

	/* several header values accumulate; a bad one leaves the earlier ones */
	oci_www_auth_init(&a);
	CHECK_INT(oci_www_auth_add(&a, "Basic realm=a", &e), 0, "first value");
	CHECK_INT(oci_www_auth_add(&a, "Bearer realm=\"b\",service=c", &e), 0, "second value");
	CHECK_INT(oci_www_auth_add(&a, "Bearer realm=\"", &e), CB_EINVAL, "bad third value");
	render(&a, buf, sizeof(buf));
	CHECK_STR(buf, "Basic{realm=a} | Bearer{realm=b;service=c}", "accumulated");
	const struct oci_auth_challenge *c = oci_www_auth_find(&a, "bearer");
	CHECK(c && !strcmp(oci_auth_param(c, "SERVICE"), "c"), "find + param are case-insensitive");
	CHECK(oci_auth_param(c, "scope") == NULL, "absent param");
	CHECK(oci_www_auth_find(&a, "Digest") == NULL, "absent scheme");
	oci_www_auth_free(&a);

	/* total size */
	char *big = malloc(9000);
	memset(big, 'a', 8999);
	big[8999] = 0;
	memcpy(big, "Bearer x=", 9);
	oci_www_auth_init(&a);
	CHECK_INT(oci_www_auth_add(&a, big, &e), CB_ELIMIT, "9000 bytes");
	CHECK_STR(e.msg, "www-authenticate: challenges longer than 8192 bytes", "size message");
	oci_www_auth_free(&a);
	free(big);

	/* at most 8 values */
	oci_www_auth_init(&a);
	for (int i = 0; i < 8; i++)
		CHECK_INT(oci_www_auth_add(&a, "", &e), 0, "empty value");
	CHECK_INT(oci_www_auth_add(&a, "Basic", &e), CB_ELIMIT, "ninth value");
	CHECK_STR(e.msg, "www-authenticate: more than 8 header values", "values message");
	oci_www_auth_free(&a);
}

int main(void)
{
	char out[1024];
	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		struct oci_www_auth a;
		struct cb_err e = { 0 };
		oci_www_auth_init(&a);
		int rc = oci_www_auth_add(&a, goods[i].in, &e);
		CHECK(rc == 0, "%s: rc %d: %s", goods[i].in, rc, e.msg);
		render(&a, out, sizeof(out));
		CHECK_STR(out, goods[i].want, goods[i].in);
		oci_www_auth_free(&a);
	}
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct oci_www_auth a;
		struct cb_err e = { 0 };
		oci_www_auth_init(&a);
		int rc = oci_www_auth_add(&a, bads[i].in, &e);
		CHECK(rc == bads[i].code, "%s: rc %d, want %d (%s)", bads[i].in, rc, bads[i].code, e.msg);
		CHECK_STR(e.msg, bads[i].msg, bads[i].in);
		CHECK_INT(a.n, 0, "no challenges kept");
		oci_www_auth_free(&a);
	}
	limits();
	return check_summary("oci_www_auth");
}
