/* elf2efi: command line: `elf2efi [--subsystem efi-app|efi-boot-driver|efi-rt-driver] INPUT.elf OUTPUT.efi`.
 * Exit 0 on success, 1 on refused input or I/O failure (reason on stderr), 2 on usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf2efi.h"
#include "file_io.h"
#include "pe32plus.h"

static const char usage[] =
	"usage: elf2efi [--subsystem efi-app|efi-boot-driver|efi-rt-driver] INPUT.elf OUTPUT.efi\n"
	"Convert an ELF64 little-endian static PIE (x86_64, aarch64, riscv64, loongarch64) into a PE32+ EFI image.\n"
	"Only R_*_RELATIVE dynamic relocations are accepted; each becomes a DIR64 entry in .reloc.\n"
	"  --subsystem NAME  PE subsystem (default efi-app)\n"
	"  --help            show this help\n"
	"Exit status: 0 success, 1 input refused or I/O error, 2 usage error.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("elf2efi: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(usage, stderr);
	return 2;
}

static int parse_subsystem(const char *name, uint16_t *out)
{
	if (strcmp(name, "efi-app") == 0)
		*out = IMAGE_SUBSYSTEM_EFI_APPLICATION;
	else if (strcmp(name, "efi-boot-driver") == 0)
		*out = IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER;
	else if (strcmp(name, "efi-rt-driver") == 0)
		*out = IMAGE_SUBSYSTEM_EFI_RUNTIME_DRIVER;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct e2e_options opt = {.subsystem = IMAGE_SUBSYSTEM_EFI_APPLICATION};
	const char *pos[2];
	int npos = 0;
	bool options_done = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!options_done && strcmp(a, "--") == 0) {
			options_done = true;
		} else if (!options_done && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			fputs(usage, stdout);
			return 0;
		} else if (!options_done && strcmp(a, "--subsystem") == 0) {
			if (i + 1 >= argc)
				return usage_error("--subsystem needs a value%s", "");
			if (parse_subsystem(argv[++i], &opt.subsystem) < 0)
				return usage_error("unknown subsystem '%s'", argv[i]);
		} else if (!options_done && strncmp(a, "--subsystem=", 12) == 0) {
			if (parse_subsystem(a + 12, &opt.subsystem) < 0)
				return usage_error("unknown subsystem '%s'", a + 12);
		} else if (!options_done && a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option '%s'", a);
		} else {
			if (npos == 2)
				return usage_error("unexpected argument '%s'", a);
			pos[npos++] = a;
		}
	}
	if (npos != 2)
		return usage_error("need INPUT and OUTPUT%s", "");

	char err[256];
	struct e2e_diag diag = {{0}};
	struct e2e_output out;
	uint8_t *in;
	size_t len;

	if (e2e_read_file(pos[0], &in, &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "elf2efi: %s: %s\n", pos[0], err);
		return 1;
	}
	if (e2e_convert(in, len, &opt, &out, &diag) < 0) {
		fprintf(stderr, "elf2efi: %s: %s\n", pos[0], diag.msg);
		free(in);
		return 1;
	}
	free(in);
	if (e2e_write_atomic(pos[1], out.data, out.len, err, sizeof(err)) < 0) {
		fprintf(stderr, "elf2efi: %s: %s\n", pos[1], err);
		free(out.data);
		return 1;
	}
	free(out.data);
	return 0;
}
