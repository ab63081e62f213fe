/* elf2efi tests: links a real static PIE for all four CPUs, converts it and checks the PE32+ against the ELF
 * with an independent parser; proves every refusal, usage error, atomic output and robustness to mutation. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

/* ---- harness ------------------------------------------------------------------------------------------ */

static const char *tool, *clang, *lld, *sample_src, *work;
static char run_out[4096], run_err[4096];

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("elf2efi_test: fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static char *path(const char *name)
{
	static char bufs[8][4096];
	static int n;
	char *b = bufs[n++ % 8];
	snprintf(b, sizeof(bufs[0]), "%s/%s", work, name);
	return b;
}

static uint8_t *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			if (!buf)
				die("out of memory");
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

static void spit(const char *p, const void *data, size_t len)
{
	FILE *f = fopen(p, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die("cannot write %s: %s", p, strerror(errno));
}

static bool exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

struct run {
	int code; /* exit code, or 128+signal */
	char *out, *err;
};

/* Runs argv (NULL-terminated), capturing stdout and stderr. */
static void run(char *const argv[], struct run *r)
{
	const char *outp = run_out, *errp = run_err;
	size_t n;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	r->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	free(r->out);
	free(r->err);
	r->out = (char *)slurp(outp, &n);
	r->err = (char *)slurp(errp, &n);
	if (!r->out || !r->err)
		die("cannot read captured output");
}

static void run_or_die(char *const argv[])
{
	struct run r = {0};
	run(argv, &r);
	if (r.code != 0) {
		fprintf(stderr, "command failed (%d):", r.code);
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, " %s", argv[i]);
		die("\n%s%s", r.out, r.err);
	}
	free(r.out);
	free(r.err);
}

/* ---- little-endian access ------------------------------------------------------------------------------ */

static uint16_t g16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t g32(const uint8_t *p) { return g16(p) | (uint32_t)g16(p + 2) << 16; }
static uint64_t g64(const uint8_t *p) { return g32(p) | (uint64_t)g32(p + 4) << 32; }
static void s16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void s32(uint8_t *p, uint32_t v) { s16(p, (uint16_t)v); s16(p + 2, (uint16_t)(v >> 16)); }
static void s64(uint8_t *p, uint64_t v) { s32(p, (uint32_t)v); s32(p + 4, (uint32_t)(v >> 32)); }
static uint64_t up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

/* ---- independent ELF reader (trusted input: our own linker output) -------------------------------------- */

#define MAXLOAD 16
#define MAXREL 8192

struct reloc {
	uint64_t vaddr, value;
};

struct elf {
	uint8_t *buf;
	size_t len;
	uint16_t machine;
	uint64_t entry, phoff;
	unsigned phnum;
	struct load {
		unsigned phdr;
		uint64_t off, vaddr, filesz, memsz;
		uint32_t flags;
	} load[MAXLOAD];
	unsigned nload;
	int dyn_phdr, relro_phdr, spare_phdr; /* spare: a header the loader ignores (PT_PHDR / PT_GNU_STACK) */
	uint64_t dyn_off, dyn_size, relro_vaddr, relro_memsz;
	int64_t dt_index[64]; /* dynamic entry index per tag < 64, or -1 */
	uint64_t rela_off;    /* file offset of the DT_RELA table */
	size_t rela_count;
	struct reloc rel[MAXREL];
	size_t nrel;
};

static bool elf_v2o(const struct elf *e, uint64_t vaddr, uint64_t *off)
{
	for (unsigned i = 0; i < e->nload; i++)
		if (vaddr >= e->load[i].vaddr && vaddr < e->load[i].vaddr + e->load[i].filesz) {
			*off = e->load[i].off + (vaddr - e->load[i].vaddr);
			return true;
		}
	return false;
}

static void elf_read_table(struct elf *e, uint64_t vaddr, uint64_t size, bool rela, uint32_t relative)
{
	uint64_t base, ent = rela ? 24 : 16;
	if (!elf_v2o(e, vaddr, &base))
		die("relocation table 0x%" PRIx64 " not in a segment", vaddr);
	for (uint64_t o = 0; o < size; o += ent) {
		const uint8_t *r = e->buf + base + o;
		uint64_t target = g64(r), info = g64(r + 8), at;
		if ((uint32_t)info == 0)
			continue;
		if ((uint32_t)info != relative)
			die("sample has relocation type %u", (uint32_t)info);
		if (e->nrel == MAXREL)
			die("too many relocations");
		if (!elf_v2o(e, target, &at))
			die("relocation target 0x%" PRIx64 " not file-backed", target);
		e->rel[e->nrel++] = (struct reloc){target, rela ? g64(r + 16) : g64(e->buf + at)};
	}
}

static void elf_parse(struct elf *e, uint8_t *buf, size_t len, uint32_t relative)
{
	memset(e, 0, sizeof(*e));
	e->buf = buf;
	e->len = len;
	e->dyn_phdr = e->relro_phdr = e->spare_phdr = -1;
	for (int i = 0; i < 64; i++)
		e->dt_index[i] = -1;
	if (len < 64 || memcmp(buf, "\177ELF\2\1", 6) != 0)
		die("sample is not ELF64LE");
	e->machine = g16(buf + 18);
	e->entry = g64(buf + 24);
	e->phoff = g64(buf + 32);
	e->phnum = g16(buf + 56);
	for (unsigned i = 0; i < e->phnum; i++) {
		const uint8_t *ph = buf + e->phoff + i * 56;
		uint32_t type = g32(ph);
		if (type == 1) {
			if (e->nload == MAXLOAD)
				die("too many PT_LOAD");
			e->load[e->nload++] = (struct load){i, g64(ph + 8), g64(ph + 16), g64(ph + 32), g64(ph + 40), g32(ph + 4)};
		} else if (type == 2) {
			e->dyn_phdr = (int)i;
			e->dyn_off = g64(ph + 8);
			e->dyn_size = g64(ph + 32);
		} else if (type == 0x6474e552) {
			e->relro_phdr = (int)i;
			e->relro_vaddr = g64(ph + 16);
			e->relro_memsz = g64(ph + 40);
		} else if (type == 6 || type == 0x6474e551) {
			e->spare_phdr = (int)i;
		}
	}
	if (e->dyn_phdr < 0)
		die("sample has no PT_DYNAMIC");
	uint64_t t[64] = {0};
	for (uint64_t i = 0; i < e->dyn_size / 16; i++) {
		uint64_t tag = g64(buf + e->dyn_off + i * 16);
		if (tag == 0)
			break;
		if (tag < 64) {
			e->dt_index[tag] = (int64_t)i;
			t[tag] = g64(buf + e->dyn_off + i * 16 + 8);
		}
	}
	if (e->dt_index[7] >= 0) { /* DT_RELA */
		if (!elf_v2o(e, t[7], &e->rela_off))
			die("DT_RELA not file-backed");
		e->rela_count = t[8] / 24;
		elf_read_table(e, t[7], t[8], true, relative);
	}
	if (e->dt_index[17] >= 0) /* DT_REL */
		elf_read_table(e, t[17], t[18], false, relative);
	if (e->dt_index[23] >= 0) /* DT_JMPREL */
		elf_read_table(e, t[23], t[2], t[20] == 7, relative);
}

static uint8_t *dyn_entry(struct elf *e, int tag)
{
	if (e->dt_index[tag] < 0)
		die("sample has no dynamic tag %d", tag);
	return e->buf + e->dyn_off + (uint64_t)e->dt_index[tag] * 16;
}

static uint8_t *phdr(struct elf *e, unsigned i)
{
	return e->buf + e->phoff + i * 56;
}

/* ---- independent PE reader and structural rules ------------------------------------------------------- */

#define MAXSEC 32

struct pe {
	uint16_t machine, nsec, characteristics, subsystem, dllchar;
	uint32_t entry, size_of_image, size_of_headers, checksum, reloc_rva, reloc_size;
	uint64_t image_base;
	struct sec {
		char name[9];
		uint32_t vsize, va, rawsize, rawptr, ch;
	} sec[MAXSEC];
	uint32_t dir64[MAXREL];
	size_t ndir64;
};

static uint32_t pe_checksum(const uint8_t *f, size_t len, size_t skip)
{
	uint64_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2) {
		if (i == skip || i == skip + 2)
			continue;
		sum += g16(f + i);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint32_t)(((sum & 0xffff) + (sum >> 16)) + len);
}

#define REQUIRE(cond, ...)                  \
	do {                                \
		CHECK(cond, __VA_ARGS__);   \
		if (!(cond))                \
			return false;       \
	} while (0)

/* Parses and checks everything a UEFI loader relies on. Returns false if the image is unusable. */
static bool pe_parse(const char *what, const uint8_t *f, size_t len, struct pe *pe)
{
	memset(pe, 0, sizeof(*pe));
	REQUIRE(len >= 64 && f[0] == 'M' && f[1] == 'Z', "%s: no MZ header", what);
	uint32_t lfanew = g32(f + 0x3c);
	REQUIRE(lfanew % 8 == 0 && (uint64_t)lfanew + 24 + 240 <= len, "%s: bad e_lfanew 0x%x", what, lfanew);
	REQUIRE(memcmp(f + lfanew, "PE\0\0", 4) == 0, "%s: no PE signature", what);
	const uint8_t *coff = f + lfanew + 4, *opt = coff + 20;
	pe->machine = g16(coff);
	pe->nsec = g16(coff + 2);
	pe->characteristics = g16(coff + 18);
	REQUIRE(g16(coff + 16) == 240, "%s: SizeOfOptionalHeader %u", what, g16(coff + 16));
	REQUIRE(pe->nsec >= 2 && pe->nsec <= MAXSEC, "%s: %u sections", what, pe->nsec);
	CHECK((pe->characteristics & 0x0002) && (pe->characteristics & 0x0020), "%s: Characteristics 0x%x lack "
	      "EXECUTABLE_IMAGE|LARGE_ADDRESS_AWARE", what, pe->characteristics);
	CHECK(!(pe->characteristics & 0x0001), "%s: RELOCS_STRIPPED set", what);
	CHECK(g16(opt) == 0x20b, "%s: optional header magic 0x%x", what, g16(opt));
	pe->entry = g32(opt + 16);
	pe->image_base = g64(opt + 24);
	CHECK(pe->image_base % 0x10000 == 0, "%s: ImageBase 0x%" PRIx64 " not 64 KiB aligned", what, pe->image_base);
	CHECK(g32(opt + 32) == 4096, "%s: SectionAlignment %u", what, g32(opt + 32));
	CHECK(g32(opt + 36) == 512, "%s: FileAlignment %u", what, g32(opt + 36));
	pe->size_of_image = g32(opt + 56);
	pe->size_of_headers = g32(opt + 60);
	pe->checksum = g32(opt + 64);
	pe->subsystem = g16(opt + 68);
	pe->dllchar = g16(opt + 70);
	CHECK((pe->dllchar & 0x140) == 0x140, "%s: DllCharacteristics 0x%x lack DYNAMIC_BASE|NX_COMPAT", what,
	      pe->dllchar);
	REQUIRE(g32(opt + 108) == 16, "%s: NumberOfRvaAndSizes %u", what, g32(opt + 108));
	for (int d = 0; d < 16; d++)
		if (d != 5)
			CHECK(g64(opt + 112 + d * 8) == 0, "%s: data directory %d not zero", what, d);
	pe->reloc_rva = g32(opt + 112 + 40);
	pe->reloc_size = g32(opt + 112 + 44);
	CHECK(pe->checksum == pe_checksum(f, len, (size_t)(opt + 64 - f)), "%s: CheckSum 0x%x wrong", what,
	      pe->checksum);

	size_t table = lfanew + 24 + 240, table_end = table + pe->nsec * 40;
	REQUIRE(pe->size_of_headers % 512 == 0 && pe->size_of_headers >= table_end && pe->size_of_headers <= len,
		"%s: SizeOfHeaders 0x%x (section table ends 0x%zx)", what, pe->size_of_headers, table_end);
	uint64_t next_va = pe->size_of_headers, next_raw = pe->size_of_headers;
	bool entry_in_code = false;
	for (unsigned i = 0; i < pe->nsec; i++) {
		const uint8_t *h = f + table + i * 40;
		struct sec *s = &pe->sec[i];
		memcpy(s->name, h, 8);
		s->vsize = g32(h + 8);
		s->va = g32(h + 12);
		s->rawsize = g32(h + 16);
		s->rawptr = g32(h + 20);
		s->ch = g32(h + 36);
		CHECK(s->va % 4096 == 0 && s->va >= next_va, "%s: section %s at 0x%x misplaced (expected >= 0x%" PRIx64
		      ", page aligned)", what, s->name, s->va, next_va);
		CHECK(s->vsize > 0, "%s: section %s empty", what, s->name);
		next_va = up((uint64_t)s->va + s->vsize, 4096);
		CHECK(s->rawsize % 512 == 0, "%s: section %s SizeOfRawData 0x%x", what, s->name, s->rawsize);
		if (s->rawsize) {
			REQUIRE(s->rawptr % 512 == 0 && s->rawptr >= next_raw && (uint64_t)s->rawptr + s->rawsize <= len,
				"%s: section %s raw data 0x%x+0x%x misplaced", what, s->name, s->rawptr, s->rawsize);
			next_raw = (uint64_t)s->rawptr + s->rawsize;
		}
		CHECK(!((s->ch & 0x80000000u) && (s->ch & 0x20000000u)), "%s: section %s is W+X", what, s->name);
		CHECK(s->ch & 0x40000000u, "%s: section %s not readable", what, s->name);
		if ((s->ch & 0x20000000u) && pe->entry >= s->va && pe->entry < s->va + s->vsize)
			entry_in_code = true;
	}
	CHECK(entry_in_code, "%s: entry RVA 0x%x not in an executable section", what, pe->entry);
	CHECK(pe->size_of_image == next_va, "%s: SizeOfImage 0x%x, sections end 0x%" PRIx64, what, pe->size_of_image,
	      next_va);
	CHECK(len == next_raw, "%s: file is 0x%zx bytes, raw data ends 0x%" PRIx64, what, len, next_raw);

	/* .reloc: last section, exactly the base relocation directory. */
	const struct sec *rs = &pe->sec[pe->nsec - 1];
	REQUIRE(strcmp(rs->name, ".reloc") == 0 && rs->va == pe->reloc_rva && rs->vsize == pe->reloc_size &&
		rs->rawsize >= rs->vsize, "%s: .reloc section does not match the BASERELOC directory", what);
	CHECK(rs->ch == 0x42000040u, "%s: .reloc characteristics 0x%x", what, rs->ch);
	const uint8_t *b = f + rs->rawptr;
	REQUIRE(pe->reloc_size >= 8, "%s: empty base relocation directory", what);
	for (uint32_t off = 0; off < pe->reloc_size;) {
		REQUIRE(off + 8 <= pe->reloc_size, "%s: truncated relocation block at +0x%x", what, off);
		uint32_t page = g32(b + off), size = g32(b + off + 4);
		REQUIRE(page % 4096 == 0 && size >= 8 && size % 4 == 0 && off + size <= pe->reloc_size,
			"%s: relocation block at +0x%x: page 0x%x size 0x%x", what, off, page, size);
		CHECK(page < pe->size_of_image, "%s: relocation block page 0x%x outside the image", what, page);
		for (uint32_t e = off + 8; e < off + size; e += 2) {
			uint16_t v = g16(b + e);
			if (v >> 12 == 0)
				continue;
			REQUIRE(v >> 12 == 10, "%s: relocation entry type %u", what, v >> 12);
			REQUIRE(pe->ndir64 < MAXREL, "%s: too many relocations", what);
			uint32_t rva = page + (v & 0xfff);
			CHECK(rva + 8 <= pe->size_of_image, "%s: DIR64 at 0x%x outside the image", what, rva);
			pe->dir64[pe->ndir64++] = rva;
		}
		off += size;
	}
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_reloc(const void *a, const void *b)
{
	const struct reloc *x = a, *y = b;
	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static bool relro_covers(const struct elf *e, const struct load *l)
{
	uint64_t end = up(l->vaddr + l->memsz, 4096);
	return e->relro_phdr >= 0 && e->relro_vaddr <= l->vaddr && ((e->relro_vaddr + e->relro_memsz) & ~4095ull) >= end;
}

/* The PE must be the ELF, segment for segment, with the relocated words holding the link-time values. */
static void check_against_elf(const char *what, const uint8_t *f, size_t len, struct elf *e, uint16_t want_machine,
			      uint16_t want_subsystem)
{
	struct pe *pe = calloc(1, sizeof(*pe));
	if (!pe)
		die("out of memory");
	if (!pe_parse(what, f, len, pe)) {
		free(pe);
		return;
	}
	CHECK(pe->machine == want_machine, "%s: Machine 0x%x, want 0x%x", what, pe->machine, want_machine);
	CHECK(pe->subsystem == want_subsystem, "%s: Subsystem %u, want %u", what, pe->subsystem, want_subsystem);
	CHECK(pe->image_base + pe->entry == e->entry, "%s: ImageBase 0x%" PRIx64 " + entry 0x%x != e_entry 0x%" PRIx64,
	      what, pe->image_base, pe->entry, e->entry);
	CHECK(pe->nsec == e->nload + 1, "%s: %u sections for %u PT_LOADs", what, pe->nsec, e->nload);
	CHECK(pe->sec[0].va == up(pe->size_of_headers, 4096), "%s: first section at 0x%x, headers end 0x%x", what,
	      pe->sec[0].va, pe->size_of_headers);

	qsort(e->rel, e->nrel, sizeof(e->rel[0]), cmp_reloc);
	size_t r = 0;
	for (unsigned i = 0; i < e->nload && i + 1 < pe->nsec; i++) {
		const struct load *l = &e->load[i];
		const struct sec *s = &pe->sec[i];
		bool w = (l->flags & 2) && !relro_covers(e, l), x = l->flags & 1;
		CHECK(s->va == l->vaddr - pe->image_base, "%s: section %u VA 0x%x, segment 0x%" PRIx64, what, i, s->va,
		      l->vaddr);
		CHECK(s->vsize == l->memsz, "%s: section %u VirtualSize 0x%x, p_memsz 0x%" PRIx64, what, i, s->vsize,
		      l->memsz);
		CHECK(s->rawsize == up(l->filesz, 512), "%s: section %u SizeOfRawData 0x%x, p_filesz 0x%" PRIx64, what, i,
		      s->rawsize, l->filesz);
		CHECK(!!(s->ch & 0x80000000u) == w, "%s: section %u MEM_WRITE wrong (0x%x)", what, i, s->ch);
		CHECK(!!(s->ch & 0x20000000u) == x && !!(s->ch & 0x20) == x, "%s: section %u execute/code flags wrong (0x%x)",
		      what, i, s->ch);
		CHECK(x || (s->ch & (l->filesz ? 0x40 : 0x80)), "%s: section %u lacks CNT_(UN)INITIALIZED_DATA (0x%x)", what,
		      i, s->ch);
		const char *want_name = x ? ".text" : w ? (l->filesz ? ".data" : ".bss") : (l->flags & 2) ? ".relro" : ".rodata";
		CHECK(strcmp(s->name, want_name) == 0, "%s: section %u named %s, want %s", what, i, s->name, want_name);
		if (s->rawsize < l->filesz || (uint64_t)s->rawptr + s->rawsize > len)
			continue;
		/* Compare bytes; relocation targets must hold their value instead. */
		const uint8_t *src = e->buf + l->off, *dst = f + s->rawptr;
		size_t mismatches = 0;
		for (uint64_t o = 0; o < l->filesz;) {
			if (r < e->nrel && e->rel[r].vaddr == l->vaddr + o) {
				CHECK(g64(dst + o) == e->rel[r].value, "%s: word at 0x%" PRIx64 " is 0x%" PRIx64 ", want addend 0x%"
				      PRIx64, what, l->vaddr + o, g64(dst + o), e->rel[r].value);
				o += 8;
				r++;
				continue;
			}
			mismatches += src[o] != dst[o];
			o++;
		}
		CHECK(mismatches == 0, "%s: section %u differs from its segment in %zu bytes", what, i, mismatches);
		for (uint64_t o = l->filesz; o < s->rawsize; o++)
			if (dst[o]) {
				CHECK(0, "%s: section %u padding not zero at +0x%" PRIx64, what, i, o);
				break;
			}
	}
	CHECK(r == e->nrel, "%s: %zu of %zu relocation targets checked", what, r, e->nrel);

	/* Every RELATIVE relocation exactly once as DIR64 at its RVA, nothing else. */
	qsort(pe->dir64, pe->ndir64, sizeof(pe->dir64[0]), cmp_u32);
	CHECK(pe->ndir64 == e->nrel, "%s: %zu DIR64 entries for %zu RELATIVE relocations", what, pe->ndir64, e->nrel);
	for (size_t i = 0; i < pe->ndir64 && i < e->nrel; i++)
		CHECK(pe->dir64[i] == e->rel[i].vaddr - pe->image_base, "%s: DIR64 #%zu at RVA 0x%x, want 0x%" PRIx64, what,
		      i, pe->dir64[i], e->rel[i].vaddr - pe->image_base);
	free(pe);
}

/* ---- building the samples ------------------------------------------------------------------------------ */

struct arch {
	const char *name;
	uint16_t pe_machine;
	uint32_t relative, jump_slot;
	const char *jump_name;
	const char *flags[5];
};

static const struct arch arches[] = {
	{"x86_64", 0x8664, 8, 7, "R_X86_64_JUMP_SLOT", {"--target=x86_64-unknown-none-elf", "-mno-red-zone",
							"-mgeneral-regs-only"}},
	{"aarch64", 0xaa64, 1027, 1026, "R_AARCH64_JUMP_SLOT", {"--target=aarch64-unknown-none-elf", "-mgeneral-regs-only"}},
	{"riscv64", 0x5064, 3, 5, "R_RISCV_JUMP_SLOT", {"--target=riscv64-unknown-none-elf",
						     "-march=rv64imac_zicsr_zifencei", "-mabi=lp64", "-mcmodel=medany"}},
	{"loongarch64", 0x6264, 3, 5, "R_LARCH_JUMP_SLOT", {"--target=loongarch64-unknown-none-gnusf", "-mabi=lp64s",
							  "-msoft-float"}},
};

static void build(const struct arch *a, const char *src, const char *elf_out)
{
	char obj[4096];
	const char *argv[40];
	int n = 0;

	snprintf(obj, sizeof(obj), "%s.o", elf_out);
	argv[n++] = clang;
	const char *common[] = {"-ffreestanding", "-fno-stack-protector", "-fno-stack-check", "-fPIE",
				"-fvisibility=hidden", "-fshort-wchar", "-ffunction-sections", "-fdata-sections",
				"-nostdlibinc", "-O2", "-Wall", "-Werror"};
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		argv[n++] = common[i];
	for (int i = 0; a->flags[i]; i++)
		argv[n++] = a->flags[i];
	argv[n++] = "-c";
	argv[n++] = src;
	argv[n++] = "-o";
	argv[n++] = obj;
	argv[n] = NULL;
	run_or_die((char *const *)argv);

	const char *ld[] = {lld, "-pie", "--no-dynamic-linker", "-static", "-e", "efi_main", "-z",
			    "separate-loadable-segments", "--image-base=0x1000", "-z", "max-page-size=4096",
			    "--no-undefined", "-z", "text", obj, "-o", elf_out, NULL};
	run_or_die((char *const *)ld);
}

static struct run R;

static int convert(const char *in, const char *out, const char *subsystem)
{
	char *argv[6];
	int n = 0;
	argv[n++] = (char *)tool;
	if (subsystem) {
		argv[n++] = "--subsystem";
		argv[n++] = (char *)subsystem;
	}
	argv[n++] = (char *)in;
	argv[n++] = (char *)out;
	argv[n] = NULL;
	run(argv, &R);
	return R.code;
}

/* ---- round trips ----------------------------------------------------------------------------------------- */

static struct elf samples[4];

static void round_trip(int ai)
{
	const struct arch *a = &arches[ai];
	char elfp[64], efip[64], what[128];
	size_t len, plen;

	snprintf(elfp, sizeof(elfp), "sample-%s.elf", a->name);
	snprintf(efip, sizeof(efip), "sample-%s.efi", a->name);
	build(a, sample_src, path(elfp));
	uint8_t *buf = slurp(path(elfp), &len);
	if (!buf)
		die("cannot read %s", elfp);
	struct elf *e = &samples[ai];
	elf_parse(e, buf, len, a->relative);
	CHECK(e->nrel >= 10, "%s: sample has only %zu RELATIVE relocations", a->name, e->nrel);
	CHECK(e->nload >= 4, "%s: sample has only %u PT_LOADs", a->name, e->nload);

	unlink(path(efip));
	CHECK(convert(path(elfp), path(efip), NULL) == 0, "%s: elf2efi failed (%d): %s", a->name, R.code, R.err);
	uint8_t *pe = slurp(path(efip), &plen);
	if (!pe) {
		CHECK(0, "%s: no output", a->name);
		return;
	}
	snprintf(what, sizeof(what), "%s round trip", a->name);
	check_against_elf(what, pe, plen, e, a->pe_machine, 10);

	/* The relocations must span several pages so block grouping and padding are exercised. */
	uint64_t pages[64];
	size_t np = 0;
	for (size_t i = 0; i < e->nrel; i++) {
		uint64_t p = e->rel[i].vaddr & ~4095ull;
		if (np == 0 || pages[np - 1] != p)
			pages[np++] = p;
		if (np == 64)
			break;
	}
	CHECK(np >= 3, "%s: relocations touch only %zu pages", a->name, np);

	/* Deterministic output. */
	CHECK(convert(path(elfp), path("again.efi"), NULL) == 0, "%s: second run failed", a->name);
	size_t alen;
	uint8_t *again = slurp(path("again.efi"), &alen);
	CHECK(again && alen == plen && memcmp(again, pe, plen) == 0, "%s: output not reproducible", a->name);
	free(again);
	free(pe);
}

static void subsystems(void)
{
	static const struct {
		const char *name;
		uint16_t value;
	} subs[] = {{"efi-app", 10}, {"efi-boot-driver", 11}, {"efi-rt-driver", 12}};
	size_t len;

	for (size_t i = 0; i < 3; i++) {
		CHECK(convert(path("sample-aarch64.elf"), path("sub.efi"), subs[i].name) == 0, "--subsystem %s failed: %s",
		      subs[i].name, R.err);
		uint8_t *pe = slurp(path("sub.efi"), &len);
		char what[64];
		snprintf(what, sizeof(what), "aarch64 --subsystem %s", subs[i].name);
		if (pe)
			check_against_elf(what, pe, len, &samples[1], 0xaa64, subs[i].value);
		free(pe);
	}
	char *argv[] = {(char *)tool, "--subsystem=efi-rt-driver", path("sample-x86_64.elf"), path("sub.efi"), NULL};
	run(argv, &R);
	CHECK(R.code == 0, "--subsystem=efi-rt-driver failed: %s", R.err);
	uint8_t *pe = slurp(path("sub.efi"), &len);
	if (pe)
		check_against_elf("x86_64 --subsystem=efi-rt-driver", pe, len, &samples[0], 0x8664, 12);
	free(pe);
}

/* A program without any relocation still gets a valid, non-empty .reloc (one block of ABSOLUTE entries). */
static void no_relocations(void)
{
	static const char src[] = "unsigned long efi_main(void *a, void *b) { (void)a; (void)b; return 42; }\n";
	struct elf *e = calloc(1, sizeof(*e));
	size_t len, plen;

	spit(path("norel.c"), src, sizeof(src) - 1);
	build(&arches[0], path("norel.c"), path("norel.elf"));
	uint8_t *buf = slurp(path("norel.elf"), &len);
	if (!e || !buf)
		die("cannot read norel.elf");
	elf_parse(e, buf, len, 8);
	CHECK(e->nrel == 0, "norel: sample has %zu relocations", e->nrel);
	CHECK(convert(path("norel.elf"), path("norel.efi"), NULL) == 0, "norel: elf2efi failed: %s", R.err);
	uint8_t *pe = slurp(path("norel.efi"), &plen);
	if (pe) {
		check_against_elf("no relocations", pe, plen, e, 0x8664, 10);
		struct pe p;
		if (pe_parse("no relocations", pe, plen, &p))
			CHECK(p.reloc_size == 12 && p.ndir64 == 0, "norel: .reloc directory is %u bytes", p.reloc_size);
	}
	free(pe);
	free(buf);
	free(e);
}

/* The same relocations expressed as DT_REL (implicit addends) and as DT_JMPREL must convert identically. */
static void rel_and_jmprel(void)
{
	struct elf *e = calloc(1, sizeof(*e)), *m = calloc(1, sizeof(*m));
	const struct elf *orig = &samples[0];
	size_t plen;

	if (!e || !m)
		die("out of memory");
	/* DT_REL: rewrite the table as 16-byte entries and move each addend into its target word. */
	uint8_t *buf = malloc(orig->len);
	memcpy(buf, orig->buf, orig->len);
	elf_parse(e, buf, orig->len, 8);
	for (size_t i = 0; i < e->rela_count; i++) {
		const uint8_t *src = orig->buf + orig->rela_off + i * 24;
		uint64_t target = g64(src), at;
		memmove(buf + e->rela_off + i * 16, src, 16);
		if (elf_v2o(e, target, &at))
			s64(buf + at, g64(src + 16));
	}
	memset(buf + e->rela_off + e->rela_count * 16, 0, e->rela_count * 8);
	s64(dyn_entry(e, 7), 17);
	s64(dyn_entry(e, 8), 18);
	s64(dyn_entry(e, 8) + 8, e->rela_count * 16);
	s64(dyn_entry(e, 9), 19);
	s64(dyn_entry(e, 9) + 8, 16);
	spit(path("rel.elf"), buf, orig->len);
	elf_parse(m, buf, orig->len, 8);
	CHECK(m->nrel == orig->nrel, "DT_REL variant has %zu relocations", m->nrel);
	CHECK(convert(path("rel.elf"), path("rel.efi"), NULL) == 0, "DT_REL: elf2efi failed: %s", R.err);
	uint8_t *pe = slurp(path("rel.efi"), &plen);
	if (pe)
		check_against_elf("DT_REL", pe, plen, m, 0x8664, 10);
	free(pe);

	/* DT_JMPREL + DT_PLTREL=DT_RELA holding the RELATIVE relocations. */
	memcpy(buf, orig->buf, orig->len);
	elf_parse(e, buf, orig->len, 8);
	s64(dyn_entry(e, 7), 23);
	s64(dyn_entry(e, 8), 2);
	s64(dyn_entry(e, 9), 20);
	s64(dyn_entry(e, 9) + 8, 7);
	spit(path("jmprel.elf"), buf, orig->len);
	elf_parse(m, buf, orig->len, 8);
	CHECK(m->nrel == orig->nrel, "DT_JMPREL variant has %zu relocations", m->nrel);
	CHECK(convert(path("jmprel.elf"), path("jmprel.efi"), NULL) == 0, "DT_JMPREL: elf2efi failed: %s", R.err);
	pe = slurp(path("jmprel.efi"), &plen);
	if (pe)
		check_against_elf("DT_JMPREL", pe, plen, m, 0x8664, 10);
	free(pe);
	free(buf);
	free(e);
	free(m);
}

/* ---- refusals ------------------------------------------------------------------------------------------- */

static int tmp_files_left(void)
{
	DIR *d = opendir(work);
	struct dirent *de;
	int n = 0;
	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += strstr(de->d_name, ".tmp") != NULL;
	closedir(d);
	return n;
}

/* Writes buf as bad.elf, expects exit 1 with "elf2efi: <input>: ...<want>..." and OUTPUT untouched. */
static void expect_refusal(const char *label, const uint8_t *buf, size_t len, const char *want)
{
	static const char old[] = "previous output";
	char prefix[4200];
	size_t olen;

	spit(path("bad.elf"), buf, len);
	spit(path("bad.efi"), old, sizeof(old));
	convert(path("bad.elf"), path("bad.efi"), NULL);
	snprintf(prefix, sizeof(prefix), "elf2efi: %s: ", path("bad.elf"));
	CHECK(R.code == 1, "%s: exit %d, want 1 (stderr: %s)", label, R.code, R.err);
	CHECK(strncmp(R.err, prefix, strlen(prefix)) == 0 && strstr(R.err, want) && strchr(R.err, '\n') ==
	      R.err + strlen(R.err) - 1, "%s: stderr \"%s\" lacks \"%s\"", label, R.err, want);
	uint8_t *o = slurp(path("bad.efi"), &olen);
	CHECK(o && olen == sizeof(old) && memcmp(o, old, olen) == 0, "%s: OUTPUT was modified", label);
	free(o);
	CHECK(tmp_files_left() == 0, "%s: temporary file left behind", label);
}

static uint8_t *mut;
static struct elf *M;

/* Fresh mutable copy of the x86_64 sample, parsed (M) for locating fields. */
static uint8_t *fresh(int ai)
{
	const struct elf *o = &samples[ai];
	memcpy(mut, o->buf, o->len);
	elf_parse(M, mut, o->len, arches[ai].relative);
	return mut;
}

static unsigned load_phdr(unsigned i) { return M->load[i].phdr; }

static void refusals(void)
{
	const struct elf *x = &samples[0];
	size_t len = x->len;
	char want[512];
	uint8_t *b;

	size_t maxlen = 0;
	for (int i = 0; i < 4; i++)
		maxlen = samples[i].len > maxlen ? samples[i].len : maxlen;
	mut = malloc(maxlen);
	M = calloc(1, sizeof(*M));
	if (!mut || !M)
		die("out of memory");

	/* Truncations at several cut points. */
	static const size_t cuts[] = {0, 1, 4, 16, 63};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		snprintf(want, sizeof(want), "truncated ELF header (file is %zu bytes, need 64)", cuts[i]);
		expect_refusal("truncated header", x->buf, cuts[i], want);
	}
	expect_refusal("truncated phdrs (mid table)", x->buf, 64 + 56 + 20, "truncated program header table");
	expect_refusal("truncated phdrs (last entry)", x->buf, x->phoff + x->phnum * 56 - 1,
		       "truncated program header table");
	{
		const struct load *l = &x->load[x->nload - 1];
		snprintf(want, sizeof(want), "PT_LOAD segment (program header %u) at file offset 0x%" PRIx64 " size 0x%" PRIx64
			 " extends beyond the end of the file (0x%" PRIx64 " bytes)", l->phdr, l->off, l->filesz,
			 l->off + l->filesz - 1);
		expect_refusal("truncated last segment", x->buf, l->off + l->filesz - 1, want);
	}

	b = fresh(0);
	memcpy(b, "\177ELG", 4);
	expect_refusal("bad magic", b, len, "not an ELF file (bad magic)");
	b = fresh(0);
	b[4] = 1;
	expect_refusal("ELFCLASS32", b, len, "ELFCLASS32 not supported (need ELFCLASS64)");
	b = fresh(0);
	b[5] = 2;
	expect_refusal("big-endian", b, len, "big-endian ELF (ELFDATA2MSB) not supported");
	b = fresh(0);
	s16(b + 16, 2);
	expect_refusal("ET_EXEC", b, len, "e_type 2 (ET_EXEC) not supported: need ET_DYN");
	b = fresh(0);
	s16(b + 16, 1);
	expect_refusal("ET_REL", b, len, "e_type 1 (ET_REL) not supported");
	b = fresh(0);
	s16(b + 18, 40);
	expect_refusal("EM_ARM", b, len, "e_machine 40 not supported");
	b = fresh(0);
	s16(b + 18, 3);
	expect_refusal("EM_386", b, len, "e_machine 3 not supported");
	b = fresh(0);
	s16(b + 54, 32);
	expect_refusal("e_phentsize", b, len, "e_phentsize 32 not supported");
	b = fresh(0);
	s16(b + 56, 0);
	expect_refusal("no phdrs", b, len, "no program headers");
	b = fresh(0);
	s64(b + 32, UINT64_MAX - 8);
	expect_refusal("e_phoff overflow", b, len, "truncated program header table");

	if (M->spare_phdr < 0)
		die("sample has no spare program header");
	b = fresh(0);
	s32(phdr(M, (unsigned)M->spare_phdr), 3);
	snprintf(want, sizeof(want), "PT_INTERP (program header %d) present", M->spare_phdr);
	expect_refusal("PT_INTERP", b, len, want);
	b = fresh(0);
	s32(phdr(M, (unsigned)M->spare_phdr), 7);
	snprintf(want, sizeof(want), "PT_TLS (program header %d) present", M->spare_phdr);
	expect_refusal("PT_TLS", b, len, want);

	/* W+X: the text segment made writable, and a data segment made executable. */
	for (unsigned i = 0; i < 2; i++) {
		b = fresh(0);
		unsigned li = i == 0 ? 1 : M->nload - 1;
		s32(phdr(M, load_phdr(li)) + 4, 7);
		snprintf(want, sizeof(want), "PT_LOAD segment (program header %u) at 0x%" PRIx64
			 " is both writable and executable", load_phdr(li), M->load[li].vaddr);
		expect_refusal("W+X", b, len, want);
	}

	b = fresh(0);
	s64(phdr(M, load_phdr(2)) + 16, M->load[1].vaddr);
	expect_refusal("overlap (same page)", b, len, "overlap");
	b = fresh(0);
	s64(phdr(M, load_phdr(1)) + 40, M->load[2].vaddr - M->load[1].vaddr + 1);
	snprintf(want, sizeof(want), "PT_LOAD segments (program headers %u and %u) overlap", load_phdr(1), load_phdr(2));
	expect_refusal("overlap (memsz into next page)", b, len, want);

	b = fresh(0);
	s64(phdr(M, load_phdr(1)) + 32, M->load[1].memsz + 1);
	snprintf(want, sizeof(want), "p_filesz 0x%" PRIx64 " > p_memsz 0x%" PRIx64, M->load[1].memsz + 1, M->load[1].memsz);
	expect_refusal("p_filesz > p_memsz", b, len, want);
	b = fresh(0);
	s64(phdr(M, load_phdr(3)) + 16, M->load[3].vaddr + 0x10);
	snprintf(want, sizeof(want), "at 0x%" PRIx64 " is not aligned to 4096", M->load[3].vaddr + 0x10);
	expect_refusal("unaligned vaddr", b, len, want);
	b = fresh(0);
	s64(phdr(M, load_phdr(2)) + 8, UINT64_MAX - 0x10);
	expect_refusal("p_offset overflow", b, len, "extends beyond the end of the file");
	b = fresh(0);
	s64(phdr(M, load_phdr(3)) + 40, UINT64_MAX - 0x1000);
	s64(phdr(M, load_phdr(3)) + 32, 0x10);
	expect_refusal("p_memsz wraps", b, len, "wraps the address space");
	b = fresh(0); /* everything moved down 0x1000 consistently: first PT_LOAD at 0 */
	for (unsigned i = 0; i < M->nload; i++)
		s64(phdr(M, load_phdr(i)) + 16, M->load[i].vaddr - 0x1000);
	s64(b + 24, M->entry - 0x1000);
	s64(dyn_entry(M, 7) + 8, g64(dyn_entry(M, 7) + 8) - 0x1000);
	for (size_t i = 0; i < M->rela_count; i++) {
		s64(b + M->rela_off + i * 24, g64(b + M->rela_off + i * 24) - 0x1000);
		s64(b + M->rela_off + i * 24 + 16, g64(b + M->rela_off + i * 24 + 16) - 0x1000);
	}
	expect_refusal("no room for headers", b, len, "leaves no room below it for the PE headers");
	b = fresh(0);
	s64(b + 24, M->load[0].vaddr + 0x10);
	snprintf(want, sizeof(want), "entry point 0x%" PRIx64 " is not inside an executable PT_LOAD segment",
		 M->load[0].vaddr + 0x10);
	expect_refusal("entry outside text", b, len, want);

	/* PT_DYNAMIC */
	b = fresh(0);
	s32(phdr(M, (unsigned)M->dyn_phdr), 0);
	expect_refusal("no PT_DYNAMIC", b, len, "no PT_DYNAMIC: not a static PIE");
	b = fresh(0);
	s64(phdr(M, (unsigned)M->dyn_phdr) + 32, len);
	snprintf(want, sizeof(want), "truncated PT_DYNAMIC (program header %d)", M->dyn_phdr);
	expect_refusal("PT_DYNAMIC beyond file", b, len, want);
	b = fresh(0);
	for (uint64_t i = 0; i < M->dyn_size / 16; i++)
		if (g64(b + M->dyn_off + i * 16) == 0)
			s64(b + M->dyn_off + i * 16, 21); /* DT_NULL -> DT_DEBUG */
	snprintf(want, sizeof(want), "truncated PT_DYNAMIC (program header %d): no DT_NULL", M->dyn_phdr);
	expect_refusal("PT_DYNAMIC without DT_NULL", b, len, want);
	b = fresh(0);
	s64(phdr(M, (unsigned)M->dyn_phdr) + 32, 16 * (uint64_t)M->dt_index[7]);
	expect_refusal("PT_DYNAMIC cut before its end", b, len, "no DT_NULL");

	static const struct {
		const char *label;
		uint64_t tag, val;
		const char *want;
	} tags[] = {
		{"DT_RELR", 36, 0x1000, "DT_RELR present: packed relative relocations are not supported"},
		{"DT_RELRSZ", 35, 8, "DT_RELR present"},
		{"DT_TEXTREL", 22, 0, "DT_TEXTREL present"},
		{"DF_TEXTREL", 30, 4, "DT_FLAGS has DF_TEXTREL"},
		{"DT_NEEDED", 1, 1, "DT_NEEDED present"},
		{"DT_ANDROID_RELA", 0x60000011, 0x1000, "Android packed relocations"},
		{"duplicate DT_RELA", 7, 0x1000, "duplicate DT_RELA"},
		{"DT_JMPREL without DT_PLTREL", 23, 0x1000, "DT_JMPREL without DT_PLTREL"},
	};
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		b = fresh(0);
		uint8_t *d = dyn_entry(M, 21); /* DT_DEBUG: a tag elf2efi ignores */
		s64(d, tags[i].tag);
		s64(d + 8, tags[i].val);
		expect_refusal(tags[i].label, b, len, tags[i].want);
	}
	b = fresh(0);
	s64(dyn_entry(M, 8) + 8, len * 24);
	expect_refusal("DT_RELASZ too big", b, len, "DT_RELA table");
	b = fresh(0);
	s64(dyn_entry(M, 8) + 8, 25);
	expect_refusal("DT_RELASZ not a multiple", b, len, "DT_RELASZ 0x19 is not a multiple of the entry size 24");
	b = fresh(0);
	s64(dyn_entry(M, 9) + 8, 16);
	expect_refusal("DT_RELAENT", b, len, "DT_RELAENT is 16, need 24");
	b = fresh(0);
	s64(dyn_entry(M, 7) + 8, 0x7fff0000);
	expect_refusal("DT_RELA outside", b, len, "DT_RELA table 0x7fff0000");
	b = fresh(0);
	s64(dyn_entry(M, 8), 21);
	expect_refusal("DT_RELA without DT_RELASZ", b, len, "DT_RELA without DT_RELASZ");

	/* Relocations, on every CPU: an unsupported type is named. */
	for (int ai = 0; ai < 4; ai++) {
		b = fresh(ai);
		uint8_t *r = b + M->rela_off + 2 * 24;
		s64(r + 8, arches[ai].jump_slot);
		snprintf(want, sizeof(want), "relocation 2 at 0x%" PRIx64 ": type %u (%s) not supported", g64(r),
			 arches[ai].jump_slot, arches[ai].jump_name);
		expect_refusal(arches[ai].name, b, samples[ai].len, want);
	}
	b = fresh(0);
	s64(b + M->rela_off + 8, 1);
	snprintf(want, sizeof(want), "relocation 0 at 0x%" PRIx64 ": type 1 (R_X86_64_64) not supported", g64(b + M->rela_off));
	expect_refusal("R_X86_64_64", b, len, want);
	b = fresh(0);
	s64(b + M->rela_off + 8, 37);
	expect_refusal("R_X86_64_IRELATIVE", b, len, "type 37 (R_X86_64_IRELATIVE) not supported");
	b = fresh(0);
	s64(b + M->rela_off + 8, 8 | (uint64_t)5 << 32);
	expect_refusal("RELATIVE with symbol", b, len, "R_X86_64_RELATIVE with symbol index 5 not supported");
	b = fresh(0);
	s64(b + M->rela_off + 24, 0x100000);
	expect_refusal("target outside", b, len, "relocation 1 at 0x100000: target is outside every PT_LOAD segment");
	b = fresh(0);
	s64(b + M->rela_off, UINT64_MAX - 3);
	expect_refusal("target wraps", b, len, "relocation 0 at 0xfffffffffffffffc: target is outside every PT_LOAD");
	{
		const struct load *d = &M->load[M->nload - 1];
		uint64_t bss = (d->vaddr + d->filesz + 16) & ~7ull;
		b = fresh(0);
		s64(b + M->rela_off, bss);
		snprintf(want, sizeof(want), "relocation 0 at 0x%" PRIx64 ": target is not inside the file-backed bytes", bss);
		expect_refusal("target in .bss", b, len, want);
		b = fresh(0);
		s64(b + M->rela_off, d->vaddr + d->filesz - 4);
		expect_refusal("target straddles p_filesz", b, len, "target is not inside the file-backed bytes");
	}
	b = fresh(0);
	s64(b + M->rela_off + 24, g64(b + M->rela_off));
	snprintf(want, sizeof(want), "relocation 0 at 0x%" PRIx64 " and relocation 1 at 0x%" PRIx64 " overlap",
		 g64(b + M->rela_off), g64(b + M->rela_off));
	expect_refusal("duplicate target", b, len, want);
	b = fresh(0);
	s64(b + M->rela_off + 24, g64(b + M->rela_off) + 4);
	expect_refusal("overlapping targets", b, len, "overlap (each patches 8 bytes)");

	/* A relocation of type NONE is a no-op and accepted. */
	b = fresh(0);
	s64(b + M->rela_off + 8, 0);
	spit(path("none.elf"), b, len);
	CHECK(convert(path("none.elf"), path("none.efi"), NULL) == 0, "R_X86_64_NONE refused: %s", R.err);
	{
		size_t plen;
		uint8_t *pe = slurp(path("none.efi"), &plen);
		struct elf *n = calloc(1, sizeof(*n));
		if (pe && n) {
			elf_parse(n, b, len, 8); /* skips the NONE entry: its target keeps its file bytes */
			CHECK(n->nrel == x->nrel - 1, "R_X86_64_NONE: %zu relocations", n->nrel);
			check_against_elf("R_X86_64_NONE", pe, plen, n, 0x8664, 10);
		}
		free(n);
		free(pe);
	}

	/* Input problems that are not ELF content. */
	CHECK(convert(path("does-not-exist.elf"), path("x.efi"), NULL) == 1 && strstr(R.err, "cannot open"),
	      "missing input: exit %d: %s", R.code, R.err);
	CHECK(convert(work, path("x.efi"), NULL) == 1 && strstr(R.err, "not a regular file"),
	      "directory input: exit %d: %s", R.code, R.err);
	CHECK(convert(path("sample-x86_64.elf"), path("no-such-dir/x.efi"), NULL) == 1 &&
	      strstr(R.err, "cannot create temporary file"), "unwritable output: exit %d: %s", R.code, R.err);
}

/* ---- usage ----------------------------------------------------------------------------------------------- */

static void usage(void)
{
	char *in = path("sample-x86_64.elf"), *out = path("usage.efi");
	struct {
		char *argv[6];
		int code;
		const char *want;
	} cases[] = {
		{{(char *)tool, NULL}, 2, "need INPUT and OUTPUT"},
		{{(char *)tool, in, NULL}, 2, "need INPUT and OUTPUT"},
		{{(char *)tool, in, out, out, NULL}, 2, "unexpected argument"},
		{{(char *)tool, "--bogus", in, out, NULL}, 2, "unknown option '--bogus'"},
		{{(char *)tool, "-x", in, out, NULL}, 2, "unknown option '-x'"},
		{{(char *)tool, in, out, "--subsystem", NULL}, 2, "--subsystem needs a value"},
		{{(char *)tool, "--subsystem", "efi-thing", in, out}, 2, "unknown subsystem 'efi-thing'"},
		{{(char *)tool, "--subsystem=", in, out, NULL}, 2, "unknown subsystem ''"},
		{{(char *)tool, "--help", NULL}, 0, NULL},
		{{(char *)tool, "-h", in, NULL}, 0, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unlink(out);
		run(cases[i].argv, &R);
		CHECK(R.code == cases[i].code, "usage case %zu: exit %d, want %d", i, R.code, cases[i].code);
		if (cases[i].want) {
			CHECK(strstr(R.err, cases[i].want) && strstr(R.err, "usage: elf2efi"), "usage case %zu: stderr \"%s\"",
			      i, R.err);
			CHECK(!exists(out), "usage case %zu wrote OUTPUT", i);
		} else {
			CHECK(strstr(R.out, "usage: elf2efi [--subsystem efi-app|efi-boot-driver|efi-rt-driver]"),
			      "--help output: %s", R.out);
		}
	}
	/* "--" ends options: a file named like an option. */
	spit(path("-dash.elf"), samples[0].buf, samples[0].len);
	char *argv[] = {(char *)tool, "--", path("-dash.elf"), out, NULL};
	run(argv, &R);
	CHECK(R.code == 0, "-- handling: exit %d: %s", R.code, R.err);
}

/* ---- mutation robustness --------------------------------------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Random corruption of headers, dynamic section and relocations: elf2efi must exit 0 with a sound PE or 1
 * with a message, never crash or write a partial file. */
static void mutations(int rounds)
{
	static const uint64_t interesting[] = {0, 1, 7, 8, 0xfff, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff,
					       0x100000000ull, UINT64_MAX, UINT64_MAX - 7, 0x8000000000000000ull};
	int ok = 0, refused = 0;

	for (int round = 0; round < rounds; round++) {
		int ai = round % 4;
		uint8_t *b = fresh(ai);
		size_t len = samples[ai].len;
		int n = 1 + (int)(rnd() % 4);
		for (int k = 0; k < n; k++) {
			uint64_t where, kind = rnd() % 8;
			if (kind < 3)
				where = rnd() % (M->phoff + M->phnum * 56);
			else if (kind < 5)
				where = M->dyn_off + rnd() % M->dyn_size;
			else if (kind < 7)
				where = M->rela_off + rnd() % (M->rela_count * 24);
			else
				where = rnd() % len;
			if (rnd() % 2) {
				b[where] = (uint8_t)rnd();
			} else {
				where &= ~7ull;
				if (where + 8 <= len)
					s64(b + where, interesting[rnd() % (sizeof(interesting) / sizeof(interesting[0]))]);
			}
		}
		if (rnd() % 10 == 0)
			len = rnd() % len;
		spit(path("fuzz.elf"), b, len);
		unlink(path("fuzz.efi"));
		convert(path("fuzz.elf"), path("fuzz.efi"), NULL);
		if (R.code == 0) {
			size_t plen;
			uint8_t *pe = slurp(path("fuzz.efi"), &plen);
			struct pe *p = calloc(1, sizeof(*p));
			char what[64];
			snprintf(what, sizeof(what), "mutation round %d", round);
			CHECK(pe && p && pe_parse(what, pe, plen, p), "%s: accepted input gave a broken PE", what);
			free(p);
			free(pe);
			ok++;
		} else {
			CHECK(R.code == 1 && strncmp(R.err, "elf2efi: ", 9) == 0, "mutation round %d: exit %d: %s", round, R.code,
			      R.err);
			CHECK(!exists(path("fuzz.efi")), "mutation round %d: refused but wrote OUTPUT", round);
			refused++;
		}
	}
	CHECK(tmp_files_left() == 0, "mutations: temporary files left behind");
	CHECK(ok > 0 && refused > 0, "mutations: %d accepted, %d refused (expected some of each)", ok, refused);
	printf("mutations: %d rounds, %d accepted, %d refused\n", rounds, ok, refused);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: elf2efi_test ELF2EFI CLANG LD.LLD SAMPLE.c WORKDIR\n");
		return 2;
	}
	tool = argv[1];
	clang = argv[2];
	lld = argv[3];
	sample_src = argv[4];
	work = argv[5];
	snprintf(run_out, sizeof(run_out), "%s/run.stdout", work);
	snprintf(run_err, sizeof(run_err), "%s/run.stderr", work);
	if (mkdir(work, 0755) < 0 && errno != EEXIST)
		die("mkdir %s: %s", work, strerror(errno));
	if (access(clang, X_OK) != 0 || access(lld, X_OK) != 0)
		die("clang-19 and ld.lld-19 are required (%s, %s)", clang, lld);

	for (int ai = 0; ai < 4; ai++)
		round_trip(ai);
	subsystems();
	no_relocations();
	rel_and_jmprel();
	refusals();
	usage();
	mutations(800);

	return check_summary("elf2efi_test");
}
