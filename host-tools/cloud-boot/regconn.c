/* regconn.c: the registry connection shared by pull, push and sign (see regconn.h). No registry protocol
 * here: that is oci/registry*.c. */
#include <stdlib.h>
#include <string.h>

#include "regconn.h"

const char *regconn_env_problem(void)
{
	const char *user = getenv(CB_ENV_USER), *pass = getenv(CB_ENV_PASSWORD);
	if ((user && *user) == (pass && *pass))
		return NULL;
	return user && *user ? CB_ENV_USER " is set but " CB_ENV_PASSWORD " is not"
	                     : CB_ENV_PASSWORD " is set but " CB_ENV_USER " is not";
}

int regconn_open(struct cb_regconn *c, const struct cb_reg_opts *o, const struct oci_registry_opts *ro,
                 struct cb_err *e)
{
	memset(c, 0, sizeof(*c));
	tls_config_init(&c->tls);
	cb_posix_dialer_init(&c->dialer);
	if (!o->plain_http || o->ca) { /* --ca: also for an https token realm of a plain-HTTP registry */
		int rc = cb_posix_tls_config(&c->tls, o->ca, e);
		if (rc)
			return rc;
		cb_posix_dialer_init_tls(&c->dialer, &c->tls);
	}
	const char *user = getenv(CB_ENV_USER);
	struct oci_creds creds = { 0 };
	if (user && *user) {
		creds.username = user;
		creds.password = getenv(CB_ENV_PASSWORD);
	}
	struct oci_registry_opts opts = { 0 };
	if (ro)
		opts = *ro;
	opts.plain_http = o->plain_http;
	c->http = http_client_new(&c->dialer, &cb_posix_clock, NULL);
	c->reg = c->http ? oci_registry_new(c->http, &creds, &opts) : NULL;
	if (!c->reg)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	return 0;
}

void regconn_close(struct cb_regconn *c)
{
	oci_registry_free(c->reg);
	http_client_free(c->http);
	tls_config_free(&c->tls);
	memset(c, 0, sizeof(*c));
}
