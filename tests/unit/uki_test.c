/* uki_test.c: table-driven host tests of the UKI pieces: boot/uki/pe_sections.c (hostile PE headers, both
 * views), host-tools/cloud-boot/pe_append.c (the ukify layout, refusals), boot/uki/uki_cmdline.c and uki_parts.c. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../boot/uki/pe_sections.h"
#include "../../boot/uki/uki_cmdline.h"
#include "../../host-tools/cloud-boot/pe_append.h"
#include "../../host-tools/cloud-boot/uki_parts.h"

static int failures, checks;

#define CHECK(cond, ...)                                                   \
	do {                                                                   \
		checks++;                                                          \
		if (!(cond)) {                                                     \
			failures++;                                                    \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);          \
			fprintf(stderr, __VA_ARGS__);                                  \
			fputc('\n', stderr);                                           \
		}                                                                  \
	} while (0)

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v), put16(p + 2, (uint16_t)(v >> 16)); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

/* ---- a synthetic stub laid out as elf2efi lays out ours ---- */

#define STUB_LEN 0x800
#define PE_OFF 0x40
#define OPT_OFF (PE_OFF + 24)
#define SECTAB (OPT_OFF + 240)

static void set_section(uint8_t *b, unsigned i, const char *name, uint32_t vsize, uint32_t rva, uint32_t raw_size,
                        uint32_t raw_ptr, uint32_t flags)
{
	uint8_t *h = b + SECTAB + 40 * i;
	memset(h, 0, 40);
	memcpy(h, name, strlen(name));
	put32(h + 8, vsize);
	put32(h + 12, rva);
	put32(h + 16, raw_size);
	put32(h + 20, raw_ptr);
	put32(h + 36, flags);
}

/* MZ at 0, PE at 0x40, a 240-byte PE32+ optional header, .text (RVA 0x1000, raw 0x400) and .data (RVA 0x2000,
 * raw 0x600), SizeOfHeaders 0x400, FileAlignment 0x200, SectionAlignment 0x1000, SizeOfImage 0x3000. */
static void make_stub(uint8_t *b, uint16_t machine)
{
	memset(b, 0, STUB_LEN);
	b[0] = 'M', b[1] = 'Z';
	put32(b + 0x3c, PE_OFF);
	memcpy(b + PE_OFF, "PE\0\0", 4);
	put16(b + PE_OFF + 4, machine);
	put16(b + PE_OFF + 6, 2);
	put16(b + PE_OFF + 20, 240);
	put16(b + PE_OFF + 22, 0x22);
	uint8_t *o = b + OPT_OFF;
	put16(o, 0x20b);
	put32(o + 4, 0x200);
	put32(o + 8, 0x200);
	put32(o + 16, 0x1000);
	put32(o + 32, 0x1000);
	put32(o + 36, 0x200);
	put32(o + 56, 0x3000);
	put32(o + 60, 0x400);
	put16(o + 68, 10);
	put32(o + 108, 16);
	set_section(b, 0, ".text", 0x180, 0x1000, 0x200, 0x400, 0x60000020);
	set_section(b, 1, ".data", 0x200, 0x2000, 0x200, 0x600, 0xc0000040);
	memset(b + 0x400, 0xc3, 0x180);
	memset(b + 0x600, 0x5a, 0x200);
}

/* The PE CheckSum as the PE specification defines it, written independently of elf2efi's. */
static uint32_t ref_checksum(const uint8_t *b, size_t len, size_t at)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < len; i += 2) {
		if (i == at || i == at + 2)
			continue;
		sum += i + 1 < len ? get16(b + i) : b[i];
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (sum & 0xffff) + (uint32_t)len;
}

/* ---- pe_parse: hostile headers ---- */

enum mutation {
	M_NONE, M_SHORT, M_NO_MZ, M_PE_OFF_FAR, M_NO_SIG, M_OPT_SMALL, M_OPT_CUT, M_PE32, M_ALIGN, M_NSEC_LIMIT,
	M_SECTAB_PAST_HDRS, M_RAW_PAST_END, M_RAW_WRAP, M_MEM_PAST_IMAGE, M_MEM_WRAP, M_TRUNCATED,
};

struct parse_case {
	const char *what;
	enum mutation m;
	enum pe_view view;
	size_t len; /* 0: STUB_LEN */
	int rc;
	const char *err;
};

static const struct parse_case parse_cases[] = {
	{ "valid file", M_NONE, PE_VIEW_FILE, 0, CB_OK, "" },
	{ "valid memory", M_NONE, PE_VIEW_MEMORY, 0x3000, CB_OK, "" },
	{ "empty", M_SHORT, PE_VIEW_FILE, 1, CB_EINVAL, "not a PE image (no MZ header)" },
	{ "no MZ", M_NO_MZ, PE_VIEW_FILE, 0, CB_EINVAL, "not a PE image (no MZ header)" },
	{ "e_lfanew far", M_PE_OFF_FAR, PE_VIEW_FILE, 0, CB_EINVAL,
	  "PE header offset 0xfffffff0 is beyond the end of the file (2048 bytes)" },
	{ "no PE sig", M_NO_SIG, PE_VIEW_FILE, 0, CB_EINVAL, "no PE signature at 0x40" },
	{ "opt small", M_OPT_SMALL, PE_VIEW_FILE, 0, CB_EINVAL,
	  "optional header is 96 bytes (a PE32+ image has at least 112)" },
	{ "opt cut", M_OPT_CUT, PE_VIEW_FILE, 0x100, CB_EINVAL,
	  "optional header at 0x58 (240 bytes) is cut off at 256 bytes" },
	{ "PE32", M_PE32, PE_VIEW_FILE, 0, CB_EUNSUP, "not a PE32+ image (optional header magic 0x10b)" },
	{ "alignment", M_ALIGN, PE_VIEW_FILE, 0, CB_EINVAL,
	  "SectionAlignment 0x1000 and FileAlignment 0x300 must be powers of two" },
	{ "97 sections", M_NSEC_LIMIT, PE_VIEW_FILE, 0, CB_ELIMIT, "97 sections (limit 96)" },
	{ "sectab past headers", M_SECTAB_PAST_HDRS, PE_VIEW_FILE, 0, CB_EINVAL,
	  "section table at 0x148 (2 sections) extends past the headers (0x150 bytes, file 2048 bytes)" },
	{ "raw past end", M_RAW_PAST_END, PE_VIEW_FILE, 0, CB_EINVAL,
	  "section 1 (.data): raw data at 0x600 (1024 bytes) ends past the end of the file (2048 bytes): truncated?" },
	{ "raw wraps", M_RAW_WRAP, PE_VIEW_FILE, 0, CB_EINVAL,
	  "section 1 (.data): raw data at 0xfffffe00 (512 bytes) ends past the end of the file (2048 bytes): "
	  "truncated?" },
	{ "memory past image", M_MEM_PAST_IMAGE, PE_VIEW_MEMORY, 0x3000, CB_EINVAL,
	  "section 1 (.data) at RVA 0x2000 (4097 bytes) ends past the image (0x3000 bytes)" },
	{ "memory wraps", M_MEM_WRAP, PE_VIEW_MEMORY, 0x3000, CB_EINVAL,
	  "section 0 (.text) at RVA 0xfffff000 (384 bytes) ends past the image (0x3000 bytes)" },
	{ "truncated file", M_TRUNCATED, PE_VIEW_FILE, 0x700, CB_EINVAL,
	  "section 1 (.data): raw data at 0x600 (512 bytes) ends past the end of the file (1792 bytes): truncated?" },
};

static void mutate(uint8_t *b, enum mutation m)
{
	switch (m) {
	case M_NO_MZ: b[1] = 'X'; break;
	case M_PE_OFF_FAR: put32(b + 0x3c, 0xfffffff0); break;
	case M_NO_SIG: b[PE_OFF + 1] = 'X'; break;
	case M_OPT_SMALL: put16(b + PE_OFF + 20, 96); break;
	case M_PE32: put16(b + OPT_OFF, 0x10b); break;
	case M_ALIGN: put32(b + OPT_OFF + 36, 0x300); break;
	case M_NSEC_LIMIT: put16(b + PE_OFF + 6, 97); break;
	case M_SECTAB_PAST_HDRS: put32(b + OPT_OFF + 60, 0x150); break;
	case M_RAW_PAST_END: put32(b + SECTAB + 40 + 16, 0x400); break;
	case M_RAW_WRAP: put32(b + SECTAB + 40 + 20, 0xfffffe00); break;
	case M_MEM_PAST_IMAGE: put32(b + SECTAB + 40 + 8, 0x1001); break;
	case M_MEM_WRAP: put32(b + SECTAB + 12, 0xfffff000); break;
	default: break;
	}
}

static void test_parse(void)
{
	static uint8_t b[0x3000];
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		memset(b, 0, sizeof(b));
		make_stub(b, 0x8664);
		mutate(b, c->m);
		struct pe_image pe;
		struct cb_err e = {0};
		int rc = pe_parse(b, c->len ? c->len : STUB_LEN, c->view, &pe, &e);
		CHECK(rc == c->rc, "%s: rc %d, want %d (%s)", c->what, rc, c->rc, e.msg);
		CHECK(rc == CB_OK || strcmp(e.msg, c->err) == 0, "%s: message \"%s\", want \"%s\"", c->what, e.msg, c->err);
		if (rc == CB_OK && c->rc == CB_OK) {
			CHECK(pe.machine == 0x8664 && pe.nsections == 2 && pe.size_of_image == 0x3000 &&
			      pe.size_of_headers == 0x400 && pe.file_align == 0x200 && pe.section_align == 0x1000 &&
			      pe.subsystem == 10 && pe.sectab_off == SECTAB, "%s: header fields", c->what);
			const struct pe_section *d = pe_find(&pe, ".data");
			size_t n = 0;
			const uint8_t *p = d ? pe_section_bytes(b, c->view, d, &n) : NULL;
			CHECK(d && n == 0x200 && p == b + (c->view == PE_VIEW_FILE ? 0x600 : 0x2000), "%s: .data bytes",
			      c->what);
			CHECK(!pe_find(&pe, ".linux"), "%s: no .linux", c->what);
		}
	}
	/* An 8-byte name is not NUL-terminated in the header; non-printable bytes show as '?'. */
	make_stub(b, 0x8664);
	memcpy(b + SECTAB, ".abcdefg", 8);
	b[SECTAB + 40 + 2] = 0x01;
	struct pe_image pe;
	struct cb_err e = {0};
	CHECK(pe_parse(b, STUB_LEN, PE_VIEW_FILE, &pe, &e) == CB_OK, "8-byte name: %s", e.msg);
	CHECK(strcmp(pe.sec[0].name, ".abcdefg") == 0 && strcmp(pe.sec[1].name, ".d?ta") == 0, "names %s %s",
	      pe.sec[0].name, pe.sec[1].name);
	/* VirtualSize 0: the raw size counts (old linkers). */
	make_stub(b, 0x8664);
	put32(b + SECTAB + 40 + 8, 0);
	CHECK(pe_parse(b, STUB_LEN, PE_VIEW_FILE, &pe, &e) == CB_OK && pe_section_file_bytes(&pe.sec[1]) == 0x200,
	      "vsize 0");
}

/* ---- pe_append_sections ---- */

static void test_append(void)
{
	static uint8_t stub[STUB_LEN];
	make_stub(stub, 0xaa64);
	static uint8_t sbat[700];
	memset(sbat, 's', sizeof(sbat));
	const uint8_t linux_bytes[5] = { 'M', 'Z', 1, 2, 3 };
	struct pe_new_section secs[] = {
		{ ".osrel", "abc", 3, 0, false },
		{ ".linux", linux_bytes, 5, 0x2345, true },
		{ ".sbat", sbat, sizeof(sbat), 0, false },
	};
	uint8_t *out;
	size_t len;
	struct cb_err e = {0};
	int rc = pe_append_sections(stub, STUB_LEN, secs, 3, &out, &len, &e);
	CHECK(rc == CB_OK, "append: %s", e.msg);
	if (rc)
		return;
	CHECK(len == 0x1000, "length 0x%zx", len);
	CHECK(memcmp(out + 0x400, stub + 0x400, STUB_LEN - 0x400) == 0, "stub sections kept");
	CHECK(get16(out + PE_OFF + 6) == 5, "NumberOfSections %u", get16(out + PE_OFF + 6));
	CHECK(get32(out + OPT_OFF + 56) == 0x8000, "SizeOfImage 0x%x", get32(out + OPT_OFF + 56));
	CHECK(get32(out + OPT_OFF + 8) == 0x200 + 3 + 0x2345 + 700, "SizeOfInitializedData 0x%x",
	      get32(out + OPT_OFF + 8));
	CHECK(get32(out + OPT_OFF + 60) == 0x400, "SizeOfHeaders 0x%x", get32(out + OPT_OFF + 60));
	CHECK(get32(out + OPT_OFF + 64) == ref_checksum(out, len, OPT_OFF + 64), "CheckSum 0x%x, want 0x%x",
	      get32(out + OPT_OFF + 64), ref_checksum(out, len, OPT_OFF + 64));
	static const struct { const char *name; uint32_t vsize, rva, raw_size, raw_ptr, flags; } want[] = {
		{ ".osrel", 3, 0x3000, 0x200, 0x800, 0x40000040 },
		{ ".linux", 0x2345, 0x4000, 0x200, 0xa00, 0x40000020 },
		{ ".sbat", 700, 0x7000, 0x400, 0xc00, 0x40000040 },
	};
	for (unsigned i = 0; i < 3; i++) {
		const uint8_t *h = out + SECTAB + 40 * (2 + i);
		char name[9] = {0};
		memcpy(name, h, 8);
		CHECK(strcmp(name, want[i].name) == 0 && get32(h + 8) == want[i].vsize && get32(h + 12) == want[i].rva &&
		      get32(h + 16) == want[i].raw_size && get32(h + 20) == want[i].raw_ptr &&
		      get32(h + 36) == want[i].flags,
		      "section %u: %s vsize 0x%x rva 0x%x raw 0x%x@0x%x flags 0x%x", i, name, get32(h + 8), get32(h + 12),
		      get32(h + 16), get32(h + 20), get32(h + 36));
	}
	/* Round trip through the reader, both views (memory: as the firmware would lay it out). */
	struct pe_image pe;
	CHECK(pe_parse(out, len, PE_VIEW_FILE, &pe, &e) == CB_OK, "re-parse: %s", e.msg);
	size_t n;
	const uint8_t *p = pe_section_bytes(out, PE_VIEW_FILE, pe_find(&pe, ".osrel"), &n);
	CHECK(n == 3 && memcmp(p, "abc", 3) == 0, ".osrel bytes");
	p = pe_section_bytes(out, PE_VIEW_FILE, pe_find(&pe, ".linux"), &n);
	CHECK(n == 0x200 && memcmp(p, linux_bytes, 5) == 0 && p[5] == 0, ".linux file bytes %zu", n);
	static uint8_t mem[0x8000];
	memset(mem, 0, sizeof(mem));
	memcpy(mem, out, 0x400);
	for (unsigned i = 0; i < pe.nsections; i++)
		memcpy(mem + pe.sec[i].rva, out + pe.sec[i].raw_ptr, pe_section_file_bytes(&pe.sec[i]));
	CHECK(pe_parse(mem, sizeof(mem), PE_VIEW_MEMORY, &pe, &e) == CB_OK, "memory view: %s", e.msg);
	p = pe_section_bytes(mem, PE_VIEW_MEMORY, pe_find(&pe, ".sbat"), &n);
	CHECK(n == 700 && memcmp(p, sbat, 700) == 0, ".sbat memory bytes");
	free(out);
}

enum stub_mutation { S_NONE, S_FULL, S_SIGNED, S_SYMTAB, S_DRIVER, S_UNALIGNED, S_HDR_IN_USE, S_NO_SLACK };

struct append_case {
	const char *what;
	enum stub_mutation m;
	const char *name;   /* the one section appended */
	uint32_t vsize;
	int rc;
	const char *err;
};

static const struct append_case append_cases[] = {
	{ "ok", S_NONE, ".linux", 0, CB_OK, "" },
	{ "no room", S_FULL, ".linux", 0, CB_ELIMIT,
	  "no room for 1 more section headers: the section table (at 0x148, 17 entries) would end at 0x418, past "
	  "the 0x400 bytes of headers" },
	{ "signed", S_SIGNED, ".linux", 0, CB_EUNSUP,
	  "the stub is signed (certificate table at 0x800): appending would break the signature; sign the UKI "
	  "instead" },
	{ "symtab", S_SYMTAB, ".linux", 0, CB_EUNSUP, "the stub has a COFF symbol table at 0x700: strip it first" },
	{ "driver", S_DRIVER, ".linux", 0, CB_EUNSUP, "PE subsystem 11 is not an EFI application (10)" },
	{ "unaligned", S_UNALIGNED, ".linux", 0, CB_EINVAL,
	  "section 1 (.data): raw data at 0x610 is not FileAlignment (0x200) aligned" },
	{ "header in use", S_HDR_IN_USE, ".linux", 0, CB_EINVAL,
	  "header byte 0x1a8 after the section table is in use (0xee): no free room for section headers" },
	{ "headers overlap data", S_NO_SLACK, ".linux", 0, CB_EINVAL,
	  "the headers (0x401 bytes, 0x600 aligned) overlap section data at 0x400 or pass the end of the file "
	  "(2048 bytes)" },
	{ "duplicate", S_NONE, ".data", 0, CB_EINVAL, "the stub already has a .data section (already a UKI?)" },
	{ "long name", S_NONE, ".toolongname", 0, CB_EINVAL, "section name \".toolongname\" is not 1 to 8 bytes" },
	{ "empty name", S_NONE, "", 0, CB_EINVAL, "section name \"\" is not 1 to 8 bytes" },
	{ "past 4 GiB", S_NONE, ".linux", 0xfffff000, CB_ELIMIT,
	  "section .linux (4 bytes) would end past the 4 GiB a PE image can span" },
};

static void test_append_refusals(void)
{
	static uint8_t stub[STUB_LEN];
	for (size_t i = 0; i < sizeof(append_cases) / sizeof(append_cases[0]); i++) {
		const struct append_case *c = &append_cases[i];
		make_stub(stub, 0x8664);
		switch (c->m) {
		case S_FULL:
			put16(stub + PE_OFF + 6, 17); /* 0x148 + 17 * 40 = 0x3f0: one more does not fit in 0x400 */
			for (unsigned k = 2; k < 17; k++)
				set_section(stub, k, ".pad", 0, 0x3000, 0, 0, 0x40000040);
			break;
		case S_SIGNED: put32(stub + OPT_OFF + 112 + 32, 0x800), put32(stub + OPT_OFF + 112 + 36, 8); break;
		case S_SYMTAB: put32(stub + PE_OFF + 12, 0x700); break;
		case S_DRIVER: put16(stub + OPT_OFF + 68, 11); break;
		case S_UNALIGNED: put32(stub + SECTAB + 40 + 20, 0x610), put32(stub + SECTAB + 40 + 16, 0x1f0); break;
		case S_HDR_IN_USE: stub[SECTAB + 80 + 0x10] = 0xee; break;
		case S_NO_SLACK: put32(stub + OPT_OFF + 60, 0x401); break;
		default: break;
		}
		struct pe_new_section s = { c->name, "data", 4, c->vsize, true };
		uint8_t *out = NULL;
		size_t len = 0;
		struct cb_err e = {0};
		int rc = pe_append_sections(stub, STUB_LEN, &s, 1, &out, &len, &e);
		CHECK(rc == c->rc, "%s: rc %d, want %d (%s)", c->what, rc, c->rc, e.msg);
		CHECK(rc == CB_OK || (strcmp(e.msg, c->err) == 0 && !out && !len), "%s: message \"%s\", want \"%s\"",
		      c->what, e.msg, c->err);
		free(out);
	}
	/* A stub that is not a PE image at all: the reader's reason. */
	struct pe_new_section s = { ".linux", "x", 1, 0, true };
	uint8_t *out;
	size_t len;
	struct cb_err e = {0};
	CHECK(pe_append_sections((const uint8_t *)"MZ", 2, &s, 1, &out, &len, &e) == CB_EINVAL &&
	      strcmp(e.msg, "not a PE image (no MZ header)") == 0, "not PE: %s", e.msg);
}

/* ---- uki_cmdline_compose ---- */

struct cmdline_case {
	const char *section; /* NULL: no .cmdline section */
	size_t section_len;  /* 0: strlen */
	const char *opts;    /* ASCII, widened to UCS-2LE; NULL: none */
	size_t opts_bytes;   /* 0: the whole widened string with its NUL */
	enum uki_opts_use use;
	const char *want;
};

static const struct cmdline_case cmdline_cases[] = {
	{ "console=ttyS0 panic=-1", 0, NULL, 0, UKI_OPTS_NONE, "console=ttyS0 panic=-1" },
	{ " console=ttyS0\n", 0, NULL, 0, UKI_OPTS_NONE, "console=ttyS0" },
	{ "a b\0junk", 8, NULL, 0, UKI_OPTS_NONE, "a b" },
	{ NULL, 0, NULL, 0, UKI_OPTS_NONE, "" },
	{ "a", 0, "quiet", 0, UKI_OPTS_APPENDED, "a quiet" },
	{ NULL, 0, "  quiet  ", 0, UKI_OPTS_APPENDED, "quiet" },
	{ "a", 0, "\\EFI\\Linux\\uki.efi quiet x=1", 0, UKI_OPTS_APPENDED, "a quiet x=1" },
	{ "a", 0, "FS0:\\UKI.EFI", 0, UKI_OPTS_NONE, "a" },
	{ "a", 0, "\"fs0:\\my dir\\uki.efi\" quiet", 0, UKI_OPTS_APPENDED, "a quiet" },
	{ "a", 0, "\"fs0:\\my dir\\uki.efi\"quiet", 0, UKI_OPTS_APPENDED, "a \"fs0:\\my dir\\uki.efi\"quiet" },
	{ "a", 0, "vmlinuz.efix quiet", 0, UKI_OPTS_APPENDED, "a vmlinuz.efix quiet" },
	{ "a", 0, "quiet uki.efi", 0, UKI_OPTS_APPENDED, "a quiet uki.efi" },
	{ "a", 0, "\"unterminated.efi quiet", 0, UKI_OPTS_APPENDED, "a \"unterminated.efi quiet" },
	{ "a", 0, "x\x01y", 0, UKI_OPTS_BINARY, "a" },
	{ "a", 0, "abc", 3, UKI_OPTS_BINARY, "a" },
	{ "a", 0, "q", 2, UKI_OPTS_APPENDED, "a q" },
	{ "a", 0, "", 0, UKI_OPTS_NONE, "a" },
};

static size_t widen(const char *s, uint8_t *out)
{
	size_t n = strlen(s);
	for (size_t i = 0; i <= n; i++)
		out[2 * i] = (uint8_t)s[i], out[2 * i + 1] = 0;
	return 2 * (n + 1);
}

static void test_cmdline(void)
{
	uint8_t w[256];
	for (size_t i = 0; i < sizeof(cmdline_cases) / sizeof(cmdline_cases[0]); i++) {
		const struct cmdline_case *c = &cmdline_cases[i];
		size_t ob = 0;
		if (c->opts) {
			size_t full = widen(c->opts, w);
			ob = c->opts_bytes ? c->opts_bytes : full;
		}
		char *out = NULL;
		enum uki_opts_use use;
		struct cb_err e = {0};
		int rc = uki_cmdline_compose(c->section, c->section && !c->section_len ? strlen(c->section) : c->section_len,
		                             c->opts ? w : NULL, ob, &out, &use, &e);
		CHECK(rc == CB_OK && strcmp(out, c->want) == 0 && use == c->use, "case %zu: rc %d \"%s\" use %d, want \"%s\" %d",
		      i, rc, out ? out : "(null)", use, c->want, c->use);
		free(out);
	}
	/* Non-ASCII BMP characters become UTF-8. */
	const uint8_t e_acute[] = { 0xe9, 0x00, 0xac, 0x20, 0x00, 0x00 };
	char *out;
	enum uki_opts_use use;
	struct cb_err e = {0};
	CHECK(uki_cmdline_compose("x", 1, e_acute, sizeof(e_acute), &out, &use, &e) == CB_OK &&
	      strcmp(out, "x \xc3\xa9\xe2\x82\xac") == 0, "UTF-8: %s", out);
	free(out);
	/* A lone surrogate is not text. */
	const uint8_t surrogate[] = { 0x00, 0xd8, 0x00, 0x00 };
	CHECK(uki_cmdline_compose("x", 1, surrogate, sizeof(surrogate), &out, &use, &e) == CB_OK &&
	      strcmp(out, "x") == 0 && use == UKI_OPTS_BINARY, "surrogate");
	free(out);
	/* Limits. */
	size_t big = UKI_CMDLINE_MAX + 1;
	char *s = malloc(big);
	memset(s, 'a', big);
	CHECK(uki_cmdline_compose(s, big, NULL, 0, &out, &use, &e) == CB_ELIMIT &&
	      strcmp(e.msg, ".cmdline is 65537 bytes (limit 65536)") == 0 && !out, "section limit: %s", e.msg);
	uint8_t *wide = calloc(1, 2 * 40000);
	for (size_t i = 0; i < 40000; i++)
		wide[2 * i] = 'b';
	CHECK(uki_cmdline_compose(s, 30000, wide, 2 * 40000, &out, &use, &e) == CB_ELIMIT &&
	      strcmp(e.msg, "cmdline would be 70001 bytes (.cmdline 30000 + LoadOptions 40000; limit 65536)") == 0,
	      "total limit: %s", e.msg);
	uint8_t *huge = calloc(1, 2 * (UKI_CMDLINE_MAX + 1));
	CHECK(uki_cmdline_compose("a", 1, huge, 2 * (UKI_CMDLINE_MAX + 1), &out, &use, &e) == CB_ELIMIT &&
	      strcmp(e.msg, "LoadOptions are 131074 bytes (limit 131072)") == 0, "options limit: %s", e.msg);
	free(huge);
	free(wide);
	free(s);
}

/* ---- uki_parts ---- */

static void test_arch(void)
{
	CHECK(uki_arch_find("amd64") == uki_arch_find("x86_64") && uki_arch_find("x86_64")->machine == 0x8664,
	      "amd64");
	CHECK(uki_arch_find("arm64")->machine == 0xaa64 && uki_arch_find("riscv64")->machine == 0x5064 &&
	      uki_arch_find("loong64") == uki_arch_find("loongarch64") && uki_arch_find("loong64")->machine == 0x6264,
	      "others");
	CHECK(!uki_arch_find("i386") && !uki_arch_find("") && !uki_arch_find("X86_64"), "unknown");
	CHECK(strcmp(uki_machine_name(0xaa64), "aarch64") == 0 && strcmp(uki_machine_name(0x14c), "i386") == 0 &&
	      strcmp(uki_machine_name(0x1234), "unknown") == 0, "machine names");
}

struct kcheck_case {
	const char *what;
	int kind; /* 0 stub as kernel, 1 gzip, 2 zstd, 3 ELF, 4 wrong machine, 5 driver, 6 cert past end, 7 cut */
	const char *arch;
	int rc;
	const char *err;
};

static const struct kcheck_case kcheck_cases[] = {
	{ "ok", 0, "x86_64", CB_OK, "" },
	{ "gzip", 1, "x86_64", CB_EUNSUP, "gzip-compressed, not an EFI image: give the decompressed kernel (zcat)" },
	{ "zstd", 2, "x86_64", CB_EUNSUP, "zstd-compressed, not an EFI image: give the decompressed kernel" },
	{ "ELF", 3, "x86_64", CB_EUNSUP,
	  "an ELF file (vmlinux?), not an EFI image: give the kernel with its EFI stub (vmlinuz, Image)" },
	{ "wrong arch", 0, "arm64", CB_EUNSUP, "PE machine 0x8664 (x86_64) is not aarch64's (0xaa64)" },
	{ "i386", 4, "riscv64", CB_EUNSUP, "PE machine 0x014c (i386) is not riscv64's (0x5064)" },
	{ "driver", 5, "x86_64", CB_EUNSUP, "PE subsystem 11 is not an EFI application (10): no EFI stub" },
	{ "cert past end", 6, "x86_64", CB_EINVAL,
	  "certificate table at 0x800 (16 bytes) ends past the end of the file (2048 bytes): truncated?" },
	{ "truncated", 7, "x86_64", CB_EINVAL,
	  "section 1 (.data): raw data at 0x600 (512 bytes) ends past the end of the file (1600 bytes): truncated?" },
};

static void test_kernel_check(void)
{
	static uint8_t k[STUB_LEN];
	for (size_t i = 0; i < sizeof(kcheck_cases) / sizeof(kcheck_cases[0]); i++) {
		const struct kcheck_case *c = &kcheck_cases[i];
		make_stub(k, 0x8664);
		size_t len = STUB_LEN;
		switch (c->kind) {
		case 1: k[0] = 0x1f, k[1] = 0x8b; break;
		case 2: memcpy(k, "\x28\xb5\x2f\xfd", 4); break;
		case 3: memcpy(k, "\x7f" "ELF", 4); break;
		case 4: put16(k + PE_OFF + 4, 0x14c); break;
		case 5: put16(k + OPT_OFF + 68, 11); break;
		case 6: put32(k + OPT_OFF + 112 + 32, 0x800), put32(k + OPT_OFF + 112 + 36, 16); break;
		case 7: len = 1600; break;
		default: break;
		}
		struct pe_image pe;
		struct cb_err e = {0};
		int rc = uki_kernel_check(k, len, uki_arch_find(c->arch), &pe, &e);
		CHECK(rc == c->rc && (rc == CB_OK || strcmp(e.msg, c->err) == 0), "%s: rc %d \"%s\", want %d \"%s\"",
		      c->what, rc, e.msg, c->rc, c->err);
	}
}

static void test_version(void)
{
	static uint8_t k[0x2000];
	char v[UKI_VERSION_MAX];
	struct cb_err e = {0};
	/* x86 boot header: "HdrS" at 0x202, kernel_version at 0x20e (offset from 0x200). */
	memset(k, 0, sizeof(k));
	memcpy(k + 0x202, "HdrS", 4);
	put16(k + 0x20e, 0x1000);
	strcpy((char *)k + 0x1200, "6.1.0-50-amd64 (debian-kernel@lists.debian.org) #1 SMP");
	CHECK(uki_kernel_version(k, sizeof(k), v, &e) == CB_OK && strcmp(v, "6.1.0-50-amd64") == 0, "x86: %s", v);
	/* A version field pointing past the end falls back to the banner. */
	put16(k + 0x20e, 0xff00);
	strcpy((char *)k + 0x1800, "xLinux version 6.12.117+deb13-riscv64 (debian-kernel@lists.debian.org)");
	CHECK(uki_kernel_version(k, sizeof(k), v, &e) == CB_OK && strcmp(v, "6.12.117+deb13-riscv64") == 0,
	      "banner: %s", v);
	/* Banners that are not one: no digit, no " (" after, too long, cut at the end of the image. */
	memset(k, 0, sizeof(k));
	strcpy((char *)k + 0x10, "Linux version %s (%s)");
	strcpy((char *)k + 0x40, "Linux version 6.1 built");
	memcpy(k + 0x100, "Linux version 1", 15);
	memset(k + 0x140, '1', 80);
	memcpy(k + 0x132, "Linux version ", 14);
	strcpy((char *)k + sizeof(k) - 18, "Linux version 6.1");
	CHECK(uki_kernel_version(k, sizeof(k), v, &e) == CB_ENOENT &&
	      strcmp(e.msg, "no kernel version found (no x86 boot header, no \"Linux version\" banner): give it with "
	                    "--uname") == 0, "none: %s", e.msg);
	CHECK(uki_kernel_version(k, 3, v, &e) == CB_ENOENT, "tiny");
	CHECK(uki_version_check("6.1.0-50-amd64", &e) == CB_OK && uki_version_check("payload", &e) == CB_OK, "ok");
	CHECK(uki_version_check("6.1 x", &e) == CB_EINVAL &&
	      strcmp(e.msg, "\"6.1 x\": byte 3 (0x20) is not one of A-Z a-z 0-9 . _ + ~ -") == 0, "space: %s", e.msg);
	CHECK(uki_version_check("", &e) == CB_EINVAL && strcmp(e.msg, "\"\": a kernel version is 1 to 63 bytes") == 0,
	      "empty: %s", e.msg);
}

struct mkcmd_case {
	const char *cmdline, *plan;
	int rc;
	const char *want; /* the text, or the message */
};

static const struct mkcmd_case mkcmd_cases[] = {
	{ NULL, NULL, CB_OK, "" },
	{ "  console=ttyS0 panic=-1\t", NULL, CB_OK, "console=ttyS0 panic=-1" },
	{ NULL, "reg.example/boot/plan:v1", CB_OK, "cloudboot.plan=reg.example/boot/plan:v1" },
	{ "console=ttyS0", "oci://reg.example/p:1", CB_OK, "console=ttyS0 cloudboot.plan=oci://reg.example/p:1" },
	{ "console=ttyS0\nx", NULL, CB_EINVAL, "--cmdline: control character 0x0a at byte 13" },
	{ " a\x7f", NULL, CB_OK, "a\x7f" },
	{ "a", "", CB_EINVAL, "--plan \"\": a reference is 1 to 1024 bytes" },
	{ "a", "reg/p lan", CB_EINVAL, "--plan \"reg/p lan\": byte 5 (0x20) cannot be in a reference on the kernel cmdline" },
	{ "a", "reg/\"p", CB_EINVAL, "--plan \"reg/\"p\": byte 4 (0x22) cannot be in a reference on the kernel cmdline" },
	{ "cloudboot.plan=x/y:1 quiet", "reg/p:1", CB_EINVAL, "--plan and cloudboot.plan= in --cmdline: give exactly one source" },
	{ "quiet\tcloudboot.disk=/dev/vda2", "reg/p:1", CB_EINVAL,
	  "--plan and cloudboot.disk= in --cmdline: give exactly one source" },
	{ "xcloudboot.disk=1", "reg/p:1", CB_OK, "xcloudboot.disk=1 cloudboot.plan=reg/p:1" },
};

static void test_make_cmdline(void)
{
	for (size_t i = 0; i < sizeof(mkcmd_cases) / sizeof(mkcmd_cases[0]); i++) {
		const struct mkcmd_case *c = &mkcmd_cases[i];
		char *out = NULL;
		struct cb_err e = {0};
		int rc = uki_make_cmdline(c->cmdline, c->plan, &out, &e);
		const char *got = rc == CB_OK ? out : e.msg;
		CHECK(rc == c->rc && strcmp(got, c->want) == 0, "case %zu: rc %d \"%s\", want %d \"%s\"", i, rc, got, c->rc,
		      c->want);
		CHECK(rc == CB_OK || !out, "case %zu: no output on failure", i);
		free(out);
	}
	char *big = malloc(UKI_CMDLINE_MAX + 1);
	memset(big, 'a', UKI_CMDLINE_MAX - 10);
	big[UKI_CMDLINE_MAX - 10] = 0;
	char *out = NULL;
	struct cb_err e = {0};
	CHECK(uki_make_cmdline(big, "reg/p:1", &out, &e) == CB_ELIMIT &&
	      strcmp(e.msg, "the cmdline would be 65549 bytes (limit 65536)") == 0, "limit: %s", e.msg);
	free(big);
}

static void test_texts(void)
{
	char *osrel = uki_make_osrel("6.1.0-50-amd64");
	CHECK(osrel && strcmp(osrel, "NAME=\"cloud-boot UKI\"\nID=cloud-boot\nVERSION=\"6.1.0-50-amd64\"\n"
	                             "PRETTY_NAME=\"cloud-boot UKI (Linux 6.1.0-50-amd64)\"\n") == 0, "osrel: %s", osrel);
	free(osrel);

	static const char head[] =
		"sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n"
		"cloud-boot,1,cloud-boot,cloud-boot,0.1.0,docs/uki.md\n"
		"uki,1,UKI,uki,1,https://uapi-group.org/specifications/specs/unified_kernel_image/\n";
	static const struct { const char *kernel; size_t len; const char *tail; unsigned merged; } sbat_cases[] = {
		{ NULL, 0, "", 0 },
		{ "sbat,1,SBAT Version,sbat,1,x\nlinux,1,The Linux Developers,linux,6.1,https://linux.org\0\0\0", 88,
		  "linux,1,The Linux Developers,linux,6.1,https://linux.org\n", 1 },
		{ "sbat,1,x\na,1\nb,2\n", 0, "a,1\nb,2\n", 2 },
		{ "not sbat\na,1\n", 0, "", 0 },
		{ "sbat,1,x\na,\x01\n", 0, "", 0 },
		{ "sbat,1,x", 0, "", 0 },
	};
	for (size_t i = 0; i < sizeof(sbat_cases) / sizeof(sbat_cases[0]); i++) {
		const char *k = sbat_cases[i].kernel;
		size_t kl = k ? (sbat_cases[i].len ? sbat_cases[i].len : strlen(k)) : 0;
		char *s = NULL;
		size_t len = 0;
		unsigned merged = 99;
		struct cb_err e = {0};
		int rc = uki_make_sbat("0.1.0", (const uint8_t *)k, kl, &s, &len, &merged, &e);
		char want[512];
		snprintf(want, sizeof(want), "%s%s", head, sbat_cases[i].tail);
		CHECK(rc == CB_OK && len == strlen(want) + 1 && strcmp(s, want) == 0 && merged == sbat_cases[i].merged,
		      "sbat case %zu: rc %d len %zu merged %u \"%s\"", i, rc, len, merged, s ? s : "");
		free(s);
	}
}

int main(void)
{
	test_parse();
	test_append();
	test_append_refusals();
	test_cmdline();
	test_arch();
	test_kernel_check();
	test_version();
	test_make_cmdline();
	test_texts();
	printf("uki: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
