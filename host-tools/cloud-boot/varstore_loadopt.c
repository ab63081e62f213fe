/* varstore_loadopt.c: EFI_LOAD_OPTION (Boot####) values: building one for a GPT partition and a file, splitting
 * one into its fields, device paths as efibootmgr-style text. Bounds-checked; never resolves a path. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "part.h"
#include "varstore.h"

#define HD_NODE_LEN 42u
#define END_NODE_LEN 4u
#define PATH_MAX_CHARS 512u
#define DEVPATH_MAX_NODES 64u

static int check_ascii(const char *what, const char *s, size_t max, struct cb_err *e)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return cb_errf(e, CB_EINVAL, "%s '%s' is not 1..%zu characters", what, s, max);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return cb_errf(e, CB_EINVAL, "%s '%s' is not printable ASCII", what, s);
	return 0;
}

static uint8_t *put_ucs2(uint8_t *p, const char *s)
{
	for (; *s; s++, p += 2)
		cb_put_le16(p, (uint8_t)*s);
	cb_put_le16(p, 0);
	return p + 2;
}

int varstore_loadopt_build(const char *description, const struct varstore_hd *hd, const char *path,
			   const uint8_t *optional, size_t optional_len, uint8_t **out, size_t *out_len,
			   struct cb_err *e)
{
	int rc = check_ascii("description", description, VARSTORE_DESC_MAX, e);
	if (!rc)
		rc = check_ascii("file path", path, PATH_MAX_CHARS, e);
	if (rc)
		return rc;
	if (path[0] != '\\')
		return cb_errf(e, CB_EINVAL, "file path '%s' does not start with '\\'", path);
	size_t dlen = strlen(description), plen = strlen(path);
	size_t file_node = 4 + 2 * (plen + 1), devpath = HD_NODE_LEN + file_node + END_NODE_LEN;
	size_t total = 6 + 2 * (dlen + 1) + devpath + optional_len;
	if (optional_len > VARSTORE_DATA_MAX || total > VARSTORE_DATA_MAX)
		return cb_errf(e, CB_ELIMIT, "load option of %zu bytes exceeds %u", total, VARSTORE_DATA_MAX);
	uint8_t *b = malloc(total), *p;
	if (!b)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	cb_put_le32(b, VARSTORE_LOAD_OPTION_ACTIVE);
	cb_put_le16(b + 4, (uint16_t)devpath);
	p = put_ucs2(b + 6, description);
	p[0] = 4; /* media */
	p[1] = 1; /* hard drive */
	cb_put_le16(p + 2, HD_NODE_LEN);
	cb_put_le32(p + 4, hd->number);
	cb_put_le64(p + 8, hd->start);
	cb_put_le64(p + 16, hd->size);
	memcpy(p + 24, hd->part_guid, 16);
	p[40] = 2; /* GPT */
	p[41] = 2; /* GUID signature */
	p += HD_NODE_LEN;
	p[0] = 4; /* media */
	p[1] = 4; /* file path */
	cb_put_le16(p + 2, (uint16_t)file_node);
	p = put_ucs2(p + 4, path);
	p[0] = 0x7f;
	p[1] = 0xff;
	cb_put_le16(p + 2, END_NODE_LEN);
	p += END_NODE_LEN;
	if (optional_len)
		memcpy(p, optional, optional_len);
	*out = b;
	*out_len = total;
	return 0;
}

/* UCS-2 (little-endian, possibly odd-aligned) → ASCII with '?' for the rest, stopping at NUL. */
static void ucs2_ascii(const uint8_t *s, size_t bytes, char *out, size_t outsize)
{
	size_t n = 0;
	for (size_t i = 0; i + 1 < bytes && n + 1 < outsize; i += 2) {
		uint16_t c = cb_le16(s + i);
		if (c == 0)
			break;
		out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[n] = 0;
}

int varstore_loadopt_parse(const uint8_t *data, size_t len, struct varstore_loadopt *o, struct cb_err *e)
{
	memset(o, 0, sizeof(*o));
	if (len < 6)
		return cb_errf(e, CB_EINVAL, "load option of %zu bytes is shorter than its 6-byte header", len);
	o->attributes = cb_le32(data);
	uint16_t fpl = cb_le16(data + 4);
	size_t end = 6;
	while (end + 2 <= len && cb_le16(data + end) != 0)
		end += 2;
	if (end + 2 > len)
		return cb_errf(e, CB_EINVAL, "load option description is not NUL-terminated within its %zu bytes", len);
	ucs2_ascii(data + 6, end - 6, o->description, sizeof(o->description));
	end += 2;
	if (fpl > len - end)
		return cb_errf(e, CB_EINVAL, "load option device path of %u bytes at offset %zu runs past its end (%zu)",
			       fpl, end, len);
	o->devpath = data + end;
	o->devpath_len = fpl;
	o->optional = data + end + fpl;
	o->optional_len = len - end - fpl;
	return 0;
}

/* ---- device path text ---- */

struct text {
	char *buf;
	size_t size, len;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
	if (t->len + 1 >= t->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = t->len + (size_t)n < t->size ? t->len + (size_t)n : t->size - 1;
}

static void add_guid(struct text *t, const uint8_t *g)
{
	char s[37];
	guid_format(g, s);
	add(t, "%s", s);
}

static void add_hex(struct text *t, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add(t, "%02x", p[i]);
}

static void add_file(struct text *t, const uint8_t *s, size_t bytes)
{
	char name[PATH_MAX_CHARS + 1];
	ucs2_ascii(s, bytes, name, sizeof(name));
	add(t, "File(%s)", name);
}

/* One node (type, subtype, its bytes p[0..len)). Known nodes of the wrong length fall through to Path(). */
static void node_text(struct text *t, uint8_t type, uint8_t sub, const uint8_t *p, size_t len)
{
	unsigned long long a, b;
	if (type == 1 && sub == 1 && len == 6) {
		add(t, "Pci(0x%x,0x%x)", p[5], p[4]);
	} else if (type == 2 && sub == 1 && len == 12) {
		uint32_t hid = cb_le32(p + 4), uid = cb_le32(p + 8);
		if ((hid & 0xFFFF) == 0x41D0 && (hid >> 16) == 0x0A03)
			add(t, "PciRoot(0x%x)", uid);
		else if ((hid & 0xFFFF) == 0x41D0 && (hid >> 16) == 0x0A08)
			add(t, "PcieRoot(0x%x)", uid);
		else if ((hid & 0xFFFF) == 0x41D0)
			add(t, "Acpi(PNP%04X,0x%x)", hid >> 16, uid);
		else
			add(t, "Acpi(0x%08x,0x%x)", hid, uid);
	} else if (type == 3 && sub == 2 && len == 8) {
		add(t, "Scsi(%u,%u)", cb_le16(p + 4), cb_le16(p + 6));
	} else if (type == 3 && sub == 5 && len == 6) {
		add(t, "USB(%u,%u)", p[4], p[5]);
	} else if (type == 3 && sub == 11 && len == 37) {
		add(t, "MAC(");
		add_hex(t, p + 4, 6);
		add(t, ",%u)", p[36]);
	} else if (type == 3 && sub == 18 && len == 10) {
		add(t, "Sata(%u,%u,%u)", cb_le16(p + 4), cb_le16(p + 6), cb_le16(p + 8));
	} else if (type == 3 && sub == 23 && len == 16) {
		add(t, "NVMe(0x%x,", cb_le32(p + 4));
		for (int i = 0; i < 8; i++)
			add(t, i ? "-%02X" : "%02X", p[8 + i]);
		add(t, ")");
	} else if (type == 3 && sub == 24) {
		add(t, "Uri(");
		for (size_t i = 4; i < len; i++)
			add(t, "%c", (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?');
		add(t, ")");
	} else if (((type == 1 && sub == 4) || (type == 3 && sub == 10) || (type == 4 && sub == 3)) && len >= 20) {
		add(t, "%s(", type == 1 ? "VenHw" : type == 3 ? "VenMsg" : "VenMedia");
		add_guid(t, p + 4);
		if (len > 20) {
			add(t, ",");
			add_hex(t, p + 20, len - 20);
		}
		add(t, ")");
	} else if (type == 4 && sub == 1 && len == HD_NODE_LEN) {
		a = cb_le64(p + 8);
		b = cb_le64(p + 16);
		add(t, "HD(%u,", cb_le32(p + 4));
		if (p[41] == 2) {
			add(t, "GPT,");
			add_guid(t, p + 24);
		} else if (p[41] == 1) {
			add(t, "MBR,0x%08x", cb_le32(p + 24));
		} else {
			add(t, "%u,0", p[41]);
		}
		add(t, ",0x%llx,0x%llx)", a, b);
	} else if (type == 4 && sub == 2 && len == 24) {
		add(t, "CDROM(%u,0x%llx,0x%llx)", cb_le32(p + 4), (unsigned long long)cb_le64(p + 8),
		    (unsigned long long)cb_le64(p + 16));
	} else if (type == 4 && sub == 4) {
		add_file(t, p + 4, len - 4);
	} else if (type == 4 && (sub == 6 || sub == 7) && len == 20) {
		add(t, sub == 6 ? "FvFile(" : "FvVol(");
		add_guid(t, p + 4);
		add(t, ")");
	} else if (type == 4 && sub == 8 && len == 24) {
		add(t, "Offset(0x%llx,0x%llx)", (unsigned long long)cb_le64(p + 8), (unsigned long long)cb_le64(p + 16));
	} else {
		add(t, "Path(%u,%u,", type, sub);
		add_hex(t, p + 4, len - 4);
		add(t, ")");
	}
}

int varstore_devpath_text(const uint8_t *dp, size_t len, char *out, size_t outsize, struct cb_err *e)
{
	struct text t = { out, outsize, 0 };
	if (outsize)
		out[0] = 0;
	size_t off = 0;
	bool first = true;
	for (unsigned n = 0;; n++) {
		if (n == DEVPATH_MAX_NODES)
			return cb_errf(e, CB_EINVAL, "device path has more than %u nodes", DEVPATH_MAX_NODES);
		if (len - off < 4)
			return cb_errf(e, CB_EINVAL, "device path ends at byte %zu without an end node", off);
		uint8_t type = dp[off], sub = dp[off + 1];
		uint16_t nlen = cb_le16(dp + off + 2);
		if (nlen < 4 || nlen > len - off)
			return cb_errf(e, CB_EINVAL, "device path node at byte %zu has length %u (4..%zu)", off, nlen, len - off);
		if (type == 0x7f && sub == 0xff)
			return 0;
		if (type == 0x7f && sub == 0x01) {
			add(&t, ",");
			first = true;
		} else {
			if (!first)
				add(&t, "/");
			node_text(&t, type, sub, dp + off, nlen);
			first = false;
		}
		off += nlen;
	}
}
