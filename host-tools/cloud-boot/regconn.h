/* regconn.h: one registry connection for the host commands (pull, push, sign): TLS trust from --ca or the
 * system, the POSIX dialer, credentials from the environment, the HTTP client and oci/'s registry object. */
#ifndef CLOUD_BOOT_REGCONN_H
#define CLOUD_BOOT_REGCONN_H

#include "cb_err.h"
#include "cb_posix.h"
#include "http.h"
#include "opts.h"
#include "registry.h"
#include "tls.h"

#define CB_ENV_USER "CLOUD_BOOT_REGISTRY_USER"
#define CB_ENV_PASSWORD "CLOUD_BOOT_REGISTRY_PASSWORD"

struct cb_regconn {
	struct tls_config tls;
	struct cb_dialer dialer;
	struct http_client *http;
	struct oci_registry *reg;
};

/* NULL when the credential variables are consistent (both set or neither), else the usage message. */
const char *regconn_env_problem(void);

/* Opens the connection objects (no network I/O yet). ro may be NULL; its plain_http is taken from o. */
int regconn_open(struct cb_regconn *c, const struct cb_reg_opts *o, const struct oci_registry_opts *ro,
                 struct cb_err *e);
void regconn_close(struct cb_regconn *c);

#endif
