/* fat_test.c: FAT driver tests, one subcommand per meson test: `unit` (table-driven names, times, BPB
 * validation, in-memory round trips) here; interop with dosfstools/mtools and corruption in sibling files. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "blockdev_mem.h"
#include "fat.h"
#include "fat_internal.h"
#include "fat_test_util.h"

int fat_test_mtools_read(void);
int fat_test_random_ops(void);
int fat_test_format(void);
int fat_test_readonly(void);
int fat_test_corrupt(void);

/* ---- names ---- */

struct sfn_case {
	const char *name;
	const char *taken[10];
	const char *want; /* 11 bytes */
	bool lfn;
};

static const struct sfn_case sfn_cases[] = {
	{"README.TXT", {0}, "README  TXT", false},
	{"readme.txt", {0}, "README  TXT", true},
	{"ReadMe.Md", {0}, "README  MD ", true},
	{"foo", {0}, "FOO        ", true},
	{"FOO", {0}, "FOO        ", false},
	{"Makefile", {0}, "MAKEFILE   ", true},
	{"a.b", {0}, "A       B  ", true},
	{"A long name.tar.gz", {0}, "ALONGN~1GZ ", true}, /* what mtools makes too */
	{".hidden", {0}, "HIDDEN~1   ", true},
	{"a+b,c;d=e[f].txt", {0}, "A_B_C_~1TXT", true},
	{"FOO.TXT.GZ", {0}, "FOOTXT~1GZ ", true},
	{"ABCDEFGHI", {0}, "ABCDEF~1   ", true},
	{"x\xf0\x9f\x98\x80y.txt", {0}, "X_Y~1   TXT", true},
	{"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt", {0}, "___~1   TXT", true},
	{"caf\xc3\xa9.html", {0}, "CAF_~1  HTM", true},
	{"longfilename.txt", {"LONGFI~1TXT"}, "LONGFI~2TXT", true},
	{"readme.txt", {"README  TXT"}, "README~1TXT", true},
	{"x.tar", {"X       TAR"}, "X~1     TAR", true},
	{"ABCDEFGHI",
	 {"ABCDEF~1   ", "ABCDEF~2   ", "ABCDEF~3   ", "ABCDEF~4   ", "ABCDEF~5   ", "ABCDEF~6   ", "ABCDEF~7   ",
	  "ABCDEF~8   ", "ABCDEF~9   "},
	 "ABCDE~10   ", true},
};

static bool taken_fn(void *ctx, const uint8_t name[11])
{
	const char *const *t = ctx;
	for (int i = 0; i < 10 && t[i]; i++)
		if (memcmp(t[i], name, 11) == 0)
			return true;
	return false;
}

static void test_names(void)
{
	struct cb_err e;
	for (size_t i = 0; i < sizeof(sfn_cases) / sizeof(sfn_cases[0]); i++) {
		const struct sfn_case *c = &sfn_cases[i];
		uint16_t u[FAT_LFN_MAX];
		size_t n;
		int rc = fat_utf8_to_utf16(c->name, strlen(c->name), u, FAT_LFN_MAX, &n, &e);
		CHECK_OK(rc, &e, c->name);
		uint8_t out[11];
		bool lfn = false;
		rc = fat_make_short_name(u, n, taken_fn, (void *)c->taken, out, &lfn, &e);
		CHECK_OK(rc, &e, c->name);
		CHECK(memcmp(out, c->want, 11) == 0 && lfn == c->lfn, "%s: got \"%.11s\" lfn=%d, want \"%s\" lfn=%d",
		      c->name, (const char *)out, lfn, c->want, c->lfn);
	}

	static const struct {
		const char *n;
		uint8_t sum;
	} sums[] = {{"README  TXT", 0x73}, {"ALONGN~1GZ ", 0x0c}, {"HIDDEN~1   ", 0x4d}};
	for (size_t i = 0; i < 3; i++)
		CHECK(fat_lfn_checksum((const uint8_t *)sums[i].n) == sums[i].sum, "checksum of %s", sums[i].n);

	static const struct {
		const char *s;
		int rc;
		const char *msg;
	} bad8[] = {
		{"\xc0\x80", CB_EINVAL, "invalid UTF-8 code point in name"},
		{"\xed\xa0\x80", CB_EINVAL, "invalid UTF-8 code point in name"},
		{"\xf4\x90\x80\x80", CB_EINVAL, "invalid UTF-8 code point in name"},
		{"a\xe2\x82", CB_EINVAL, "truncated UTF-8 sequence in name"},
		{"\xff", CB_EINVAL, "invalid UTF-8 byte 0xff in name"},
		{"\xe2\x28\xa1", CB_EINVAL, "invalid UTF-8 sequence in name"},
	};
	for (size_t i = 0; i < sizeof(bad8) / sizeof(bad8[0]); i++) {
		uint16_t u[8];
		size_t n;
		memset(&e, 0, sizeof(e));
		int rc = fat_utf8_to_utf16(bad8[i].s, strlen(bad8[i].s), u, 8, &n, &e);
		CHECK(rc == bad8[i].rc && strcmp(e.msg, bad8[i].msg) == 0, "utf8 case %zu: rc=%d msg=%s", i, rc, e.msg);
	}
	const char *good = "h\xc3\xa9llo \xf0\x9f\x98\x80 \xe6\x97\xa5";
	uint16_t u[32];
	size_t n;
	char back[64];
	CHECK(fat_utf8_to_utf16(good, strlen(good), u, 32, &n, &e) == 0 && n == 10, "utf16 length %zu", n);
	CHECK(fat_utf16_to_utf8(u, n, back, sizeof(back)) && strcmp(back, good) == 0, "round trip: %s", back);
	uint16_t lone[2] = {'a', 0xD800};
	CHECK(!fat_utf16_to_utf8(lone, 2, back, sizeof(back)), "unpaired surrogate accepted");

	static const struct {
		const char *s;
		int rc;
		const char *msg;
	} bad_new[] = {
		{"a:b", CB_EINVAL, "x: character U+003A is not allowed in FAT names"},
		{"a*", CB_EINVAL, "x: character U+002A is not allowed in FAT names"},
		{"tab\there", CB_EINVAL, "x: character U+0009 is not allowed in FAT names"},
		{"abc.", CB_EINVAL, "x: FAT names cannot end with a dot or a space"},
		{"abc ", CB_EINVAL, "x: FAT names cannot end with a dot or a space"},
		{"..", CB_EINVAL, "x: \".\" and \"..\" cannot be created"},
		{"ok name+;,=[]", 0, ""},
	};
	for (size_t i = 0; i < sizeof(bad_new) / sizeof(bad_new[0]); i++) {
		uint16_t w[32];
		size_t wn;
		fat_utf8_to_utf16(bad_new[i].s, strlen(bad_new[i].s), w, 32, &wn, &e);
		memset(&e, 0, sizeof(e));
		int rc = fat_name_check_new(w, wn, "x", &e);
		CHECK(rc == bad_new[i].rc && strcmp(e.msg, bad_new[i].msg) == 0, "new name \"%s\": rc=%d msg=%s",
		      bad_new[i].s, rc, e.msg);
	}

	char disp[64];
	fat_short_to_utf8((const uint8_t *)"README  TXT", FAT_NT_LOWER_BASE, disp, sizeof(disp));
	CHECK(strcmp(disp, "readme.TXT") == 0, "%s", disp);
	fat_short_to_utf8((const uint8_t *)"\x05" "BC     \x82  ", 0, disp, sizeof(disp));
	CHECK(strcmp(disp, "\xcf\x83" "BC.\xc3\xa9") == 0, "CP437 display: %s", disp); /* 0xE5 -> sigma, 0x82 -> e-acute */
}

static void test_time(void)
{
	static const struct {
		int64_t t;
		uint16_t date, time;
		int64_t back;
	} cases[] = {
		{0, 0x0021, 0x0000, 315532800},
		{315532800, 0x0021, 0x0000, 315532800},
		{1700000000, (43 << 9) | (11 << 5) | 14, (22 << 11) | (13 << 5) | 10, 1700000000},
		{951782400, (20 << 9) | (2 << 5) | 29, 0, 951782400}, /* 2000-02-29 */
		{4354819199LL, (127 << 9) | (12 << 5) | 31, (23 << 11) | (59 << 5) | 29, 4354819198LL},
		{99999999999LL, (127 << 9) | (12 << 5) | 31, (23 << 11) | (59 << 5) | 29, 4354819198LL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint16_t d, t;
		fat_time_from_unix(cases[i].t, &d, &t);
		CHECK(d == cases[i].date && t == cases[i].time, "time %lld -> %04x %04x", (long long)cases[i].t, d, t);
		CHECK(fat_time_to_unix(d, t) == cases[i].back, "time back %lld", (long long)fat_time_to_unix(d, t));
	}
}

/* ---- BPB validation: one valid FAT16 boot sector, one field broken at a time ---- */

static void put16(uint8_t *p, uint16_t x) { p[0] = (uint8_t)x, p[1] = (uint8_t)(x >> 8); }

static void test_bpb(void)
{
	size_t size = 16u << 20;
	uint8_t *img = calloc(1, size);
	struct blockdev_mem m;
	blockdev_mem_init(&m, img, size, 512, true, "mem");
	struct cb_err e;
	struct fat_format_opts o = {.fat_bits = 16, .volume_id = 0x1234abcd, .label = "UNIT"};
	int rc = fat_format(&m.dev, &o, &e);
	CHECK_OK(rc, &e, "format 16 MiB FAT16");
	struct fat_geom g;
	rc = fat_bpb_parse(img, size, &g, &e);
	CHECK_OK(rc, &e, "parse");
	CHECK(g.type == 16 && g.bytes_per_sector == 512 && g.num_fats == 2 && g.root_entries == 512, "geometry");

	static const struct {
		int off, width;
		uint32_t val;
		int rc;
		const char *msg;
	} cases[] = {
		{0, 1, 0x00, CB_EINVAL, "not a FAT boot sector (jump byte 0x00)"},
		{510, 1, 0x00, CB_EINVAL, "not a FAT boot sector (signature 0xaa00)"},
		{11, 2, 1000, CB_EINVAL, "bytes per sector 1000 is not 512, 1024, 2048 or 4096"},
		{11, 2, 8192, CB_EINVAL, "bytes per sector 8192 is not 512, 1024, 2048 or 4096"},
		{13, 1, 3, CB_EINVAL, "sectors per cluster 3 is not a power of two"},
		{13, 1, 0, CB_EINVAL, "sectors per cluster 0 is not a power of two"},
		{14, 2, 0, CB_EINVAL, "reserved sector count is 0"},
		{16, 1, 0, CB_EINVAL, "number of FATs 0 is not 1..4"},
		{16, 1, 5, CB_EINVAL, "number of FATs 5 is not 1..4"},
		{17, 2, 0, CB_EINVAL, "FAT12/16 boot sector with 0 root directory entries"},
		{17, 2, 17, CB_EINVAL, "root directory entries 17 do not fill whole 512-byte sectors"},
		{21, 1, 0x12, CB_EINVAL, "invalid media byte 0x12"},
		{22, 2, 1, CB_EINVAL, "FAT of 512 bytes is too small for 8182 clusters (needs 16368)"},
		{19, 2, 0xffff, CB_EINVAL, "file system has 65535 sectors of 512 bytes but the device only 32768"},
		{19, 2, 0, CB_EINVAL, "total sector count is 0"},
		{14, 2, 40000, CB_EINVAL, "reserved, FAT and root sectors (40096) leave no data area in 32768 sectors"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t bs[512];
		memcpy(bs, img, 512);
		if (cases[i].width == 1)
			bs[cases[i].off] = (uint8_t)cases[i].val;
		else if (cases[i].width == 2)
			put16(bs + cases[i].off, (uint16_t)cases[i].val);
		else
			for (int k = 0; k < 4; k++)
				bs[cases[i].off + k] = (uint8_t)(cases[i].val >> (8 * k));
		memset(&e, 0, sizeof(e));
		rc = fat_bpb_parse(bs, size, &g, &e);
		CHECK(rc == cases[i].rc && strcmp(e.msg, cases[i].msg) == 0, "BPB case %zu: rc=%d msg=\"%s\" want \"%s\"", i,
		      rc, e.msg, cases[i].msg);
	}
	/* Through fat_mount: the device name and "fat: " in front. */
	img[16] = 9;
	struct cb_fs *fs;
	rc = fat_mount(&m.dev, false, &fs, &e);
	CHECK(rc == CB_EINVAL && strcmp(e.msg, "fat: mem: number of FATs 9 is not 1..4") == 0, "mount: %s", e.msg);
	free(img);
}

/* ---- in-memory round trips through the public API ---- */

struct listing {
	char names[64][1024];
	int n;
};

static int collect(void *ctx, const char *name, const struct cb_fs_stat *st)
{
	(void)st;
	struct listing *l = ctx;
	if (l->n < 64)
		snprintf(l->names[l->n++], sizeof(l->names[0]), "%s", name);
	return 0;
}

static bool read_back(struct cb_fs *fs, const char *path, const void *want, size_t len)
{
	struct cb_err e;
	struct cb_file *f;
	if (fs->ops->open(fs, path, &f, &e) < 0) {
		fprintf(stderr, "open %s: %s\n", path, e.msg);
		return false;
	}
	uint8_t *buf = malloc(len + 1);
	size_t got = 0;
	long r;
	while ((r = fs->ops->pread(f, got, buf + got, len + 1 - got, &e)) > 0)
		got += (size_t)r;
	bool ok = r == 0 && got == len && f->st.size == len && memcmp(buf, want, len) == 0;
	if (!ok)
		fprintf(stderr, "read back %s: r=%ld got=%zu want=%zu %s\n", path, r, got, len, r < 0 ? e.msg : "");
	fs->ops->file_close(f);
	free(buf);
	return ok;
}

static void test_roundtrip(int bits, size_t size)
{
	uint8_t *img = calloc(1, size);
	struct blockdev_mem m;
	blockdev_mem_init(&m, img, size, 512, true, "mem");
	struct cb_err e;
	struct fat_format_opts o = {.fat_bits = bits, .volume_id = 7, .label = "RT"};
	int rc = fat_format(&m.dev, &o, &e);
	CHECK_OK(rc, &e, "format");
	struct cb_fs *fs;
	rc = fat_mount(&m.dev, true, &fs, &e);
	CHECK_OK(rc, &e, "mount");
	if (rc)
		goto out;
	CHECK(fat_type(fs) == bits, "type %d", fat_type(fs));
	char label[16];
	CHECK(fat_label(fs, label, sizeof(label)) == 2 && strcmp(label, "RT") == 0, "label %s", label);
	fat_set_time(fs, 1700000000);

	char long255[256];
	memset(long255, 'x', 255);
	long255[255] = 0;
	memcpy(long255, "L255", 4);
	const char *names[] = {"x\xf0\x9f\x98\x80y.txt", long255, "README.TXT", "readme2.txt", "A long name.tar.gz",
	                       ".hidden", "a+b,c;d=e[f].txt", "caf\xc3\xa9.html"};
	uint8_t data[5000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	CHECK_OK(fat_mkdir(fs, "/dir", &e), &e, "mkdir");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char p[600];
		snprintf(p, sizeof(p), "/dir/%s", names[i]);
		rc = fat_write_file(fs, p, data, 100 * i, &e);
		CHECK_OK(rc, &e, p);
	}
	struct listing l = {.n = 0};
	rc = fs->ops->readdir(fs, "dir", collect, &l, &e);
	CHECK_OK(rc, &e, "readdir");
	CHECK(l.n == (int)(sizeof(names) / sizeof(names[0])), "%d entries", l.n);
	for (int i = 0; i < l.n && i < (int)(sizeof(names) / sizeof(names[0])); i++)
		CHECK(strcmp(l.names[i], names[i]) == 0, "entry %d: %s", i, l.names[i]);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char p[600];
		snprintf(p, sizeof(p), "dir/%s", names[i]);
		CHECK(read_back(fs, p, data, 100 * i), "%s", names[i]);
	}
	/* Case-insensitive, by 8.3 name, with "." ".." and backslashes. */
	CHECK(read_back(fs, "\\DIR\\.\\readme.TXT", data, 200), "case");
	CHECK(read_back(fs, "/dir/../dir/ALONGN~1.GZ", data, 400), "short name lookup");
	struct cb_fs_stat st;
	CHECK(fs->ops->lstat(fs, "/dir/README.TXT", &st, &e) == 0 && st.mtime == 1700000000 &&
	          (st.mode & CB_S_IFMT) == CB_S_IFREG,
	      "mtime %lld", (long long)st.mtime);
	CHECK(fs->ops->lstat(fs, "/", &st, &e) == 0 && (st.mode & CB_S_IFMT) == CB_S_IFDIR, "root stat");

	/* Replace keeps the existing name; streaming abort keeps the old content. */
	CHECK_OK(fat_write_file(fs, "/DIR/readme.txt", data + 1, 3000, &e), &e, "replace");
	CHECK(read_back(fs, "/dir/README.TXT", data + 1, 3000), "replaced");
	struct fat_wfile *h;
	CHECK_OK(fat_file_create(fs, "/dir/README.TXT", &h, &e), &e, "create");
	CHECK_OK(fat_file_write(h, data, 4000, &e), &e, "write");
	fat_file_abort(h);
	CHECK(read_back(fs, "/dir/README.TXT", data + 1, 3000), "after abort");
	l.n = 0;
	fs->ops->readdir(fs, "/dir", collect, &l, &e);
	CHECK(l.n == 8 && strcmp(l.names[2], "README.TXT") == 0, "name kept: %s", l.names[2]);

	/* Errors with exact messages. */
	static const struct {
		int op; /* 0 mkdir, 1 write, 2 unlink, 3 open */
		const char *path;
		int rc;
		const char *msg;
	} errs[] = {
		{0, "/dir/README.TXT", CB_EINVAL, "fat: /dir/README.TXT: exists and is not a directory"},
		{1, "/nodir/x", CB_ENOENT, "fat: /nodir/x: no such file or directory"},
		{1, "/dir", CB_EINVAL, "fat: /dir: is a directory"},
		{1, "/", CB_EINVAL, "fat: /: path names the root directory"},
		{1, "/dir/a<b", CB_EINVAL, "fat: /dir/a<b: character U+003C is not allowed in FAT names"},
		{1, "/dir/README.TXT/x", CB_EINVAL, "fat: /dir/README.TXT/x: README.TXT is not a directory"},
		{2, "/dir", CB_EINVAL, "fat: /dir: directory not empty"},
		{2, "/", CB_EINVAL, "fat: /: cannot remove the root directory"},
		{2, "/dir/nope", CB_ENOENT, "fat: /dir/nope: no such file or directory"},
		{3, "/dir", CB_EINVAL, "fat: /dir: is a directory"},
	};
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		memset(&e, 0, sizeof(e));
		struct cb_file *f = NULL;
		switch (errs[i].op) {
		case 0: rc = fat_mkdir(fs, errs[i].path, &e); break;
		case 1: rc = fat_write_file(fs, errs[i].path, "x", 1, &e); break;
		case 2: rc = fat_unlink(fs, errs[i].path, &e); break;
		default: rc = fs->ops->open(fs, errs[i].path, &f, &e); break;
		}
		CHECK(rc == errs[i].rc && strcmp(e.msg, errs[i].msg) == 0, "error case %zu: rc=%d \"%s\"", i, rc, e.msg);
	}
	CHECK(fat_write_file(fs, "/big", data, 0x100000000ull, &e) == CB_ELIMIT, "4 GiB limit");
	CHECK_OK(fat_mkdir(fs, "/dir", &e), &e, "mkdir existing dir is ok");
	CHECK_OK(fat_mkdir_p(fs, "/p/q/../r/s", &e), &e, "mkdir -p");
	CHECK(fs->ops->lstat(fs, "/p/r/s", &st, &e) == 0 && (st.mode & CB_S_IFMT) == CB_S_IFDIR, "mkdir -p made");
	CHECK(fs->ops->lstat(fs, "/p/q", &st, &e) == 0, "mkdir -p made q");

	/* Fill the volume: ELIMIT, nothing half-made, and the space comes back. */
	uint64_t total, free0, free1, free2;
	CHECK_OK(fat_statfs(fs, &total, &free0, &e), &e, "statfs");
	size_t big = (size_t)free0 + 4096;
	uint8_t *blob = calloc(1, big);
	rc = fat_write_file(fs, "/toobig", blob, big, &e);
	CHECK(rc == CB_ELIMIT, "volume full: rc=%d %s", rc, e.msg);
	CHECK_OK(fat_statfs(fs, &total, &free1, &e), &e, "statfs");
	CHECK(free1 == free0, "space lost: %llu -> %llu", (unsigned long long)free0, (unsigned long long)free1);
	CHECK(fs->ops->lstat(fs, "/toobig", &st, &e) == CB_ENOENT, "half-made file");
	rc = fat_write_file(fs, "/fits", blob, (size_t)free0 - 2 * 4096 - 8192, &e);
	CHECK_OK(rc, &e, "nearly full");
	CHECK_OK(fat_unlink(fs, "/fits", &e), &e, "unlink");
	CHECK_OK(fat_statfs(fs, &total, &free2, &e), &e, "statfs");
	CHECK(free2 == free0, "space back: %llu -> %llu", (unsigned long long)free0, (unsigned long long)free2);
	free(blob);

	/* Fill a FAT12/16 fixed root. */
	if (bits != 32) {
		int made = 0;
		for (int i = 0; i < 600; i++) {
			char p[64];
			snprintf(p, sizeof(p), "/F%d", i);
			rc = fat_write_file(fs, p, "", 0, &e);
			if (rc < 0)
				break;
			made++;
		}
		CHECK(rc == CB_ELIMIT && strstr(e.msg, "root directory full (512 entries)"), "root full: rc=%d %s", rc,
		      e.msg);
		CHECK(made > 400, "made %d", made);
	}
	fs->ops->unmount(fs);
	/* Check it with the real tools too. */
	const char *p = tmp_path(bits == 12 ? "rt12.img" : bits == 16 ? "rt16.img" : "rt32.img");
	CHECK(file_write_all(p, img, size), "write %s", p);
	CHECK(fsck_clean(p), "fsck %s", p);
	CHECK(fat_copies_equal(img, size), "FAT copies");
out:
	free(img);
}

/* FAT12/16/32 entry encoding against an independent decoder of the raw bytes, every entry, every copy
 * (FAT12 entries straddle the cache's 4 KiB pieces). */
static void test_table(int bits, size_t size, uint32_t spc)
{
	uint8_t *img = calloc(1, size);
	struct blockdev_mem m;
	blockdev_mem_init(&m, img, size, 512, true, "mem");
	struct cb_err e;
	struct fat_format_opts o = {.fat_bits = bits, .sectors_per_cluster = spc};
	CHECK_OK(fat_format(&m.dev, &o, &e), &e, "format");
	struct cb_fs *fs;
	if (fat_mount(&m.dev, true, &fs, &e) < 0) {
		CHECK(0, "mount: %s", e.msg);
		free(img);
		return;
	}
	struct fat_vol *v = fat_vol_get(fs);
	uint32_t mask = bits == 12 ? 0xFFF : bits == 16 ? 0xFFFF : 0x0FFFFFFF;
	uint32_t n = v->g.cluster_count + 2;
	for (uint32_t c = 2; c < n; c++)
		CHECK(fat_set(v, c, (c * 2654435761u) & mask, &e) == 0, "set %u: %s", c, e.msg);
	CHECK_OK(fat_flush(v, &e), &e, "flush");
	int bad = 0;
	for (uint32_t k = 0; k < v->g.num_fats; k++) {
		const uint8_t *f = img + v->g.fat_offset + k * v->g.fat_bytes;
		for (uint32_t c = 2; c < n && bad < 5; c++) {
			uint32_t raw;
			if (bits == 12) {
				uint32_t w = f[c + c / 2] | (uint32_t)f[c + c / 2 + 1] << 8;
				raw = (c & 1) ? w >> 4 : w & 0xFFF;
			} else if (bits == 16) {
				raw = cb_le16(f + 2 * c);
			} else {
				raw = cb_le32(f + 4 * c) & 0x0FFFFFFF;
			}
			uint32_t via;
			fat_get(v, c, &via, &e);
			if (raw != ((c * 2654435761u) & mask) || via != raw) {
				bad++;
				CHECK(0, "FAT%d copy %u entry %u: raw %x, get %x", bits, k, c, raw, via);
			}
		}
	}
	CHECK(cb_le16(img + v->g.fat_offset) == 0xFFF8, "media entry changed"); /* F8 FF (FF 0F) */
	fs->ops->unmount(fs);
	free(img);
}

/* A device whose writes start failing after a budget: every operation fails cleanly, later writes are
 * refused with CB_EIO, and the image still mounts read-only (or is refused) without crashing. */
struct failing {
	struct blockdev_mem m;
	int budget;
};

static int failing_write(struct cb_blockdev *dev, uint64_t off, const void *buf, size_t len, struct cb_err *e)
{
	struct failing *f = (struct failing *)dev->priv;
	if (f->budget-- <= 0)
		return cb_errf(e, CB_EIO, "mem: injected write failure at %llu", (unsigned long long)off);
	memcpy(f->m.buf + off, buf, len);
	return 0;
}

static void test_write_failures(void)
{
	size_t size = 2u << 20;
	uint8_t *clean = calloc(1, size), *img = malloc(size);
	struct blockdev_mem m;
	blockdev_mem_init(&m, clean, size, 512, true, "mem");
	struct cb_err e;
	struct fat_format_opts o = {.fat_bits = 12};
	CHECK_OK(fat_format(&m.dev, &o, &e), &e, "format");
	uint8_t data[20000];
	memset(data, 0x5a, sizeof(data));
	int failed_ops = 0;
	for (int budget = 0; budget < 60; budget++) {
		memcpy(img, clean, size);
		struct failing f;
		blockdev_mem_init(&f.m, img, size, 512, true, "mem");
		f.budget = budget;
		f.m.dev.write = failing_write;
		f.m.dev.priv = &f;
		struct cb_fs *fs;
		if (fat_mount(&f.m.dev, true, &fs, &e) < 0) {
			CHECK(0, "mount: %s", e.msg);
			continue;
		}
		int rcs[6];
		rcs[0] = fat_mkdir_p(fs, "/EFI/Linux", &e);
		rcs[1] = fat_write_file(fs, "/EFI/Linux/primary-vmlinuz.efi", data, sizeof(data), &e);
		rcs[2] = fat_write_file(fs, "/EFI/Linux/primary-vmlinuz.efi", data, 100, &e);
		rcs[3] = fat_write_file(fs, "/a long name.txt", data, 5000, &e);
		rcs[4] = fat_unlink(fs, "/a long name.txt", &e);
		rcs[5] = fat_mkdir(fs, "/x", &e);
		bool seen_fail = false;
		for (int i = 0; i < 6; i++) {
			if (rcs[i] != 0)
				failed_ops++;
			if (seen_fail && rcs[i] != CB_EIO && rcs[i] != CB_ENOENT)
				CHECK(0, "budget %d op %d after a failure: rc=%d", budget, i, rcs[i]);
			seen_fail |= rcs[i] == CB_EIO;
		}
		fs->ops->unmount(fs);
		blockdev_mem_init(&m, img, size, 512, false, "mem");
		if (fat_mount(&m.dev, false, &fs, &e) == 0) {
			struct cb_fs_stat st;
			fs->ops->lstat(fs, "/EFI/Linux/primary-vmlinuz.efi", &st, &e);
			fs->ops->unmount(fs);
		}
	}
	CHECK(failed_ops > 50, "only %d operations failed", failed_ops);
	free(clean);
	free(img);
}

/* Two streamed writers at once: interleaved allocation (fragmented chains), then the same name twice. */
static void test_two_writers(void)
{
	size_t size = 8u << 20;
	uint8_t *img = calloc(1, size);
	struct blockdev_mem m;
	blockdev_mem_init(&m, img, size, 512, true, "mem");
	struct cb_err e;
	struct fat_format_opts o = {.fat_bits = 16, .sectors_per_cluster = 1};
	CHECK_OK(fat_format(&m.dev, &o, &e), &e, "format");
	struct cb_fs *fs;
	CHECK_OK(fat_mount(&m.dev, true, &fs, &e), &e, "mount");
	uint8_t a[300000], b[300000];
	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)i, b[i] = (uint8_t)(i * 13 + 1);
	struct fat_wfile *h1, *h2, *h3;
	uint64_t t, free0, free1;
	CHECK_OK(fat_statfs(fs, &t, &free0, &e), &e, "statfs");
	CHECK_OK(fat_file_create(fs, "/a", &h1, &e), &e, "create a");
	CHECK_OK(fat_file_create(fs, "/b", &h2, &e), &e, "create b");
	CHECK_OK(fat_file_create(fs, "/A", &h3, &e), &e, "create A");
	for (size_t off = 0; off < sizeof(a); off += 1000) {
		CHECK_OK(fat_file_write(h1, a + off, 1000, &e), &e, "write a");
		CHECK_OK(fat_file_write(h2, b + off, 1000, &e), &e, "write b");
		CHECK_OK(fat_file_write(h3, b + off, 1000, &e), &e, "write A");
	}
	CHECK_OK(fat_file_finish(h1, &e), &e, "finish a");
	CHECK_OK(fat_file_finish(h2, &e), &e, "finish b");
	CHECK(read_back(fs, "/a", a, sizeof(a)), "a");
	CHECK(read_back(fs, "/b", b, sizeof(b)), "b");
	CHECK_OK(fat_file_finish(h3, &e), &e, "finish A"); /* replaces a, whose chain is freed */
	CHECK(read_back(fs, "/a", b, sizeof(b)), "a replaced");
	CHECK_OK(fat_unlink(fs, "/a", &e), &e, "unlink a");
	CHECK_OK(fat_unlink(fs, "/b", &e), &e, "unlink b");
	CHECK_OK(fat_statfs(fs, &t, &free1, &e), &e, "statfs");
	CHECK(free0 == free1, "leaked: %llu -> %llu", (unsigned long long)free0, (unsigned long long)free1);
	fs->ops->unmount(fs);
	const char *p = tmp_path("two.img");
	CHECK(file_write_all(p, img, size) && fsck_clean(p), "fsck");
	free(img);
}

static int test_unit(void)
{
	test_names();
	test_time();
	test_bpb();
	test_table(12, 2u << 20, 1);
	test_table(16, 8u << 20, 1);
	test_table(32, 40u << 20, 1);
	test_write_failures();
	test_two_writers();
	test_roundtrip(12, 2u << 20);
	test_roundtrip(16, 12u << 20);
	test_roundtrip(32, 40u << 20);
	return 0;
}

int main(int argc, char **argv)
{
	setenv("MTOOLS_SKIP_CHECK", "1", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	const char *what = argc > 1 ? argv[1] : "unit";
	int rc;
	if (!strcmp(what, "unit"))
		rc = test_unit();
	else if (!strcmp(what, "mtools-read"))
		rc = fat_test_mtools_read();
	else if (!strcmp(what, "random-ops"))
		rc = fat_test_random_ops();
	else if (!strcmp(what, "format"))
		rc = fat_test_format();
	else if (!strcmp(what, "readonly"))
		rc = fat_test_readonly();
	else if (!strcmp(what, "corrupt"))
		rc = fat_test_corrupt();
	else {
		fprintf(stderr, "usage: %s unit|mtools-read|random-ops|format|readonly|corrupt\n", argv[0]);
		return 2;
	}
	tmp_cleanup();
	if (rc || fat_test_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", what, fat_test_failures);
		return 1;
	}
	printf("%s: ok\n", what);
	return 0;
}
