/* oci_tar_test.c: oci/tar.c on archives made at test time by GNU tar (gnu, pax, ustar formats) compressed by
 * gzip (also two members) and zstd (also two frames), fed in pieces of many sizes, with the exact entry list;
 * and on hand-made hostile archives with exact messages. Usage: oci_tar_test [WORKDIR]. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_test_util.h"
#include "tar.h"

/* ---- a handler that logs entries and checksums data ---- */

struct log {
	char text[8192];
	size_t len;
	uint32_t sum;      /* of the current entry's data */
	uint64_t got;
	int fail_at_entry; /* 1-based entry number whose on_entry fails, 0 never */
	int entries;
};

static void logf_(struct log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct log *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(l->text + l->len, sizeof(l->text) - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < sizeof(l->text) - l->len ? (size_t)n : sizeof(l->text) - l->len - 1;
}

static int h_entry(void *ctx, const struct oci_tar_entry *ent, struct cb_err *e)
{
	struct log *l = ctx;
	static const char types[] = "fhsdo";
	if (++l->entries == l->fail_at_entry)
		return cb_errf(e, CB_ELIMIT, "test: entry %d refused", l->entries);
	logf_(l, "%c %s %llu%s%s\n", types[ent->type], ent->name, (unsigned long long)ent->size,
	      ent->linkname[0] ? " -> " : "", ent->linkname);
	l->sum = 0;
	l->got = 0;
	return ent->type == OCI_TAR_FILE ? 1 : 0;
}

static int h_data(void *ctx, const void *p, size_t n, struct cb_err *e)
{
	(void)e;
	struct log *l = ctx;
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		l->sum = l->sum * 31 + b[i];
	l->got += n;
	return 0;
}

static int h_end(void *ctx, struct cb_err *e)
{
	(void)e;
	struct log *l = ctx;
	logf_(l, "  = %llu %08x\n", (unsigned long long)l->got, l->sum);
	return 0;
}

/* Feeds buf in pieces of `step` bytes (0: whole). Returns the status; the log and message in l/e. */
static int run(const uint8_t *buf, size_t len, size_t step, uint64_t max_out, struct log *l, struct cb_err *e)
{
	memset(l, 0, sizeof(*l));
	struct oci_tar_handler h = { .on_entry = h_entry, .on_data = h_data, .on_end = h_end, .ctx = l };
	struct oci_tar *t;
	int rc = oci_tar_new(&h, max_out, &t, e);
	for (size_t o = 0; !rc && o < len;) {
		size_t n = step && step < len - o ? step : len - o;
		rc = oci_tar_feed(t, buf + o, n, e);
		o += n;
	}
	if (!rc)
		rc = oci_tar_finish(t, e);
	oci_tar_free(t);
	return rc;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc((size_t)n + 1);
	if (fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void put_file(const char *path, size_t size, unsigned seed)
{
	FILE *f = fopen(path, "wb");
	for (size_t i = 0; i < size; i++)
		fputc((int)((i * 2654435761u + seed) >> 13 & 0xff), f);
	fclose(f);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	CHECK(rc == 0, "command failed (%d): %s", rc, cmd);
	return rc;
}

/* ---- archives made by the real tools ---- */

#define LONGDIR "boot/a-directory-name-long-enough-to-need-the-ustar-prefix-field-or-an-extension-header-xxxxxxxxxxxx"

static void real_archives(const char *work)
{
	char root[512], expect_path[600];
	snprintf(root, sizeof(root), "%s/root", work);
	CHECK_INT(sh("rm -rf '%s' && mkdir -p '%s/%s'", root, root, LONGDIR), 0, "mkdir");
	char p[1024];
	snprintf(p, sizeof(p), "%s/boot/vmlinuz-6.1.0", root);
	put_file(p, 300000, 1);
	snprintf(p, sizeof(p), "%s/boot/initrd.img-6.1.0", root);
	put_file(p, 70001, 2);
	snprintf(p, sizeof(p), "%s/boot/empty", root);
	put_file(p, 0, 3);
	snprintf(p, sizeof(p), "%s/%s/file-in-long-dir", root, LONGDIR);
	put_file(p, 512, 4);
	CHECK_INT(sh("cd '%s' && ln -s vmlinuz-6.1.0 boot/vmlinuz && ln boot/empty boot/empty-link", root), 0, "links");

	/* The expected log: the same handler over GNU tar's own listing is not byte-comparable, so build it
	 * from the plain archive once and require every other variant to give the identical log. */
	struct { const char *fmt; } formats[] = { { "gnu" }, { "pax" }, { "ustar" } };
	char reference[8192] = "";
	for (size_t f = 0; f < 3; f++) {
		char tarp[600];
		snprintf(tarp, sizeof(tarp), "%s/t-%s.tar", work, formats[f].fmt);
		/* fixed order and owners so every format lists the same entries */
		CHECK_INT(sh("cd '%s' && tar --format=%s --sort=name --owner=0 --group=0 --numeric-owner -cf '%s' boot",
		             root, formats[f].fmt, tarp), 0, "tar");
		CHECK_INT(sh("gzip -9 -c '%s' > '%s.gz' && zstd -q -19 -c '%s' > '%s.zst'", tarp, tarp, tarp, tarp), 0,
		          "compress");
		/* two gzip members / two zstd frames: split the tar at an odd offset */
		CHECK_INT(sh("head -c 1000 '%s' | gzip -c > '%s.2gz' && tail -c +1001 '%s' | gzip -c >> '%s.2gz' && "
		             "head -c 70000 '%s' | zstd -q -c > '%s.2zst' && tail -c +70001 '%s' | zstd -q -c >> '%s.2zst'",
		             tarp, tarp, tarp, tarp, tarp, tarp, tarp, tarp), 0, "multi-member");
		static const char *const suffixes[] = { "", ".gz", ".zst", ".2gz", ".2zst" };
		static const size_t steps[] = { 0, 1, 7, 511, 512, 513, 65536 };
		for (size_t s = 0; s < 5; s++) {
			char path[700];
			snprintf(path, sizeof(path), "%s%s", tarp, suffixes[s]);
			size_t len;
			uint8_t *buf = slurp(path, &len);
			CHECK(buf != NULL, "read %s", path);
			if (!buf)
				continue;
			for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
				if (steps[k] == 1 && len > 200000)
					continue; /* byte by byte only for the compressed (small) ones */
				struct log l;
				struct cb_err e = { 0 };
				int rc = run(buf, len, steps[k], 0, &l, &e);
				CHECK(rc == 0, "%s step %zu: %s", path, steps[k], e.msg);
				if (!reference[0])
					memcpy(reference, l.text, l.len + 1);
				CHECK(!strcmp(l.text, reference), "%s step %zu: log differs:\n%s--- want:\n%s", path, steps[k],
				      l.text, reference);
			}
			free(buf);
		}
	}
	/* The reference itself, exactly (GNU tar --sort=name order). */
	snprintf(expect_path, sizeof(expect_path), "%s", work);
	unsigned kern = 0, ird = 0, four = 0;
	{
		/* recompute the three checksums the way h_data does */
		size_t len;
		char path[700];
		snprintf(path, sizeof(path), "%s/boot/vmlinuz-6.1.0", root);
		uint8_t *b = slurp(path, &len);
		for (size_t i = 0; i < len; i++)
			kern = kern * 31 + b[i];
		free(b);
		snprintf(path, sizeof(path), "%s/boot/initrd.img-6.1.0", root);
		b = slurp(path, &len);
		for (size_t i = 0; i < len; i++)
			ird = ird * 31 + b[i];
		free(b);
		snprintf(path, sizeof(path), "%s/%s/file-in-long-dir", root, LONGDIR);
		b = slurp(path, &len);
		for (size_t i = 0; i < len; i++)
			four = four * 31 + b[i];
		free(b);
	}
	char want[8192];
	snprintf(want, sizeof(want),
	         "d boot/ 0\n"
	         "d " LONGDIR "/ 0\n"
	         "f " LONGDIR "/file-in-long-dir 512\n  = 512 %08x\n"
	         "f boot/empty 0\n  = 0 00000000\n"
	         "h boot/empty-link 0 -> boot/empty\n"
	         "f boot/initrd.img-6.1.0 70001\n  = 70001 %08x\n"
	         "s boot/vmlinuz 0 -> vmlinuz-6.1.0\n"
	         "f boot/vmlinuz-6.1.0 300000\n  = 300000 %08x\n",
	         four, ird, kern);
	CHECK_STR(reference, want, "entry list");
}

/* ---- hand-made archives ---- */

static void header(uint8_t *h, const char *name, char type, uint64_t size, const char *link)
{
	memset(h, 0, 512);
	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000644", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	char num[32];
	snprintf(num, sizeof(num), "%011llo", (unsigned long long)size & 077777777777ull);
	memcpy(h + 124, num, 12);
	memcpy(h + 136, "00000000000", 12);
	h[156] = (uint8_t)type;
	if (link)
		snprintf((char *)h + 157, 100, "%s", link);
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	unsigned sum = 0;
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf(num, sizeof(num), "%06o", sum & 0777777u);
	memcpy(h + 148, num, 7);
}

struct arch {
	uint8_t b[16384];
	size_t n;
};

static void add(struct arch *a, const char *name, char type, const void *data, size_t size, const char *link)
{
	header(a->b + a->n, name, type, size, link);
	a->n += 512;
	if (data)
		memcpy(a->b + a->n, data, size);
	a->n += (size + 511) / 512 * 512;
}

static void end(struct arch *a)
{
	memset(a->b + a->n, 0, 1024);
	a->n += 1024;
}

static void pax(struct arch *a, const char *records)
{
	add(a, "PaxHeaders/x", 'x', records, strlen(records), NULL);
}

static void expect_err(const uint8_t *buf, size_t len, uint64_t max_out, int code, const char *msg, const char *what)
{
	struct log l;
	struct cb_err e = { 0 };
	int rc = run(buf, len, 0, max_out, &l, &e);
	CHECK(rc == code, "%s: rc %d, want %d (%s)", what, rc, code, e.msg);
	CHECK_STR(e.msg, msg, what);
	rc = run(buf, len, 3, max_out, &l, &e);
	CHECK(rc == code, "%s (3-byte pieces): rc %d, want %d (%s)", what, rc, code, e.msg);
	CHECK_STR(e.msg, msg, what);
}

static void expect_log(const struct arch *a, const char *want, const char *what)
{
	struct log l;
	struct cb_err e = { 0 };
	int rc = run(a->b, a->n, 0, 0, &l, &e);
	CHECK(rc == 0, "%s: %s", what, e.msg);
	CHECK_STR(l.text, want, what);
}

static void handmade(const char *work)
{
	struct arch a = { .n = 0 };
	add(&a, "./boot/x", '0', "hello", 5, NULL);
	add(&a, "/etc/y", '2', NULL, 0, "../boot/x");
	add(&a, "dev/null", '3', NULL, 0, NULL);
	end(&a);
	expect_log(&a, "f boot/x 5\n  = 5 05e918d2\ns etc/y 0 -> ../boot/x\no dev/null 0\n", "basic");

	/* pax path/linkpath/size override the header; a global header is skipped; unknown keys ignored */
	a.n = 0;
	add(&a, "pax_global_header", 'g', "17 comment=hello\n", 17, NULL);
	pax(&a, "30 path=boot/vmlinuz-from-pax\n13 mtime=1.5\n10 size=3\n");
	add(&a, "short", '0', "abc", 3, NULL);
	pax(&a, "22 linkpath=vmlinuz-9\n");
	add(&a, "boot/vmlinuz", '2', NULL, 0, "ignored");
	end(&a);
	expect_log(&a, "f boot/vmlinuz-from-pax 3\n  = 3 00017862\ns boot/vmlinuz 0 -> vmlinuz-9\n", "pax");

	/* GNU long name and long link */
	a.n = 0;
	add(&a, "././@LongLink", 'L', "boot/long-name\0", 15, NULL);
	add(&a, "boot/long-n", '0', "z", 1, NULL);
	add(&a, "././@LongLink", 'K', "target-long", 11, NULL);
	add(&a, "boot/l", '2', NULL, 0, "t");
	end(&a);
	expect_log(&a, "f boot/long-name 1\n  = 1 0000007a\ns boot/l 0 -> target-long\n", "gnu long names");

	/* no end blocks at all: accepted at an entry boundary */
	a.n = 0;
	add(&a, "a", '0', "x", 1, NULL);
	expect_log(&a, "f a 1\n  = 1 00000078\n", "no end blocks");

	/* bytes after the end are ignored */
	end(&a);
	memset(a.b + a.n, 'G', 100);
	a.n += 100;
	expect_log(&a, "f a 1\n  = 1 00000078\n", "garbage after the end");

	/* errors */
	a.n = 0;
	add(&a, "a", '0', "x", 1, NULL);
	a.b[0] = 'b'; /* checksum no longer matches */
	expect_err(a.b, a.n, 0, CB_EINVAL, "tar: offset 0: header checksum mismatch", "checksum");
	a.n = 0;
	add(&a, "a", '0', "0123456789", 10, NULL);
	expect_err(a.b, 512 + 4, 0, CB_EINVAL, "tar: offset 516: archive truncated inside a file", "truncated data");
	expect_err(a.b, 100, 0, CB_EINVAL, "tar: offset 100: archive truncated inside a header", "truncated header");
	expect_err(a.b, 516 + 0, 0, CB_EINVAL, "tar: offset 516: archive truncated inside a file", "again");
	expect_err(a.b, 0, 0, CB_EINVAL, "tar: empty archive", "empty");
	a.n = 0;
	add(&a, "a", '0', "x", 1, NULL);
	memcpy(a.b + 124, "0000000001x", 11);
	unsigned sum = 0;
	memset(a.b + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += a.b[i];
	char num[32];
	snprintf(num, sizeof(num), "%06o", sum & 0777777u);
	memcpy(a.b + 148, num, 7);
	expect_err(a.b, a.n, 0, CB_EINVAL, "tar: offset 0: bad size field", "size field");
	a.n = 0;
	pax(&a, "99 path=x\n");
	add(&a, "a", '0', NULL, 0, NULL);
	expect_err(a.b, a.n, 0, CB_EINVAL, "tar: offset 0: malformed pax record", "pax length");
	a.n = 0;
	pax(&a, "8 pathx\n");
	expect_err(a.b, a.n, 0, CB_EINVAL, "tar: offset 0: malformed pax record", "pax without =");
	a.n = 0;
	pax(&a, "15 size=12345x\n");
	expect_err(a.b, a.n, 0, CB_EINVAL, "tar: offset 0: bad pax size", "pax size");
	a.n = 0;
	header(a.b, "PaxHeaders/x", 'x', 70000, NULL);
	a.n = 512;
	expect_err(a.b, a.n, 0, CB_ELIMIT, "tar: offset 0: extended header of 70000 bytes exceeds 65536", "pax size cap");
	a.n = 0;
	header(a.b, "././@LongLink", 'L', 5000, NULL);
	a.n = 512;
	expect_err(a.b, a.n, 0, CB_ELIMIT, "tar: offset 0: extended header of 5000 bytes exceeds 4096", "long name cap");
	a.n = 0;
	add(&a, "a", '0', "x", 1, NULL);
	memset(a.b + a.n, 0, 512);
	a.n += 512;
	add(&a, "b", '0', "y", 1, NULL);
	expect_err(a.b, a.n, 0, CB_EINVAL, "tar: offset 1536: header after an end-of-archive block", "after end block");

	/* a handler's own error stops the archive with its message */
	a.n = 0;
	add(&a, "a", '0', "x", 1, NULL);
	add(&a, "b", '0', "y", 1, NULL);
	end(&a);
	{
		struct log l;
		struct cb_err e = { 0 };
		memset(&l, 0, sizeof(l));
		l.fail_at_entry = 2;
		struct oci_tar_handler h = { .on_entry = h_entry, .on_data = h_data, .on_end = h_end, .ctx = &l };
		struct oci_tar *t;
		CHECK_INT(oci_tar_new(&h, 0, &t, &e), 0, "new");
		CHECK_INT(oci_tar_feed(t, a.b, a.n, &e), CB_ELIMIT, "handler error");
		CHECK_STR(e.msg, "test: entry 2 refused", "handler message");
		struct cb_err e2 = { 0 };
		CHECK_INT(oci_tar_feed(t, a.b, 10, &e2), CB_ELIMIT, "sticky error");
		CHECK_STR(e2.msg, "test: entry 2 refused", "sticky message");
		CHECK_INT(oci_tar_finish(t, &e2), CB_ELIMIT, "sticky finish");
		oci_tar_free(t);
	}

	/* compressed: truncated and corrupt streams, the output cap */
	char tarp[600], path[700];
	snprintf(tarp, sizeof(tarp), "%s/hand.tar", work);
	FILE *f = fopen(tarp, "wb");
	a.n = 0;
	static uint8_t big[8192];
	memset(big, 'q', sizeof(big));
	add(&a, "big", '0', big, sizeof(big), NULL);
	end(&a);
	fwrite(a.b, 1, a.n, f);
	fclose(f);
	sh("gzip -n -c '%s' > '%s.gz' && zstd -q -c '%s' > '%s.zst'", tarp, tarp, tarp, tarp);
	size_t len;
	snprintf(path, sizeof(path), "%s.gz", tarp);
	uint8_t *gz = slurp(path, &len);
	expect_err(gz, len - 30, 0, CB_EINVAL, "tar: gzip: stream truncated", "gzip truncated");
	expect_err(gz, len, 4096, CB_ELIMIT, "tar: more than 4096 bytes after decompression", "output cap");
	gz[10] = 0x07; /* BFINAL=1, BTYPE=11 (reserved) */
	expect_err(gz, len, 0, CB_EINVAL, "tar: gzip: invalid block type", "gzip corrupt");
	free(gz);
	snprintf(path, sizeof(path), "%s.zst", tarp);
	uint8_t *zs = slurp(path, &len);
	expect_err(zs, len - 10, 0, CB_EINVAL, "tar: zstd: stream truncated", "zstd truncated");
	zs[4] = 0xff; /* reserved frame header bits */
	struct log l;
	struct cb_err e = { 0 };
	CHECK_INT(run(zs, len, 0, 0, &l, &e), CB_EINVAL, "zstd corrupt");
	CHECK(!strncmp(e.msg, "tar: zstd: error ", 17), "zstd message: %s", e.msg);
	free(zs);
	/* fewer than 4 bytes in all: plain, and no header */
	expect_err((const uint8_t *)"\x1f\x8b", 2, 0, CB_EINVAL, "tar: gzip: stream truncated", "2-byte gzip");
	expect_err((const uint8_t *)"ab", 2, 0, CB_EINVAL, "tar: offset 2: archive truncated inside a header", "2 bytes");
}

int main(int argc, char **argv)
{
	char work[512];
	if (argc > 1) {
		snprintf(work, sizeof(work), "%s", argv[1]);
		mkdir(work, 0755);
	} else {
		snprintf(work, sizeof(work), "/tmp/oci_tar_test.%d", (int)getpid());
		mkdir(work, 0755);
	}
	real_archives(work);
	handmade(work);
	if (argc <= 1)
		sh("rm -rf '%s'", work);
	return check_summary("oci_tar");
}
