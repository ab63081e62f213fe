/* console.c: writes text to ConOut (UTF-16) and, when ConOut has no serial terminal behind it, to the first
 * Serial IO protocol too. Knows nothing about log levels; see log.c. */
#include "console.h"

#include <string.h>

#include "efi/protocols.h"
#include "rt.h"

static efi_serial_io *serial_direct;
static bool skip_conout;

/* Counts the instances of a multi-instance device path with and without a UART node. */
static void classify_console(const uint8_t *p, size_t size, unsigned *uart, unsigned *other)
{
	size_t off = 0;
	bool seen_uart = false;
	*uart = *other = 0;
	while (off + 4 <= size) {
		const efi_device_path *n = (const efi_device_path *)(p + off);
		size_t len = n->length[0] | ((size_t)n->length[1] << 8);
		if (len < 4 || len > size - off)
			return;
		if (n->type == EFI_DP_TYPE_MESSAGING && n->subtype == EFI_DP_MSG_UART)
			seen_uart = true;
		if (n->type == EFI_DP_TYPE_END) {
			*(seen_uart ? uart : other) += 1;
			seen_uart = false;
			if (n->subtype == EFI_DP_SUBTYPE_END_ENTIRE)
				return;
		}
		off += len;
	}
}

/* How ConOut relates to the serial port: which of its devices are serial terminals. */
static void conout_devices(unsigned *uart, unsigned *other)
{
	static const char16 name[] = u"ConOut";
	efi_guid global = EFI_GLOBAL_VARIABLE_GUID;
	uint8_t buf[1024];
	uint64_t size = sizeof(buf);
	*uart = *other = 0;
	if (rt_rs->get_variable(name, &global, NULL, &size, buf) == EFI_SUCCESS)
		classify_console(buf, size, uart, other);
}

/* The widest text mode the firmware offers, so long lines are not wrapped or cut by the terminal. */
static void widest_mode(void)
{
	efi_simple_text_output *out = rt_st->con_out;
	if (!out->mode || out->mode->max_mode <= 1)
		return;
	uint64_t best_cols = 0, cur_cols = 0, rows;
	int32_t best = -1;
	out->query_mode(out, (uint64_t)out->mode->mode, &cur_cols, &rows);
	for (int32_t m = 0; m < out->mode->max_mode && m < 64; m++) {
		uint64_t cols;
		if (out->query_mode(out, (uint64_t)m, &cols, &rows) == EFI_SUCCESS && cols > best_cols) {
			best_cols = cols;
			best = m;
		}
	}
	if (best >= 0 && best_cols > cur_cols)
		out->set_mode(out, (uint64_t)best);
}

void console_columns(uint64_t *cols, uint64_t *rows)
{
	efi_simple_text_output *out = rt_st->con_out;
	*cols = *rows = 0;
	if (out->mode)
		out->query_mode(out, (uint64_t)out->mode->mode, cols, rows);
}

void console_init(void)
{
	widest_mode();
	/* Some firmware leaves its own prompt unterminated ("Press ESCAPE ... for boot options "): start our
	 * output on a fresh line so every line we print can be matched from its start. */
	efi_simple_text_output_mode *mode = rt_st->con_out->mode;
	if (mode && mode->cursor_column > 0)
		rt_st->con_out->output_string(rt_st->con_out, u"\r\n");
	unsigned uart, other;
	conout_devices(&uart, &other);
	if (uart > 0 && other > 0)
		return; /* ConOut shows on a screen and a serial terminal: it already reaches everything */
	efi_guid g = EFI_SERIAL_IO_PROTOCOL_GUID;
	efi_handle *handles;
	if (rt_handles_for(&g, &handles) == 0)
		return;
	void *iface;
	if (rt_bs->handle_protocol(handles[0], &g, &iface) == EFI_SUCCESS)
		serial_direct = iface;
	rt_bs->free_pool(handles);
	/* ConOut is only a serial terminal: write the port directly, which is faster and, unlike some
	 * firmware terminals (EDK2 riscv64 drops what passes column 100), never cuts a line. */
	skip_conout = serial_direct && uart > 0;
}

const char *console_kind(void)
{
	return !serial_direct ? "ConOut" : skip_conout ? "serial port (ConOut is serial-only)" : "ConOut + serial port";
}

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

/* UTF-8 → UCS-2 for ConOut, "\n" → "\r\n"; multi-byte sequences show as '?' (firmware fonts). */
static void conout_write(const char *s, size_t len)
{
	char16 out[256 + 3];
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			out[o++] = u'\r';
		if (c < 0x80)
			out[o++] = c;
		else if ((c & 0xc0) != 0x80)
			out[o++] = u'?';
		if (o >= 256 || i + 1 == len) {
			out[o] = 0;
			rt_st->con_out->output_string(rt_st->con_out, out);
			o = 0;
		}
	}
}

/* Raw bytes to the serial port, "\n" → "\r\n". */
static void serial_write_text(const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\n')
			continue;
		serial_write(s + start, i - start);
		serial_write("\r\n", 2);
		start = i + 1;
	}
	serial_write(s + start, len - start);
}

void console_write(const char *s, size_t len)
{
	if (!skip_conout)
		conout_write(s, len);
	if (serial_direct)
		serial_write_text(s, len);
}
