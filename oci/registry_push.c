/* registry_push.c: blob uploads (HEAD check, POST, one PUT or PATCH chunks + PUT) and manifest PUTs over the
 * registry client's one authenticated request path (registry_internal.h). No GETs here: see registry.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bearssl_hash.h"
#include "http_url.h"
#include "registry_internal.h"
#include "registry_push.h"

#define PUSH_OCTETS "application/octet-stream"

static int head_ok(void *ctx, const struct http_response *resp, struct cb_err *e)
{
	(void)e;
	*(uint64_t *)ctx = resp->content_length;
	return 0;
}

int oci_blob_exists(struct oci_registry *r, const struct oci_ref *repo, const char *digest, uint64_t size,
                    struct cb_err *e)
{
	char subject[OCI_REF_MAX + 16], url[REG_URL_MAX];
	reg_what(repo, digest, subject, sizeof(subject));
	int rc = reg_make_url(r, repo, "blobs", digest, url, sizeof(url), e);
	if (rc)
		return rc;
	uint64_t len = UINT64_MAX;
	struct xfer x = { .r = r, .subject = subject, .on_ok = head_ok, .ctx = &len };
	struct reg_call c = { .method = "HEAD", .url = url, .push = true };
	rc = reg_call(r, repo, &c, "blob", &x, e);
	reg_xfer_done(&x);
	if (rc == CB_ENOENT)
		return 0;
	return rc ? rc : len == size;
}

/* The next upload URL: the Location of x resolved against the URL that answered, and whether credentials may
 * go there (same origin as the registry's own URL). */
static int next_location(struct xfer *x, const char *answered, const char *registry_url, char **out, bool *foreign,
                         struct cb_err *e)
{
	if (!x->location || !x->location[0])
		return cb_errf(e, CB_EPROTO, "oci: %s: upload answer (%d) without a Location", x->subject, x->status);
	int rc = http_url_resolve(answered, x->location, out, e);
	struct http_url a, b;
	if (!rc && (rc = http_url_parse(*out, &a, e)) == 0) {
		if ((rc = http_url_parse(registry_url, &b, e)) == 0) {
			*foreign = !http_url_same_origin(&a, &b);
			http_url_free(&b);
		}
		http_url_free(&a);
	}
	if (rc) {
		cb_err_prefix(e, "oci: %s: upload Location: ", x->subject);
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* loc + "?digest=" (or "&digest=") with the ':' percent-encoded. */
static char *with_digest(const char *loc, const char *digest)
{
	const char *colon = strchr(digest, ':');
	size_t n = strlen(loc) + strlen(digest) + 16;
	char *u = malloc(n);
	if (u)
		snprintf(u, n, "%s%cdigest=%.*s%%3A%s", loc, strchr(loc, '?') ? '&' : '?', (int)(colon - digest), digest,
		         colon + 1);
	return u;
}

/* Checks the registry's "Range: 0-<end>" answer after a PATCH. */
static int check_range(const struct xfer *x, uint64_t end, struct cb_err *e)
{
	char want[48];
	snprintf(want, sizeof(want), "0-%llu", (unsigned long long)end);
	if (x->range[0] && strcmp(x->range, want) != 0)
		return cb_errf(e, CB_EPROTO, "oci: %s: the registry holds bytes %s after a chunk, expected %s", x->subject,
		               x->range, want);
	return 0;
}

struct upload {
	struct oci_registry *r;
	const struct oci_ref *repo;
	const char *digest, *subject;
	char *loc;    /* current upload URL */
	bool foreign; /* loc is on another origin: no Authorization */
	char base[REG_URL_MAX];
};

/* One request on the upload location; on success loc moves to the answer's Location (unless `final`). */
static int upload_call(struct upload *u, const char *method, const char *url, const void *body, size_t len,
                       const char *range, bool final, struct xfer *x, struct cb_err *e)
{
	*x = (struct xfer){ .r = u->r, .subject = u->subject };
	struct reg_call c = { .method = method, .url = url, .content_type = PUSH_OCTETS, .content_range = range,
		              .body = body, .body_len = len, .push = true, .no_auth = u->foreign };
	int rc = reg_call(u->r, u->repo, &c, "blob upload", x, e);
	if (!rc && !final) {
		char *next = NULL;
		if (!(rc = next_location(x, url, u->base, &next, &u->foreign, e))) {
			free(u->loc);
			u->loc = next;
		}
	}
	return rc;
}

static int upload(struct upload *u, uint64_t size, const struct oci_blob_source *src, size_t chunk, struct cb_err *e)
{
	const struct oci_registry_opts *o = reg_opts(u->r);
	struct xfer x = { .r = u->r, .subject = u->subject };
	struct reg_call start = { .method = "POST", .url = u->base, .push = true };
	int rc = reg_call(u->r, u->repo, &start, "blob upload", &x, e);
	if (!rc)
		rc = next_location(&x, u->base, u->base, &u->loc, &u->foreign, e);
	reg_xfer_done(&x);
	if (rc)
		return rc;
	bool mono = chunk == 0 || size <= chunk;
	size_t bufsize = (size_t)(mono ? size : chunk);
	if (mono && size > SIZE_MAX - 1)
		return cb_errf(e, CB_ELIMIT, "oci: %s: blob too large for one upload", u->subject);
	uint8_t *buf = malloc(bufsize ? bufsize : 1);
	if (!buf)
		return cb_errf(e, CB_ENOMEM, "oci: %s: out of memory for %zu bytes", u->subject, bufsize);
	if (o->progress)
		o->progress(o->progress_ctx, u->digest, 0, size);
	uint64_t off = 0;
	while (!rc && !mono && off < size) {
		size_t n = (size_t)(size - off < chunk ? size - off : chunk);
		char range[48];
		snprintf(range, sizeof(range), "%llu-%llu", (unsigned long long)off, (unsigned long long)(off + n - 1));
		if (!(rc = src->read(src->ctx, off, buf, n, e)) &&
		    !(rc = upload_call(u, "PATCH", u->loc, buf, n, range, false, &x, e)))
			rc = check_range(&x, off + n - 1, e);
		reg_xfer_done(&x);
		off += n;
		if (!rc && o->progress)
			o->progress(o->progress_ctx, u->digest, off, size);
	}
	size_t last = mono ? (size_t)size : 0;
	if (!rc && mono && size)
		rc = src->read(src->ctx, 0, buf, last, e);
	char *put = rc ? NULL : with_digest(u->loc, u->digest);
	if (!rc && !put)
		rc = cb_errf(e, CB_ENOMEM, "oci: out of memory");
	if (!rc) {
		rc = upload_call(u, "PUT", put, buf, last, NULL, true, &x, e);
		reg_xfer_done(&x);
	}
	if (!rc && mono && o->progress)
		o->progress(o->progress_ctx, u->digest, size, size);
	free(put);
	free(buf);
	return rc;
}

int oci_push_blob(struct oci_registry *r, const struct oci_ref *repo, const char *digest, uint64_t size,
                  const struct oci_blob_source *src, size_t chunk, bool *skipped, struct cb_err *e)
{
	*skipped = false;
	char subject[OCI_REF_MAX + 16];
	reg_what(repo, digest, subject, sizeof(subject));
	if (!oci_digest_is_sha256(digest))
		return cb_errf(e, CB_EUNSUP, "oci: %s: only sha256 blobs are supported", subject);
	int rc = oci_blob_exists(r, repo, digest, size, e);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		*skipped = true;
		return 0;
	}
	struct upload u = { .r = r, .repo = repo, .digest = digest, .subject = subject };
	if ((rc = reg_make_url(r, repo, "blobs", "uploads/", u.base, sizeof(u.base), e)))
		return rc;
	rc = upload(&u, size, src, chunk, e);
	free(u.loc);
	return rc;
}

static int mem_read(void *ctx, uint64_t off, void *buf, size_t n, struct cb_err *e)
{
	(void)e;
	memcpy(buf, (const uint8_t *)ctx + off, n);
	return 0;
}

static void sha256_digest(const void *p, size_t n, char digest[OCI_DIGEST_SIZE])
{
	br_sha256_context c;
	uint8_t sha[32];
	br_sha256_init(&c);
	br_sha256_update(&c, p, n);
	br_sha256_out(&c, sha);
	oci_digest_format(sha, digest);
}

int oci_push_blob_mem(struct oci_registry *r, const struct oci_ref *repo, const void *data, size_t len,
                      char digest[OCI_DIGEST_SIZE], struct cb_err *e)
{
	sha256_digest(data, len, digest);
	struct oci_blob_source src = { .read = mem_read, .ctx = (void *)data };
	bool skipped;
	return oci_push_blob(r, repo, digest, len, &src, 0, &skipped, e);
}

int oci_put_manifest(struct oci_registry *r, const struct oci_ref *repo, const char *tag, const char *media_type,
                     const void *bytes, size_t len, char digest[OCI_DIGEST_SIZE], bool *oci_subject,
                     struct cb_err *e)
{
	sha256_digest(bytes, len, digest);
	char subject[OCI_REF_MAX + 16], url[REG_URL_MAX];
	snprintf(subject, sizeof(subject), "%s/%s%s%s", repo->registry, repo->repo, tag ? ":" : "@", tag ? tag : digest);
	int rc = reg_make_url(r, repo, "manifests", tag ? tag : digest, url, sizeof(url), e);
	if (rc)
		return rc;
	struct xfer x = { .r = r, .subject = subject };
	struct reg_call c = { .method = "PUT", .url = url, .content_type = media_type, .body = bytes, .body_len = len,
		              .push = true };
	rc = reg_call(r, repo, &c, "manifest upload", &x, e);
	if (!rc && !strncmp(x.dcd, "sha256:", 7) && strcmp(x.dcd, digest) != 0)
		rc = cb_errf(e, CB_EVERIFY, "oci: %s: the registry stored digest %s, the manifest's is %s", subject, x.dcd,
		             digest);
	if (oci_subject)
		*oci_subject = !rc && x.oci_subject;
	reg_xfer_done(&x);
	return rc;
}
