/* oci_registry_test.c: oci/registry.c against scripted in-memory servers (tests/unit/http_mem_transport.c):
 * anonymous and credentialed Bearer token flows, Basic challenges, token cache, digest and size checks of
 * manifests and blobs, blob redirects to storage without Authorization, registry error bodies, limits. */
#include <stdlib.h>

#include "bearssl_hash.h"
#include "http_mem_transport.h"
#include "http_test_util.h"
#include "manifest.h"
#include "registry.h"

static const char manifest_body[] = "{\"schemaVersion\":2,\"manifests\":[]}";
static char manifest_digest[OCI_DIGEST_SIZE], hello_digest[OCI_DIGEST_SIZE];

static void sha(const void *p, size_t n, char out[OCI_DIGEST_SIZE])
{
	br_sha256_context c;
	uint8_t h[32];
	br_sha256_init(&c);
	br_sha256_update(&c, p, n);
	br_sha256_out(&c, h);
	oci_digest_format(h, out);
}

static const char *sent(struct mem_dialer *m, size_t i)
{
	return m->log[i].sent ? m->log[i].sent : "";
}

struct env {
	struct mem_dialer m;
	struct http_client *http;
	struct oci_registry *reg;
	struct oci_ref ref;
};

static void env_init(struct env *v, const struct mem_script *s, size_t n, const struct oci_creds *creds,
                     const char *ref)
{
	mem_dialer_init(&v->m, s, n);
	struct http_client_opts o;
	http_client_opts_init(&o);
	o.max_resumes = 0;
	v->http = http_client_new(&v->m.d, &mem_clock, &o);
	struct oci_registry_opts ro = { .plain_http = true };
	v->reg = oci_registry_new(v->http, creds, &ro);
	struct cb_err e;
	if (oci_ref_parse(ref, &v->ref, &e))
		abort();
}

static void env_free(struct env *v)
{
	oci_ref_free(&v->ref);
	oci_registry_free(v->reg);
	http_client_free(v->http);
	mem_dialer_free(&v->m);
}

struct mem {
	char data[4096];
	size_t len;
};

static int mem_on_data(void *ctx, const void *p, size_t n, struct cb_err *e)
{
	(void)e;
	struct mem *m = ctx;
	if (m->len + n > sizeof(m->data))
		abort();
	memcpy(m->data + m->len, p, n);
	m->len += n;
	return 0;
}

/* A canned response: head lines (each ending in \r\n) + Content-Length + body; kept in a static pool. */
static const char *resp(const char *head, const char *body)
{
	static char pool[24][1024];
	static size_t used;
	char *p = pool[used++ % 24];
	snprintf(p, sizeof(pool[0]), "%sContent-Length: %zu\r\n\r\n%s", head, strlen(body), body);
	return p;
}

#define R401_BEARER(scope)                                                                                          \
	"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nWWW-Authenticate: Bearer realm=\"http://auth.test/token\"," \
	"service=\"reg.test\",scope=\"" scope "\"\r\n\r\n"
#define TOKEN(t) "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " #t "\r\n\r\n"

static char r_manifest[512], r_blob_hello[256], r_token1[128];

static void bearer_flow(void)
{
	/* conn 0: the registry (401, then the manifest, then a redirect for the blob); conn 1: the token
	 * endpoint; conn 2: the storage host the blob redirect points to. */
	const struct mem_script s[] = {
		{ .reply = { R401_BEARER("repository:boot/linux:pull"), r_manifest,
		             "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://storage.test/b/hello?sig=abc\r\n"
		             "Content-Length: 0\r\n\r\n" } },
		{ .reply = { r_token1 } },
		{ .reply = { r_blob_hello } },
	};
	struct env v;
	env_init(&v, s, 3, NULL, "reg.test/boot/linux:6.6");
	uint8_t *bytes;
	size_t len;
	char digest[OCI_DIGEST_SIZE], mt[128];
	struct cb_err e = { 0 };
	int rc = oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, mt, &e);
	CHECK(rc == 0, "manifest: %s", e.msg);
	if (!rc) {
		CHECK_INT(len, strlen(manifest_body), "manifest length");
		CHECK(!memcmp(bytes, manifest_body, len) && bytes[len] == 0, "manifest bytes");
		CHECK_STR(digest, manifest_digest, "manifest digest");
		CHECK_STR(mt, OCI_MT_INDEX, "content type without parameters");
		free(bytes);
	}
	CHECK_STR(v.m.log[0].host, "reg.test", "conn 0 host");
	CHECK_STR(v.m.log[1].host, "auth.test", "conn 1 host");
	CHECK(strstr(sent(&v.m, 0), "GET /v2/boot/linux/manifests/6.6 HTTP/1.1\r\nHost: reg.test\r\nAccept: "
	                             OCI_ACCEPT_MANIFESTS "\r\n") != NULL, "first request: %s", sent(&v.m, 0));
	CHECK(strstr(sent(&v.m, 1), "GET /token?service=reg.test&scope=repository%3Aboot%2Flinux%3Apull HTTP/1.1") != NULL,
	      "token request: %s", sent(&v.m, 1));
	CHECK(!strstr(sent(&v.m, 1), "Authorization"), "anonymous token request");
	const char *second = strstr(sent(&v.m, 0) + 10, "GET /v2/boot/linux/manifests/6.6");
	CHECK(second && strstr(second, "Authorization: Bearer T1\r\n"), "retry carries the token");

	/* the blob: cached token on the registry, none on the storage host */
	struct mem out = { .len = 0 };
	struct oci_blob_sink sink = { .on_data = mem_on_data, .ctx = &out };
	rc = oci_get_blob(v.reg, &v.ref, hello_digest, 5, &sink, &e);
	CHECK(rc == 0, "blob: %s", e.msg);
	CHECK(out.len == 5 && !memcmp(out.data, "hello", 5), "blob bytes");
	const char *bget = strstr(sent(&v.m, 0), "GET /v2/boot/linux/blobs/sha256:");
	CHECK(bget && strstr(bget, "Authorization: Bearer T1\r\n"), "blob request with the cached token");
	CHECK_STR(v.m.log[2].host, "storage.test", "conn 2 host");
	CHECK(strstr(sent(&v.m, 2), "GET /b/hello?sig=abc HTTP/1.1\r\n") && !strstr(sent(&v.m, 2), "Authorization"),
	      "storage request without Authorization: %s", sent(&v.m, 2));
	CHECK_INT(v.m.n_dials, 3, "three connections");
	env_free(&v);
}

static void credentials(void)
{
	/* Bearer with credentials: Basic to the token endpoint; access_token accepted; challenge scope wins */
	const struct mem_script s[] = {
		{ .reply = { R401_BEARER("repository:boot/linux:pull,push"), r_manifest } },
		{ .reply = { TOKEN(24) "{\"access_token\":\"T2\"}\n\n\n" } },
	};
	struct oci_creds creds = { .username = "user", .password = "pass" };
	struct env v;
	env_init(&v, s, 2, &creds, "reg.test/boot/linux:6.6");
	uint8_t *bytes = NULL;
	size_t len;
	char digest[OCI_DIGEST_SIZE];
	struct cb_err e = { 0 };
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), 0, e.msg);
	free(bytes);
	CHECK(strstr(sent(&v.m, 1), "scope=repository%3Aboot%2Flinux%3Apull%2Cpush HTTP/1.1\r\n"), "scope: %s",
	      sent(&v.m, 1));
	CHECK(strstr(sent(&v.m, 1), "Authorization: Basic dXNlcjpwYXNz\r\n") != NULL, "Basic to the token endpoint");
	CHECK(strstr(sent(&v.m, 0), "Authorization: Bearer T2\r\n") != NULL, "access_token used");
	env_free(&v);

	/* a Basic challenge: credentials go straight to the registry and are reused */
	const struct mem_script b[] = {
		{ .reply = { "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"Registry Realm\"\r\n"
		             "Content-Length: 0\r\n\r\n", r_manifest, r_manifest } },
	};
	env_init(&v, b, 1, &creds, "reg.test/boot/linux:6.6");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), 0, e.msg);
	free(bytes);
	struct oci_ref other;
	oci_ref_parse("reg.test/other:1", &other, &e);
	CHECK_INT(oci_get_manifest(v.reg, &other, NULL, &bytes, &len, digest, NULL, &e), 0, e.msg);
	free(bytes);
	oci_ref_free(&other);
	const char *third = strstr(sent(&v.m, 0), "GET /v2/other/manifests/1");
	CHECK(third && strstr(third, "Authorization: Basic dXNlcjpwYXNz\r\n"), "Basic reused for another repository");
	CHECK_INT(v.m.n_dials, 1, "one connection");
	env_free(&v);

	/* Basic challenge, no credentials */
	const struct mem_script nb[] = {
		{ .reply = { "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"Registry Realm\"\r\n"
		             "Content-Length: 0\r\n\r\n" } },
	};
	env_init(&v, nb, 1, NULL, "reg.test/boot/linux:6.6");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_EPROTO, "no creds");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: the registry wants credentials (Basic realm \"Registry Realm\") "
	                 "and none are configured", "no-creds message");
	env_free(&v);

	/* the token is refused again: one round only */
	const struct mem_script again[] = {
		{ .reply = { R401_BEARER("repository:boot/linux:pull"),
		             "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nWWW-Authenticate: Bearer realm=\"http://auth.test/token\","
		             "error=\"insufficient_scope\"\r\n\r\n" } },
		{ .reply = { r_token1 } },
	};
	env_init(&v, again, 2, NULL, "reg.test/boot/linux:6.6");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_EPROTO, "refused twice");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: manifest refused after authenticating (401, \"insufficient_scope\")",
	          "refused message");
	env_free(&v);

	/* the token endpoint refuses the credentials */
	const struct mem_script bad_creds[] = {
		{ .reply = { R401_BEARER("repository:boot/linux:pull") } },
		{ .reply = { resp("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n",
		                  "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication\"}]}") } },
	};
	env_init(&v, bad_creds, 2, &creds, "reg.test/boot/linux:6.6");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_EPROTO, "bad creds");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: token request to \"http://auth.test/token\" refused (401, bad "
	                 "credentials, UNAUTHORIZED)", "bad creds message");
	env_free(&v);

	/* a token response without a token; a realm that is not http(s); a broken challenge */
	const struct mem_script notok[] = {
		{ .reply = { R401_BEARER("repository:boot/linux:pull") } },
		{ .reply = { TOKEN(15) "{\"token\":\"a b\"}" } },
	};
	env_init(&v, notok, 2, NULL, "reg.test/boot/linux:6.6");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_EPROTO, "bad token");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: token response without a usable token", "bad token message");
	env_free(&v);
	const struct mem_script ftp[] = {
		{ .reply = { "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nWWW-Authenticate: Bearer realm=\"ftp://x\"\r\n\r\n" } },
	};
	env_init(&v, ftp, 1, NULL, "reg.test/boot/linux:6.6");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_EPROTO, "ftp realm");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: Bearer challenge without an http(s) realm (\"ftp://x\")", "realm");
	env_free(&v);
	const struct mem_script broken[] = {
		{ .reply = { "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nWWW-Authenticate: Bearer realm=\"x\r\n\r\n" } },
	};
	env_init(&v, broken, 1, NULL, "reg.test/boot/linux:6.6");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_EINVAL, "broken challenge");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: bad WWW-Authenticate: www-authenticate: offset 15: unterminated "
	                 "quoted string", "broken message");
	env_free(&v);

	/* a configured bearer token is sent as is and never replaced */
	const struct mem_script fixed[] = { { .reply = { r_manifest } } };
	struct oci_creds tok = { .bearer = "OS-TOKEN" };
	env_init(&v, fixed, 1, &tok, "reg.test/boot/linux:6.6");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), 0, e.msg);
	free(bytes);
	CHECK(strstr(sent(&v.m, 0), "Authorization: Bearer OS-TOKEN\r\n") != NULL, "fixed bearer");
	env_free(&v);
}

static void manifest_checks(void)
{
	static char r_dcd_bad[512];
	snprintf(r_dcd_bad, sizeof(r_dcd_bad),
	         "HTTP/1.1 200 OK\r\nContent-Type: " OCI_MT_INDEX "\r\nDocker-Content-Digest: sha256:%064d\r\n"
	         "Content-Length: %zu\r\n\r\n%s", 0, strlen(manifest_body), manifest_body);
	/* conn 0 ends with a declared length over the cap (the body is not read: the connection is dropped) */
	const struct mem_script s[] = {
		{ .reply = { r_manifest, r_dcd_bad, "HTTP/1.1 200 OK\r\nContent-Length: 4194305\r\n\r\n" } },
		{ .reply = { resp("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n",
		                  "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":1}]}"),
		             resp("HTTP/1.1 429 Too Many Requests\r\n", "slow"),
		             resp("HTTP/1.1 404 Not Found\r\n", "404 page not found\n"),
		             resp("HTTP/1.1 403 Forbidden\r\n", "{\"errors\":[{\"code\":\"DENIED\"}]}"),
		             resp("HTTP/1.1 503 Service Unavailable\r\n", "") } },
	};
	struct env v;
	char pinned[200];
	snprintf(pinned, sizeof(pinned), "reg.test/boot/linux@sha256:%064d", 1);
	env_init(&v, s, 2, NULL, pinned);
	uint8_t *bytes = NULL;
	size_t len;
	char digest[OCI_DIGEST_SIZE];
	struct cb_err e = { 0 };
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_EVERIFY, "pinned mismatch");
	char want[400];
	snprintf(want, sizeof(want), "oci: %s: manifest digest mismatch (got %s)", pinned, manifest_digest);
	CHECK_STR(e.msg, want, "pinned message");
	CHECK(bytes == NULL && digest[0] == 0, "nothing returned");
	CHECK(strstr(sent(&v.m, 0), "GET /v2/boot/linux/manifests/sha256:0000") != NULL, "fetched by digest");
	oci_ref_free(&v.ref);
	oci_ref_parse("reg.test/boot/linux:6.6", &v.ref, &e);
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, "application/x", &bytes, &len, digest, NULL, &e), CB_EVERIFY, "dcd");
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux:6.6: manifest digest %s differs from Docker-Content-Digest "
	         "sha256:%064d", manifest_digest, 0);
	CHECK_STR(e.msg, want, "dcd message");
	CHECK(strstr(sent(&v.m, 0), "Accept: application/x\r\n") != NULL, "caller's Accept");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_ELIMIT, "declared too large");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: manifest too large: 4194305 bytes exceed the limit of 4194304",
	          "size message");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_ENOENT, "404");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: manifest unknown (404, MANIFEST_UNKNOWN)", "404 message");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_EPROTO, "429");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: manifest rate limited (429)", "429 message");
	CHECK_INT(oci_get_referrers(v.reg, &v.ref, manifest_digest, "application/vnd.dev.sigstore.bundle.v0.3+json",
	                            &bytes, &len, &e), CB_ENOENT, "no referrers API");
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux@%s: referrers unknown (404)", manifest_digest);
	CHECK_STR(e.msg, want, "referrers message");
	CHECK(strstr(sent(&v.m, 1), "/referrers/sha256:") && strstr(sent(&v.m, 1),
	      "?artifactType=application%2Fvnd.dev.sigstore.bundle.v0.3%2Bjson HTTP/1.1"), "referrers URL: %s", sent(&v.m, 1));
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_EPROTO, "403");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: manifest access denied (403, DENIED)", "403 message");
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_EPROTO, "503");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: manifest registry failure (503)", "503 message");
	env_free(&v);

	/* a smaller cap, and a chunked body that passes it */
	const struct mem_script c[] = {
		{ .reply = { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n"
		             "10\r\n0123456789abcdef\r\n0\r\n\r\n" } },
	};
	mem_dialer_init(&v.m, c, 1);
	v.http = http_client_new(&v.m.d, &mem_clock, NULL);
	struct oci_registry_opts ro = { .plain_http = true, .max_manifest = 20 };
	v.reg = oci_registry_new(v.http, NULL, &ro);
	oci_ref_parse("reg.test/boot/linux:6.6", &v.ref, &e);
	CHECK_INT(oci_get_manifest(v.reg, &v.ref, NULL, &bytes, &len, digest, NULL, &e), CB_ELIMIT, "chunked too large");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux:6.6: manifest too large: response larger than 20 bytes", "chunked message");
	env_free(&v);
}

static void blob_checks(void)
{
	/* conn 0: a declared length that does not match (drained, kept), then a body longer than the
	 * descriptor (dropped); conn 1: short, wrong and right bodies on one kept-alive connection */
	const struct mem_script s[] = {
		{ .reply = { "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello!",
		             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello!\r\n0\r\n\r\n" } },
		{ .reply = { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nhell\r\n0\r\n\r\n",
		             "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\njello", r_blob_hello } },
	};
	struct env v;
	env_init(&v, s, 2, NULL, "reg.test/boot/linux:6.6");
	struct mem out = { .len = 0 };
	struct oci_blob_sink sink = { .on_data = mem_on_data, .ctx = &out };
	struct cb_err e = { 0 };
	char want[400];
	CHECK_INT(oci_get_blob(v.reg, &v.ref, hello_digest, 5, &sink, &e), CB_EVERIFY, "declared length");
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux@%s: blob size mismatch: the server sends 6 bytes, the "
	         "descriptor says 5", hello_digest);
	CHECK_STR(e.msg, want, "length message");
	CHECK_INT(out.len, 0, "nothing delivered");
	CHECK_INT(oci_get_blob(v.reg, &v.ref, hello_digest, 5, &sink, &e), CB_EVERIFY, "longer body");
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux@%s: blob larger than its descriptor's 5 bytes", hello_digest);
	CHECK_STR(e.msg, want, "longer message");
	CHECK_INT(out.len, 0, "the oversized piece is not delivered");
	CHECK_INT(oci_get_blob(v.reg, &v.ref, hello_digest, 5, &sink, &e), CB_EVERIFY, "shorter body");
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux@%s: blob has 4 bytes, its descriptor says 5", hello_digest);
	CHECK_STR(e.msg, want, "shorter message");
	out.len = 0;
	CHECK_INT(oci_get_blob(v.reg, &v.ref, hello_digest, 5, &sink, &e), CB_EVERIFY, "wrong bytes");
	char jello[OCI_DIGEST_SIZE];
	sha("jello", 5, jello);
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux@%s: blob digest mismatch (got %s)", hello_digest, jello);
	CHECK_STR(e.msg, want, "digest message");
	CHECK(out.len == 5 && !memcmp(out.data, "jello", 5), "the sink saw the unverified bytes (documented)");
	uint8_t *bytes = NULL;
	CHECK_INT(oci_get_blob_mem(v.reg, &v.ref, hello_digest, 5, 4, &bytes, &e), CB_ELIMIT, "over max");
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux@%s: blob of 5 bytes exceeds the limit of 4", hello_digest);
	CHECK_STR(e.msg, want, "max message");
	CHECK_INT(oci_get_blob_mem(v.reg, &v.ref, hello_digest, 5, 5, &bytes, &e), 0, e.msg);
	CHECK(bytes && !memcmp(bytes, "hello", 6), "blob in memory, NUL-terminated");
	free(bytes);
	CHECK_INT(oci_get_blob(v.reg, &v.ref, "sha512:abc", 5, &sink, &e), CB_EUNSUP, "sha512");
	CHECK_STR(e.msg, "oci: reg.test/boot/linux@sha512:abc: only sha256 blobs are supported", "sha512 message");
	CHECK_INT(v.m.n_dials, 2, "two connections");
	env_free(&v);
}

int main(void)
{
	sha(manifest_body, strlen(manifest_body), manifest_digest);
	sha("hello", 5, hello_digest);
	snprintf(r_manifest, sizeof(r_manifest),
	         "HTTP/1.1 200 OK\r\nContent-Type: " OCI_MT_INDEX "; charset=utf-8\r\nDocker-Content-Digest: %s\r\n"
	         "Content-Length: %zu\r\n\r\n%s", manifest_digest, strlen(manifest_body), manifest_body);
	snprintf(r_blob_hello, sizeof(r_blob_hello), "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
	snprintf(r_token1, sizeof(r_token1), TOKEN(38) "{\"token\":\"T1\",\"expires_in\":300,\"x\":[]}");
	bearer_flow();
	credentials();
	manifest_checks();
	blob_checks();
	return check_summary("oci_registry");
}
