/* main.c: the cloud-boot-iso command line: --uki PLATFORM=FILE (repeatable), -o OUTPUT, --force, --volume-id.
 * Parses and reports; iso_write.c does the work. Exit 0 success, 1 operational error, 2 usage error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "iso.h"

static const char help[] =
	"Usage: cloud-boot-iso --uki PLATFORM=FILE [--uki PLATFORM=FILE ...] -o OUTPUT [OPTIONS]\n"
	"\n"
	"Write one hybrid UEFI boot image for up to four CPUs: ISO 9660 with an El Torito EFI (no emulation)\n"
	"entry for CD/DVD drives, and a GPT (protective MBR) for disks and USB sticks. Both views reach the same\n"
	"FAT ESP, where each FILE is \\EFI\\BOOT\\BOOT<ARCH>.EFI, so every firmware starts its own.\n"
	"\n"
	"  --uki PLATFORM=FILE  a PE32+ EFI application (a UKI or the loader) for PLATFORM: linux/amd64,\n"
	"                       linux/arm64, linux/riscv64 or linux/loong64 (x86_64, aarch64 and loongarch64\n"
	"                       are accepted too; \"linux/\" may be left out). At least one, at most one per\n"
	"                       architecture. A FILE whose PE machine differs from PLATFORM is refused.\n"
	"  -o, --output FILE    the image to write\n"
	"  -f, --force          replace OUTPUT if it exists\n"
	"  -V, --volume-id ID   ISO 9660 volume ID (default CLOUDBOOT; 1..32 of A-Z 0-9 _)\n"
	"  -h, --help           this text\n"
	"\n"
	"The ESP is the files' total size x 1.5 + 8 MiB, rounded up to 16 MiB. Timestamps: $SOURCE_DATE_EPOCH if\n"
	"set, else now. GUIDs and the FAT serial are random.\n"
	"Exit status: 0 success, 1 operational error (stderr names the file and the reason), 2 usage error.\n";

static int usage_err(const char *fmt, const char *arg)
{
	fputs("cloud-boot-iso: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'cloud-boot-iso --help'.\n", stderr);
	return 2;
}

/* "--name VALUE" or "--name=VALUE" (and the short form "-x VALUE"). */
static const char *opt_value(int argc, char **argv, int *i, const char *lng, const char *shrt, bool *bad)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);
	*bad = false;
	if (strncmp(a, lng, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (strcmp(a, lng) != 0 && !(shrt && strcmp(a, shrt) == 0))
		return NULL;
	if (*i + 1 >= argc) {
		*bad = true;
		return NULL;
	}
	return argv[++*i];
}

static int parse_time(int64_t *out)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (!s) {
		*out = (int64_t)time(NULL);
		return 0;
	}
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 5000000000LL)
		return usage_err("SOURCE_DATE_EPOCH='%s' is not a Unix time", s);
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	struct iso_input inputs[ISO_ARCH_COUNT];
	struct iso_opts o;
	memset(&o, 0, sizeof(o));
	unsigned n = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool bad;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(help, stdout);
			return 0;
		} else if (strcmp(a, "-f") == 0 || strcmp(a, "--force") == 0) {
			o.force = true;
		} else if ((v = opt_value(argc, argv, &i, "--uki", NULL, &bad)) || bad) {
			if (bad)
				return usage_err("%s needs PLATFORM=FILE", a);
			const char *eq = strchr(v, '=');
			if (!eq || eq == v || !eq[1])
				return usage_err("--uki '%s': want PLATFORM=FILE, e.g. linux/amd64=boot.efi", v);
			if (n == ISO_ARCH_COUNT)
				return usage_err("more than %s --uki options", "four");
			char plat[64];
			struct cb_err e = { 0, "" };
			snprintf(plat, sizeof(plat), "%.*s", (int)(eq - v), v);
			if (iso_arch_parse(plat, &inputs[n].arch, &e))
				return usage_err("--uki: %s", e.msg);
			inputs[n++].path = eq + 1;
		} else if ((v = opt_value(argc, argv, &i, "--output", "-o", &bad)) || bad) {
			if (bad)
				return usage_err("%s needs a file name", a);
			o.output = v;
		} else if ((v = opt_value(argc, argv, &i, "--volume-id", "-V", &bad)) || bad) {
			if (bad)
				return usage_err("%s needs a value", a);
			o.volume_id = v;
		} else if (a[0] == '-') {
			return usage_err("unknown option '%s'", a);
		} else {
			return usage_err("unexpected argument '%s' (EFI files are given with --uki)", a);
		}
	}
	if (n == 0)
		return usage_err("no EFI file: give at least one --uki PLATFORM=FILE%s", "");
	if (!o.output)
		return usage_err("no output: give -o FILE%s", "");
	struct cb_err ve = { 0, "" };
	if (o.volume_id && iso9660_check_volume_id(o.volume_id, &ve))
		return usage_err("%s", ve.msg);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < i; j++)
			if (inputs[i].arch == inputs[j].arch)
				return usage_err("--uki: linux/%s is given more than once", iso_arch_table[inputs[i].arch].name);
	int rc = parse_time(&o.unix_time);
	if (rc)
		return rc;
	uint8_t seed[16];
	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed)) {
		fprintf(stderr, "cloud-boot-iso: getrandom: %s\n", strerror(errno));
		return 1;
	}
	o.inputs = inputs;
	o.ninputs = n;
	o.guid_seed = seed;
	struct cb_err e = { 0, "" };
	if (iso_write(&o, &e)) {
		fprintf(stderr, "cloud-boot-iso: %s\n", e.msg[0] ? e.msg : cb_status_str(e.code));
		return 1;
	}
	return 0;
}
