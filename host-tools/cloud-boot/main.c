/* main.c: the cloud-boot host CLI entry point: dispatches argv[1] through the command table. Subcommands
 * own their options and help; this file knows only their names and one-line summaries. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

const char *cb_prog = "cloud-boot";

static const struct cb_cmd *const commands[] = {
	&cmd_build,
	&cmd_cache_disk,
	&cmd_fs,
	&cmd_generate_key_pair,
	&cmd_nvram,
	&cmd_pull,
	&cmd_push,
	&cmd_sign,
};

int cb_usage_err(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: %s: ", cb_prog, cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s %s --help'.\n", cb_prog, cmd);
	return EXIT_USAGE;
}

void cb_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", cb_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cb_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cb_help_first(int argc, char **argv, const char *help)
{
	if (argc < 2) {
		fputs(help, stderr);
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++)
		if (cb_is_help(argv[i])) {
			fputs(help, stdout);
			return EXIT_OK;
		}
	return -1;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: %s COMMAND [ARGS...]\n\nCommands:\n", cb_prog);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-18s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out, "\nRun '%s COMMAND --help' for a command's options.\n"
		     "Exit status: 0 success, 1 operational error, 2 usage error.\n", cb_prog);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (cb_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
				if (strcmp(argv[2], commands[i]->name) == 0) {
					char *hargv[] = { argv[2], "--help", NULL };
					return commands[i]->run(2, hargv);
				}
			cb_error("unknown command '%s'", argv[2]);
			return EXIT_USAGE;
		}
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i]->name) == 0)
			return commands[i]->run(argc - 1, argv + 1);
	cb_error("unknown command '%s' (see '%s --help')", argv[1], cb_prog);
	return EXIT_USAGE;
}
