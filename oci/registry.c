/* registry.c: the OCI Distribution v2 client over net/http: auth (anonymous/Basic/Bearer from challenges,
 * token cache), manifest GETs with size cap and digest check, streamed blob GETs with SHA-256, referrers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base64.h"
#include "bearssl_hash.h"
#include "json.h"
#include "manifest.h"
#include "oci_internal.h"
#include "registry.h"
#include "registry_internal.h"
#include "www_auth.h"

#define REG_TOKEN_CACHE 8
#define REG_TOKEN_MAX (16 * 1024)      /* bytes of a token */
#define REG_TOKEN_BODY_MAX (64 * 1024) /* bytes of a token endpoint response */

struct reg_auth {
	char *registry;
	char *scope; /* "repository:<repo>:pull"; "" for Basic (any repository) */
	char *header;
};

struct oci_registry {
	struct http_client *http;
	struct oci_creds creds;
	struct oci_registry_opts o;
	struct reg_auth cache[REG_TOKEN_CACHE];
	size_t next_slot;
	char *bearer_header;
};

struct oci_registry *oci_registry_new(struct http_client *http, const struct oci_creds *creds,
                                      const struct oci_registry_opts *opts)
{
	struct oci_registry *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->http = http;
	if (creds)
		r->creds = *creds;
	if (opts)
		r->o = *opts;
	if (!r->o.max_manifest)
		r->o.max_manifest = OCI_MANIFEST_MAX;
	if (!r->o.max_error_body)
		r->o.max_error_body = 4096;
	if (r->creds.bearer) {
		size_t n = strlen(r->creds.bearer);
		if (!(r->bearer_header = malloc(n + 8))) {
			free(r);
			return NULL;
		}
		memcpy(r->bearer_header, "Bearer ", 7);
		memcpy(r->bearer_header + 7, r->creds.bearer, n + 1);
	}
	return r;
}

const struct oci_registry_opts *reg_opts(const struct oci_registry *r)
{
	return &r->o;
}

static void auth_clear(struct reg_auth *a)
{
	free(a->registry);
	free(a->scope);
	free(a->header);
	memset(a, 0, sizeof(*a));
}

void oci_registry_free(struct oci_registry *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < REG_TOKEN_CACHE; i++)
		auth_clear(&r->cache[i]);
	free(r->bearer_header);
	free(r);
}

/* ---- messages and URLs ---- */

/* "registry/repo:tag", "registry/repo@digest" for messages. */
const char *reg_what(const struct oci_ref *ref, const char *digest, char *buf, size_t cap)
{
	if (digest)
		snprintf(buf, cap, "%s/%s@%s", ref->registry, ref->repo, digest);
	else
		oci_ref_format(ref, buf, cap);
	return buf;
}

static void pct_encode(char *out, size_t cap, size_t *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		             c == '.' || c == '_' || c == '~';
		if (*o + 4 > cap) {
			*o = cap; /* marks overflow */
			return;
		}
		if (plain) {
			out[(*o)++] = (char)c;
		} else {
			out[(*o)++] = '%';
			out[(*o)++] = hex[c >> 4];
			out[(*o)++] = hex[c & 15];
		}
	}
	out[*o] = 0;
}

int reg_make_url(const struct oci_registry *r, const struct oci_ref *ref, const char *kind, const char *id,
                 char *url, size_t cap, struct cb_err *e)
{
	int n = snprintf(url, cap, "%s://%s/v2/%s/%s/%s", r->o.plain_http ? "http" : "https", ref->registry, ref->repo,
	                 kind, id);
	if (n < 0 || (size_t)n >= cap)
		return cb_errf(e, CB_ELIMIT, "oci: %s/%s: URL too long", ref->registry, ref->repo);
	return 0;
}

/* ---- the auth cache ---- */

static const char *cached_auth(const struct oci_registry *r, const char *registry, const char *scope)
{
	if (r->bearer_header)
		return r->bearer_header;
	for (size_t i = 0; i < REG_TOKEN_CACHE; i++) {
		const struct reg_auth *a = &r->cache[i];
		if (a->header && !strcmp(a->registry, registry) && (!a->scope[0] || !strcmp(a->scope, scope)))
			return a->header;
	}
	return NULL;
}

static void forget_auth(struct oci_registry *r, const char *header)
{
	for (size_t i = 0; i < REG_TOKEN_CACHE; i++)
		if (r->cache[i].header == header)
			auth_clear(&r->cache[i]);
}

static int store_auth(struct oci_registry *r, const char *registry, const char *scope, char *header,
                      const char **out, struct cb_err *e)
{
	struct reg_auth *a = &r->cache[r->next_slot];
	r->next_slot = (r->next_slot + 1) % REG_TOKEN_CACHE;
	auth_clear(a);
	a->registry = oci_strndup(registry, strlen(registry));
	a->scope = oci_strndup(scope, strlen(scope));
	a->header = header;
	if (!a->registry || !a->scope) {
		auth_clear(a);
		return cb_errf(e, CB_ENOMEM, "oci: out of memory");
	}
	*out = header;
	return 0;
}

static char *basic_header(const struct oci_creds *c)
{
	size_t ul = strlen(c->username), pl = c->password ? strlen(c->password) : 0, n = ul + 1 + pl;
	char *plain = malloc(n + 1);
	size_t el = b64_encoded_len(n);
	char *h = plain && el != (size_t)-1 ? malloc(el + 7) : NULL;
	if (h) {
		memcpy(plain, c->username, ul);
		plain[ul] = ':';
		memcpy(plain + ul + 1, c->password ? c->password : "", pl);
		memcpy(h, "Basic ", 6);
		b64_encode(plain, n, h + 6);
	}
	if (plain) {
		memset(plain, 0, n);
		free(plain);
	}
	return h;
}

/* ---- one GET with the auth dance ---- */



static int x_response(void *ctx, const struct http_response *resp, struct cb_err *e)
{
	struct xfer *x = ctx;
	x->status = resp->status;
	x->ok = resp->status >= 200 && resp->status <= 299;
	oci_www_auth_free(&x->auth);
	x->auth_rc = 0;
	oci_buf_free(&x->errbody);
	x->errbody.max = x->r->o.max_error_body;
	if (resp->status == 401) {
		for (size_t i = 0; i < resp->n_headers && !x->auth_rc; i++)
			if (!strcasecmp(resp->headers[i].name, "WWW-Authenticate"))
				x->auth_rc = oci_www_auth_add(&x->auth, resp->headers[i].value, &x->auth_err);
		return 0; /* the (small) body is read and dropped, the connection kept */
	}
	if (!x->ok)
		return 0;
	const char *ct = http_response_header(resp, "Content-Type");
	snprintf(x->content_type, sizeof(x->content_type), "%.*s", ct ? (int)strcspn(ct, "; \t") : 0, ct ? ct : "");
	const char *d = http_response_header(resp, "Docker-Content-Digest");
	snprintf(x->dcd, sizeof(x->dcd), "%s", d && strlen(d) < sizeof(x->dcd) ? d : "");
	const char *loc = http_response_header(resp, "Location");
	free(x->location);
	x->location = NULL;
	if (loc && !(x->location = oci_strndup(loc, strlen(loc))))
		return cb_errf(e, CB_ENOMEM, "oci: out of memory");
	const char *range = http_response_header(resp, "Range");
	snprintf(x->range, sizeof(x->range), "%s", range && strlen(range) < sizeof(x->range) ? range : "");
	x->oci_subject = http_response_header(resp, "OCI-Subject") != NULL;
	return x->on_ok ? x->on_ok(x->ctx, resp, e) : 0;
}

static int x_body(void *ctx, const void *p, size_t n, struct cb_err *e)
{
	struct xfer *x = ctx;
	if (x->ok)
		return x->on_body ? x->on_body(x->ctx, p, n, e) : 0;
	if (x->errbody.len < x->errbody.max) {
		bool nomem;
		size_t room = x->errbody.max - x->errbody.len;
		oci_buf_put(&x->errbody, p, n < room ? n : room, &nomem);
	}
	return 0;
}

/* The registry's own error ("errors":[{"code","message"}]) for the message, if the body has one. */
static void registry_error(const struct xfer *x, char *out, size_t cap)
{
	out[0] = 0;
	struct json_doc *doc = NULL;
	struct cb_err ignore;
	if (!x->errbody.len || json_parse(x->errbody.data, x->errbody.len, NULL, &doc, &ignore))
		return;
	const struct json_value *err0 = json_at(json_get(json_root(doc), "errors"), 0);
	const char *code = json_get_str(err0, "code");
	char ex[OCI_EXCERPT_SIZE];
	if (code) {
		oci_excerpt_str(code, ex, sizeof(ex));
		ex[strlen(ex) - 1] = 0;
		snprintf(out, cap, ", %s", ex + 1);
	}
	json_free(doc);
}

int reg_status_error(const struct xfer *x, const char *noun, struct cb_err *e)
{
	char reg[OCI_EXCERPT_SIZE + 8];
	registry_error(x, reg, sizeof(reg));
	int code = x->status == 404 ? CB_ENOENT : CB_EPROTO;
	const char *why = x->status == 404 ? "unknown" : x->status == 403 ? "access denied"
	                : x->status == 429 ? "rate limited" : x->status >= 500 ? "registry failure" : "refused";
	return cb_errf(e, code, "oci: %s: %s %s (%d%s)", x->subject, noun, why, x->status, reg);
}

static int buf_body(void *ctx, const void *p, size_t n, struct cb_err *e)
{
	struct oci_buf *b = ctx;
	bool nomem;
	if (oci_buf_put(b, p, n, &nomem))
		return 0;
	if (nomem)
		return cb_errf(e, CB_ENOMEM, "oci: out of memory");
	return cb_errf(e, CB_ELIMIT, "response larger than %zu bytes", b->max);
}

static int do_call(struct oci_registry *r, const struct reg_call *c, const char *auth, struct xfer *x,
                   struct cb_err *e)
{
	struct http_header h[4];
	size_t n = 0;
	if (c->accept)
		h[n++] = (struct http_header){ "Accept", c->accept };
	if (auth)
		h[n++] = (struct http_header){ "Authorization", auth };
	if (c->content_type)
		h[n++] = (struct http_header){ "Content-Type", c->content_type };
	if (c->content_range)
		h[n++] = (struct http_header){ "Content-Range", c->content_range };
	struct http_request rq = { .method = c->method ? c->method : "GET", .url = c->url, .headers = h,
		                   .n_headers = n, .body = c->body, .body_len = c->body_len };
	struct http_sink sink = { .on_response = x_response, .on_body = x_body, .ctx = x };
	x->status = 0;
	x->ok = false;
	return http_request(r->http, &rq, &sink, e);
}

void reg_xfer_done(struct xfer *x)
{
	oci_www_auth_free(&x->auth);
	oci_buf_free(&x->errbody);
	free(x->location);
	x->location = NULL;
}

/* GETs the token endpoint of a Bearer challenge; *header = "Bearer <token>" (malloc'ed). */
static int fetch_token(struct oci_registry *r, const struct xfer *x, const char *realm, const char *url, char **header,
                       struct cb_err *e)
{
	char *basic = NULL;
	if (r->creds.username && !(basic = basic_header(&r->creds)))
		return cb_errf(e, CB_ENOMEM, "oci: out of memory");
	struct oci_buf body = { .max = REG_TOKEN_BODY_MAX };
	struct xfer tx = { .r = r, .subject = x->subject, .on_body = buf_body, .ctx = &body };
	struct reg_call tc = { .url = url, .accept = "application/json" };
	int rc = do_call(r, &tc, basic, &tx, e);
	free(basic);
	char ex[OCI_EXCERPT_SIZE];
	if (rc) {
		cb_err_prefix(e, "oci: %s: token request: ", x->subject);
	} else if (!tx.ok) {
		char reg[OCI_EXCERPT_SIZE + 8];
		registry_error(&tx, reg, sizeof(reg));
		rc = cb_errf(e, CB_EPROTO, "oci: %s: token request to %s refused (%d%s%s)", x->subject,
		             oci_excerpt_str(realm, ex, sizeof(ex)), tx.status, tx.status == 401 ? ", bad credentials" : "",
		             reg);
	} else {
		struct json_doc *doc = NULL;
		if ((rc = json_parse(body.data, body.len, NULL, &doc, e))) {
			cb_err_prefix(e, "oci: %s: token response: ", x->subject);
		} else {
			const struct json_value *root = json_root(doc);
			const char *tok = json_get_str(root, "token");
			if (!tok || !*tok)
				tok = json_get_str(root, "access_token");
			size_t tl = tok ? strlen(tok) : 0;
			bool clean = tl > 0 && tl <= REG_TOKEN_MAX;
			for (size_t i = 0; i < tl && clean; i++)
				clean = tok[i] > 0x20 && tok[i] < 0x7f;
			if (!clean)
				rc = cb_errf(e, CB_EPROTO, "oci: %s: token response without a usable token", x->subject);
			else if (!(*header = malloc(tl + 8)))
				rc = cb_errf(e, CB_ENOMEM, "oci: out of memory");
			else
				snprintf(*header, tl + 8, "Bearer %s", tok);
			json_free(doc);
		}
	}
	reg_xfer_done(&tx);
	oci_buf_free(&body);
	return rc;
}

/* Exchanges the 401 challenge in x for an Authorization value, cached for (registry, scope). */
static int authenticate(struct oci_registry *r, const struct oci_ref *ref, const char *scope, struct xfer *x,
                        const char **header, struct cb_err *e)
{
	char ex[OCI_EXCERPT_SIZE];
	if (x->auth_rc)
		return cb_errf(e, x->auth_rc, "oci: %s: bad WWW-Authenticate: %s", x->subject, x->auth_err.msg);
	if (r->creds.bearer)
		return cb_errf(e, CB_EPROTO, "oci: %s: the registry refused the configured bearer token (401)",
		               x->subject);
	const struct oci_auth_challenge *bearer = oci_www_auth_find(&x->auth, "Bearer");
	const struct oci_auth_challenge *basic = oci_www_auth_find(&x->auth, "Basic");
	if (!bearer && basic) {
		if (!r->creds.username)
			return cb_errf(e, CB_EPROTO, "oci: %s: the registry wants credentials (Basic realm %s) and none "
			               "are configured", x->subject,
			               oci_excerpt_str(oci_auth_param(basic, "realm"), ex, sizeof(ex)));
		char *h = basic_header(&r->creds);
		if (!h)
			return cb_errf(e, CB_ENOMEM, "oci: out of memory");
		return store_auth(r, ref->registry, "", h, header, e);
	}
	if (!bearer)
		return cb_errf(e, CB_EPROTO, "oci: %s: 401 Unauthorized without a Bearer or Basic challenge", x->subject);
	const char *realm = oci_auth_param(bearer, "realm"), *service = oci_auth_param(bearer, "service");
	const char *cscope = oci_auth_param(bearer, "scope");
	if (!realm || (strncmp(realm, "https://", 8) != 0 && strncmp(realm, "http://", 7) != 0))
		return cb_errf(e, CB_EPROTO, "oci: %s: Bearer challenge without an http(s) realm (%s)", x->subject,
		               oci_excerpt_str(realm, ex, sizeof(ex)));
	char url[REG_URL_MAX];
	size_t o = strlen(realm);
	if (o + 1 >= sizeof(url))
		return cb_errf(e, CB_ELIMIT, "oci: %s: token URL longer than %d bytes", x->subject, REG_URL_MAX);
	memcpy(url, realm, o + 1);
	const char *sep = strchr(realm, '?') ? "&" : "?";
	const char *parts[2][2] = { { "service=", service }, { "scope=", cscope ? cscope : scope } };
	for (size_t i = 0; i < 2; i++) {
		if (!parts[i][1])
			continue;
		size_t k = strlen(sep) + strlen(parts[i][0]);
		if (o + k + 1 >= sizeof(url)) {
			o = sizeof(url);
			break;
		}
		memcpy(url + o, sep, strlen(sep));
		memcpy(url + o + strlen(sep), parts[i][0], strlen(parts[i][0]) + 1);
		o += k;
		pct_encode(url, sizeof(url), &o, parts[i][1]);
		if (o >= sizeof(url))
			break;
		sep = "&";
	}
	if (o >= sizeof(url))
		return cb_errf(e, CB_ELIMIT, "oci: %s: token URL longer than %d bytes", x->subject, REG_URL_MAX);
	char *h = NULL;
	int rc = fetch_token(r, x, realm, url, &h, e);
	if (rc)
		return rc;
	return store_auth(r, ref->registry, scope, h, header, e);
}

int reg_call(struct oci_registry *r, const struct oci_ref *ref, const struct reg_call *c, const char *noun,
             struct xfer *x, struct cb_err *e)
{
	char scope[OCI_REPO_MAX + 32];
	snprintf(scope, sizeof(scope), "repository:%s:%s", ref->repo, c->push ? "pull,push" : "pull");
	const char *auth = c->no_auth ? NULL : cached_auth(r, ref->registry, scope);
	for (int attempt = 0;; attempt++) {
		int rc = do_call(r, c, auth, x, e);
		if (rc)
			return rc;
		if (x->ok)
			return 0;
		if (x->status != 401 || c->no_auth)
			return reg_status_error(x, noun, e);
		const struct oci_auth_challenge *ch = oci_www_auth_find(&x->auth, "Bearer");
		const char *err = ch ? oci_auth_param(ch, "error") : NULL;
		if (attempt == 1) {
			char ex[OCI_EXCERPT_SIZE];
			return cb_errf(e, CB_EPROTO, "oci: %s: %s refused after authenticating (401%s%s)", x->subject, noun,
			               err ? ", " : "", err ? oci_excerpt_str(err, ex, sizeof(ex)) : "");
		}
		if (auth && !r->creds.bearer)
			forget_auth(r, auth);
		if ((rc = authenticate(r, ref, scope, x, &auth, e)))
			return rc;
	}
}

static int registry_get(struct oci_registry *r, const struct oci_ref *ref, const char *url, const char *accept,
                        const char *noun, struct xfer *x, struct cb_err *e)
{
	struct reg_call c = { .url = url, .accept = accept };
	return reg_call(r, ref, &c, noun, x, e);
}

/* ---- manifests ---- */

/* A declared length over the cap fails before any body byte is read. */
static int m_ok(void *ctx, const struct http_response *resp, struct cb_err *e)
{
	struct oci_buf *b = ctx;
	if (resp->content_length != UINT64_MAX && resp->content_length > b->max)
		return cb_errf(e, CB_ELIMIT, "%llu bytes exceed the limit of %zu", (unsigned long long)resp->content_length,
		               b->max);
	return 0;
}

static int fetch_doc(struct oci_registry *r, const struct oci_ref *ref, const char *url, const char *accept,
                     const char *noun, const char *subject, struct oci_buf *b, struct xfer *x, struct cb_err *e)
{
	*b = (struct oci_buf){ .max = r->o.max_manifest };
	*x = (struct xfer){ .r = r, .subject = subject, .on_ok = m_ok, .on_body = buf_body, .ctx = b };
	int rc = registry_get(r, ref, url, accept, noun, x, e);
	if (rc == CB_ELIMIT && strncmp(e->msg, "oci: ", 5) != 0)
		cb_err_prefix(e, "oci: %s: %s too large: ", subject, noun);
	if (!rc) {
		bool nomem;
		if (!b->data && !oci_buf_put(b, "", 0, &nomem))
			rc = cb_errf(e, CB_ENOMEM, "oci: out of memory");
	}
	if (rc)
		oci_buf_free(b);
	return rc;
}

int oci_get_manifest(struct oci_registry *r, const struct oci_ref *ref, const char *accept, uint8_t **bytes,
                     size_t *len, char digest[OCI_DIGEST_SIZE], char media_type[128], struct cb_err *e)
{
	*bytes = NULL;
	*len = 0;
	digest[0] = 0;
	if (media_type)
		media_type[0] = 0;
	char subject[OCI_REF_MAX + 16], url[REG_URL_MAX];
	reg_what(ref, NULL, subject, sizeof(subject));
	const char *id = ref->digest ? ref->digest : ref->tag;
	if (!id)
		return cb_errf(e, CB_EINVAL, "oci: %s: neither tag nor digest", subject);
	int rc = reg_make_url(r, ref, "manifests", id, url, sizeof(url), e);
	if (rc)
		return rc;
	struct oci_buf b;
	struct xfer x;
	rc = fetch_doc(r, ref, url, accept ? accept : OCI_ACCEPT_MANIFESTS, "manifest", subject, &b, &x, e);
	if (!rc) {
		br_sha256_context sc;
		uint8_t sha[32];
		br_sha256_init(&sc);
		br_sha256_update(&sc, b.data, b.len);
		br_sha256_out(&sc, sha);
		oci_digest_format(sha, digest);
		if (ref->digest && strcmp(ref->digest, digest) != 0)
			rc = cb_errf(e, CB_EVERIFY, "oci: %s: manifest digest mismatch (got %s)", subject, digest);
		else if (!strncmp(x.dcd, "sha256:", 7) && strcmp(x.dcd, digest) != 0)
			rc = cb_errf(e, CB_EVERIFY, "oci: %s: manifest digest %s differs from Docker-Content-Digest %s",
			             subject, digest, x.dcd);
	}
	if (!rc) {
		if (media_type)
			snprintf(media_type, 128, "%s", x.content_type);
		*bytes = b.data;
		*len = b.len;
	} else {
		oci_buf_free(&b);
		digest[0] = 0;
	}
	reg_xfer_done(&x);
	return rc;
}

int oci_get_referrers(struct oci_registry *r, const struct oci_ref *ref, const char *digest,
                      const char *artifact_type, uint8_t **bytes, size_t *len, struct cb_err *e)
{
	*bytes = NULL;
	*len = 0;
	char subject[OCI_REF_MAX + 16], url[REG_URL_MAX];
	reg_what(ref, digest, subject, sizeof(subject));
	if (!oci_digest_is_sha256(digest))
		return cb_errf(e, CB_EINVAL, "oci: %s: not a sha256 digest", subject);
	int rc = reg_make_url(r, ref, "referrers", digest, url, sizeof(url), e);
	if (rc)
		return rc;
	if (artifact_type) {
		size_t o = strlen(url);
		if (o + 14 >= sizeof(url))
			return cb_errf(e, CB_ELIMIT, "oci: %s: URL too long", subject);
		memcpy(url + o, "?artifactType=", 15);
		o += 14;
		pct_encode(url, sizeof(url), &o, artifact_type);
		if (o >= sizeof(url))
			return cb_errf(e, CB_ELIMIT, "oci: %s: URL too long", subject);
	}
	struct oci_buf b;
	struct xfer x;
	rc = fetch_doc(r, ref, url, OCI_MT_INDEX, "referrers", subject, &b, &x, e);
	if (!rc) {
		*bytes = b.data;
		*len = b.len;
	}
	reg_xfer_done(&x);
	return rc;
}

/* ---- blobs ---- */

struct bctx {
	const struct oci_blob_sink *sink;
	br_sha256_context sc;
	uint64_t size, got;
	const char *subject, *digest;
	const struct oci_registry_opts *o;
};

static int b_ok(void *ctx, const struct http_response *resp, struct cb_err *e)
{
	struct bctx *b = ctx;
	if (resp->content_length != UINT64_MAX && resp->content_length != b->size)
		return cb_errf(e, CB_EVERIFY, "oci: %s: blob size mismatch: the server sends %llu bytes, the descriptor "
		               "says %llu", b->subject, (unsigned long long)resp->content_length,
		               (unsigned long long)b->size);
	return 0;
}

static int b_body(void *ctx, const void *p, size_t n, struct cb_err *e)
{
	struct bctx *b = ctx;
	if (n > b->size - b->got)
		return cb_errf(e, CB_EVERIFY, "oci: %s: blob larger than its descriptor's %llu bytes", b->subject,
		               (unsigned long long)b->size);
	b->got += n;
	br_sha256_update(&b->sc, p, n);
	if (b->o->progress)
		b->o->progress(b->o->progress_ctx, b->digest, b->got, b->size);
	return b->sink && b->sink->on_data ? b->sink->on_data(b->sink->ctx, p, n, e) : 0;
}

int oci_get_blob(struct oci_registry *r, const struct oci_ref *ref, const char *digest, uint64_t size,
                 const struct oci_blob_sink *sink, struct cb_err *e)
{
	char subject[OCI_REF_MAX + 16], url[REG_URL_MAX];
	reg_what(ref, digest, subject, sizeof(subject));
	if (!oci_digest_is_sha256(digest))
		return cb_errf(e, CB_EUNSUP, "oci: %s: only sha256 blobs are supported", subject);
	int rc = reg_make_url(r, ref, "blobs", digest, url, sizeof(url), e);
	if (rc)
		return rc;
	struct bctx b = { .sink = sink, .size = size, .subject = subject, .digest = digest, .o = &r->o };
	br_sha256_init(&b.sc);
	if (r->o.progress)
		r->o.progress(r->o.progress_ctx, digest, 0, size);
	struct xfer x = { .r = r, .subject = subject, .on_ok = b_ok, .on_body = b_body, .ctx = &b };
	rc = registry_get(r, ref, url, NULL, "blob", &x, e);
	if (!rc && b.got != size)
		rc = cb_errf(e, CB_EVERIFY, "oci: %s: blob has %llu bytes, its descriptor says %llu", subject,
		             (unsigned long long)b.got, (unsigned long long)size);
	if (!rc) {
		uint8_t sha[32];
		char got[OCI_DIGEST_SIZE];
		br_sha256_out(&b.sc, sha);
		oci_digest_format(sha, got);
		if (strcmp(got, digest) != 0)
			rc = cb_errf(e, CB_EVERIFY, "oci: %s: blob digest mismatch (got %s)", subject, got);
	}
	reg_xfer_done(&x);
	return rc;
}

static int mem_data(void *ctx, const void *p, size_t n, struct cb_err *e)
{
	(void)e;
	struct oci_buf *b = ctx;
	memcpy(b->data + b->len, p, n); /* b_body already checked n against the declared size */
	b->len += n;
	return 0;
}

int oci_get_blob_mem(struct oci_registry *r, const struct oci_ref *ref, const char *digest, uint64_t size,
                     uint64_t max, uint8_t **bytes, struct cb_err *e)
{
	*bytes = NULL;
	char subject[OCI_REF_MAX + 16];
	if (size > max || size > SIZE_MAX - 1)
		return cb_errf(e, CB_ELIMIT, "oci: %s: blob of %llu bytes exceeds the limit of %llu",
		               reg_what(ref, digest, subject, sizeof(subject)), (unsigned long long)size,
		               (unsigned long long)max);
	struct oci_buf b = { .data = malloc((size_t)size + 1) };
	if (!b.data)
		return cb_errf(e, CB_ENOMEM, "oci: %s: out of memory for %llu bytes", reg_what(ref, digest, subject,
		               sizeof(subject)), (unsigned long long)size);
	struct oci_blob_sink sink = { .on_data = mem_data, .ctx = &b };
	int rc = oci_get_blob(r, ref, digest, size, &sink, e);
	if (rc) {
		free(b.data);
		return rc;
	}
	b.data[b.len] = 0;
	*bytes = b.data;
	return 0;
}
