/* handoff.c: LoadImage from memory + LoadOptions + a LoadFile2 initrd provider + StartImage, with every
 * refusal reported and everything withdrawn when the image returns. Not the place that decides what to boot. */
#include "handoff.h"

#include <arch/cpu.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cb_checked.h"
#include "efi/protocols.h"
#include "log.h"
#include "rt.h"

#define PE_OPT_MAGIC_PE32PLUS 0x20b
#define PE_SUBSYSTEM_EFI_APPLICATION 10

/* One initrd provider at a time: the firmware calls back into it with only `self`. */
static struct initrd_provider {
	efi_load_file2 lf2;
	const void *data;
	size_t size;
	efi_handle handle;
	struct efi_vendor_media_path dp;
} provider;

static efi_status EFIAPI initrd_load_file(efi_load_file2 *self, efi_device_path *path, bool boot_policy,
                                          uint64_t *size, void *buf)
{
	(void)path;
	if (self != &provider.lf2 || !size)
		return EFI_INVALID_PARAMETER;
	if (boot_policy)
		return EFI_UNSUPPORTED;
	if (!buf || *size < provider.size) {
		*size = provider.size;
		return EFI_BUFFER_TOO_SMALL;
	}
	memcpy(buf, provider.data, provider.size);
	*size = provider.size;
	log_debug("initrd handed over (%zu bytes)", provider.size);
	return EFI_SUCCESS;
}

static int initrd_publish(const void *data, size_t size, struct cb_err *e)
{
	static const efi_guid dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID, lf2_guid = EFI_LOAD_FILE2_PROTOCOL_GUID;
	provider = (struct initrd_provider){
		.lf2 = { initrd_load_file },
		.data = data,
		.size = size,
		.dp = EFI_VENDOR_MEDIA_PATH(LINUX_EFI_INITRD_MEDIA_GUID),
	};
	/* Someone else (another loader up the chain) already serving an initrd would answer instead of us. */
	efi_device_path *probe = &provider.dp.vendor;
	efi_handle other;
	if (rt_bs->locate_device_path(&lf2_guid, &probe, &other) == EFI_SUCCESS && probe->type == EFI_DP_TYPE_END)
		return cb_errf(e, CB_EINVAL, "another LoadFile2 initrd provider is already installed; not replacing it");
	efi_status s = rt_bs->install_protocol_interface(&provider.handle, &dp_guid, EFI_NATIVE_INTERFACE,
	                                                 &provider.dp);
	if (s != EFI_SUCCESS)
		return cb_errf(e, CB_EIO, "installing the initrd device path failed: %s", efi_status_str(s));
	s = rt_bs->install_protocol_interface(&provider.handle, &lf2_guid, EFI_NATIVE_INTERFACE, &provider.lf2);
	if (s != EFI_SUCCESS) {
		rt_bs->uninstall_protocol_interface(provider.handle, &dp_guid, &provider.dp);
		provider.handle = NULL;
		return cb_errf(e, CB_EIO, "installing the initrd LoadFile2 protocol failed: %s", efi_status_str(s));
	}
	return CB_OK;
}

static void initrd_withdraw(void)
{
	static const efi_guid dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID, lf2_guid = EFI_LOAD_FILE2_PROTOCOL_GUID;
	if (!provider.handle)
		return;
	rt_bs->uninstall_protocol_interface(provider.handle, &lf2_guid, &provider.lf2);
	rt_bs->uninstall_protocol_interface(provider.handle, &dp_guid, &provider.dp);
	provider.handle = NULL;
}

int handoff_check_image(const void *img, size_t size, struct cb_err *e)
{
	const uint8_t *b = img;
	if (size < 0x40 || b[0] != 'M' || b[1] != 'Z') {
		if (size >= 2 && b[0] == 0x1f && b[1] == 0x8b)
			return cb_errf(e, CB_EUNSUP, "a gzip-compressed image, not an EFI application: decompress it first");
		return cb_errf(e, CB_EUNSUP, "not an EFI application (no MZ header): a kernel needs its EFI stub");
	}
	uint32_t pe = cb_le32(b + 0x3c);
	if (!cb_in_bounds(pe, 24 + 2, size) || memcmp(b + pe, "PE\0\0", 4) != 0)
		return cb_errf(e, CB_EUNSUP, "not an EFI application (no PE header at 0x%x)", pe);
	uint16_t machine = cb_le16(b + pe + 4), opt_size = cb_le16(b + pe + 20);
	if (machine != ARCH_PE_MACHINE)
		return cb_errf(e, CB_EUNSUP, "PE machine 0x%04x is not this CPU's (%s, 0x%04x)", machine, ARCH_NAME,
		               ARCH_PE_MACHINE);
	uint64_t opt = (uint64_t)pe + 24;
	if (opt_size < 70 || !cb_in_bounds(opt, opt_size, size))
		return cb_errf(e, CB_EINVAL, "PE optional header truncated (%u bytes)", opt_size);
	if (cb_le16(b + opt) != PE_OPT_MAGIC_PE32PLUS)
		return cb_errf(e, CB_EUNSUP, "not a PE32+ image (optional header magic 0x%x)", cb_le16(b + opt));
	uint16_t subsystem = cb_le16(b + opt + 68);
	if (subsystem != PE_SUBSYSTEM_EFI_APPLICATION)
		return cb_errf(e, CB_EUNSUP, "PE subsystem %u is not an EFI application (10)", subsystem);
	return CB_OK;
}

/* The cmdline as the UCS-2 LoadOptions the EFI stub reads (characters beyond U+FFFF become U+FFFD). */
static char16 *cmdline_to_ucs2(const char *s, uint32_t *bytes, struct cb_err *e)
{
	size_t n = strlen(s);
	if (n > 65536)
		return cb_errf(e, CB_ELIMIT, "cmdline is %zu bytes (limit 65536)", n), NULL;
	char16 *out = NULL;
	if (rt_bs->allocate_pool(EFI_LOADER_DATA, (n + 1) * sizeof(char16), (void **)&out) != EFI_SUCCESS)
		return cb_errf(e, CB_ENOMEM, "no memory for the cmdline"), NULL;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		uint8_t c = (uint8_t)s[i];
		uint32_t cp = 0xfffd;
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
		if (len == 1 && c < 0x80)
			cp = c;
		else if (len > 1 && i + len <= n) {
			cp = c & (0x7f >> len);
			for (size_t k = 1; k < len; k++)
				cp = cp << 6 | ((uint8_t)s[i + k] & 0x3f);
			if (cp > 0xffff)
				cp = 0xfffd;
		} else
			len = 1;
		out[o++] = (char16)cp;
		i += len;
	}
	out[o] = 0;
	*bytes = (uint32_t)((o + 1) * sizeof(char16));
	return out;
}

int handoff_start(const struct handoff_payload *p, struct cb_err *e)
{
	static const efi_guid li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	int rc = handoff_check_image(p->kernel, p->kernel_size, e);
	if (rc)
		return cb_err_prefix(e, "%s: ", p->what);

	char16 *options = NULL;
	uint32_t options_bytes = 0;
	if (p->cmdline && *p->cmdline && !(options = cmdline_to_ucs2(p->cmdline, &options_bytes, e)))
		return cb_err_prefix(e, "%s: ", p->what);

	efi_handle image = NULL;
	efi_status s = rt_bs->load_image(false, rt_image, NULL, (void *)p->kernel, p->kernel_size, &image);
	if (s != EFI_SUCCESS) {
		/* A Secure Boot refusal still returns a handle that must be unloaded. */
		if (image)
			rt_bs->unload_image(image);
		if (options)
			rt_bs->free_pool(options);
		if (s == EFI_SECURITY_VIOLATION || s == EFI_ACCESS_DENIED)
			return cb_errf(e, CB_EVERIFY, "%s: the firmware refused to load it (%s): Secure Boot is on and "
			               "it is not signed by a key the firmware trusts", p->what, efi_status_str(s));
		return cb_errf(e, CB_EIO, "%s: LoadImage failed: %s", p->what, efi_status_str(s));
	}

	efi_loaded_image *li = NULL;
	if (rt_bs->handle_protocol(image, &li_guid, (void **)&li) != EFI_SUCCESS || !li) {
		rt_bs->unload_image(image);
		if (options)
			rt_bs->free_pool(options);
		return cb_errf(e, CB_EIO, "%s: the loaded image has no LoadedImage protocol", p->what);
	}
	li->load_options = options;
	li->load_options_size = options_bytes;

	if (p->initrd && (rc = initrd_publish(p->initrd, p->initrd_size, e))) {
		rt_bs->unload_image(image);
		if (options)
			rt_bs->free_pool(options);
		return cb_err_prefix(e, "%s: ", p->what);
	}

	log_milestone("StartImage %s", p->what);
	uint64_t exit_size = 0;
	char16 *exit_data = NULL;
	s = rt_bs->start_image(image, &exit_size, &exit_data);
	/* Only reached when the image gave control back (a kernel that failed early, an app that ended). */
	char reason[128] = "";
	if (exit_data) {
		rt_char16_to_ascii(exit_data, reason, sizeof(reason));
		rt_bs->free_pool(exit_data);
	}
	/* The firmware unloads an application that returned; its LoadOptions are ours to free. */
	initrd_withdraw();
	if (options)
		rt_bs->free_pool(options);
	if (s == EFI_SUCCESS)
		return cb_errf(e, CB_EIO, "%s: returned to the loader without error%s%s", p->what, reason[0] ? ": " : "",
		               reason);
	return cb_errf(e, CB_EIO, "%s: StartImage returned %s%s%s", p->what, efi_status_str(s),
	               reason[0] ? ": " : "", reason);
}
