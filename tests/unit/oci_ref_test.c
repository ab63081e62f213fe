/* oci_ref_test.c: oci/ref.c against a table of references (docker-style defaults, registries with ports,
 * IPv6, tag + digest, oci:// prefix) with exact normalised parts, and of bad references with exact messages. */
#include <stdlib.h>

#include "http_test_util.h"
#include "ref.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct good {
	const char *in, *registry, *repo, *tag, *digest, *formatted;
};

static const struct good goods[] = {
	{ "ubuntu", "registry-1.docker.io", "library/ubuntu", "latest", NULL, "registry-1.docker.io/library/ubuntu:latest" },
	{ "ubuntu:22.04", "registry-1.docker.io", "library/ubuntu", "22.04", NULL, NULL },
	{ "docker.io/ubuntu", "registry-1.docker.io", "library/ubuntu", "latest", NULL, NULL },
	{ "index.docker.io/library/ubuntu:x", "registry-1.docker.io", "library/ubuntu", "x", NULL, NULL },
	{ "bitnami/redis", "registry-1.docker.io", "bitnami/redis", "latest", NULL, NULL },
	{ "localhost/x", "localhost", "x", "latest", NULL, NULL },
	{ "localhost:5000/x", "localhost:5000", "x", "latest", NULL, "localhost:5000/x:latest" },
	{ "localhost:5000", "registry-1.docker.io", "library/localhost", "5000", NULL, NULL },
	{ "127.0.0.1:5000/boot/linux:6.6", "127.0.0.1:5000", "boot/linux", "6.6", NULL, NULL },
	{ "[::1]:5000/x/y", "[::1]:5000", "x/y", "latest", NULL, NULL },
	{ "Registry/x", "Registry", "x", "latest", NULL, NULL },
	{ "ghcr.io/a/b/c:v1", "ghcr.io", "a/b/c", "v1", NULL, NULL },
	/* docker: a first component without '.' or ':' that is not localhost is a Docker Hub namespace */
	{ "host/a/b:tag@sha256:" D64, "registry-1.docker.io", "host/a/b", "tag", "sha256:" D64,
	  "registry-1.docker.io/host/a/b:tag@sha256:" D64 },
	{ "host.lan/a/b:tag@sha256:" D64, "host.lan", "a/b", "tag", "sha256:" D64, "host.lan/a/b:tag@sha256:" D64 },
	{ "host.example/a@sha256:" D64, "host.example", "a", NULL, "sha256:" D64, "host.example/a@sha256:" D64 },
	{ "oci://reg.example:8443/boot/plan:prod", "reg.example:8443", "boot/plan", "prod", NULL, NULL },
	{ "oci://ubuntu", "registry-1.docker.io", "library/ubuntu", "latest", NULL, NULL },
	{ "r.io/a.b_c__d-e--f/g", "r.io", "a.b_c__d-e--f/g", "latest", NULL, NULL },
	{ "r.io/x:_A.b-9", "r.io", "x", "_A.b-9", NULL, NULL },
	{ "my-reg.example.com:1/x", "my-reg.example.com:1", "x", "latest", NULL, NULL },
};

struct bad {
	const char *in;
	int code;
	const char *msg;
};

static const struct bad bads[] = {
	{ "", CB_EINVAL, "oci: reference \"\": empty" },
	{ "oci://", CB_EINVAL, "oci: reference \"oci://\": empty" },
	{ "https://reg/x", CB_EUNSUP, "oci: reference \"https://reg/x\": unsupported scheme (only oci://)" },
	{ "Ubuntu", CB_EINVAL, "invalid repository path component" },
	{ "reg.io/A", CB_EINVAL, "oci: reference \"reg.io/A\": invalid repository path component" },
	{ "reg.io/a//b", CB_EINVAL, "invalid repository path component" },
	{ "reg.io/a/", CB_EINVAL, "invalid repository path component" },
	{ "reg.io/", CB_EINVAL, "\"reg.io/\": empty repository" },
	{ "reg.io/a..b", CB_EINVAL, "invalid repository path component" },
	{ "reg.io/a___b", CB_EINVAL, "invalid repository path component" },
	{ "reg.io/-a", CB_EINVAL, "invalid repository path component" },
	{ "reg.io/a-", CB_EINVAL, "invalid repository path component" },
	{ "reg.io/a:", CB_EINVAL, "\"reg.io/a:\": empty tag" },
	{ "reg.io/a:.x", CB_EINVAL, "invalid tag (letters, digits, _ . -, not starting with . or -)" },
	{ "reg.io/a:x/y", CB_EINVAL, "invalid repository path component" },
	{ "reg.io/a@sha256:abc", CB_EINVAL, "invalid sha256 digest (64 lower-case hex digits)" },
	{ "reg.io/a@sha256:" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", CB_EINVAL,
	  "invalid sha256 digest" },
	{ "reg.io/a@sha512:abcd", CB_EUNSUP, "unsupported digest algorithm (only sha256)" },
	{ "reg.io/a@x", CB_EINVAL, "\"reg.io/a@x\": invalid digest" },
	{ "reg.io/a@sha256:" D64 "@sha256:" D64, CB_EINVAL, "more than one '@'" },
	{ "@sha256:" D64, CB_EINVAL, "missing repository" },
	{ "reg.io:0/a", CB_EINVAL, "\"reg.io:0/a\": registry port out of range 1..65535" },
	{ "reg.io:65536/a", CB_EINVAL, "registry port out of range 1..65535" },
	{ "reg.io:123456/a", CB_EINVAL, "invalid registry port" },
	{ "reg.io:/a", CB_EINVAL, "invalid registry port" },
	{ "reg.io:8x/a", CB_EINVAL, "invalid registry port" },
	{ "-reg.io/a", CB_EINVAL, "invalid registry host name" },
	{ "reg-.io/a", CB_EINVAL, "invalid registry host name" },
	{ "reg..io/a", CB_EINVAL, "invalid registry host name" },
	{ "re_g.io/a", CB_EINVAL, "invalid registry host name" },
	{ "[::1/a", CB_EINVAL, "unterminated [IPv6] registry address" },
	{ "[]:5/a", CB_EINVAL, "empty [IPv6] registry address" },
	{ "[::g]/a", CB_EINVAL, "invalid [IPv6] registry address" },
	{ "[::1]x/a", CB_EINVAL, "invalid registry address" },
	{ "reg.io/a b", CB_EINVAL, "\"reg.io/a b\": control, space or non-ASCII character" },
	{ "reg.io/\xc3\xa9", CB_EINVAL, "\"reg.io/\\xc3\\xa9\": control, space or non-ASCII character" },
};

static void long_refs(void)
{
	char buf[1200];
	struct oci_ref r;
	struct cb_err e = { 0 };
	memset(buf, 'a', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = 0;
	CHECK_INT(oci_ref_parse(buf, &r, &e), CB_ELIMIT, "1199-byte reference");
	CHECK(strstr(e.msg, "...\": longer than 1024 bytes") != NULL, "message: %s", e.msg);
	/* repository: 255 bytes fine, 256 not; the library/ prefix counts */
	snprintf(buf, sizeof(buf), "r.io/%.*s", 255, "");
	memset(buf + 5, 'b', 255);
	buf[260] = 0;
	CHECK_INT(oci_ref_parse(buf, &r, &e), 0, "255-byte repository");
	oci_ref_free(&r);
	buf[260] = 'b';
	buf[261] = 0;
	CHECK_INT(oci_ref_parse(buf, &r, &e), CB_EINVAL, "256-byte repository");
	CHECK(strstr(e.msg, "repository longer than 255 bytes") != NULL, "message: %s", e.msg);
	memset(buf, 'c', 250);
	buf[250] = 0;
	CHECK_INT(oci_ref_parse(buf, &r, &e), CB_EINVAL, "250 + library/");
	CHECK(strstr(e.msg, "repository longer than 255 bytes") != NULL, "message: %s", e.msg);
	/* tag: 128 fine, 129 not */
	memcpy(buf, "r.io/x:", 7);
	memset(buf + 7, 't', 129);
	buf[7 + 128] = 0;
	CHECK_INT(oci_ref_parse(buf, &r, &e), 0, "128-byte tag");
	oci_ref_free(&r);
	buf[7 + 128] = 't';
	buf[7 + 129] = 0;
	CHECK_INT(oci_ref_parse(buf, &r, &e), CB_EINVAL, "129-byte tag");
	CHECK(strstr(e.msg, "tag longer than 128 bytes") != NULL, "message: %s", e.msg);
}

static void digests(void)
{
	CHECK(oci_digest_is_sha256("sha256:" D64), "sha256 ok");
	CHECK(!oci_digest_is_sha256("sha256:" D64 "0"), "65 digits");
	CHECK(!oci_digest_is_sha256("sha512:" D64), "sha512");
	CHECK(oci_digest_valid("sha512:abcDEF=_-"), "other algorithm");
	CHECK(oci_digest_valid("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"), "composite algorithm");
	CHECK(!oci_digest_valid("sha256:"), "empty encoded");
	CHECK(!oci_digest_valid(":abc"), "empty algorithm");
	CHECK(!oci_digest_valid("SHA256:abc"), "upper-case algorithm");
	CHECK(!oci_digest_valid("sha256+:abc"), "dangling separator");
	CHECK(!oci_digest_valid("sha256:a/b"), "slash");
	uint8_t sha[32];
	for (int i = 0; i < 32; i++)
		sha[i] = (uint8_t)(i * 7 + 1);
	char out[OCI_DIGEST_SIZE];
	oci_digest_format(sha, out);
	CHECK_STR(out, "sha256:01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3da", "format");
}

int main(void)
{
	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		const struct good *g = &goods[i];
		struct oci_ref r;
		struct cb_err e = { 0 };
		int rc = oci_ref_parse(g->in, &r, &e);
		CHECK(rc == 0, "%s: rc %d: %s", g->in, rc, e.msg);
		if (rc)
			continue;
		CHECK_STR(r.registry, g->registry, g->in);
		CHECK_STR(r.repo, g->repo, g->in);
		CHECK(g->tag ? (r.tag && !strcmp(r.tag, g->tag)) : !r.tag, "%s: tag %s", g->in, r.tag ? r.tag : "(null)");
		CHECK(g->digest ? (r.digest && !strcmp(r.digest, g->digest)) : !r.digest, "%s: digest %s", g->in,
		      r.digest ? r.digest : "(null)");
		if (g->formatted) {
			char buf[OCI_REF_MAX + 16];
			size_t n = oci_ref_format(&r, buf, sizeof(buf));
			CHECK_STR(buf, g->formatted, g->in);
			CHECK_INT(n, strlen(g->formatted), "format length");
		}
		struct oci_ref c;
		CHECK_INT(oci_ref_copy(&r, &c, &e), 0, "copy");
		CHECK_STR(c.repo, r.repo, "copy repo");
		oci_ref_free(&c);
		oci_ref_free(&r);
	}
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		struct oci_ref r;
		struct cb_err e = { 0 };
		int rc = oci_ref_parse(b->in, &r, &e);
		CHECK(rc == b->code, "%s: rc %d, want %d (%s)", b->in, rc, b->code, e.msg);
		CHECK(strstr(e.msg, b->msg) != NULL, "%s: message \"%s\" lacks \"%s\"", b->in, e.msg, b->msg);
		CHECK(!strncmp(e.msg, "oci: reference \"", 16), "%s: prefix of \"%s\"", b->in, e.msg);
		if (!rc)
			oci_ref_free(&r);
	}
	struct oci_ref r;
	struct cb_err e = { 0 };
	CHECK_INT(oci_ref_parse(NULL, &r, &e), CB_EINVAL, "NULL");
	CHECK_STR(e.msg, "oci: no reference", "NULL message");
	long_refs();
	digests();
	return check_summary("oci_ref");
}
