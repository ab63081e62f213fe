/* uki_parts.h: what `cloud-boot build` puts into a UKI besides the stub: the kernel check, the kernel version,
 * the .cmdline, .osrel and .sbat texts. No file I/O and no PE writing (pe_append.c does that). */
#ifndef CLOUD_BOOT_UKI_PARTS_H
#define CLOUD_BOOT_UKI_PARTS_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"
#include "../../boot/uki/pe_sections.h"

#define UKI_VERSION_MAX 64 /* bytes of a kernel version ("6.1.0-50-amd64") */
#define UKI_PLAN_REF_MAX 1024

struct uki_arch {
	const char *cpu;   /* x86_64 aarch64 riscv64 loongarch64: build directories, messages */
	const char *oci;   /* amd64 arm64 riscv64 loong64 */
	uint16_t machine;  /* PE Machine of its EFI images */
};

/* By CPU name or OCI architecture name (x86_64/amd64, aarch64/arm64, riscv64, loongarch64/loong64). */
const struct uki_arch *uki_arch_find(const char *name);
/* "x86_64", "i386", … for a PE Machine value, or "unknown". */
const char *uki_machine_name(uint16_t machine);

/* Checks k is a whole PE32+ EFI application for a (what a compressed vmlinuz or an ELF vmlinux is said
 * plainly); fills pe (file view). */
int uki_kernel_check(const uint8_t *k, size_t len, const struct uki_arch *a, struct pe_image *pe, struct cb_err *e);

/* The kernel's version into out[UKI_VERSION_MAX]: from the x86 boot protocol header (kernel_version), else
 * the first "Linux version <v> (" banner in the image. 0, or CB_ENOENT when neither is there. */
int uki_kernel_version(const uint8_t *k, size_t len, char *out, struct cb_err *e);
/* A version given on the command line: 1 to UKI_VERSION_MAX-1 bytes of [A-Za-z0-9._+~-]. */
int uki_version_check(const char *v, struct cb_err *e);

/* The .cmdline text: cmdline (trimmed; no control characters) then " cloudboot.plan=REF" when plan is set
 * (REF: no white space, quotes or control characters; cmdline must not already name a source with
 * cloudboot.plan= or cloudboot.disk=). *out malloc'ed, "" when there is nothing. */
int uki_make_cmdline(const char *cmdline, const char *plan, char **out, struct cb_err *e);
/* The .osrel text (os-release format) for a UKI carrying kernel `version`; NULL when out of memory. */
char *uki_make_osrel(const char *version);
/* The .sbat CSV with its terminating NUL (*len counts it): the SBAT header, cloud-boot's line (vendor version
 * tool_version), the UKI line, then the entries of the kernel's own .sbat when it is valid SBAT (kernel_sbat
 * may be NULL; *merged says how many lines came from it). */
int uki_make_sbat(const char *tool_version, const uint8_t *kernel_sbat, size_t kernel_sbat_len, char **out,
                  size_t *len, unsigned *merged, struct cb_err *e);

#endif
