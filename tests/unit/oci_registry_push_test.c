/* oci_registry_push_test.c: oci/registry_push.c against scripted in-memory registries: the HEAD check that
 * skips uploads, monolithic and chunked uploads (relative Locations, Content-Range, the Range answer checked,
 * ?digest= on the closing PUT), no Authorization to an upload location on another host, Basic auth with the
 * push scope, manifest PUTs (Docker-Content-Digest checked, OCI-Subject reported). */
#include <stdlib.h>

#include "bearssl_hash.h"
#include "http_mem_transport.h"
#include "http_test_util.h"
#include "manifest.h"
#include "registry.h"
#include "registry_push.h"

static char hello_digest[OCI_DIGEST_SIZE];

struct env {
	struct mem_dialer m;
	struct http_client *http;
	struct oci_registry *reg;
	struct oci_ref ref;
};

static void env_init(struct env *v, const struct mem_script *s, size_t n, const struct oci_creds *creds)
{
	mem_dialer_init(&v->m, s, n);
	struct http_client_opts o;
	http_client_opts_init(&o);
	o.max_resumes = 0;
	v->http = http_client_new(&v->m.d, &mem_clock, &o);
	struct oci_registry_opts ro = { .plain_http = true };
	v->reg = oci_registry_new(v->http, creds, &ro);
	struct cb_err e;
	if (oci_ref_parse("reg.test/boot/linux:1", &v->ref, &e))
		abort();
}

static void env_free(struct env *v)
{
	oci_ref_free(&v->ref);
	oci_registry_free(v->reg);
	http_client_free(v->http);
	mem_dialer_free(&v->m);
}

static const char *sent(struct mem_dialer *m, size_t i)
{
	return m->log[i].sent ? m->log[i].sent : "";
}

static int src_read(void *ctx, uint64_t off, void *buf, size_t n, struct cb_err *e)
{
	(void)e;
	memcpy(buf, (const char *)ctx + off, n);
	return 0;
}

#define R404 "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
#define R202(loc, extra) "HTTP/1.1 202 Accepted\r\nLocation: " loc "\r\n" extra "Content-Length: 0\r\n\r\n"
#define R201 "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"

static void chunked(void)
{
	const struct mem_script s[] = {
		{ .reply = { R404, R202("/v2/boot/linux/blobs/uploads/u1?_state=a", ""),
		             R202("/v2/boot/linux/blobs/uploads/u1?_state=b", "Range: 0-1\r\n"),
		             R202("u1?_state=c", "Range: 0-3\r\n"), R202("u1?_state=d", "Range: 0-4\r\n"), R201 } },
	};
	struct env v;
	env_init(&v, s, 1, NULL);
	struct oci_blob_source src = { src_read, "hello" };
	bool skipped = true;
	struct cb_err e = { 0 };
	CHECK_INT(oci_push_blob(v.reg, &v.ref, hello_digest, 5, &src, 2, &skipped, &e), 0, e.msg);
	CHECK(!skipped, "uploaded");
	const char *t = sent(&v.m, 0);
	CHECK(strstr(t, "HEAD /v2/boot/linux/blobs/sha256:") == t, "HEAD first: %s", t);
	CHECK(strstr(t, "POST /v2/boot/linux/blobs/uploads/ HTTP/1.1") != NULL, "POST");
	CHECK(strstr(t, "PATCH /v2/boot/linux/blobs/uploads/u1?_state=a HTTP/1.1") != NULL, "first PATCH");
	CHECK(strstr(t, "Content-Range: 0-1\r\n") && strstr(t, "Content-Length: 2\r\n\r\nhePATCH"), "first chunk: %s", t);
	CHECK(strstr(t, "Content-Range: 2-3\r\n") && strstr(t, "Content-Length: 2\r\n\r\nllPATCH"), "second chunk");
	CHECK(strstr(t, "Content-Range: 4-4\r\n") && strstr(t, "Content-Length: 1\r\n\r\noPUT"), "last chunk");
	CHECK(strstr(t, "PATCH /v2/boot/linux/blobs/uploads/u1?_state=c HTTP/1.1") != NULL, "relative Location");
	char want[200];
	snprintf(want, sizeof(want), "PUT /v2/boot/linux/blobs/uploads/u1?_state=d&digest=sha256%%3A%s HTTP/1.1",
	         hello_digest + 7);
	CHECK(strstr(t, want) != NULL, "closing PUT with the digest: %s", t);
	static const char tail[] = "Content-Length: 0\r\n\r\n";
	CHECK(strlen(t) > strlen(tail) && !strcmp(t + strlen(t) - strlen(tail), tail), "an empty closing PUT: %s", t);
	env_free(&v);
}

static void monolithic_and_exists(void)
{
	const struct mem_script s[] = {
		{ .reply = { R404, R202("http://reg.test/v2/boot/linux/blobs/uploads/u9", ""), R201,
		             "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" } },
	};
	struct env v;
	env_init(&v, s, 1, NULL);
	char digest[OCI_DIGEST_SIZE];
	struct cb_err e = { 0 };
	CHECK_INT(oci_push_blob_mem(v.reg, &v.ref, "hello", 5, digest, &e), 0, e.msg);
	CHECK_STR(digest, hello_digest, "digest computed");
	char want[200];
	snprintf(want, sizeof(want), "PUT /v2/boot/linux/blobs/uploads/u9?digest=sha256%%3A%s HTTP/1.1", hello_digest + 7);
	CHECK(strstr(sent(&v.m, 0), want) != NULL, "one PUT: %s", sent(&v.m, 0));
	CHECK(strstr(sent(&v.m, 0), "Content-Length: 5\r\n\r\nhello") != NULL, "body in the PUT");
	struct oci_blob_source src = { src_read, "hello" };
	bool skipped = false;
	CHECK_INT(oci_push_blob(v.reg, &v.ref, hello_digest, 5, &src, 0, &skipped, &e), 0, e.msg);
	CHECK(skipped, "the registry has it: skipped");
	CHECK(strstr(sent(&v.m, 0), "PATCH") == NULL, "no PATCH");
	env_free(&v);
}

static void range_and_errors(void)
{
	const struct mem_script s[] = {
		{ .reply = { R404, R202("/up/1", ""), R202("/up/2", "Range: 0-0\r\n") } },
		{ .reply = { R404, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n" } },
		{ .reply = { R404, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 54\r\n\r\n"
		                   "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"bad\"}]}" } },
	};
	struct env v;
	env_init(&v, s, 3, NULL);
	struct oci_blob_source src = { src_read, "hello" };
	bool skipped;
	struct cb_err e = { 0 };
	char want[300];
	CHECK_INT(oci_push_blob(v.reg, &v.ref, hello_digest, 5, &src, 2, &skipped, &e), CB_EPROTO, "range");
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux@%s: the registry holds bytes 0-0 after a chunk, expected 0-1",
	         hello_digest);
	CHECK_STR(e.msg, want, "range message");
	CHECK_INT(oci_push_blob(v.reg, &v.ref, hello_digest, 5, &src, 0, &skipped, &e), CB_EPROTO, "no Location");
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux@%s: upload answer (202) without a Location", hello_digest);
	CHECK_STR(e.msg, want, "location message");
	CHECK_INT(oci_push_blob(v.reg, &v.ref, hello_digest, 5, &src, 0, &skipped, &e), CB_EPROTO, "refused");
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux@%s: blob upload refused (400, DIGEST_INVALID)", hello_digest);
	CHECK_STR(e.msg, want, "refused message");
	CHECK_INT(oci_push_blob(v.reg, &v.ref, "sha512:ab", 5, &src, 0, &skipped, &e), CB_EUNSUP, "sha512");
	env_free(&v);
}

static void basic_auth_and_foreign_location(void)
{
	const struct mem_script s[] = {
		{ .reply = { "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\nContent-Length: 0\r\n\r\n",
		             R404, R202("http://upload.test/u/1", "") } },
		{ .reply = { R201 } },
	};
	struct oci_creds creds = { .username = "u", .password = "p" };
	struct env v;
	env_init(&v, s, 2, &creds);
	char digest[OCI_DIGEST_SIZE];
	struct cb_err e = { 0 };
	CHECK_INT(oci_push_blob_mem(v.reg, &v.ref, "hello", 5, digest, &e), 0, e.msg);
	const char *post = strstr(sent(&v.m, 0), "POST ");
	CHECK(post && strstr(post, "Authorization: Basic dTpw\r\n"), "POST with Basic");
	CHECK_STR(v.m.log[1].host, "upload.test", "the upload went to the other host");
	CHECK(strstr(sent(&v.m, 1), "PUT /u/1?digest=sha256%3A") != NULL, "PUT there: %s", sent(&v.m, 1));
	CHECK(strstr(sent(&v.m, 1), "Authorization") == NULL, "no credentials to another host");
	env_free(&v);
}

static void manifests(void)
{
	static const char doc[] = "{\"schemaVersion\":2}";
	char digest[OCI_DIGEST_SIZE], r_ok[300];
	br_sha256_context c;
	uint8_t h[32];
	br_sha256_init(&c);
	br_sha256_update(&c, doc, strlen(doc));
	br_sha256_out(&c, h);
	char want_digest[OCI_DIGEST_SIZE];
	oci_digest_format(h, want_digest);
	snprintf(r_ok, sizeof(r_ok), "HTTP/1.1 201 Created\r\nDocker-Content-Digest: %s\r\nOCI-Subject: %s\r\n"
	         "Content-Length: 0\r\n\r\n", want_digest, hello_digest);
	const struct mem_script s[] = {
		{ .reply = { r_ok, "HTTP/1.1 201 Created\r\nDocker-Content-Digest: sha256:"
		                   "0000000000000000000000000000000000000000000000000000000000000000\r\nContent-Length: 0\r\n\r\n" } },
	};
	struct env v;
	env_init(&v, s, 1, NULL);
	struct cb_err e = { 0 };
	bool subject = false;
	CHECK_INT(oci_put_manifest(v.reg, &v.ref, "1", OCI_MT_MANIFEST, doc, strlen(doc), digest, &subject, &e), 0, e.msg);
	CHECK_STR(digest, want_digest, "digest");
	CHECK(subject, "OCI-Subject reported");
	CHECK(strstr(sent(&v.m, 0), "PUT /v2/boot/linux/manifests/1 HTTP/1.1") != NULL, "by tag");
	CHECK(strstr(sent(&v.m, 0), "Content-Type: " OCI_MT_MANIFEST "\r\n") != NULL, "media type");
	CHECK_INT(oci_put_manifest(v.reg, &v.ref, NULL, OCI_MT_MANIFEST, doc, strlen(doc), digest, &subject, &e),
	          CB_EVERIFY, "digest mismatch");
	char want[400];
	snprintf(want, sizeof(want), "oci: reg.test/boot/linux@%s: the registry stored digest sha256:"
	         "0000000000000000000000000000000000000000000000000000000000000000, the manifest's is %s", want_digest,
	         want_digest);
	CHECK_STR(e.msg, want, "mismatch message");
	CHECK(!subject, "no subject on failure");
	snprintf(want, sizeof(want), "PUT /v2/boot/linux/manifests/%s HTTP/1.1", want_digest);
	CHECK(strstr(sent(&v.m, 0), want) != NULL, "by digest");
	env_free(&v);
}

int main(void)
{
	br_sha256_context c;
	uint8_t h[32];
	br_sha256_init(&c);
	br_sha256_update(&c, "hello", 5);
	br_sha256_out(&c, h);
	oci_digest_format(h, hello_digest);
	chunked();
	monolithic_and_exists();
	range_and_errors();
	basic_auth_and_foreign_location();
	manifests();
	return check_summary("oci_registry_push");
}
