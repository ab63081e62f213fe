/* fs_discover_test.c: version ordering (dpkg-like) and kernel/initrd discovery over an in-memory mock of
 * the VFS, table-driven: Debian, Fedora, Arch, arm64 Image-*, root symlinks, overrides, dangling links. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "discover.h"
#include "fs_test.h"

/* ---- a tiny VFS: paths with a type and, for symlinks, a target ---------------------------------- */

struct node {
	const char *path; /* absolute, no trailing slash; "/" is implicit */
	char type;        /* 'f' file, 'd' dir, 'l' symlink */
	const char *target;
};

struct mock {
	struct cb_fs fs;
	const struct node *nodes;
};

/* snprintf without gcc's truncation analysis (test paths are short; truncation would only fail a check). */
static void sfmt(char *out, size_t n, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void sfmt(char *out, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(out, n, f, ap);
	va_end(ap);
}

static void normalize(const char *in, char *out, size_t size)
{
	char tmp[1024];
	snprintf(tmp, sizeof(tmp), "%s", in);
	char *parts[64];
	int n = 0;
	for (char *save, *tok = strtok_r(tmp, "/", &save); tok && n < 64; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			if (n)
				n--;
			continue;
		}
		parts[n++] = tok;
	}
	size_t o = 0;
	out[0] = 0;
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, size - o, "/%s", parts[i]);
	if (!n)
		snprintf(out, size, "/");
}

static const struct node *find(const struct mock *m, const char *path)
{
	static const struct node root = { "/", 'd', NULL };
	if (!strcmp(path, "/"))
		return &root;
	for (const struct node *x = m->nodes; x->path; x++)
		if (!strcmp(x->path, path))
			return x;
	return NULL;
}

/* Resolves with symlinks in every component (and the last if follow). */
static const struct node *resolve(const struct mock *m, const char *path, bool follow, char *res, int depth)
{
	if (depth > 40)
		return NULL;
	char norm[1024], cur[2100] = "";
	normalize(path, norm, sizeof(norm));
	if (!strcmp(norm, "/")) {
		strcpy(res, "/");
		return find(m, "/");
	}
	const char *p = norm;
	while (*p) {
		const char *q = strchr(p + 1, '/');
		size_t len = q ? (size_t)(q - p) : strlen(p);
		char next[2100];
		sfmt(next, sizeof(next), "%s%.*s", cur, (int)len, p);
		const struct node *x = find(m, next);
		if (!x)
			return NULL;
		bool last = !q;
		if (x->type == 'l' && (!last || follow)) {
			char t[3200], joined[4200];
			if (x->target[0] == '/')
				sfmt(t, sizeof(t), "%s", x->target);
			else
				sfmt(t, sizeof(t), "%s/%s", cur[0] ? cur : "", x->target);
			sfmt(joined, sizeof(joined), "%s%s", t, q ? q : "");
			return resolve(m, joined, follow, res, depth + 1);
		}
		sfmt(cur, sizeof(cur), "%s", next);
		p += len;
	}
	strcpy(res, cur);
	return find(m, cur);
}

static void fill(const struct node *x, struct cb_fs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->mode = x->type == 'd' ? CB_S_IFDIR | 0755 : x->type == 'l' ? CB_S_IFLNK | 0777 : CB_S_IFREG | 0644;
	st->size = x->type == 'l' ? strlen(x->target) : 100;
	st->nlink = 1;
}

static int m_open(struct cb_fs *fs, const char *path, struct cb_file **out, struct cb_err *e)
{
	char res[1024];
	const struct node *x = resolve((struct mock *)fs, path, true, res, 0);
	if (!x)
		return cb_errf(e, CB_ENOENT, "mock: %s: no such file or directory", path);
	if (x->type != 'f')
		return cb_errf(e, CB_EINVAL, "mock: %s: not a regular file", path);
	struct cb_file *f = calloc(1, sizeof(*f));
	f->fs = fs;
	fill(x, &f->st);
	*out = f;
	return 0;
}

static long m_pread(struct cb_file *f, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	(void)f, (void)off, (void)buf, (void)len, (void)e;
	return 0;
}

static void m_close(struct cb_file *f) { free(f); }

static int m_lstat(struct cb_fs *fs, const char *path, struct cb_fs_stat *st, struct cb_err *e)
{
	char res[1024];
	const struct node *x = resolve((struct mock *)fs, path, false, res, 0);
	if (!x)
		return cb_errf(e, CB_ENOENT, "mock: %s: no such file or directory", path);
	fill(x, st);
	return 0;
}

static int m_readlink(struct cb_fs *fs, const char *path, char *buf, size_t size, struct cb_err *e)
{
	char res[1024];
	const struct node *x = resolve((struct mock *)fs, path, false, res, 0);
	if (!x || x->type != 'l')
		return cb_errf(e, CB_EINVAL, "mock: %s: not a symlink", path);
	snprintf(buf, size, "%s", x->target);
	return 0;
}

static int m_readdir(struct cb_fs *fs, const char *path, cb_dirent_fn fn, void *ctx, struct cb_err *e)
{
	struct mock *m = (struct mock *)fs;
	char res[1024];
	const struct node *d = resolve(m, path, true, res, 0);
	if (!d)
		return cb_errf(e, CB_ENOENT, "mock: %s: no such file or directory", path);
	if (d->type != 'd')
		return cb_errf(e, CB_EINVAL, "mock: %s: not a directory", path);
	size_t rl = strcmp(res, "/") ? strlen(res) : 0;
	for (const struct node *x = m->nodes; x->path; x++) {
		if (strncmp(x->path, res, rl) || x->path[rl] != '/' || strchr(x->path + rl + 1, '/'))
			continue;
		struct cb_fs_stat st;
		fill(x, &st);
		int rc = fn(ctx, x->path + rl + 1, &st);
		if (rc)
			return rc;
	}
	return 0;
}

static const struct cb_fs_ops mock_ops = { m_open, m_pread, m_close, m_lstat, m_readlink, m_readdir, NULL };

/* ---- tests ---- */

static void test_vercmp(void)
{
	static const struct { const char *a, *b; int sign; } v[] = {
		{ "6.1.0-10-amd64", "6.1.0-9-amd64", 1 },
		{ "5.10.0", "5.9.0", 1 },
		{ "6.1", "6.1", 0 },
		{ "6.1", "6.01", 0 },
		{ "6.1.0", "6.1", 1 },
		{ "6.1~rc1", "6.1", -1 },
		{ "6.1-rc1", "6.1", 1 },
		{ "6.5.6-300.fc39.x86_64", "6.5.12-200.fc39.x86_64", -1 },
		{ "0-rescue-0123abcd", "6.5.6-300.fc39.x86_64", -1 },
		{ "linux", "linux-lts", -1 },
		{ "a", "B", 1 },
		{ "1.0a", "1.0+", -1 },
		{ "", "1", -1 },
		{ "99999999999999999999999", "99999999999999999999998", 1 },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int c = discover_vercmp(v[i].a, v[i].b), r = discover_vercmp(v[i].b, v[i].a);
		int s = (c > 0) - (c < 0), rs = (r > 0) - (r < 0);
		char ctx[128];
		snprintf(ctx, sizeof(ctx), "vercmp('%s', '%s')", v[i].a, v[i].b);
		CHECK_INT(s, v[i].sign, ctx);
		CHECK_INT(rs, -v[i].sign, ctx);
	}
}

static const struct node debian[] = {
	{ "/boot", 'd', NULL },
	{ "/boot/vmlinuz-6.1.0-9-amd64", 'f', NULL },
	{ "/boot/vmlinuz-6.1.0-10-amd64", 'f', NULL },
	{ "/boot/initrd.img-6.1.0-9-amd64", 'f', NULL },
	{ "/boot/initrd.img-6.1.0-10-amd64", 'f', NULL },
	{ "/boot/config-6.1.0-10-amd64", 'f', NULL },
	{ "/boot/vmlinuz-6.1.0-11-amd64.old", 'f', NULL },
	{ "/boot/vmlinuz-6.2.0-1-amd64", 'l', "vmlinuz-missing" }, /* dangling: skipped */
	{ "/vmlinuz", 'l', "boot/vmlinuz-6.1.0-10-amd64" },
	{ "/initrd.img", 'l', "boot/initrd.img-6.1.0-10-amd64" },
	{ NULL, 0, NULL },
};
static const struct node fedora[] = {
	{ "/boot", 'd', NULL },
	{ "/boot/vmlinuz-0-rescue-0123456789abcdef", 'f', NULL },
	{ "/boot/initramfs-0-rescue-0123456789abcdef.img", 'f', NULL },
	{ "/boot/vmlinuz-6.5.6-300.fc39.x86_64", 'f', NULL },
	{ "/boot/initramfs-6.5.6-300.fc39.x86_64.img", 'f', NULL },
	{ "/boot/vmlinuz-6.5.12-200.fc39.x86_64", 'f', NULL },
	{ "/boot/initramfs-6.5.12-200.fc39.x86_64.img", 'f', NULL },
	{ "/boot/.vmlinuz-6.5.12-200.fc39.x86_64.hmac", 'f', NULL },
	{ NULL, 0, NULL },
};
static const struct node arch[] = {
	{ "/boot", 'd', NULL },
	{ "/boot/vmlinuz-linux", 'f', NULL },
	{ "/boot/initramfs-linux.img", 'f', NULL },
	{ "/boot/initramfs-linux-fallback.img", 'f', NULL },
	{ NULL, 0, NULL },
};
static const struct node arm64[] = {
	{ "/boot", 'd', NULL },
	{ "/boot/Image-6.6.1", 'f', NULL },
	{ "/boot/initrd-6.6.1", 'f', NULL },
	{ "/boot/Image-6.6.0", 'f', NULL },
	{ NULL, 0, NULL },
};
static const struct node rootlinks[] = {
	{ "/boot", 'd', NULL },
	{ "/boot/grub", 'd', NULL },
	{ "/opt", 'd', NULL },
	{ "/opt/k", 'f', NULL },
	{ "/opt/i", 'f', NULL },
	{ "/vmlinuz", 'l', "/opt/k" },
	{ "/initrd.img", 'l', "opt/i" },
	{ NULL, 0, NULL },
};
static const struct node bootlinks[] = {
	{ "/boot", 'd', NULL },
	{ "/boot/vmlinuz", 'f', NULL },
	{ NULL, 0, NULL },
};
static const struct node empty[] = {
	{ "/etc", 'd', NULL },
	{ NULL, 0, NULL },
};
static const struct node bootlink_dir[] = { /* /boot is itself a symlink */
	{ "/mnt", 'd', NULL },
	{ "/mnt/boot", 'd', NULL },
	{ "/mnt/boot/vmlinuz-5.4", 'f', NULL },
	{ "/mnt/boot/initrd-5.4.img", 'f', NULL },
	{ "/boot", 'l', "mnt/boot" },
	{ NULL, 0, NULL },
};

static void test_discover(void)
{
	static const struct {
		const char *name;
		const struct node *tree;
		const char *kov, *iov;
		int rc;
		const char *kernel, *initrd, *reason; /* reason: a fragment; for errors, of the message */
	} c[] = {
		{ "debian", debian, NULL, NULL, 0, "/boot/vmlinuz-6.1.0-10-amd64", "/boot/initrd.img-6.1.0-10-amd64",
		  "newest by version of 3 /boot/{vmlinuz,Image}-* candidates); initrd /boot/initrd.img-6.1.0-10-amd64 (same suffix)" },
		{ "fedora", fedora, NULL, NULL, 0, "/boot/vmlinuz-6.5.12-200.fc39.x86_64",
		  "/boot/initramfs-6.5.12-200.fc39.x86_64.img", "of 3 " },
		{ "arch", arch, NULL, NULL, 0, "/boot/vmlinuz-linux", "/boot/initramfs-linux.img", "same suffix" },
		{ "arm64", arm64, NULL, NULL, 0, "/boot/Image-6.6.1", "/boot/initrd-6.6.1", "" },
		{ "root symlinks", rootlinks, NULL, NULL, 0, "/vmlinuz", "/initrd.img",
		  "kernel /vmlinuz -> /opt/k (no /boot/{vmlinuz,Image}-* kernel); initrd /initrd.img (next to it)" },
		{ "/boot/vmlinuz", bootlinks, NULL, NULL, 0, "/boot/vmlinuz", "", "no initrd" },
		{ "nothing", empty, NULL, NULL, CB_ENOENT, NULL, NULL, "discover: no kernel found" },
		{ "/boot symlink", bootlink_dir, NULL, NULL, 0, "/boot/vmlinuz-5.4", "/boot/initrd-5.4.img", "" },
		{ "kernel override", debian, "/boot/vmlinuz-6.1.0-9-amd64", NULL, 0, "/boot/vmlinuz-6.1.0-9-amd64",
		  "/boot/initrd.img-6.1.0-9-amd64", "kernel /boot/vmlinuz-6.1.0-9-amd64 (cloudboot.disk.kernel); initrd" },
		{ "kernel override, odd name", rootlinks, "/opt/k", NULL, 0, "/opt/k", "", "no initrd" },
		{ "both overrides", debian, "/vmlinuz", "/initrd.img", 0, "/vmlinuz", "/initrd.img",
		  "initrd /initrd.img (cloudboot.disk.initrd)" },
		{ "initrd none", debian, NULL, "none", 0, "/boot/vmlinuz-6.1.0-10-amd64", "",
		  "no initrd (cloudboot.disk.initrd=none)" },
		{ "initrd override only", debian, NULL, "/boot/initrd.img-6.1.0-9-amd64", 0, "/boot/vmlinuz-6.1.0-10-amd64",
		  "/boot/initrd.img-6.1.0-9-amd64", "" },
		{ "missing kernel override", debian, "/boot/nope", NULL, CB_ENOENT, NULL, NULL,
		  "cloudboot.disk.kernel=/boot/nope: mock: /boot/nope: no such file or directory" },
		{ "kernel override is a dir", debian, "/boot", NULL, CB_EINVAL, NULL, NULL, "cloudboot.disk.kernel=/boot:" },
		{ "missing initrd override", debian, NULL, "/nope", CB_ENOENT, NULL, NULL, "cloudboot.disk.initrd=/nope:" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct mock m = { { &mock_ops, "mock", NULL, NULL }, c[i].tree };
		struct discover_result r;
		struct cb_err e = { 0, "" };
		int rc = discover_boot_files(&m.fs, c[i].kov, c[i].iov, &r, &e);
		char ctx[700];
		snprintf(ctx, sizeof(ctx), "discover '%s' (%s)", c[i].name, rc ? e.msg : r.reason);
		CHECK_INT(rc, c[i].rc, ctx);
		if (rc) {
			CHECK_HAS(e.msg, c[i].reason, ctx);
			continue;
		}
		CHECK_STR(r.kernel, c[i].kernel, ctx);
		CHECK_STR(r.initrd, c[i].initrd, ctx);
		CHECK_HAS(r.reason, c[i].reason, ctx);
	}
}

int main(void)
{
	test_vercmp();
	test_discover();
	return fs_test_done("fs_discover");
}
