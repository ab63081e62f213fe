/* cmd.h: the cloud-boot CLI's command table. Each subcommand (build, cache-disk, fs, nvram, pull, push, ...)
 * lives in its own cmd_<name>.c and exports one struct cb_cmd. */
#ifndef CLOUD_BOOT_CMD_H
#define CLOUD_BOOT_CMD_H

/* Exit codes shared by every subcommand. */
#define EXIT_OK 0
#define EXIT_FAIL 1  /* operational error: the message on stderr says what, where and why */
#define EXIT_USAGE 2 /* bad command line */

struct cb_cmd {
	const char *name;
	const char *summary; /* one line for `cloud-boot --help` */
	/* argv[0] is the subcommand name. Returns an exit code. */
	int (*run)(int argc, char **argv);
};

extern const struct cb_cmd cmd_build, cmd_cache_disk, cmd_fs, cmd_nvram, cmd_pull, cmd_push, cmd_sign;
extern const struct cb_cmd cmd_generate_key_pair;

/* "cloud-boot" or whatever argv[0] was. */
extern const char *cb_prog;

/* Prints "cloud-boot: <msg>" to stderr. */
void cb_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "cloud-boot: CMD: " + fmt (with one string argument) and "Try 'cloud-boot CMD --help'." to stderr;
 * returns EXIT_USAGE. */
int cb_usage_err(const char *cmd, const char *fmt, const char *arg);
/* True when arg is -h or --help. */
int cb_is_help(const char *arg);
/* The start of a subcommand's run: no arguments prints help to stderr (EXIT_USAGE), -h/--help anywhere prints
 * it to stdout (EXIT_OK); otherwise -1: go on. */
int cb_help_first(int argc, char **argv, const char *help);

#endif
