/* uki_cmdline.c: joins the UKI's .cmdline section and the stub's LoadOptions into the kernel command line.
 * It does not interpret the cmdline (no knobs here): the kernel and linux-init do. */
#include "uki_cmdline.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* [*s, *s + *n) without surrounding white space. */
static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s))
		(*s)++, (*n)--;
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

/* UCS-2LE → UTF-8 into out (3 bytes per unit at most); false when it is not text. */
static bool ucs2_text(const uint8_t *p, size_t units, char *out, size_t *len)
{
	size_t n = 0;
	for (size_t i = 0; i < units; i++) {
		uint16_t c = cb_le16(p + 2 * i);
		if (c == 0)
			break;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0xd800 && c < 0xe000))
			return false;
		if (c < 0x80) {
			out[n++] = (char)c;
		} else if (c < 0x800) {
			out[n++] = (char)(0xc0 | c >> 6);
			out[n++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[n++] = (char)(0xe0 | c >> 12);
			out[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[n++] = (char)(0x80 | (c & 0x3f));
		}
	}
	*len = n;
	return true;
}

static bool ends_with_efi(const char *s, size_t n)
{
	static const char ext[] = ".efi";
	if (n < 4)
		return false;
	for (size_t i = 0; i < 4; i++) {
		char c = s[n - 4 + i];
		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != ext[i])
			return false;
	}
	return true;
}

/* Drops a leading argv[0] naming an .efi file (the UEFI shell passes the image path first). */
static void drop_argv0(const char **s, size_t *n)
{
	size_t end, next;
	if (*n && **s == '"') {
		const char *q = memchr(*s + 1, '"', *n - 1);
		if (!q)
			return;
		end = (size_t)(q - *s);
		if (!ends_with_efi(*s + 1, end - 1))
			return;
		next = end + 1;
	} else {
		for (end = 0; end < *n && !is_space((*s)[end]);)
			end++;
		if (!ends_with_efi(*s, end))
			return;
		next = end;
	}
	if (next < *n && !is_space((*s)[next]))
		return;
	*s += next;
	*n -= next;
	trim(s, n);
}

int uki_cmdline_compose(const char *section, size_t section_len, const void *opts, size_t opts_bytes, char **out,
                        enum uki_opts_use *use, struct cb_err *e)
{
	*out = NULL;
	*use = UKI_OPTS_NONE;
	const char *sec = section ? section : "";
	const char *nul = section ? memchr(sec, 0, section_len) : NULL;
	size_t sec_len = section ? (nul ? (size_t)(nul - sec) : section_len) : 0;
	trim(&sec, &sec_len);
	if (sec_len > UKI_CMDLINE_MAX)
		return cb_errf(e, CB_ELIMIT, ".cmdline is %zu bytes (limit %u)", sec_len, UKI_CMDLINE_MAX);

	size_t units = opts && opts_bytes >= 2 && opts_bytes % 2 == 0 ? opts_bytes / 2 : 0;
	if (opts && opts_bytes && !units)
		*use = UKI_OPTS_BINARY;
	if (units > UKI_CMDLINE_MAX)
		return cb_errf(e, CB_ELIMIT, "LoadOptions are %zu bytes (limit %u)", opts_bytes, 2 * UKI_CMDLINE_MAX);
	char *text = malloc(units * 3 + 1);
	if (!text)
		return cb_errf(e, CB_ENOMEM, "no memory for the LoadOptions (%zu bytes)", opts_bytes);
	size_t text_len = 0;
	const char *t = text;
	if (units && !ucs2_text(opts, units, text, &text_len)) {
		*use = UKI_OPTS_BINARY;
		text_len = 0;
	}
	trim(&t, &text_len);
	drop_argv0(&t, &text_len);
	if (text_len)
		*use = UKI_OPTS_APPENDED;

	size_t total = sec_len + (sec_len && text_len) + text_len; /* each <= 3 * UKI_CMDLINE_MAX */
	if (total > UKI_CMDLINE_MAX) {
		free(text);
		return cb_errf(e, CB_ELIMIT, "cmdline would be %zu bytes (.cmdline %zu + LoadOptions %zu; limit %u)", total,
		               sec_len, text_len, UKI_CMDLINE_MAX);
	}
	char *s = malloc(total + 1);
	if (!s) {
		free(text);
		return cb_errf(e, CB_ENOMEM, "no memory for the cmdline (%zu bytes)", total);
	}
	memcpy(s, sec, sec_len);
	size_t o = sec_len;
	if (sec_len && text_len)
		s[o++] = ' ';
	memcpy(s + o, t, text_len);
	s[total] = 0;
	free(text);
	*out = s;
	return CB_OK;
}
