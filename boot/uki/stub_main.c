/* stub_main.c: the UKI stub's main: finds .linux, .initrd, .cmdline, .uname and .osrel in its own loaded image
 * and starts the kernel through boot/handoff.c. It fetches, verifies and decides nothing else. */
#include <arch/cpu.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "efi/protocols.h"
#include "handoff.h"
#include "log.h"
#include "pe_sections.h"
#include "rt.h"
#include "uki_cmdline.h"

#define UKI_TEXT_MAX 96 /* bytes of .uname / os-release NAME shown in messages */

/* A text section for messages: printable ASCII up to the first NUL or newline, at most cap - 1 bytes. */
static void section_text(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap && p[i] && p[i] != '\n'; i++)
		out[o++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	out[o] = 0;
}

/* The value of KEY= in the os-release text .osrel, unquoted ("" when absent). */
static void osrel_value(const uint8_t *p, size_t n, const char *key, char *out, size_t cap)
{
	size_t k = strlen(key);
	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if ((i && p[i - 1] != '\n') || n - i <= k || memcmp(p + i, key, k) != 0 || p[i + k] != '=')
			continue;
		size_t v = i + k + 1;
		if (v < n && (p[v] == '"' || p[v] == '\''))
			v++;
		section_text(p + v, n - v, out, cap);
		size_t l = strlen(out);
		if (l && (out[l - 1] == '"' || out[l - 1] == '\''))
			out[l - 1] = 0;
		return;
	}
}

static int run(struct cb_err *e)
{
	static const efi_guid li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	efi_loaded_image *li = NULL;
	efi_status s = rt_bs->handle_protocol(rt_image, &li_guid, (void **)&li);
	if (s != EFI_SUCCESS || !li || !li->image_base)
		return cb_errf(e, CB_EIO, "uki: no LoadedImage protocol on the stub's own image: %s", efi_status_str(s));

	struct pe_image *pe = malloc(sizeof(*pe));
	if (!pe)
		return cb_errf(e, CB_ENOMEM, "uki: out of memory");
	const void *base = li->image_base;
	int rc = pe_parse(base, (size_t)li->image_size, PE_VIEW_MEMORY, pe, e);
	if (rc) {
		free(pe);
		return cb_err_prefix(e, "uki: own image at %p: ", base);
	}
	const struct pe_section *linux_s = pe_find(pe, ".linux"), *initrd_s = pe_find(pe, ".initrd");
	const struct pe_section *cmdline_s = pe_find(pe, ".cmdline"), *uname_s = pe_find(pe, ".uname");
	const struct pe_section *osrel_s = pe_find(pe, ".osrel");
	if (!linux_s) {
		free(pe);
		return cb_errf(e, CB_ENOENT, "uki: this image has no .linux section: a bare stub, not a UKI built by "
		               "'cloud-boot build'");
	}

	size_t n;
	const uint8_t *p;
	char uname[UKI_TEXT_MAX] = "", name[UKI_TEXT_MAX] = "";
	if (uname_s && (p = pe_section_bytes(base, PE_VIEW_MEMORY, uname_s, &n)))
		section_text(p, n, uname, sizeof(uname));
	if (osrel_s && (p = pe_section_bytes(base, PE_VIEW_MEMORY, osrel_s, &n)))
		osrel_value(p, n, "NAME", name, sizeof(name));
	char what[UKI_TEXT_MAX + 16];
	snprintf(what, sizeof(what), ".linux (kernel %s)", uname[0] ? uname : "of unknown version");

	struct handoff_payload pl = { .what = what };
	pl.kernel = pe_section_bytes(base, PE_VIEW_MEMORY, linux_s, &n);
	pl.kernel_size = pe_section_file_bytes(linux_s); /* the file's bytes, without the SizeOfImage zeros */
	if (initrd_s)
		pl.initrd = pe_section_bytes(base, PE_VIEW_MEMORY, initrd_s, &pl.initrd_size);
	const char *sec_cmd = NULL;
	size_t sec_cmd_len = 0;
	if (cmdline_s)
		sec_cmd = (const char *)pe_section_bytes(base, PE_VIEW_MEMORY, cmdline_s, &sec_cmd_len);
	free(pe);

	char *cmdline;
	enum uki_opts_use use;
	if ((rc = uki_cmdline_compose(sec_cmd, sec_cmd_len, li->load_options, li->load_options_size, &cmdline, &use, e)))
		return cb_err_prefix(e, "uki: ");
	pl.cmdline = cmdline;
	log_info("uki: stub %s %s, kernel %s (%s): linux %zu bytes, initrd %zu bytes, cmdline %zu bytes%s", CB_VERSION,
	         ARCH_NAME, uname[0] ? uname : "unknown", name[0] ? name : "no .osrel", pl.kernel_size, pl.initrd_size,
	         strlen(cmdline),
	         use == UKI_OPTS_APPENDED ? " (LoadOptions appended)" :
	         use == UKI_OPTS_BINARY ? " (binary LoadOptions ignored)" : "");
	rc = handoff_start(&pl, e);
	free(cmdline);
	return rc ? cb_err_prefix(e, "uki: ") : CB_OK;
}

efi_status loader_main(void)
{
	struct cb_err e = {0};
	if (run(&e) == CB_OK)
		return EFI_SUCCESS;
	log_error("%s", e.msg);
	log_milestone("failed, returning to firmware");
	return EFI_LOAD_ERROR;
}
