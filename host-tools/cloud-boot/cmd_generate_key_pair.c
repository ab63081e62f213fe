/* cmd_generate_key_pair.c: `cloud-boot generate-key-pair`: a new cosign-compatible key pair (signkey.c), like
 * `cosign generate-key-pair` with local files. No KMS, Kubernetes secrets or GitHub/GitLab uploads. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "signkey.h"

static const char gkp_help[] =
	"Usage: cloud-boot generate-key-pair [--output-key-prefix PREFIX] [--force]\n"
	"\n"
	"Make a random ECDSA P-256 key pair the way `cosign generate-key-pair` does: PREFIX.key, the private key\n"
	"encrypted with the password (\"ENCRYPTED SIGSTORE PRIVATE KEY\": scrypt N=65536 r=8 p=1, nacl/secretbox;\n"
	"file mode 0600), and PREFIX.pub, the public key (\"PUBLIC KEY\" PEM). cosign reads both, and so do\n"
	"`cloud-boot pull --key` (the .pub) and the loader.\n"
	"\n"
	"  --output-key-prefix PREFIX   where to write the keys (default: cosign, i.e. cosign.key and cosign.pub)\n"
	"  --force                      replace PREFIX.key and PREFIX.pub when they exist\n"
	"  -h, --help                   this text\n"
	"\n"
	"The password comes from $" SIGNKEY_PASSWORD_ENV " when it is set (an empty value means no password), else it\n"
	"is asked twice on the terminal.\n"
	"\n"
	"Exit status: 0 success, 1 operational error (stderr names the file and the reason), 2 usage error.\n";

static int run_generate_key_pair(int argc, char **argv)
{
	const char *prefix = NULL;
	bool force = false;
	static const char opt[] = "--output-key-prefix";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (cb_is_help(a)) {
			fputs(gkp_help, stdout);
			return EXIT_OK;
		}
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		if (strcmp(a, "--force") == 0) {
			force = true;
			continue;
		}
		if (strcmp(a, opt) == 0) {
			if (i + 1 >= argc)
				return cb_usage_err("generate-key-pair", "%s needs a value", opt);
			val = argv[++i];
		} else if (strncmp(a, opt, sizeof(opt) - 1) == 0 && a[sizeof(opt) - 1] == '=') {
			val = a + sizeof(opt);
		} else {
			return cb_usage_err("generate-key-pair", a[0] == '-' ? "unknown option '%s'"
									: "unexpected argument '%s'", a);
		}
		if (prefix)
			return cb_usage_err("generate-key-pair", "%s given twice", opt);
		if (!*val)
			return cb_usage_err("generate-key-pair", "%s needs a value", opt);
		prefix = val;
	}
	if (!prefix)
		prefix = "cosign";
	struct cb_err e = { 0 };
	if (signkey_generate(prefix, NULL, force, &e)) {
		cb_error("generate-key-pair: %s", e.msg[0] ? e.msg : cb_status_str(e.code));
		return EXIT_FAIL;
	}
	fprintf(stderr, "Private key written to %s.key\nPublic key written to %s.pub\n", prefix, prefix);
	return EXIT_OK;
}

const struct cb_cmd cmd_generate_key_pair = {
	.name = "generate-key-pair",
	.summary = "make a cosign-compatible signing key pair (PREFIX.key, PREFIX.pub)",
	.run = run_generate_key_pair,
};
