/* cmd_build.c: `cloud-boot build`: a UKI from cloud-boot's UKI stub, a kernel, an initrd and a cmdline (file
 * handling, options, messages). The layout is pe_append.c's, the section contents uki_parts.c's. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../elf2efi/file_io.h"
#include "cmd.h"
#include "fileio.h"
#include "outfile.h"
#include "pe_append.h"
#include "ref.h"
#include "uki_parts.h"
#include "uki_version.h"

static const char build_help[] =
	"Usage: cloud-boot build --arch ARCH --kernel FILE [--initrd FILE] [--cmdline TEXT] [--plan REF]\n"
	"                        [--uname VERSION] [--stub FILE] [--iso OUT.iso] [--force] -o OUT.efi\n"
	"\n"
	"Build a Unified Kernel Image: cloud-boot's UKI stub for ARCH with the kernel, initrd and command line\n"
	"appended as PE sections .osrel .cmdline .uname .initrd .linux .sbat, laid out as systemd's ukify does.\n"
	"The firmware starts OUT.efi like any EFI application; the stub starts the kernel with the initrd (through\n"
	"LoadFile2) and the command line, followed by the stub's own LoadOptions if it was given any.\n"
	"\n"
	"  --arch ARCH        x86_64 (amd64), aarch64 (arm64), riscv64, loongarch64 (loong64)\n"
	"  --kernel FILE      the kernel as an EFI application for ARCH (vmlinuz/Image with its EFI stub)\n"
	"  --initrd FILE      the initramfs\n"
	"  --cmdline TEXT     the kernel command line\n"
	"  --plan REF         append cloudboot.plan=REF (the plan's OCI reference) to the command line\n"
	"  --uname VERSION    the kernel version for .uname and .osrel (default: read from the kernel)\n"
	"  --stub FILE        the UKI stub (default: uki-stub-<cpu>.efi from the <cpu> build directory next to\n"
	"                     this tool's, e.g. build/x86_64/boot/uki-stub-x86_64.efi beside build/host)\n"
	"  -o, --output FILE  the UKI to write\n"
	"  --iso OUT.iso      also write a bootable ISO holding the UKI, with cloud-boot-iso (from this tool's\n"
	"                     build directory, else PATH)\n"
	"  --force            replace OUT.efi (and OUT.iso) if they exist\n"
	"  -h, --help         this text\n"
	"\n"
	"Exit status: 0 success, 1 operational error (stderr names the file and the reason), 2 usage.\n";

struct build_opts {
	const char *arch, *kernel, *initrd, *cmdline, *plan, *uname, *stub, *output, *iso;
	bool force;
};

static int parse_args(int argc, char **argv, struct build_opts *o)
{
	static const struct { const char *name; size_t off; } valued[] = {
		{ "--arch", offsetof(struct build_opts, arch) },
		{ "--kernel", offsetof(struct build_opts, kernel) },
		{ "--initrd", offsetof(struct build_opts, initrd) },
		{ "--cmdline", offsetof(struct build_opts, cmdline) },
		{ "--plan", offsetof(struct build_opts, plan) },
		{ "--uname", offsetof(struct build_opts, uname) },
		{ "--stub", offsetof(struct build_opts, stub) },
		{ "--output", offsetof(struct build_opts, output) },
		{ "-o", offsetof(struct build_opts, output) },
		{ "--iso", offsetof(struct build_opts, iso) },
	};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--force") == 0) {
			o->force = true;
			continue;
		}
		size_t k = 0, n = sizeof(valued) / sizeof(valued[0]);
		const char *val = NULL;
		for (; k < n; k++) {
			size_t l = strlen(valued[k].name);
			if (strncmp(a, valued[k].name, l) == 0 && (a[l] == 0 || (a[l] == '=' && l > 2))) {
				val = a[l] == '=' ? a + l + 1 : NULL;
				break;
			}
		}
		if (k == n)
			return cb_usage_err("build", a[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", a);
		if (!val) {
			if (i + 1 >= argc)
				return cb_usage_err("build", "%s needs a value", a);
			val = argv[++i];
		}
		const char **slot = (const char **)((char *)o + valued[k].off);
		if (*slot)
			return cb_usage_err("build", "%s given twice", valued[k].name);
		*slot = val;
	}
	if (!o->arch)
		return cb_usage_err("build", "%s is required", "--arch");
	if (!uki_arch_find(o->arch))
		return cb_usage_err("build",
		                    "--arch '%s': not one of x86_64 (amd64), aarch64 (arm64), riscv64, loongarch64 (loong64)",
		                    o->arch);
	if (!o->kernel)
		return cb_usage_err("build", "%s is required", "--kernel");
	if (!o->output)
		return cb_usage_err("build", "%s is required", "-o OUT.efi");
	return EXIT_OK;
}

/* BUILD/<cpu>/boot/uki-stub-<cpu>.efi, BUILD being the directory above this tool's build directory
 * (BUILD/host/host-tools/cloud-boot/cloud-boot). */
static int default_stub(const struct uki_arch *a, char *out, size_t cap, struct cb_err *e)
{
	char self[PATH_MAX];
	if (!realpath("/proc/self/exe", self))
		return cb_errf(e, CB_ENOENT, "cannot locate this program (/proc/self/exe: %s): give --stub FILE",
		               strerror(errno));
	for (int up = 0; up < 4; up++) {
		char *slash = strrchr(self, '/');
		if (!slash || slash == self)
			return cb_errf(e, CB_ENOENT, "no build directory above this program: give --stub FILE");
		*slash = 0;
	}
	int n = snprintf(out, cap, "%s/%s/boot/uki-stub-%s.efi", self, a->cpu, a->cpu);
	if (n < 0 || (size_t)n >= cap)
		return cb_errf(e, CB_ELIMIT, "stub path too long: give --stub FILE");
	if (access(out, R_OK) != 0)
		return cb_errf(e, CB_ENOENT, "no UKI stub for %s at %s (%s): build it ('make build-%s') or give --stub FILE",
		               a->cpu, out, strerror(errno), a->cpu);
	return CB_OK;
}

static int read_input(const char *opt, const char *path, uint8_t **data, size_t *len, struct cb_err *e)
{
	char why[256];
	if (e2e_read_file(path, data, len, why, sizeof(why)) != 0)
		return cb_errf(e, CB_EIO, "%s %s: %s", opt, path, why);
	return CB_OK;
}

/* cloud-boot-iso from this program's build (BUILD/host-tools/iso/cloud-boot-iso), else from PATH, writing iso
 * with the UKI as the one EFI file for its CPU. */
static int make_iso(const struct build_opts *o, const struct uki_arch *a, struct cb_err *e)
{
	char tool[PATH_MAX] = "cloud-boot-iso", self[PATH_MAX], uki_arg[PATH_MAX + 32];
	if (realpath("/proc/self/exe", self)) {
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			int n = snprintf(tool, sizeof(tool), "%s/../iso/cloud-boot-iso", self);
			if (n < 0 || (size_t)n >= sizeof(tool) || access(tool, X_OK) != 0)
				snprintf(tool, sizeof(tool), "cloud-boot-iso");
		}
	}
	snprintf(uki_arg, sizeof(uki_arg), "linux/%s=%s", a->oci, o->output);
	char *argv[] = { tool, "--uki", uki_arg, "-o", (char *)o->iso, o->force ? "--force" : NULL, NULL };
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return cb_errf(e, CB_EIO, "--iso %s: fork: %s", o->iso, strerror(errno));
	if (pid == 0) {
		execvp(tool, argv);
		fprintf(stderr, "%s: build: --iso: cannot run %s: %s\n", cb_prog, tool, strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return cb_errf(e, CB_EIO, "--iso %s: waitpid: %s", o->iso, strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return cb_errf(e, CB_EIO, "--iso %s: %s failed (%s %d); the UKI %s was written", o->iso, tool,
		               WIFEXITED(status) ? "exit status" : "signal",
		               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), o->output);
	printf("%s: ISO with %s as %s's EFI file\n", o->iso, o->output, a->cpu);
	return CB_OK;
}

struct inputs {
	uint8_t *stub, *kernel, *initrd;
	size_t stub_len, kernel_len, initrd_len;
	char *cmdline, *osrel, *sbat;
	size_t sbat_len;
	char version[UKI_VERSION_MAX];
	char stub_path[PATH_MAX];
	const char *stub_name; /* --stub or the default found */
	struct pe_image *kpe, *spe;
};

static void inputs_free(struct inputs *in)
{
	free(in->stub);
	free(in->kernel);
	free(in->initrd);
	free(in->cmdline);
	free(in->osrel);
	free(in->sbat);
	free(in->kpe);
	free(in->spe);
}

static int gather(const struct build_opts *o, const struct uki_arch *a, struct inputs *in, struct cb_err *e)
{
	int rc;
	if (!o->stub && (rc = default_stub(a, in->stub_path, sizeof(in->stub_path), e)))
		return rc;
	const char *stub = in->stub_name = o->stub ? o->stub : in->stub_path;
	if (!(in->kpe = malloc(sizeof(*in->kpe))) || !(in->spe = malloc(sizeof(*in->spe))))
		return cb_errf(e, CB_ENOMEM, "out of memory");
	if ((rc = read_input("--kernel", o->kernel, &in->kernel, &in->kernel_len, e)))
		return rc;
	if ((rc = uki_kernel_check(in->kernel, in->kernel_len, a, in->kpe, e)))
		return cb_err_prefix(e, "--kernel %s: ", o->kernel);
	if (o->uname) {
		if ((rc = uki_version_check(o->uname, e)))
			return cb_err_prefix(e, "--uname ");
		snprintf(in->version, sizeof(in->version), "%s", o->uname);
	} else if ((rc = uki_kernel_version(in->kernel, in->kernel_len, in->version, e))) {
		return cb_err_prefix(e, "--kernel %s: ", o->kernel);
	}
	if ((rc = read_input("--stub", stub, &in->stub, &in->stub_len, e)))
		return rc;
	if ((rc = pe_parse(in->stub, in->stub_len, PE_VIEW_FILE, in->spe, e)))
		return cb_err_prefix(e, "--stub %s: ", stub);
	if (in->spe->machine != a->machine)
		return cb_errf(e, CB_EUNSUP, "--stub %s: PE machine 0x%04x (%s) is not %s's (0x%04x)", stub,
		               in->spe->machine, uki_machine_name(in->spe->machine), a->cpu, a->machine);
	if (o->initrd && (rc = read_input("--initrd", o->initrd, &in->initrd, &in->initrd_len, e)))
		return rc;
	if ((rc = uki_make_cmdline(o->cmdline, o->plan, &in->cmdline, e)))
		return rc;
	struct oci_ref ref; /* the loader parses it the same way at boot: refuse now what it would refuse then */
	if (o->plan && (rc = oci_ref_parse(o->plan, &ref, e)))
		return cb_err_prefix(e, "--plan: ");
	if (o->plan)
		oci_ref_free(&ref);
	if (!(in->osrel = uki_make_osrel(in->version)))
		return cb_errf(e, CB_ENOMEM, "out of memory");
	const struct pe_section *ks = pe_find(in->kpe, ".sbat");
	size_t ksl = 0;
	const uint8_t *ksb = ks ? pe_section_bytes(in->kernel, PE_VIEW_FILE, ks, &ksl) : NULL;
	unsigned merged;
	if ((rc = uki_make_sbat(UKI_TOOL_VERSION, ksb, ksl, &in->sbat, &in->sbat_len, &merged, e)))
		return rc;
	return CB_OK;
}

static int build(const struct build_opts *o, struct cb_err *e)
{
	const struct uki_arch *a = uki_arch_find(o->arch);
	struct stat st;
	if (o->iso && !o->force && lstat(o->iso, &st) == 0)
		return cb_errf(e, CB_EINVAL, "--iso %s: exists (use --force to replace it)", o->iso);
	struct outfile out;
	int rc = outfile_open(&out, o->output, o->force, e);
	if (rc)
		return cb_err_prefix(e, "-o %s: ", o->output);
	struct inputs in = {0};
	if ((rc = gather(o, a, &in, e))) {
		outfile_abort(&out);
		inputs_free(&in);
		return rc;
	}
	/* ukify's order; .linux's VirtualSize is the kernel's SizeOfImage, as ukify sets it. */
	struct pe_new_section secs[6];
	size_t n = 0;
	secs[n++] = (struct pe_new_section){ ".osrel", in.osrel, strlen(in.osrel), 0, false };
	if (in.cmdline[0])
		secs[n++] = (struct pe_new_section){ ".cmdline", in.cmdline, strlen(in.cmdline), 0, false };
	secs[n++] = (struct pe_new_section){ ".uname", in.version, strlen(in.version), 0, false };
	if (in.initrd)
		secs[n++] = (struct pe_new_section){ ".initrd", in.initrd, in.initrd_len, 0, false };
	secs[n++] = (struct pe_new_section){ ".linux", in.kernel, in.kernel_len, in.kpe->size_of_image, true };
	secs[n++] = (struct pe_new_section){ ".sbat", in.sbat, in.sbat_len, 0, false };
	uint8_t *uki = NULL;
	size_t uki_len = 0;
	if ((rc = pe_append_sections(in.stub, in.stub_len, secs, n, &uki, &uki_len, e)))
		cb_err_prefix(e, "--stub %s: ", in.stub_name);
	else if ((rc = fileio_write_all(out.fd, uki, uki_len, e)) || (rc = outfile_commit(&out, e)))
		cb_err_prefix(e, "-o %s: ", o->output);
	free(uki);
	if (rc) {
		outfile_abort(&out);
	} else {
		printf("%s: %s UKI, %zu bytes: kernel %s (%zu bytes), initrd %zu bytes, cmdline %zu bytes\n", o->output,
		       a->cpu, uki_len, in.version, in.kernel_len, in.initrd_len, strlen(in.cmdline));
		if (o->iso)
			rc = make_iso(o, a, e);
	}
	inputs_free(&in);
	return rc;
}

static int run_build(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (cb_is_help(argv[i])) {
			fputs(build_help, stdout);
			return EXIT_OK;
		}
	struct build_opts o = {0};
	int rc = parse_args(argc, argv, &o);
	if (rc != EXIT_OK)
		return rc;
	struct cb_err e = {0};
	if (build(&o, &e) != CB_OK) {
		cb_error("build: %s", e.msg[0] ? e.msg : cb_status_str(e.code));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

const struct cb_cmd cmd_build = { "build", "make a UKI: the UKI stub + kernel, initrd and cmdline", run_build };
