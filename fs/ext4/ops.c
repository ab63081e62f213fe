/* ops.c: the ext4 driver's struct cb_fs_ops: open/pread/close, lstat, readlink, readdir, unmount. Every
 * error leaves "ext4: <path>: <reason>" in the caller's cb_err. */
#include <stdlib.h>
#include <string.h>

#include "ext4_int.h"

struct ext4_file {
	struct cb_file f;
	struct ext4_inode ino;
	struct ext4_map map;
	char path[128]; /* for messages (may be truncated) */
};

static struct ext4_fs *E(struct cb_fs *fs) { return fs->priv; }

static int e4_open(struct cb_fs *cfs, const char *path, struct cb_file **out, struct cb_err *e)
{
	struct ext4_fs *fs = E(cfs);
	struct ext4_file *f = calloc(1, sizeof(*f));
	if (!f)
		return cb_errf(e, CB_ENOMEM, "ext4: %s: out of memory", path);
	int rc = ext4_resolve(fs, path, true, &f->ino, e);
	if (rc)
		goto fail;
	if (!ext4_is_reg(&f->ino)) {
		rc = cb_errf(e, CB_EINVAL, ext4_is_dir(&f->ino) ? "is a directory" : "not a regular file (mode 0%o)",
			     f->ino.mode);
		goto fail;
	}
	uint64_t max = ext4_max_file_size(fs, &f->ino);
	if (f->ino.size > max) {
		rc = cb_errf(e, CB_EINVAL, "size %llu exceeds the %llu bytes this inode can map (inode %u)",
			     (unsigned long long)f->ino.size, (unsigned long long)max, f->ino.ino);
		goto fail;
	}
	size_t n = strlen(path);
	if (n >= sizeof(f->path)) /* keep the tail: the file name matters most */
		path += n - (sizeof(f->path) - 1);
	memcpy(f->path, path, strlen(path) + 1);
	ext4_map_init(&f->map, fs, &f->ino);
	f->f.fs = cfs;
	f->f.priv = f;
	ext4_inode_stat(&f->ino, &f->f.st);
	*out = &f->f;
	return 0;
fail:
	ext4_inode_release(&f->ino);
	free(f);
	return cb_err_prefix(e, "ext4: %s: ", path), rc;
}

static long e4_pread(struct cb_file *cf, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	struct ext4_file *f = cf->priv;
	uint64_t size = f->ino.size;
	if (off >= size)
		return 0;
	if (len > size - off)
		len = (size_t)(size - off);
	if (len > (size_t)__LONG_MAX__)
		len = (size_t)__LONG_MAX__;
	int rc = ext4_read_data(&f->map, off, buf, len, e);
	if (rc)
		return cb_err_prefix(e, "ext4: %s: ", f->path), rc;
	return (long)len;
}

static void e4_close(struct cb_file *cf)
{
	if (!cf)
		return;
	struct ext4_file *f = cf->priv;
	ext4_map_release(&f->map);
	ext4_inode_release(&f->ino);
	free(f);
}

static int e4_lstat(struct cb_fs *cfs, const char *path, struct cb_fs_stat *st, struct cb_err *e)
{
	struct ext4_inode ino;
	int rc = ext4_resolve(E(cfs), path, false, &ino, e);
	if (rc)
		return cb_err_prefix(e, "ext4: %s: ", path), rc;
	ext4_inode_stat(&ino, st);
	ext4_inode_release(&ino);
	return 0;
}

static int e4_readlink(struct cb_fs *cfs, const char *path, char *buf, size_t size, struct cb_err *e)
{
	struct ext4_inode ino;
	int rc = ext4_resolve(E(cfs), path, false, &ino, e);
	if (!rc) {
		if (!ext4_is_lnk(&ino))
			rc = cb_errf(e, CB_EINVAL, "not a symbolic link");
		else
			rc = ext4_read_symlink(E(cfs), &ino, buf, size, e);
		ext4_inode_release(&ino);
	}
	return rc ? cb_err_prefix(e, "ext4: %s: ", path) : 0;
}

struct rd {
	struct ext4_fs *fs;
	cb_dirent_fn fn;
	void *ctx;
	struct cb_err *e;
	bool stopped; /* the caller's callback returned non-zero */
};

static int rd_fn(void *ctx, uint32_t ino, uint8_t ftype, const char *name, size_t len)
{
	(void)ftype;
	(void)len;
	struct rd *r = ctx;
	struct ext4_inode child;
	int rc = ext4_inode_read(r->fs, ino, &child, r->e);
	if (rc)
		return cb_err_prefix(r->e, "'%s': ", name), rc;
	struct cb_fs_stat st;
	ext4_inode_stat(&child, &st);
	ext4_inode_release(&child);
	rc = r->fn(r->ctx, name, &st);
	if (rc)
		r->stopped = true;
	return rc;
}

static int e4_readdir(struct cb_fs *cfs, const char *path, cb_dirent_fn fn, void *ctx, struct cb_err *e)
{
	struct ext4_inode dir;
	int rc = ext4_resolve(E(cfs), path, true, &dir, e);
	if (rc)
		return cb_err_prefix(e, "ext4: %s: ", path), rc;
	if (!ext4_is_dir(&dir)) {
		ext4_inode_release(&dir);
		rc = cb_errf(e, CB_EINVAL, "not a directory");
		return cb_err_prefix(e, "ext4: %s: ", path), rc;
	}
	struct rd r = { E(cfs), fn, ctx, e, false };
	rc = ext4_dir_iterate(E(cfs), &dir, false, rd_fn, &r, e);
	ext4_inode_release(&dir);
	/* A walk stopped by the caller's callback returns its value untouched; our own errors get context. */
	if (rc && !r.stopped)
		return cb_err_prefix(e, "ext4: %s: ", path), rc;
	return rc;
}

static void e4_unmount(struct cb_fs *cfs)
{
	if (cfs)
		ext4_unmount_fs(E(cfs));
}

const struct cb_fs_ops ext4_ops = {
	.open = e4_open,
	.pread = e4_pread,
	.file_close = e4_close,
	.lstat = e4_lstat,
	.readlink = e4_readlink,
	.readdir = e4_readdir,
	.unmount = e4_unmount,
};
