/* tls_posix.c: TLS for the host and linux-init builds: a tls_config (system CA bundle or a given file plus
 * CB_EXTRA_CA, getrandom(), time()) and the socket dialer wrapped by net/tls's tls_dialer. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "cb_posix.h"
#include "tls.h"

#define CA_FILE_MAX (16u << 20)

static int posix_entropy(void *ctx, void *buf, size_t len, bool *weak)
{
	(void)ctx;
	*weak = false;
	unsigned char *p = buf;
	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return CB_EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int64_t posix_unix_time(void *ctx)
{
	(void)ctx;
	time_t t = time(NULL);
	return t == (time_t)-1 ? -1 : (int64_t)t;
}

static int add_file(struct tls_config *cfg, const char *path, struct cb_err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cb_errf(e, errno == ENOENT ? CB_ENOENT : CB_EIO, "tls: CA file %s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;
	for (;;) {
		if (len == cap) {
			char *p = cap < CA_FILE_MAX ? realloc(buf, cap ? cap * 2 : 65536) : NULL;
			if (!p) {
				rc = cb_errf(e, CB_ELIMIT, "tls: CA file %s: larger than %u bytes", path, CA_FILE_MAX);
				break;
			}
			buf = p;
			cap = cap ? cap * 2 : 65536;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f))
				rc = cb_errf(e, CB_EIO, "tls: CA file %s: read error", path);
			break;
		}
	}
	fclose(f);
	if (!rc)
		rc = tls_config_add_named(cfg, path, buf, len, e);
	free(buf);
	return rc;
}

int cb_posix_tls_config(struct tls_config *cfg, const char *ca_file, struct cb_err *e)
{
	tls_config_init(cfg);
	cfg->unix_time = posix_unix_time;
	cfg->entropy = posix_entropy;
	const char *bundle = ca_file ? ca_file : getenv("SSL_CERT_FILE");
	int rc = add_file(cfg, bundle && *bundle ? bundle : CB_POSIX_CA_BUNDLE, e);
	const char *extra = getenv("CB_EXTRA_CA");
	while (!rc && extra && *extra) {
		const char *colon = strchr(extra, ':');
		size_t n = colon ? (size_t)(colon - extra) : strlen(extra);
		char path[4096];
		if (n >= sizeof(path)) {
			rc = cb_errf(e, CB_EINVAL, "tls: CB_EXTRA_CA: path of %zu bytes", n);
			break;
		}
		memcpy(path, extra, n);
		path[n] = 0;
		if (n)
			rc = add_file(cfg, path, e);
		extra = colon ? colon + 1 : NULL;
	}
	if (rc)
		tls_config_free(cfg);
	return rc;
}

static int posix_tls_dial(struct cb_dialer *d, const char *host, uint16_t port, const struct cb_dial_opts *opts,
                          struct cb_transport **out, struct cb_err *e)
{
	struct cb_dialer tcp;
	struct tls_dialer td;
	cb_posix_dialer_init(&tcp);
	tls_dialer_init(&td, &tcp, d->priv, &cb_posix_clock);
	return td.d.dial(&td.d, host, port, opts, out, e);
}

void cb_posix_dialer_init_tls(struct cb_dialer *d, const struct tls_config *cfg)
{
	d->dial = posix_tls_dial;
	d->priv = (void *)cfg;
}
