/* fetch.c: cloudboot.fetch=<url>: streams a URL through the HTTP client into SHA-256 (nothing is kept in
 * memory), with the progress bar; tests compare the printed digest with the host's. */
#include "fetch.h"

#include <stdio.h>

#include "bearssl_hash.h"
#include "clock.h"
#include "http.h"
#include "log.h"
#include "netstack.h"
#include "progress.h"

struct fetch_state {
	br_sha256_context sha;
	struct progress bar;
	uint64_t bytes;
	bool first_byte;
};

static int on_response(void *ctx, const struct http_response *r, struct cb_err *e)
{
	struct fetch_state *f = ctx;
	int rc = http_response_error(r, e);
	if (rc)
		return rc;
	log_milestone("HTTP %d, %s%llu bytes", r->status, r->content_length == UINT64_MAX ? "length unknown, " : "",
	              (unsigned long long)(r->content_length == UINT64_MAX ? 0 : r->content_length));
	progress_start(&f->bar, "fetch", r->content_length);
	return CB_OK;
}

static int on_body(void *ctx, const void *data, size_t len, struct cb_err *e)
{
	struct fetch_state *f = ctx;
	(void)e;
	if (!f->first_byte) {
		f->first_byte = true;
		log_milestone("first byte");
	}
	br_sha256_update(&f->sha, data, len);
	f->bytes += len;
	progress_update(&f->bar, f->bytes);
	return CB_OK;
}

int fetch_url(const char *url, struct cb_err *e)
{
	struct fetch_state f = {0};
	br_sha256_init(&f.sha);
	struct http_client *c = http_client_new(net_dialer(), net_clock(), NULL);
	if (!c)
		return cb_errf(e, CB_ENOMEM, "fetch: out of memory");
	log_milestone("fetch %s", url);
	uint64_t start = clock_ms();
	struct http_request req = {.method = "GET", .url = url};
	struct http_sink sink = {on_response, on_body, &f};
	int rc = http_request(c, &req, &sink, e);
	http_client_free(c);
	if (f.first_byte)
		progress_finish(&f.bar);
	if (rc)
		return rc;
	uint8_t digest[32];
	char hex[65];
	br_sha256_out(&f.sha, digest);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	uint64_t ms = clock_ms() - start;
	uint64_t kbs = ms ? f.bytes / ms : 0;
	log_milestone("fetch done");
	log_info("fetch: %s: %llu bytes sha256 %s (%llu ms, %llu.%llu MB/s)", url, (unsigned long long)f.bytes, hex,
	         (unsigned long long)ms, (unsigned long long)(kbs / 1000), (unsigned long long)(kbs % 1000 / 100));
	return CB_OK;
}
