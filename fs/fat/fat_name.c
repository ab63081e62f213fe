/* fat_name.c: FAT names: UTF-8 <-> UTF-16, 8.3 display (CP437, NT lower-case flags), long-name checksum,
 * case-insensitive comparison, validity of new names and 8.3 generation with ~N tails. No disk access. */
#include <string.h>

#include "fat_internal.h"

static const uint16_t cp437_high[128] = {
	0x00c7, 0x00fc, 0x00e9, 0x00e2, 0x00e4, 0x00e0, 0x00e5, 0x00e7, 0x00ea, 0x00eb, 0x00e8, 0x00ef, 0x00ee,
	0x00ec, 0x00c4, 0x00c5, 0x00c9, 0x00e6, 0x00c6, 0x00f4, 0x00f6, 0x00f2, 0x00fb, 0x00f9, 0x00ff, 0x00d6,
	0x00dc, 0x00a2, 0x00a3, 0x00a5, 0x20a7, 0x0192, 0x00e1, 0x00ed, 0x00f3, 0x00fa, 0x00f1, 0x00d1, 0x00aa,
	0x00ba, 0x00bf, 0x2310, 0x00ac, 0x00bd, 0x00bc, 0x00a1, 0x00ab, 0x00bb, 0x2591, 0x2592, 0x2593, 0x2502,
	0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255d, 0x255c, 0x255b, 0x2510, 0x2514,
	0x2534, 0x252c, 0x251c, 0x2500, 0x253c, 0x255e, 0x255f, 0x255a, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550,
	0x256c, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256b, 0x256a, 0x2518, 0x250c,
	0x2588, 0x2584, 0x258c, 0x2590, 0x2580, 0x03b1, 0x00df, 0x0393, 0x03c0, 0x03a3, 0x03c3, 0x00b5, 0x03c4,
	0x03a6, 0x0398, 0x03a9, 0x03b4, 0x221e, 0x03c6, 0x03b5, 0x2229, 0x2261, 0x00b1, 0x2265, 0x2264, 0x2320,
	0x2321, 0x00f7, 0x2248, 0x00b0, 0x2219, 0x00b7, 0x221a, 0x207f, 0x00b2, 0x25a0, 0x00a0,
};

int fat_utf8_to_utf16(const char *s, size_t len, uint16_t *out, size_t max, size_t *n, struct cb_err *e)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		uint32_t c = p[i], need, min;
		if (c < 0x80) {
			need = 0, min = 0;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, min = 0x10000, c &= 0x07;
		} else {
			return cb_errf(e, CB_EINVAL, "invalid UTF-8 byte 0x%02x in name", p[i]);
		}
		if (need > len - i - 1)
			return cb_errf(e, CB_EINVAL, "truncated UTF-8 sequence in name");
		for (uint32_t k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return cb_errf(e, CB_EINVAL, "invalid UTF-8 sequence in name");
			c = c << 6 | (p[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return cb_errf(e, CB_EINVAL, "invalid UTF-8 code point in name");
		i += need + 1;
		size_t units = c >= 0x10000 ? 2 : 1;
		if (o + units > max)
			return cb_errf(e, CB_ELIMIT, "name longer than %zu UTF-16 units", max);
		if (units == 2) {
			c -= 0x10000;
			out[o++] = (uint16_t)(0xD800 | c >> 10);
			out[o++] = (uint16_t)(0xDC00 | (c & 0x3FF));
		} else {
			out[o++] = (uint16_t)c;
		}
	}
	*n = o;
	return 0;
}

bool fat_utf16_to_utf8(const uint16_t *u, size_t n, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = u[i];
		if (c >= 0xD800 && c <= 0xDBFF) {
			if (i + 1 >= n || u[i + 1] < 0xDC00 || u[i + 1] > 0xDFFF)
				return false;
			c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00u);
			i++;
		} else if (c >= 0xDC00 && c <= 0xDFFF) {
			return false;
		}
		uint8_t b[4];
		size_t k;
		if (c < 0x80) {
			b[0] = (uint8_t)c, k = 1;
		} else if (c < 0x800) {
			b[0] = (uint8_t)(0xC0 | c >> 6), b[1] = (uint8_t)(0x80 | (c & 0x3F)), k = 2;
		} else if (c < 0x10000) {
			b[0] = (uint8_t)(0xE0 | c >> 12), b[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
			b[2] = (uint8_t)(0x80 | (c & 0x3F)), k = 3;
		} else {
			b[0] = (uint8_t)(0xF0 | c >> 18), b[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
			b[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F)), b[3] = (uint8_t)(0x80 | (c & 0x3F)), k = 4;
		}
		if (o + k >= size)
			return false;
		memcpy(out + o, b, k);
		o += k;
	}
	if (o >= size)
		return false;
	out[o] = 0;
	return true;
}

static uint16_t short_char(uint8_t b, bool lower)
{
	if (b >= 0x80)
		return cp437_high[b - 0x80];
	if (lower && b >= 'A' && b <= 'Z')
		return (uint16_t)(b + 32);
	return b;
}

size_t fat_short_to_utf16(const uint8_t name[11], uint8_t ntres, uint16_t out[12])
{
	size_t bl = 8, el = 3, o = 0;
	while (bl > 0 && name[bl - 1] == ' ')
		bl--;
	while (el > 0 && name[8 + el - 1] == ' ')
		el--;
	for (size_t i = 0; i < bl; i++) {
		uint8_t b = (i == 0 && name[0] == 0x05) ? 0xE5 : name[i];
		out[o++] = short_char(b, ntres & FAT_NT_LOWER_BASE);
	}
	if (el) {
		out[o++] = '.';
		for (size_t i = 0; i < el; i++)
			out[o++] = short_char(name[8 + i], ntres & FAT_NT_LOWER_EXT);
	}
	return o;
}

void fat_short_to_utf8(const uint8_t name[11], uint8_t ntres, char *out, size_t size)
{
	uint16_t u[12];
	size_t n = fat_short_to_utf16(name, ntres, u);
	if (!fat_utf16_to_utf8(u, n, out, size) && size)
		out[0] = 0;
}

size_t fat_label_to_utf8(const uint8_t raw[11], char *out, size_t size)
{
	uint16_t u[11];
	size_t n = 11;
	while (n > 0 && raw[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++)
		u[i] = short_char((i == 0 && raw[0] == 0x05) ? 0xE5 : raw[i], false);
	char full[11 * 3 + 1];
	if (!fat_utf16_to_utf8(u, n, full, sizeof(full)))
		full[0] = 0;
	size_t len = strlen(full);
	if (size) {
		size_t k = len < size - 1 ? len : size - 1;
		while (k > 0 && k < len && ((uint8_t)full[k] & 0xC0) == 0x80)
			k--; /* do not cut a character in half */
		memcpy(out, full, k);
		out[k] = 0;
	}
	return len;
}

bool fat_short_name_sane(const uint8_t name[11])
{
	if (name[0] == ' ')
		return false;
	for (int i = 0; i < 11; i++) {
		uint8_t b = name[i];
		if ((b < 0x20 && !(i == 0 && b == 0x05)) || b == '/' || b == '\\')
			return false;
	}
	return true;
}

uint8_t fat_lfn_checksum(const uint8_t name[11])
{
	uint8_t sum = 0;
	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
	return sum;
}

static uint16_t fold(uint16_t c) { return (c >= 'a' && c <= 'z') ? (uint16_t)(c - 32) : c; }

bool fat_name_eq16(const uint16_t *a, size_t an, const uint16_t *b, size_t bn)
{
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (fold(a[i]) != fold(b[i]))
			return false;
	return true;
}

int fat_name_check_new(const uint16_t *u, size_t n, const char *what, struct cb_err *e)
{
	if (n == 0)
		return cb_errf(e, CB_EINVAL, "%s: empty file name", what);
	if (n > FAT_LFN_MAX)
		return cb_errf(e, CB_ELIMIT, "%s: name longer than %u UTF-16 units", what, FAT_LFN_MAX);
	if ((n == 1 && u[0] == '.') || (n == 2 && u[0] == '.' && u[1] == '.'))
		return cb_errf(e, CB_EINVAL, "%s: \".\" and \"..\" cannot be created", what);
	for (size_t i = 0; i < n; i++) {
		uint16_t c = u[i];
		if (c < 0x20 || c == 0x7F || (c < 0x80 && strchr("\"*/:<>?\\|", c)))
			return cb_errf(e, CB_EINVAL, "%s: character U+%04X is not allowed in FAT names", what, c);
	}
	if (u[n - 1] == '.' || u[n - 1] == ' ')
		return cb_errf(e, CB_EINVAL, "%s: FAT names cannot end with a dot or a space", what);
	return 0;
}

/* Valid in an 8.3 name as is (after upper-casing); everything else non-space becomes '_'. */
static bool short_ok(uint16_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c < 0x80 && c > 0x20 && strchr("$%'-_@~`!(){}^#&", c));
}

/* Converts u[from, to) to at most max short characters; returns the count. */
static size_t short_part(const uint16_t *u, size_t from, size_t to, uint8_t *out, size_t max, bool *lossy)
{
	size_t o = 0;
	for (size_t i = from; i < to; i++) {
		uint16_t c = fold(u[i]);
		if (c == ' ' || c == '.') {
			*lossy = true;
			continue;
		}
		if (!short_ok(c)) {
			*lossy = true;
			c = '_';
			if (u[i] >= 0xD800 && u[i] <= 0xDBFF && i + 1 < to && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF)
				i++; /* one '_' for a surrogate pair */
		}
		if (o == max) {
			*lossy = true;
			break;
		}
		out[o++] = (uint8_t)c;
	}
	return o;
}

int fat_make_short_name(const uint16_t *u, size_t n, bool (*exists)(void *ctx, const uint8_t name[11]), void *ctx,
                        uint8_t out[11], bool *need_lfn, struct cb_err *e)
{
	bool lossy = false;
	size_t p = 0;
	while (p < n && (u[p] == '.' || u[p] == ' '))
		p++;
	if (p)
		lossy = true;
	size_t dot = n;
	for (size_t i = n; i > p; i--)
		if (u[i - 1] == '.') {
			dot = i - 1;
			break;
		}
	uint8_t base[8], ext[3];
	size_t bl = short_part(u, p, dot, base, 8, &lossy);
	size_t el = dot < n ? short_part(u, dot + 1, n, ext, 3, &lossy) : 0;
	if (bl == 0) {
		base[0] = '_';
		bl = 1;
		lossy = true;
	}
	memset(out, ' ', 11);
	memcpy(out, base, bl);
	memcpy(out + 8, ext, el);

	uint16_t disp[12];
	size_t dn = fat_short_to_utf16(out, 0, disp);
	*need_lfn = !(dn == n && memcmp(disp, u, n * sizeof(*u)) == 0);
	if (!lossy && !exists(ctx, out))
		return 0;
	for (uint32_t i = 1; i <= 999999; i++) {
		char tail[8];
		int tl = 1;
		for (uint32_t x = i; x; x /= 10)
			tl++;
		tail[0] = '~';
		for (uint32_t x = i, k = (uint32_t)tl - 1; k >= 1; k--, x /= 10)
			tail[k] = (char)('0' + x % 10);
		size_t keep = bl < (size_t)(8 - tl) ? bl : (size_t)(8 - tl);
		memset(out, ' ', 8);
		memcpy(out, base, keep);
		memcpy(out + keep, tail, (size_t)tl);
		if (!exists(ctx, out)) {
			*need_lfn = true;
			return 0;
		}
	}
	return cb_errf(e, CB_ELIMIT, "no free 8.3 name left for this long name");
}
