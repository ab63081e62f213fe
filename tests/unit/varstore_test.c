/* varstore_test.c: the EDK2 variable store editor on crafted stores (hostile headers and lengths, states,
 * append/delete/reclaim, load options, device paths), then on the firmware VARS files given as arguments. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs_test.h"
#include "varstore.h"

static const uint8_t nv_fv_guid[16] = { 0x8d, 0x2b, 0xf1, 0xff, 0x96, 0x76, 0x8b, 0x4c,
					0xa9, 0x85, 0x27, 0x47, 0x07, 0x5b, 0x4f, 0x50 };
static const uint8_t auth_guid[16] = { 0x78, 0x2c, 0xf3, 0xaa, 0x7b, 0x94, 0x9a, 0x43,
				       0xa1, 0x80, 0x2e, 0x14, 0x4e, 0xc3, 0x77, 0x92 };
static const uint8_t plain_guid[16] = { 0x16, 0x36, 0xcf, 0xdd, 0x75, 0x32, 0x64, 0x41,
					0x98, 0xb6, 0xfe, 0x85, 0x70, 0x7f, 0xfe, 0x7d };
static const uint8_t vendor[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static void w16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void w32(uint8_t *p, uint32_t v) { w16(p, (uint16_t)v); w16(p + 2, (uint16_t)(v >> 16)); }
static void w64(uint8_t *p, uint64_t v) { w32(p, (uint32_t)v); w32(p + 4, (uint32_t)(v >> 32)); }

static void fv_checksum(uint8_t *b)
{
	w16(b + 50, 0);
	uint16_t sum = 0;
	for (int i = 0; i < 72; i += 2)
		sum = (uint16_t)(sum + (b[i] | b[i + 1] << 8));
	w16(b + 50, (uint16_t)(0x10000u - sum));
}

/* A formatted store: FV header (72 bytes, one block-map entry of size/512 × 512), store header at 72. */
static uint8_t *make_store(size_t size, uint32_t store_size, bool auth)
{
	uint8_t *b = malloc(size);
	memset(b, 0xFF, size);
	memset(b, 0, 72);
	memcpy(b + 16, nv_fv_guid, 16);
	w64(b + 32, size);
	memcpy(b + 40, "_FVH", 4);
	w32(b + 44, 0x4feff);
	w16(b + 48, 72);
	b[55] = 2;
	w32(b + 56, (uint32_t)(size / 512));
	w32(b + 60, 512);
	memcpy(b + 72, auth ? auth_guid : plain_guid, 16);
	w32(b + 88, store_size);
	b[92] = 0x5A;
	b[93] = 0xFE;
	memset(b + 94, 0, 6);
	fv_checksum(b);
	return b;
}

/* Appends a raw variable header by hand (for states and lengths varstore_set would never write). */
static size_t raw_var(uint8_t *b, size_t off, bool auth, uint8_t state, const char *name, uint32_t data_size,
		      uint32_t name_size_override)
{
	size_t hs = auth ? 60 : 32, n = strlen(name);
	memset(b + off, 0, hs);
	w16(b + off, 0x55AA);
	b[off + 2] = state;
	w32(b + off + 4, 7);
	uint32_t ns = name_size_override ? name_size_override : (uint32_t)(2 * (n + 1));
	w32(b + off + (auth ? 36 : 8), ns);
	w32(b + off + (auth ? 40 : 12), data_size);
	memcpy(b + off + (auth ? 44 : 16), vendor, 16);
	for (size_t i = 0; i <= n; i++)
		w16(b + off + hs + 2 * i, (uint8_t)name[i]);
	return (off + hs + ns + data_size + 3) & ~(size_t)3;
}

static void test_headers(void)
{
	static const struct {
		const char *what;
		size_t size;
		int code;
		const char *msg;
	} cases[] = {
		{ "tiny", 40, CB_EINVAL, "40 bytes is too small for a firmware volume header" },
		{ "zeros", 0, CB_EINVAL, "an unformatted store" },
		{ "signature", 1, CB_EINVAL, "no _FVH signature at offset 40" },
		{ "fs guid", 2, CB_EINVAL, "is not an NV variable volume" },
		{ "fv length", 3, CB_EINVAL, "FvLength 8704 exceeds the file (8192 bytes)" },
		{ "header len", 4, CB_EINVAL, "firmware volume header length 70 is outside 72..8192" },
		{ "checksum", 5, CB_EVERIFY, "checksum is wrong (the 16-bit sum is 0x0001, not 0)" },
		{ "block map", 6, CB_EINVAL, "block map covers 4096 bytes, FvLength says 8192" },
		{ "no terminator", 7, CB_EINVAL, "block map has no terminating entry inside its 72-byte header" },
		{ "map overflow", 8, CB_EINVAL, "block map overflows" },
		{ "store guid", 9, CB_EINVAL, "variable store at offset 72 has an unknown signature GUID" },
		{ "store size", 10, CB_EINVAL, "variable store size 9000 at offset 72 does not fit the 8192-byte volume" },
		{ "store small", 11, CB_EINVAL, "variable store size 27 at offset 72" },
		{ "unformatted", 12, CB_EINVAL, "not formatted and healthy (format 0xff, state 0xfe)" },
		{ "var past end", 13, CB_EINVAL, "variable at offset 100: name (20 bytes) and data (4294967295 bytes) run past "
						  "the end of the store at offset 4168" },
		{ "odd name", 14, CB_EINVAL, "variable at offset 100: name size 3 is not a whole UCS-2 string" },
		{ "second var bad", 15, CB_EINVAL, "variable at offset 184: name (20 bytes) and data (5000 bytes)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t size = cases[i].size == 40 ? 40 : 8192;
		uint8_t *b = make_store(8192, 4096, true);
		switch (cases[i].size) {
		case 0: memset(b, 0, 8192); break;
		case 1: b[41] = 'X'; break;
		case 2: b[16] ^= 1; fv_checksum(b); break;
		case 3: w64(b + 32, 8704); fv_checksum(b); break;
		case 4: w16(b + 48, 70); fv_checksum(b); break;
		case 5: b[54] ^= 1; break;
		case 6: w32(b + 56, 8); fv_checksum(b); break;
		case 7: w32(b + 64, 1); w32(b + 68, 1); fv_checksum(b); break;
		case 8: w32(b + 56, 0xFFFFFFFF); w32(b + 60, 0xFFFFFFFF); w32(b + 64, 0xFFFFFFFF); w32(b + 68, 0xFFFFFFFF);
			fv_checksum(b); break;
		case 9: b[72] ^= 1; break;
		case 10: w32(b + 88, 9000); break;
		case 11: w32(b + 88, 27); break;
		case 12: b[92] = 0xFF; break;
		case 13: raw_var(b, 100, true, 0x3F, "BootOrder", 0xFFFFFFFF, 0); break;
		case 14: raw_var(b, 100, true, 0x3F, "BootOrder", 2, 3); break;
		case 15: raw_var(b, raw_var(b, 100, true, 0x3F, "BootOrder", 2, 0), true, 0x3F, "BootOrder", 5000, 0); break;
		}
		struct varstore vs;
		struct cb_err e = { 0, "" };
		int rc = varstore_open(&vs, b, size, &e);
		CHECK_INT(rc, cases[i].code, cases[i].what);
		CHECK_HAS(e.msg, cases[i].msg, cases[i].what);
		free(b);
	}
}

static void test_set_get(bool auth)
{
	const char *fmt = auth ? "auth" : "plain";
	uint8_t *b = make_store(8192, 4096, auth);
	struct varstore vs;
	struct cb_err e = { 0, "" };
	CHECK_INT(varstore_open(&vs, b, 8192, &e), 0, e.msg);
	CHECK(vs.authenticated == auth, "%s: format", fmt);
	CHECK_INT(vs.vars_off, 100, "vars_off");
	CHECK_INT(vs.vars_end, 72 + 4096, "vars_end");
	CHECK_INT(vs.free_off, 100, "empty store");
	struct varstore_var v;
	CHECK_INT(varstore_get(&vs, "BootOrder", varstore_global_guid, &v, &e), CB_ENOENT, "absent");
	CHECK_STR(e.msg, "no variable BootOrder", "absent message");
	static const uint8_t one[] = { 1, 0 }, two[] = { 1, 0, 2, 0, 3 };
	CHECK_INT(varstore_set(&vs, "BootOrder", varstore_global_guid, VARSTORE_NV_BS_RT, one, 2, &e), 0, e.msg);
	size_t hs = auth ? 60 : 32, first = 100, second = (100 + hs + 20 + 2 + 3) & ~(size_t)3;
	CHECK_INT(vs.free_off, second, "free after one");
	CHECK_INT(varstore_get(&vs, "BootOrder", varstore_global_guid, &v, &e), 0, e.msg);
	CHECK_INT(v.off, first, "first copy");
	CHECK_INT(v.state, 0x3F, "ADDED");
	CHECK_INT(v.attributes, 7, "attributes");
	CHECK_STR(v.name, "BootOrder", "name");
	CHECK(v.data_size == 2 && memcmp(v.data, one, 2) == 0, "%s: data", fmt);
	CHECK_INT(varstore_set(&vs, "BootOrder", varstore_global_guid, VARSTORE_NV_BS_RT, two, 5, &e), 0, e.msg);
	CHECK_INT(b[first + 2], 0x3D, "old copy marked deleted");
	CHECK_INT(varstore_get(&vs, "BootOrder", varstore_global_guid, &v, &e), 0, e.msg);
	CHECK(v.off == second && v.data_size == 5 && memcmp(v.data, two, 5) == 0, "%s: new copy", fmt);
	CHECK_INT(b[second + hs + 20 + 5], 0xFF, "padding stays erased");
	CHECK_INT(vs.nvars, 2, "two headers");
	/* The same name under another vendor GUID is another variable. */
	CHECK_INT(varstore_get(&vs, "BootOrder", vendor, &v, &e), CB_ENOENT, "other vendor");
	/* Reopening finds the same thing. */
	struct varstore vs2;
	CHECK_INT(varstore_open(&vs2, b, 8192, &e), 0, e.msg);
	CHECK_INT(vs2.free_off, vs.free_off, "reopen free_off");
	CHECK_INT(vs2.nvars, 2, "reopen nvars");
	CHECK_INT(varstore_delete(&vs, "BootOrder", varstore_global_guid, &e), 0, e.msg);
	CHECK_INT(varstore_get(&vs, "BootOrder", varstore_global_guid, &v, &e), CB_ENOENT, "deleted");
	CHECK_INT(varstore_delete(&vs, "BootOrder", varstore_global_guid, &e), CB_ENOENT, "delete twice");
	/* Bad arguments. */
	CHECK_INT(varstore_set(&vs, "", vendor, 7, one, 2, &e), CB_EINVAL, "empty name");
	CHECK_HAS(e.msg, "variable name '' is not 1..128 characters", "empty name message");
	CHECK_INT(varstore_set(&vs, "Bo\x01t", vendor, 7, one, 2, &e), CB_EINVAL, "control character");
	CHECK_HAS(e.msg, "is not printable ASCII", "control character message");
	CHECK_INT(varstore_set(&vs, "X", vendor, 7, one, 0, &e), CB_EINVAL, "no data");
	CHECK_HAS(e.msg, "variable X: 0 bytes of data is not 1..65536", "no data message");
	CHECK_INT(varstore_set(&vs, "X", vendor, 6, one, 2, &e), CB_EINVAL, "volatile");
	CHECK_HAS(e.msg, "non-volatile variables only", "volatile message");
	free(b);
}

/* EDK2's rule for a copy left in "deleted transition": it counts only while no ADDED copy exists. */
static void test_states(void)
{
	uint8_t *b = make_store(8192, 4096, true);
	size_t a = raw_var(b, 100, true, 0x3E, "Timeout", 2, 0);
	struct varstore vs;
	struct cb_err e = { 0, "" };
	CHECK_INT(varstore_open(&vs, b, 8192, &e), 0, e.msg);
	struct varstore_var v;
	CHECK_INT(varstore_get(&vs, "Timeout", vendor, &v, &e), 0, "in-transition copy alone counts");
	CHECK_INT(v.off, 100, "that copy");
	size_t c = raw_var(b, a, true, 0x3F, "Timeout", 2, 0);
	raw_var(b, c, true, 0x7F, "Timeout", 2, 0); /* header only: never live */
	CHECK_INT(varstore_open(&vs, b, 8192, &e), 0, e.msg);
	CHECK_INT(vs.nvars, 3, "three headers");
	CHECK_INT(varstore_get(&vs, "Timeout", vendor, &v, &e), 0, e.msg);
	CHECK_INT(v.off, a, "the ADDED copy wins");
	CHECK(varstore_state_live(0x3F) && varstore_state_live(0x3E) && !varstore_state_live(0x3D) &&
	      !varstore_state_live(0x7F) && !varstore_state_live(0x3C), "live states");
	/* Deleting clears both live copies, so the older one cannot come back. */
	CHECK_INT(varstore_delete(&vs, "Timeout", vendor, &e), 0, e.msg);
	CHECK_INT(b[100 + 2], 0x3C, "transition copy deleted");
	CHECK_INT(b[a + 2], 0x3D, "added copy deleted");
	CHECK_INT(varstore_get(&vs, "Timeout", vendor, &v, &e), CB_ENOENT, "gone");
	free(b);
}

/* A small store fills up; set reclaims deleted copies like the firmware, then refuses what cannot fit. */
static void test_reclaim(void)
{
	uint8_t *b = make_store(1024, 512, true);
	struct varstore vs;
	struct cb_err e = { 0, "" };
	CHECK_INT(varstore_open(&vs, b, 1024, &e), 0, e.msg);
	uint8_t data[40];
	for (int i = 0; i < 20; i++) {
		memset(data, i, sizeof(data));
		CHECK_INT(varstore_set(&vs, "Counter", vendor, 7, data, sizeof(data), &e), 0, e.msg);
	}
	static const uint8_t keep[] = { 0xAB };
	CHECK_INT(varstore_set(&vs, "Keep", varstore_global_guid, 7, keep, 1, &e), 0, e.msg);
	for (int i = 20; i < 30; i++) {
		memset(data, i, sizeof(data));
		CHECK_INT(varstore_set(&vs, "Counter", vendor, 7, data, sizeof(data), &e), 0, e.msg);
	}
	struct varstore_var v;
	CHECK_INT(varstore_get(&vs, "Counter", vendor, &v, &e), 0, e.msg);
	CHECK(v.data_size == 40 && v.data[0] == 29 && v.data[39] == 29, "last value survives reclaims");
	CHECK_INT(varstore_get(&vs, "Keep", varstore_global_guid, &v, &e), 0, e.msg);
	CHECK(v.data_size == 1 && v.data[0] == 0xAB, "other variable survives reclaims");
	CHECK(vs.nvars <= 6, "reclaimed: %u headers", vs.nvars);
	struct varstore vs2;
	CHECK_INT(varstore_open(&vs2, b, 1024, &e), 0, e.msg);
	uint8_t big[600];
	memset(big, 1, sizeof(big));
	CHECK_INT(varstore_set(&vs, "Big", vendor, 7, big, sizeof(big), &e), CB_ELIMIT, "does not fit");
	CHECK_HAS(e.msg, "variable Big: the store is full (", "full message");
	CHECK_HAS(e.msg, "bytes free after reclaiming, 668 needed)", "full message sizes");
	free(b);
}

static const uint8_t part_guid[16] = { 0x67, 0x45, 0x23, 0x01, 0xab, 0x89, 0xef, 0xcd,
				       0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };

static void test_loadopt(void)
{
	struct varstore_hd hd = { 1, 0x800, 0x1f000, { 0 } };
	memcpy(hd.part_guid, part_guid, 16);
	uint8_t *lo;
	size_t len;
	struct cb_err e = { 0, "" };
	static const uint8_t opt[] = { 'x', 0, 0, 0 };
	CHECK_INT(varstore_loadopt_build("cloud-boot demo", &hd, "\\EFI\\Linux\\demo-vmlinuz.efi", opt, sizeof(opt), &lo,
					 &len, &e), 0, e.msg);
	size_t want = 6 + 2 * 16 + 42 + (4 + 2 * 28) + 4 + 4;
	CHECK_INT(len, want, "load option size");
	CHECK(lo[0] == 1 && lo[4] == 42 + 60 + 4 && lo[5] == 0, "attributes and FilePathListLength");
	CHECK(lo[38] == 4 && lo[39] == 1 && lo[40] == 42 && lo[38 + 40] == 2 && lo[38 + 41] == 2, "HD node header");
	struct varstore_loadopt o;
	CHECK_INT(varstore_loadopt_parse(lo, len, &o, &e), 0, e.msg);
	CHECK_INT(o.attributes, 1, "active");
	CHECK_STR(o.description, "cloud-boot demo", "description");
	CHECK(o.optional_len == 4 && memcmp(o.optional, opt, 4) == 0, "optional data");
	char text[VARSTORE_DEVPATH_TEXT_MAX];
	CHECK_INT(varstore_devpath_text(o.devpath, o.devpath_len, text, sizeof(text), &e), 0, e.msg);
	CHECK_STR(text, "HD(1,GPT,01234567-89ab-cdef-0123-456789abcdef,0x800,0x1f000)/File(\\EFI\\Linux\\demo-vmlinuz.efi)",
		  "device path text");
	/* Truncated text buffer: cut, NUL-terminated, still success. */
	CHECK_INT(varstore_devpath_text(o.devpath, o.devpath_len, text, 10, &e), 0, "small buffer");
	CHECK_STR(text, "HD(1,GPT,", "small buffer text");
	/* Hostile option bodies. */
	CHECK_INT(varstore_loadopt_parse(lo, 5, &o, &e), CB_EINVAL, "short");
	CHECK_HAS(e.msg, "load option of 5 bytes is shorter than its 6-byte header", "short message");
	CHECK_INT(varstore_loadopt_parse(lo, 20, &o, &e), CB_EINVAL, "no NUL");
	CHECK_HAS(e.msg, "description is not NUL-terminated within its 20 bytes", "no NUL message");
	CHECK_INT(varstore_loadopt_parse(lo, 60, &o, &e), CB_EINVAL, "short path");
	CHECK_HAS(e.msg, "device path of 106 bytes at offset 38 runs past its end (60)", "short path message");
	free(lo);
	CHECK_INT(varstore_loadopt_build("", &hd, "\\a", NULL, 0, &lo, &len, &e), CB_EINVAL, "empty description");
	CHECK_HAS(e.msg, "description '' is not 1..256 characters", "empty description message");
	CHECK_INT(varstore_loadopt_build("d", &hd, "EFI\\a", NULL, 0, &lo, &len, &e), CB_EINVAL, "relative path");
	CHECK_HAS(e.msg, "file path 'EFI\\a' does not start with '\\'", "relative path message");
	CHECK_INT(varstore_loadopt_build("d\xc3\xa9", &hd, "\\a", NULL, 0, &lo, &len, &e), CB_EINVAL, "UTF-8 description");
	CHECK_HAS(e.msg, "is not printable ASCII", "UTF-8 description message");
}

/* Device path builder for the table below. */
struct dp {
	uint8_t b[512];
	size_t len;
};

static void node(struct dp *d, uint8_t type, uint8_t sub, const void *body, size_t n)
{
	d->b[d->len] = type;
	d->b[d->len + 1] = sub;
	w16(d->b + d->len + 2, (uint16_t)(4 + n));
	if (n)
		memcpy(d->b + d->len + 4, body, n);
	d->len += 4 + n;
}

static void acpi(struct dp *d, uint16_t pnp, uint32_t uid)
{
	uint8_t body[8];
	w32(body, 0x41D0u | (uint32_t)pnp << 16);
	w32(body + 4, uid);
	node(d, 2, 1, body, 8);
}

static void end(struct dp *d) { node(d, 0x7f, 0xff, NULL, 0); }

static void test_devpath(void)
{
	static const uint8_t uiapp_vol[16] = { 0xc9, 0xbd, 0xb8, 0x7c, 0xeb, 0xf8, 0x34, 0x4f,
					       0xaa, 0xea, 0x3e, 0xe4, 0xaf, 0x65, 0x16, 0xa1 };
	static const uint8_t uiapp_file[16] = { 0x21, 0xaa, 0x2c, 0x46, 0x14, 0x76, 0x03, 0x45,
						0x83, 0x6e, 0x8a, 0xb6, 0xf4, 0x66, 0x23, 0x31 };
	struct dp d[13];
	memset(d, 0, sizeof(d));
	uint8_t body[64];

	acpi(&d[0], 0x0A03, 0); /* OVMF's SATA disk */
	node(&d[0], 1, 1, (const uint8_t[]){ 2, 0x1f }, 2);
	w16(body, 1);
	w16(body + 2, 0xFFFF);
	w16(body + 4, 0);
	node(&d[0], 3, 18, body, 6);
	end(&d[0]);

	node(&d[1], 4, 7, uiapp_vol, 16); /* OVMF's UiApp */
	node(&d[1], 4, 6, uiapp_file, 16);
	end(&d[1]);

	acpi(&d[2], 0x0A08, 1); /* a NIC */
	memset(body, 0, 33);
	memcpy(body, (const uint8_t[]){ 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, 6);
	body[32] = 1;
	node(&d[2], 3, 11, body, 33);
	end(&d[2]);

	for (int i = 0; i < 16; i++) /* vendor node with data, URI with a control byte, two instances */
		body[i] = (uint8_t)(i + 1);
	body[16] = 0xbe;
	body[17] = 0xef;
	node(&d[3], 1, 4, body, 18);
	node(&d[3], 3, 24, "http\x01", 5);
	node(&d[3], 0x7f, 0x01, NULL, 0);
	node(&d[3], 9, 9, (const uint8_t[]){ 0xab, 0xcd }, 2);
	end(&d[3]);

	memset(body, 0, 40); /* El Torito entry, then an MBR partition */
	w64(body + 4, 0x88);
	w64(body + 12, 0x1000);
	node(&d[4], 4, 2, body, 20);
	memset(body, 0, 38);
	w32(body, 1);
	w64(body + 4, 0x3f);
	w64(body + 12, 1);
	w32(body + 20, 0x12345678);
	body[36] = 1;
	body[37] = 1;
	node(&d[4], 4, 1, body, 38);
	end(&d[4]);

	node(&d[5], 1, 1, (const uint8_t[]){ 1, 2, 3, 4 }, 4); /* Pci of the wrong length */
	end(&d[5]);

	d[6].b[0] = 4; /* a node of length 0 would never advance */
	d[6].b[1] = 4;
	d[6].len = 4;
	end(&d[6]);

	node(&d[7], 4, 4, (const uint8_t[]){ 0, 0 }, 2); /* claims more than there is */
	w16(d[7].b + 2, 200);
	end(&d[7]);

	node(&d[8], 1, 1, (const uint8_t[]){ 0, 1 }, 2); /* no end node */

	node(&d[9], 1, 1, (const uint8_t[]){ 0, 1 }, 2); /* 3 stray bytes */
	d[9].b[d[9].len++] = 0x7f;
	d[9].len += 2;

	for (int i = 0; i < 65; i++) /* too many nodes */
		node(&d[10], 0x7f, 0x01, NULL, 0);
	end(&d[10]);

	static const struct {
		const char *what;
		int code;
		const char *text;
		const char *msg;
	} cases[] = {
		{ "OVMF SATA disk", 0, "PciRoot(0x0)/Pci(0x1f,0x2)/Sata(1,65535,0)", "" },
		{ "UiApp", 0, "FvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)", "" },
		{ "NIC", 0, "PcieRoot(0x1)/MAC(525400123456,1)", "" },
		{ "vendor, URI, instances", 0, "VenHw(04030201-0605-0807-090a-0b0c0d0e0f10,beef)/Uri(http?),Path(9,9,abcd)", "" },
		{ "CD and MBR disk", 0, "CDROM(0,0x88,0x1000)/HD(1,MBR,0x12345678,0x3f,0x1)", "" },
		{ "wrong-length Pci", 0, "Path(1,1,01020304)", "" },
		{ "zero-length node", CB_EINVAL, "", "device path node at byte 0 has length 0 (4..8)" },
		{ "node past the end", CB_EINVAL, "", "device path node at byte 0 has length 200 (4..10)" },
		{ "no end node", CB_EINVAL, "Pci(0x1,0x0)", "device path ends at byte 6 without an end node" },
		{ "stray bytes", CB_EINVAL, "Pci(0x1,0x0)", "device path ends at byte 6 without an end node" },
		{ "65 instances", CB_EINVAL, ",,,,", "device path has more than 64 nodes" },
		{ "empty", CB_EINVAL, "", "device path ends at byte 0 without an end node" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[VARSTORE_DEVPATH_TEXT_MAX];
		struct cb_err e = { 0, "" };
		int rc = varstore_devpath_text(d[i].b, d[i].len, text, sizeof(text), &e);
		CHECK_INT(rc, cases[i].code, cases[i].what);
		if (cases[i].code)
			CHECK(strncmp(text, cases[i].text, strlen(cases[i].text)) == 0, "%s: text '%s'", cases[i].what, text);
		else
			CHECK_STR(text, cases[i].text, cases[i].what);
		CHECK_HAS(e.msg, cases[i].msg, cases[i].what);
	}
}

/* A real firmware VARS file: open it, add a load option and BootOrder, reopen, find them. */
static void test_real(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("skip %s: not readable\n", path);
		return;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc((size_t)size);
	CHECK(fread(b, 1, (size_t)size, f) == (size_t)size, "%s: read", path);
	fclose(f);
	struct varstore vs;
	struct cb_err e = { 0, "" };
	CHECK_INT(varstore_open(&vs, b, (size_t)size, &e), 0, e.msg);
	CHECK(vs.authenticated, "%s: authenticated store", path);
	CHECK_INT(vs.vars_off, 100, path);
	struct varstore_hd hd = { 1, 2048, 129024, { 0 } };
	memcpy(hd.part_guid, part_guid, 16);
	uint8_t *lo;
	size_t len;
	CHECK_INT(varstore_loadopt_build("cloud-boot demo", &hd, "\\EFI\\Linux\\demo-vmlinuz.efi", NULL, 0, &lo, &len, &e),
		  0, e.msg);
	CHECK_INT(varstore_set(&vs, "Boot0001", varstore_global_guid, 7, lo, len, &e), 0, e.msg);
	static const uint8_t order[] = { 1, 0 };
	CHECK_INT(varstore_set(&vs, "BootOrder", varstore_global_guid, 7, order, 2, &e), 0, e.msg);
	free(lo);
	struct varstore vs2;
	struct varstore_var v;
	CHECK_INT(varstore_open(&vs2, b, (size_t)size, &e), 0, e.msg);
	CHECK_INT(varstore_get(&vs2, "Boot0001", varstore_global_guid, &v, &e), 0, e.msg);
	CHECK_INT(v.data_size, len, "Boot0001 size");
	CHECK_INT(varstore_get(&vs2, "BootOrder", varstore_global_guid, &v, &e), 0, e.msg);
	printf("%s: %u variables, %zu bytes free\n", path, vs2.nvars, vs2.vars_end - vs2.free_off);
	free(b);
}

int main(int argc, char **argv)
{
	test_headers();
	test_set_get(true);
	test_set_get(false);
	test_states();
	test_reclaim();
	test_loadopt();
	test_devpath();
	for (int i = 1; i < argc; i++)
		test_real(argv[i]);
	return fs_test_done("varstore");
}
