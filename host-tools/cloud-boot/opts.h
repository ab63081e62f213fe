/* opts.h: the one option parser of the cloud-boot subcommands that take registry options (pull, push, sign):
 * `--name VALUE`, `--name=VALUE`, short aliases, flags, positional arguments, `--` ends options. */
#ifndef CLOUD_BOOT_OPTS_H
#define CLOUD_BOOT_OPTS_H

#include <stdbool.h>
#include <stddef.h>

struct cb_opt {
	const char *name;  /* "--key" */
	const char *alias; /* "-o", or NULL */
	const char **val;  /* a valued option: where its value goes (given twice or empty: usage error) */
	bool *flag;        /* a flag: set to true */
};

/* Parses argv[1..argc) of subcommand `cmd` (for messages) into opts and up to max_pos positional arguments
 * (*npos set). Returns EXIT_OK, or EXIT_USAGE after printing the reason through cb_usage_err. */
int cb_opts_parse(const char *cmd, int argc, char **argv, const struct cb_opt *opts, size_t n_opts, char **pos,
                  size_t max_pos, size_t *npos);

/* Registry options shared by pull, push and sign. */
struct cb_reg_opts {
	const char *ca;
	bool plain_http;
};
#define CB_REG_OPTS(o) { "--ca", NULL, &(o)->ca, NULL }, { "--plain-http", NULL, NULL, &(o)->plain_http }

/* The registry options' help lines (and where credentials come from). */
#define CB_REG_OPTS_HELP \
	"  --ca FILE          trust these CA certificates (PEM, DER or EFI signature list) instead of\n" \
	"                     $SSL_CERT_FILE or the system bundle\n" \
	"  --plain-http       talk HTTP, not HTTPS, to the registry (local test registries)\n"
#define CB_REG_CREDS_HELP \
	"Registry credentials (Basic, or exchanged for a Bearer token) come from the environment:\n" \
	"CLOUD_BOOT_REGISTRY_USER and CLOUD_BOOT_REGISTRY_PASSWORD.\n"

#endif
