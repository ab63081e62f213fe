/* http_get_tool.c: "http-get", a tiny CLI over the HTTP client and the POSIX socket dialer (with TLS for
 * https), driven by the scripts in tests/net: one line "<status> <body bytes>" per URL, one error line on failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_posix.h"
#include "http.h"
#include "tls.h"

static const char usage[] =
	"usage: http-get [-o FILE] [-H 'Name: value']... [-X METHOD] [-d DATA] [--idle-ms N] [--connect-ms N]\n"
	"                [--max-resumes N] [--max-redirects N] [--backoff-ms N] [--max-header-bytes N]\n"
	"                [--any-status] [--ca FILE] [--tls-log] [--tls-time UNIX] URL...\n"
	"Fetches each URL in turn with one client (so connections are kept alive), appends the bodies to FILE.\n"
	"https: trusts the CAs in FILE (PEM, DER or EFI signature lists) instead of the system bundle, plus\n"
	"$CB_EXTRA_CA; --tls-log prints the TLS debug lines (cipher suite) to stderr; --tls-time checks\n"
	"certificates at that time instead of now (-1: an unset clock).\n";

struct out {
	FILE *f;
	unsigned long long bytes;
	int status;
	bool any_status;
};

static int64_t tls_fixed_time;

static int64_t tls_time(void *ctx)
{
	(void)ctx;
	return tls_fixed_time;
}

static void tls_log(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

static int on_response(void *ctx, const struct http_response *r, struct cb_err *e)
{
	struct out *o = ctx;
	o->status = r->status;
	return o->any_status ? 0 : http_response_error(r, e);
}

static int on_body(void *ctx, const void *data, size_t len, struct cb_err *e)
{
	struct out *o = ctx;
	if (o->f && fwrite(data, 1, len, o->f) != len)
		return cb_errf(e, CB_EIO, "http-get: write failed");
	o->bytes += len;
	return 0;
}

int main(int argc, char **argv)
{
	struct http_client_opts opts;
	http_client_opts_init(&opts);
	struct http_header hdrs[32];
	size_t n_hdrs = 0;
	const char *method = "GET", *data = NULL, *outfile = NULL;
	const char *ca = NULL, *tls_time_arg = NULL;
	bool tls_debug = false;
	struct out o = { 0 };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--any-status")) {
			o.any_status = true;
			continue;
		}
		if (!strcmp(a, "--tls-log")) {
			tls_debug = true;
			continue;
		}
		if (!v) {
			fputs(usage, stderr);
			return 2;
		}
		i++;
		if (!strcmp(a, "-o"))
			outfile = v;
		else if (!strcmp(a, "-X"))
			method = v;
		else if (!strcmp(a, "-d"))
			data = v;
		else if (!strcmp(a, "-H") && n_hdrs < 32) {
			char *copy = strdup(v), *colon = strchr(copy, ':');
			if (!colon) {
				fprintf(stderr, "http-get: bad header \"%s\"\n", v);
				return 2;
			}
			*colon++ = 0;
			while (*colon == ' ')
				colon++;
			hdrs[n_hdrs++] = (struct http_header){ copy, colon };
		} else if (!strcmp(a, "--idle-ms"))
			opts.idle_ms = (uint32_t)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--connect-ms"))
			opts.connect_ms = (uint32_t)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--max-resumes"))
			opts.max_resumes = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--max-redirects"))
			opts.max_redirects = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--backoff-ms"))
			opts.backoff_ms = (uint32_t)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--max-header-bytes"))
			opts.max_header_bytes = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--ca"))
			ca = v;
		else if (!strcmp(a, "--tls-time"))
			tls_time_arg = v;
		else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (i == argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (outfile && !(o.f = fopen(outfile, "wb"))) {
		perror(outfile);
		return 2;
	}
	bool https = ca != NULL;
	for (int k = i; k < argc; k++)
		https = https || !strncmp(argv[k], "https://", 8);
	struct tls_config tls;
	tls_config_init(&tls);
	struct cb_dialer dialer;
	cb_posix_dialer_init(&dialer);
	if (https) {
		struct cb_err e = { 0 };
		if (cb_posix_tls_config(&tls, ca, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		if (tls_debug)
			tls.log = tls_log;
		if (tls_time_arg) {
			tls_fixed_time = strtoll(tls_time_arg, NULL, 10);
			tls.unix_time = tls_time;
		}
		cb_posix_dialer_init_tls(&dialer, &tls);
	}
	struct http_client *c = http_client_new(&dialer, &cb_posix_clock, &opts);
	if (!c) {
		fputs("http-get: out of memory\n", stderr);
		return 1;
	}
	struct http_sink sink = { .on_response = on_response, .on_body = on_body, .ctx = &o };
	int rc = 0;
	for (; i < argc && !rc; i++) {
		struct http_request rq = { .method = method, .url = argv[i], .headers = hdrs, .n_headers = n_hdrs,
			                   .body = data, .body_len = data ? strlen(data) : 0 };
		struct cb_err e = { 0 };
		o.bytes = 0;
		o.status = 0;
		rc = http_request(c, &rq, &sink, &e);
		if (rc)
			fprintf(stderr, "%s\n", e.msg);
		else
			printf("%d %llu\n", o.status, o.bytes);
	}
	http_client_free(c);
	tls_config_free(&tls);
	for (size_t k = 0; k < n_hdrs; k++)
		free((char *)hdrs[k].name);
	if (o.f && fclose(o.f) != 0) {
		perror(outfile);
		return 1;
	}
	return rc ? 1 : 0;
}
