/* discover.c: kernel/initrd discovery per docs/disk.md through the read-only VFS (any filesystem driver).
 * It decides paths only; reading the files is the caller's job. */
#include "discover.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* snprintf that may truncate on purpose (log lines): keeps gcc's -Wformat-truncation quiet. */
static void fmt(char *buf, size_t n, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, n, f, ap);
	va_end(ap);
}

static int order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

int discover_vercmp(const char *a, const char *b)
{
	while (*a || *b) {
		int first_diff = 0;
		while ((*a && !isdigit((unsigned char)*a)) || (*b && !isdigit((unsigned char)*b))) {
			int ac = order((unsigned char)*a), bc = order((unsigned char)*b);
			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		while (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (isdigit((unsigned char)*a))
			return 1;
		if (isdigit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

/* A readable regular file (after symlinks)? */
static bool is_file(struct cb_fs *fs, const char *path)
{
	struct cb_file *f;
	struct cb_err e;
	if (fs->ops->open(fs, path, &f, &e) != 0)
		return false;
	fs->ops->file_close(f);
	return true;
}

static const char *const kernel_prefixes[] = { "vmlinuz-", "Image-" };
static const char *const initrd_prefixes[] = { "initrd.img-", "initramfs-", "initrd-" };
/* Backups, signatures and package-manager leftovers that share the prefix but are not kernels. */
static const char *const skip_suffixes[] = { ".sig", ".hmac", ".old", ".bak", ".dpkg-old", ".dpkg-new",
					     ".dpkg-tmp", ".dpkg-dist", ".rpmsave", ".rpmnew" };

struct cand {
	char name[256];
	size_t suffix; /* offset of the version suffix in name (an offset: qsort/realloc move the array) */
	int prefix;    /* index into kernel_prefixes */
};

struct collect {
	struct cand *v;
	size_t n, cap;
	bool truncated;
};

static bool ends_with(const char *s, const char *t)
{
	size_t a = strlen(s), b = strlen(t);
	return a >= b && strcmp(s + a - b, t) == 0;
}

static int collect_fn(void *ctx, const char *name, const struct cb_fs_stat *st)
{
	struct collect *c = ctx;
	if ((st->mode & CB_S_IFMT) != CB_S_IFREG && (st->mode & CB_S_IFMT) != CB_S_IFLNK)
		return 0;
	for (int p = 0; p < 2; p++) {
		size_t pl = strlen(kernel_prefixes[p]);
		if (strncmp(name, kernel_prefixes[p], pl) != 0 || !name[pl] || strlen(name) >= sizeof(c->v[0].name))
			continue;
		for (size_t k = 0; k < sizeof(skip_suffixes) / sizeof(skip_suffixes[0]); k++)
			if (ends_with(name, skip_suffixes[k]))
				return 0;
		if (c->n >= DISCOVER_MAX_CANDIDATES) {
			c->truncated = true;
			return 0;
		}
		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 16;
			struct cand *v = realloc(c->v, cap * sizeof(*v));
			if (!v)
				return CB_ENOMEM;
			c->v = v;
			c->cap = cap;
		}
		struct cand *x = &c->v[c->n++];
		memcpy(x->name, name, strlen(name) + 1);
		x->suffix = pl;
		x->prefix = p;
		return 0;
	}
	return 0;
}

/* Newer first: version order of the suffix, then vmlinuz before Image, then plain byte order. */
static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	int c = discover_vercmp(b->name + b->suffix, a->name + a->suffix);
	if (c)
		return c;
	if (a->prefix != b->prefix)
		return a->prefix - b->prefix;
	return strcmp(b->name, a->name);
}

/* The initrd for a kernel suffix in dir: {initrd.img-,initramfs-,initrd-}<suffix>[.img]. */
static bool find_initrd(struct cb_fs *fs, const char *dir, const char *suffix, char *out, size_t size)
{
	for (size_t p = 0; p < sizeof(initrd_prefixes) / sizeof(initrd_prefixes[0]); p++) {
		for (int img = 0; img < 2; img++) {
			int n = snprintf(out, size, "%s/%s%s%s", strcmp(dir, "/") ? dir : "", initrd_prefixes[p], suffix,
					 img ? ".img" : "");
			if (n > 0 && (size_t)n < size && is_file(fs, out))
				return true;
		}
	}
	out[0] = 0;
	return false;
}

static bool is_none(const char *s)
{
	return s && (strcmp(s, "none") == 0 || strcmp(s, "-") == 0);
}

/* Kernel given by path: its initrd by the same suffix rule in the same directory, if the name allows. */
static void initrd_for_kernel_path(struct cb_fs *fs, const char *kernel, char *out, size_t size)
{
	out[0] = 0;
	const char *slash = strrchr(kernel, '/');
	const char *base = slash ? slash + 1 : kernel;
	char dir[DISCOVER_PATH_MAX];
	size_t dl = slash ? (size_t)(slash - kernel) : 0;
	if (dl >= sizeof(dir))
		return;
	memcpy(dir, kernel, dl);
	dir[dl] = 0;
	if (!dl)
		strcpy(dir, "/");
	for (int p = 0; p < 2; p++) {
		size_t pl = strlen(kernel_prefixes[p]);
		if (strncmp(base, kernel_prefixes[p], pl) == 0 && base[pl]) {
			find_initrd(fs, dir, base + pl, out, size);
			return;
		}
	}
}

/* The initrd half of the reason line. */
static void initrd_phrase(char *buf, size_t n, const char *initrd, bool iov, const char *suffix, const char *rule)
{
	if (iov)
		fmt(buf, n, initrd[0] ? "initrd %s (cloudboot.disk.initrd)" : "no initrd (cloudboot.disk.initrd=none)",
			 initrd);
	else if (initrd[0])
		fmt(buf, n, "initrd %s (%s)", initrd, rule);
	else if (suffix)
		fmt(buf, n, "no initrd: no {initrd.img-,initramfs-,initrd-}%s[.img]", suffix);
	else
		fmt(buf, n, "no initrd");
}

static int copy_path(char *dst, const char *src, const char *what, struct cb_err *e)
{
	size_t n = strlen(src);
	if (n >= DISCOVER_PATH_MAX)
		return cb_errf(e, CB_ELIMIT, "%s: path longer than %d bytes", what, DISCOVER_PATH_MAX - 1);
	memcpy(dst, src, n + 1);
	return 0;
}

int discover_boot_files(struct cb_fs *fs, const char *kernel_override, const char *initrd_override,
			struct discover_result *out, struct cb_err *e)
{
	memset(out, 0, sizeof(*out));
	bool kov = kernel_override && *kernel_override, iov = initrd_override && *initrd_override;
	int rc;
	if (iov && !is_none(initrd_override)) {
		struct cb_file *f;
		rc = fs->ops->open(fs, initrd_override, &f, e);
		if (rc)
			return cb_err_prefix(e, "cloudboot.disk.initrd=%s: ", initrd_override), rc;
		fs->ops->file_close(f);
		if ((rc = copy_path(out->initrd, initrd_override, "cloudboot.disk.initrd", e)))
			return rc;
	}
	char iphr[DISCOVER_PATH_MAX + 80];
	if (kov) {
		struct cb_file *f;
		rc = fs->ops->open(fs, kernel_override, &f, e);
		if (rc)
			return cb_err_prefix(e, "cloudboot.disk.kernel=%s: ", kernel_override), rc;
		fs->ops->file_close(f);
		if ((rc = copy_path(out->kernel, kernel_override, "cloudboot.disk.kernel", e)))
			return rc;
		if (!iov)
			initrd_for_kernel_path(fs, out->kernel, out->initrd, sizeof(out->initrd));
		initrd_phrase(iphr, sizeof(iphr), out->initrd, iov, NULL, "same suffix, same directory");
		fmt(out->reason, sizeof(out->reason), "kernel %s (cloudboot.disk.kernel); %s", out->kernel, iphr);
		return 0;
	}

	struct collect c = { NULL, 0, 0, false };
	struct cb_err de;
	rc = fs->ops->readdir(fs, "/boot", collect_fn, &c, &de);
	if (rc == CB_ENOMEM) {
		free(c.v);
		return cb_errf(e, CB_ENOMEM, "discover: out of memory");
	}
	/* An unreadable /boot is not fatal (no /boot is normal): fall back to the root symlinks. */
	char boot_note[CB_ERR_MSG_MAX + 16] = "";
	if (rc && rc != CB_ENOENT)
		fmt(boot_note, sizeof(boot_note), "; /boot unreadable: %s", de.msg);
	size_t ncand = c.n;
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), cand_cmp);
	for (size_t i = 0; i < c.n; i++) {
		char path[DISCOVER_PATH_MAX];
		snprintf(path, sizeof(path), "/boot/%s", c.v[i].name);
		if (!is_file(fs, path))
			continue; /* a dangling symlink: try the next newest */
		memcpy(out->kernel, path, strlen(path) + 1);
		if (!iov)
			find_initrd(fs, "/boot", c.v[i].name + c.v[i].suffix, out->initrd, sizeof(out->initrd));
		initrd_phrase(iphr, sizeof(iphr), out->initrd, iov, c.v[i].name + c.v[i].suffix, "same suffix");
		fmt(out->reason, sizeof(out->reason),
			 "kernel %s (newest by version of %zu /boot/{vmlinuz,Image}-* candidate%s%s); %s", path, ncand,
			 ncand == 1 ? "" : "s", c.truncated ? ", list truncated" : "", iphr);
		free(c.v);
		return 0;
	}
	free(c.v);
	/* Root symlinks (Debian's /vmlinuz, /initrd.img), then the same names under /boot. */
	static const char *const fall[][2] = { { "/vmlinuz", "/initrd.img" }, { "/boot/vmlinuz", "/boot/initrd.img" } };
	for (size_t k = 0; k < 2; k++) {
		if (!is_file(fs, fall[k][0]))
			continue;
		strcpy(out->kernel, fall[k][0]);
		if (!iov && is_file(fs, fall[k][1]))
			strcpy(out->initrd, fall[k][1]);
		char target[256] = "";
		char arrow[270] = "";
		if (fs->ops->readlink(fs, fall[k][0], target, sizeof(target), &de) == 0)
			fmt(arrow, sizeof(arrow), " -> %s", target);
		initrd_phrase(iphr, sizeof(iphr), out->initrd, iov, NULL, "next to it");
		fmt(out->reason, sizeof(out->reason), "kernel %s%s (no /boot/{vmlinuz,Image}-* kernel%s); %s",
			 out->kernel, arrow, boot_note, iphr);
		return 0;
	}
	return cb_errf(e, CB_ENOENT, "discover: no kernel found: no /boot/{vmlinuz,Image}-* and no /vmlinuz or "
		       "/boot/vmlinuz%s", boot_note);
}
