/* uki_parts.c: the contents `cloud-boot build` derives for a UKI: the kernel check, its version, and the
 * .cmdline, .osrel and .sbat texts. Every byte of the kernel is treated as hostile; nothing here writes files. */
#include "uki_parts.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "../../boot/uki/uki_cmdline.h"

static const struct uki_arch arches[] = {
	{ "x86_64", "amd64", 0x8664 },
	{ "aarch64", "arm64", 0xaa64 },
	{ "riscv64", "riscv64", 0x5064 },
	{ "loongarch64", "loong64", 0x6264 },
};

const struct uki_arch *uki_arch_find(const char *name)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(name, arches[i].cpu) == 0 || strcmp(name, arches[i].oci) == 0)
			return &arches[i];
	return NULL;
}

const char *uki_machine_name(uint16_t machine)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (machine == arches[i].machine)
			return arches[i].cpu;
	switch (machine) {
	case 0x014c: return "i386";
	case 0x01c2: case 0x01c4: return "arm";
	case 0x5032: return "riscv32";
	case 0x6232: return "loongarch32";
	default: return "unknown";
	}
}

int uki_kernel_check(const uint8_t *k, size_t len, const struct uki_arch *a, struct pe_image *pe, struct cb_err *e)
{
	if (len >= 2 && k[0] == 0x1f && k[1] == 0x8b)
		return cb_errf(e, CB_EUNSUP, "gzip-compressed, not an EFI image: give the decompressed kernel (zcat)");
	if (len >= 4 && memcmp(k, "\x28\xb5\x2f\xfd", 4) == 0)
		return cb_errf(e, CB_EUNSUP, "zstd-compressed, not an EFI image: give the decompressed kernel");
	if (len >= 4 && memcmp(k, "\x7f" "ELF", 4) == 0)
		return cb_errf(e, CB_EUNSUP, "an ELF file (vmlinux?), not an EFI image: give the kernel with its EFI stub "
		               "(vmlinuz, Image)");
	int rc = pe_parse(k, len, PE_VIEW_FILE, pe, e);
	if (rc)
		return rc;
	if (pe->machine != a->machine)
		return cb_errf(e, CB_EUNSUP, "PE machine 0x%04x (%s) is not %s's (0x%04x)", pe->machine,
		               uki_machine_name(pe->machine), a->cpu, a->machine);
	if (pe->subsystem != PE_SUBSYSTEM_EFI_APPLICATION)
		return cb_errf(e, CB_EUNSUP, "PE subsystem %u is not an EFI application (10): no EFI stub", pe->subsystem);
	if (pe->security_size && !cb_in_bounds(pe->security_off, pe->security_size, len))
		return cb_errf(e, CB_EINVAL, "certificate table at 0x%x (%u bytes) ends past the end of the file (%zu "
		               "bytes): truncated?", pe->security_off, pe->security_size, len);
	return CB_OK;
}

static bool version_char(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
	       c == '+' || c == '~' || c == '-';
}

/* A version starting at p (at most n bytes), ended by a space, NUL or the end: copied to out when it is 1 to
 * UKI_VERSION_MAX-1 version characters starting with a digit. */
static bool take_version(const uint8_t *p, size_t n, char *out)
{
	size_t l = 0;
	while (l < n && l < UKI_VERSION_MAX && version_char(p[l]))
		l++;
	if (!l || l == UKI_VERSION_MAX || p[0] < '0' || p[0] > '9' || (l < n && p[l] != ' ' && p[l] != 0))
		return false;
	memcpy(out, p, l);
	out[l] = 0;
	return true;
}

int uki_kernel_version(const uint8_t *k, size_t len, char *out, struct cb_err *e)
{
	/* x86 boot protocol: "HdrS" at 0x202; kernel_version at 0x20e is an offset from 0x200 to "6.1.0-… (…) #1…". */
	if (len >= 0x210 && memcmp(k + 0x202, "HdrS", 4) == 0) {
		uint16_t off = cb_le16(k + 0x20e);
		if (off && 0x200 + (size_t)off < len && take_version(k + 0x200 + off, len - 0x200 - off, out))
			return CB_OK;
	}
	static const char banner[] = "Linux version ";
	const size_t bl = sizeof(banner) - 1;
	for (const uint8_t *p = k, *end = k + len; (size_t)(end - p) > bl;) {
		const uint8_t *l = memchr(p, 'L', (size_t)(end - p) - bl);
		if (!l)
			break;
		if (memcmp(l, banner, bl) == 0 && take_version(l + bl, (size_t)(end - l) - bl, out)) {
			const uint8_t *after = l + bl + strlen(out);
			if (end - after >= 2 && after[0] == ' ' && after[1] == '(')
				return CB_OK;
		}
		p = l + 1;
	}
	return cb_errf(e, CB_ENOENT, "no kernel version found (no x86 boot header, no \"Linux version\" banner): "
	               "give it with --uname");
}

int uki_version_check(const char *v, struct cb_err *e)
{
	size_t n = strlen(v);
	if (!n || n >= UKI_VERSION_MAX)
		return cb_errf(e, CB_EINVAL, "\"%s\": a kernel version is 1 to %d bytes", v, UKI_VERSION_MAX - 1);
	for (size_t i = 0; i < n; i++)
		if (!version_char((uint8_t)v[i]))
			return cb_errf(e, CB_EINVAL, "\"%s\": byte %zu (0x%02x) is not one of A-Z a-z 0-9 . _ + ~ -", v, i,
			               (uint8_t)v[i]);
	return CB_OK;
}

/* True when the white-space separated words of s include one starting with prefix. */
static bool has_word(const char *s, const char *prefix)
{
	size_t pl = strlen(prefix);
	for (const char *p = s; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, prefix, pl) == 0)
			return true;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return false;
}

int uki_make_cmdline(const char *cmdline, const char *plan, char **out, struct cb_err *e)
{
	*out = NULL;
	const char *c = cmdline ? cmdline : "";
	while (*c == ' ' || *c == '\t')
		c++;
	size_t cl = strlen(c);
	while (cl && (c[cl - 1] == ' ' || c[cl - 1] == '\t'))
		cl--;
	for (size_t i = 0; i < cl; i++)
		if ((uint8_t)c[i] < 0x20 && c[i] != '\t')
			return cb_errf(e, CB_EINVAL, "--cmdline: control character 0x%02x at byte %zu", (uint8_t)c[i],
			               (size_t)(c - (cmdline ? cmdline : "")) + i);
	size_t pl = 0;
	if (plan) {
		pl = strlen(plan);
		if (!pl || pl > UKI_PLAN_REF_MAX)
			return cb_errf(e, CB_EINVAL, "--plan \"%s\": a reference is 1 to %d bytes", plan, UKI_PLAN_REF_MAX);
		for (size_t i = 0; i < pl; i++) {
			uint8_t b = (uint8_t)plan[i];
			if (b <= 0x20 || b == 0x7f || b == '"' || b == '\'' || b == '\\')
				return cb_errf(e, CB_EINVAL, "--plan \"%s\": byte %zu (0x%02x) cannot be in a reference on the "
				               "kernel cmdline", plan, i, b);
		}
		const char *clash = has_word(c, "cloudboot.plan=") ? "cloudboot.plan=" :
		                    has_word(c, "cloudboot.disk=") ? "cloudboot.disk=" : NULL;
		if (clash)
			return cb_errf(e, CB_EINVAL, "--plan and %s in --cmdline: give exactly one source", clash);
	}
	static const char key[] = "cloudboot.plan=";
	size_t total = cl + (plan ? (cl ? 1 : 0) + sizeof(key) - 1 + pl : 0);
	if (total > UKI_CMDLINE_MAX)
		return cb_errf(e, CB_ELIMIT, "the cmdline would be %zu bytes (limit %d)", total, UKI_CMDLINE_MAX);
	char *s = malloc(total + 1);
	if (!s)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	memcpy(s, c, cl);
	if (plan)
		snprintf(s + cl, total + 1 - cl, "%s%s%s", cl ? " " : "", key, plan);
	s[total] = 0;
	*out = s;
	return CB_OK;
}

char *uki_make_osrel(const char *version)
{
	static const char fmt[] = "NAME=\"cloud-boot UKI\"\nID=cloud-boot\nVERSION=\"%s\"\n"
	                          "PRETTY_NAME=\"cloud-boot UKI (Linux %s)\"\n";
	int n = snprintf(NULL, 0, fmt, version, version);
	char *s = n < 0 ? NULL : malloc((size_t)n + 1);
	if (s)
		snprintf(s, (size_t)n + 1, fmt, version, version);
	return s;
}

#define SBAT_HEADER "sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n"
#define SBAT_UKI "uki,1,UKI,uki,1,https://uapi-group.org/specifications/specs/unified_kernel_image/\n"

/* The kernel's SBAT entries (its lines after the "sbat," header), or none when it is not SBAT text. */
static size_t kernel_entries(const uint8_t *p, size_t n, const uint8_t **start, unsigned *lines)
{
	*lines = 0;
	const uint8_t *nul = p ? memchr(p, 0, n) : NULL;
	if (nul)
		n = (size_t)(nul - p);
	if (!p || n < 5 || memcmp(p, "sbat,", 5) != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\r') || p[i] >= 0x7f)
			return 0;
	const uint8_t *nl = memchr(p, '\n', n);
	if (!nl)
		return 0;
	*start = nl + 1;
	size_t len = n - (size_t)(*start - p);
	for (size_t i = 0; i < len; i++)
		*lines += (*start)[i] == '\n' || (i + 1 == len);
	return len;
}

int uki_make_sbat(const char *tool_version, const uint8_t *kernel_sbat, size_t kernel_sbat_len, char **out,
                  size_t *len, unsigned *merged, struct cb_err *e)
{
	const uint8_t *ks = NULL;
	size_t kl = kernel_entries(kernel_sbat, kernel_sbat_len, &ks, merged);
	char own[160];
	int n = snprintf(own, sizeof(own), "cloud-boot,1,cloud-boot,cloud-boot,%s,docs/uki.md\n", tool_version);
	if (n < 0 || (size_t)n >= sizeof(own))
		return cb_errf(e, CB_EINVAL, "version \"%s\" is too long for SBAT", tool_version);
	size_t total = sizeof(SBAT_HEADER) - 1 + (size_t)n + sizeof(SBAT_UKI) - 1 + kl + 2;
	char *s = malloc(total);
	if (!s)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	size_t o = 0;
	memcpy(s + o, SBAT_HEADER, sizeof(SBAT_HEADER) - 1), o += sizeof(SBAT_HEADER) - 1;
	memcpy(s + o, own, (size_t)n), o += (size_t)n;
	memcpy(s + o, SBAT_UKI, sizeof(SBAT_UKI) - 1), o += sizeof(SBAT_UKI) - 1;
	if (kl) {
		memcpy(s + o, ks, kl), o += kl;
		if (s[o - 1] != '\n')
			s[o++] = '\n';
	}
	s[o++] = 0;
	*out = s;
	*len = o;
	return CB_OK;
}
