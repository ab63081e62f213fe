/* config.c: collects the cloudboot.* knobs from the firmware side: the config file next to the loader, the
 * CloudBootCmdline EFI variable and the loader's LoadOptions (priority in that order, see docs/knobs.md),
 * converting UTF-16 where the firmware speaks it. Parsing and precedence live in runtime/common/knobs.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "efi/protocols.h"
#include "efi_file.h"
#include "log.h"
#include "rt.h"

/* UTF-16LE text → ASCII/UTF-8 (BMP only); false if it does not look like text (binary OptionalData). */
static bool utf16_text(const uint16_t *s, size_t units, char **out, size_t *len)
{
	char *buf = malloc(units * 3 + 1);
	size_t n = 0;
	if (!buf)
		return false;
	for (size_t i = 0; i < units; i++) {
		uint16_t c = s[i];
		if (c == 0 && i + 1 == units)
			break;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			free(buf);
			return false;
		}
		if (c < 0x80) {
			buf[n++] = (char)c;
		} else if (c < 0x800) {
			buf[n++] = (char)(0xc0 | c >> 6);
			buf[n++] = (char)(0x80 | (c & 0x3f));
		} else if (c >= 0xd800 && c < 0xe000) {
			free(buf);
			return false;
		} else {
			buf[n++] = (char)(0xe0 | c >> 12);
			buf[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
			buf[n++] = (char)(0x80 | (c & 0x3f));
		}
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return true;
}

static int parse_source(struct knobs *k, enum knob_source src, const char *text, size_t len, struct cb_err *e)
{
	int rc = knobs_parse(k, src, text, len, e);
	if (rc == CB_OK)
		log_debug("config: read %zu bytes from %s", len, knob_source_name(src));
	return rc;
}

static int load_config_file(struct knobs *k, struct cb_err *e)
{
	char *text;
	size_t len;
	efi_status s = rt_read_loader_file("cloudboot.cfg", KNOBS_MAX_INPUT, &text, &len);
	if (s == EFI_NOT_FOUND || s == EFI_UNSUPPORTED)
		return CB_OK;
	if (EFI_ERROR(s))
		return cb_errf(e, CB_EIO, "config: cloudboot.cfg: %s", efi_status_str(s));
	int rc = parse_source(k, KNOB_SRC_CONFIG, text, len, e);
	free(text);
	return rc;
}

static int load_variable(struct knobs *k, struct cb_err *e)
{
	static const char16 name[] = u"" KNOBS_EFIVAR_CMDLINE;
	efi_guid vendor = CLOUDBOOT_VENDOR_GUID_INIT;
	uint64_t size = KNOBS_MAX_INPUT;
	uint8_t *buf = malloc(size);
	if (!buf)
		return cb_errf(e, CB_ENOMEM, "config: out of memory");
	efi_status s = rt_rs->get_variable(name, &vendor, NULL, &size, buf);
	int rc = CB_OK;
	if (s == EFI_SUCCESS) {
		/* UTF-8 as documented; UTF-16 too, since that is what `setvar`-style tools often write. */
		char *text;
		size_t len;
		if (size >= 2 && size % 2 == 0 && buf[1] == 0 && utf16_text((const uint16_t *)buf, size / 2, &text, &len)) {
			rc = parse_source(k, KNOB_SRC_EFIVAR, text, len, e);
			free(text);
		} else {
			rc = parse_source(k, KNOB_SRC_EFIVAR, (const char *)buf, size, e);
		}
	} else if (s == EFI_BUFFER_TOO_SMALL) {
		rc = cb_errf(e, CB_ELIMIT, "config: %s variable is larger than %u bytes", KNOBS_EFIVAR_CMDLINE,
		             KNOBS_MAX_INPUT);
	}
	free(buf);
	return rc;
}

static int load_options(struct knobs *k, struct cb_err *e)
{
	efi_guid li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	efi_loaded_image *li;
	if (rt_bs->handle_protocol(rt_image, &li_guid, (void **)&li) != EFI_SUCCESS || !li->load_options ||
	    li->load_options_size < 2)
		return CB_OK;
	char *text;
	size_t len;
	/* Boot entries made by the firmware carry binary OptionalData (EDK2: a GUID); that is not for us. */
	if (li->load_options_size % 2 ||
	    !utf16_text(li->load_options, li->load_options_size / 2, &text, &len)) {
		log_debug("config: LoadOptions (%u bytes) are not text; ignored", li->load_options_size);
		return CB_OK;
	}
	int rc = parse_source(k, KNOB_SRC_LOADOPTIONS, text, len, e);
	free(text);
	return rc;
}

static void dump_line(void *ctx, const char *line)
{
	(void)ctx;
	log_debug("knob %s", line);
}

int config_load(struct knobs **out, struct cb_err *e)
{
	struct knobs *k = knobs_new();
	if (!k)
		return cb_errf(e, CB_ENOMEM, "config: out of memory");
	int rc;
	if ((rc = load_config_file(k, e)) || (rc = load_variable(k, e)) || (rc = load_options(k, e))) {
		knobs_free(k);
		return rc;
	}
	if (knobs_bool(k, "debug", false))
		log_set_level(LOG_DEBUG);
	*out = k;
	return CB_OK;
}

void config_log(struct knobs *k)
{
	for (size_t i = 0; i < knobs_warning_count(k); i++)
		log_warn("%s", knobs_warning(k, i));
	knobs_clear_warnings(k);
	knobs_dump(k, dump_line, NULL);
}
