/* console.c: writes text to ConOut (UTF-16) and, when ConOut has no serial terminal behind it, to the first
 * Serial IO protocol too. Knows nothing about log levels; see log.c. */
#include "console.h"

#include <string.h>

#include "efi/protocols.h"
#include "rt.h"

static efi_serial_io *serial_direct;

/* Does a (multi-instance) device path contain a UART node? */
static bool device_path_has_uart(const uint8_t *p, size_t size)
{
	size_t off = 0;
	while (off + 4 <= size) {
		const efi_device_path *n = (const efi_device_path *)(p + off);
		size_t len = n->length[0] | ((size_t)n->length[1] << 8);
		if (len < 4 || len > size - off)
			return false;
		if (n->type == EFI_DP_TYPE_MESSAGING && n->subtype == EFI_DP_MSG_UART)
			return true;
		if (n->type == EFI_DP_TYPE_END && n->subtype == EFI_DP_SUBTYPE_END_ENTIRE)
			return false;
		off += len;
	}
	return false;
}

static bool conout_reaches_serial(void)
{
	static const char16 name[] = u"ConOut";
	efi_guid global = EFI_GLOBAL_VARIABLE_GUID;
	uint8_t buf[1024];
	uint64_t size = sizeof(buf);
	if (rt_rs->get_variable(name, &global, NULL, &size, buf) != EFI_SUCCESS)
		return false;
	return device_path_has_uart(buf, size);
}

void console_init(void)
{
	/* Some firmware leaves its own prompt unterminated ("Press ESCAPE ... for boot options "): start our
	 * output on a fresh line so every line we print can be matched from its start. */
	efi_simple_text_output_mode *mode = rt_st->con_out->mode;
	if (mode && mode->cursor_column > 0)
		rt_st->con_out->output_string(rt_st->con_out, u"\r\n");
	if (conout_reaches_serial())
		return;
	efi_guid g = EFI_SERIAL_IO_PROTOCOL_GUID;
	efi_handle *handles;
	if (rt_handles_for(&g, &handles) == 0)
		return;
	void *iface;
	if (rt_bs->handle_protocol(handles[0], &g, &iface) == EFI_SUCCESS)
		serial_direct = iface;
	rt_bs->free_pool(handles);
}

bool console_serial_direct(void) { return serial_direct != NULL; }

static void serial_write(const char *s, size_t len)
{
	while (len > 0) {
		uint64_t n = len;
		if (serial_direct->write(serial_direct, &n, s) != EFI_SUCCESS || n == 0)
			return;
		s += n;
		len -= n;
	}
}

void console_write(const char *s, size_t len)
{
	char16 out[256 + 2];
	size_t o = 0;
	size_t line_start = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			out[o++] = u'\r';
		/* Firmware fonts are UCS-2: multi-byte UTF-8 is shown as '?' (one per sequence start). */
		if (c < 0x80)
			out[o++] = c;
		else if ((c & 0xc0) != 0x80)
			out[o++] = u'?';
		if (o >= 256 || i + 1 == len) {
			out[o] = 0;
			rt_st->con_out->output_string(rt_st->con_out, out);
			o = 0;
		}
		if (serial_direct && (c == '\n' || i + 1 == len)) {
			serial_write(s + line_start, i - line_start);
			serial_write(c == '\n' ? "\r\n" : s + i, 1 + (c == '\n'));
			line_start = i + 1;
		}
	}
}
