/* fat_read.c: the read side behind struct cb_fs_ops: open (cluster runs collected and checked once), pread,
 * lstat, readlink (FAT has no links) and readdir. Mounting is fat_mount.c's; writing is elsewhere. */
#include <stdlib.h>
#include <string.h>

#include "fat_internal.h"

struct fat_ofile {
	struct cb_file f;
	struct fat_run *runs;
	uint32_t nruns;
	char *path;
};

static int fat_open(struct cb_fs *fs, const char *path, struct cb_file **out, struct cb_err *e)
{
	struct fat_vol *v = fat_vol_get(fs);
	*out = NULL;
	if (!v)
		return cb_errf(e, CB_EINVAL, "fat: not a FAT file system");
	struct fat_what wb;
	const char *what = fat_what(path, &wb);
	struct fat_node *node = malloc(sizeof(*node));
	struct fat_ofile *of = calloc(1, sizeof(*of));
	int rc = 0;
	if (!node || !of) {
		rc = cb_errf(e, CB_ENOMEM, "%s: no memory", what);
		goto fail;
	}
	if ((rc = fat_resolve(v, path, node, e)) < 0)
		goto fail;
	if (node->is_root || (node->ent.attr & FAT_ATTR_DIR)) {
		rc = cb_errf(e, CB_EINVAL, "%s: is a directory", what);
		goto fail;
	}
	of->path = strdup(what); /* for messages only */
	if (!of->path) {
		rc = cb_errf(e, CB_ENOMEM, "%s: no memory", what);
		goto fail;
	}
	uint32_t size = node->ent.size;
	uint32_t need = (uint32_t)(((uint64_t)size + v->g.cluster_size - 1) / v->g.cluster_size);
	if (need && (rc = fat_chain_runs(v, node->ent.first_cluster, need, what, &of->runs, &of->nruns, e)) < 0)
		goto fail;
	of->f.fs = fs;
	fat_dirent_stat(v, &node->ent, &of->f.st);
	of->f.priv = of;
	free(node);
	*out = &of->f;
	return 0;
fail:
	free(node);
	if (of) {
		free(of->path);
		free(of);
	}
	return cb_err_prefix(e, "fat: ");
}

static long fat_pread(struct cb_file *f, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	struct fat_ofile *of = f->priv;
	struct fat_vol *v = fat_vol_get(f->fs);
	uint64_t size = f->st.size;
	if (off >= size || len == 0)
		return 0;
	uint64_t n = size - off < len ? size - off : len;
	if (n > (1u << 30))
		n = 1u << 30; /* fits a long everywhere; callers loop */
	uint32_t cs = v->g.cluster_size;
	uint8_t *p = buf;
	uint64_t done = 0;
	while (done < n) {
		uint64_t pos = off + done;
		uint32_t ci = (uint32_t)(pos / cs), in = (uint32_t)(pos % cs);
		uint32_t lo = 0, hi = of->nruns; /* last run with file_index <= ci */
		while (hi - lo > 1) {
			uint32_t mid = lo + (hi - lo) / 2;
			if (of->runs[mid].file_index <= ci)
				lo = mid;
			else
				hi = mid;
		}
		const struct fat_run *r = &of->runs[lo];
		uint32_t within = ci - r->file_index;
		if (within >= r->count) /* cannot happen: open collected every needed cluster */
			return cb_errf(e, CB_EINVAL, "fat: %s: no cluster for offset %llu", of->path,
			               (unsigned long long)pos);
		uint64_t avail = (uint64_t)(r->count - within) * cs - in;
		uint64_t chunk = n - done < avail ? n - done : avail;
		int rc = fat_dev_read(v, fat_cluster_offset(v, r->cluster + within) + in, p + done, (size_t)chunk, e);
		if (rc < 0)
			return cb_err_prefix(e, "fat: %s: ", of->path);
		done += chunk;
	}
	return (long)n;
}

static void fat_file_close(struct cb_file *f)
{
	if (!f)
		return;
	struct fat_ofile *of = f->priv;
	free(of->runs);
	free(of->path);
	free(of);
}

static int fat_lstat(struct cb_fs *fs, const char *path, struct cb_fs_stat *st, struct cb_err *e)
{
	struct fat_vol *v = fat_vol_get(fs);
	if (!v)
		return cb_errf(e, CB_EINVAL, "fat: not a FAT file system");
	struct fat_node *node = malloc(sizeof(*node));
	if (!node)
		return cb_errf(e, CB_ENOMEM, "fat: out of memory");
	int rc = fat_resolve(v, path, node, e);
	if (rc == 0) {
		if (node->is_root)
			fat_root_stat(v, st);
		else
			fat_dirent_stat(v, &node->ent, st);
	}
	free(node);
	return rc < 0 ? cb_err_prefix(e, "fat: ") : 0;
}

static int fat_readlink(struct cb_fs *fs, const char *path, char *buf, size_t size, struct cb_err *e)
{
	struct cb_fs_stat st;
	(void)buf;
	(void)size;
	int rc = fat_lstat(fs, path, &st, e);
	if (rc < 0)
		return rc;
	struct fat_what wb;
	return cb_errf(e, CB_EINVAL, "fat: %s: not a symbolic link (FAT has none)", fat_what(path, &wb));
}

static int fat_readdir(struct cb_fs *fs, const char *path, cb_dirent_fn fn, void *ctx, struct cb_err *e)
{
	struct fat_vol *v = fat_vol_get(fs);
	if (!v)
		return cb_errf(e, CB_EINVAL, "fat: not a FAT file system");
	struct fat_what wb;
	const char *what = fat_what(path, &wb);
	struct fat_node *node = malloc(sizeof(*node));
	if (!node)
		return cb_errf(e, CB_ENOMEM, "fat: %s: no memory", what);
	struct fat_dir_ref dir;
	int rc = fat_resolve(v, path, node, e);
	if (rc == 0) {
		if (node->is_root)
			dir = fat_root_ref(v);
		else
			rc = fat_dirent_dir_ref(v, &node->ent, what, &dir, e);
	}
	struct fat_dir_iter it;
	if (rc == 0 && (rc = fat_dir_iter_init(&it, v, dir, what, e)) == 0) {
		struct fat_dirent *d = &node->ent; /* reused as the entry buffer */
		while ((rc = fat_dir_next(&it, d, e)) > 0) {
			struct cb_fs_stat st;
			fat_dirent_stat(v, d, &st);
			int r = fn(ctx, d->name, &st);
			if (r) {
				fat_dir_iter_fini(&it);
				free(node);
				return r;
			}
		}
		fat_dir_iter_fini(&it);
	}
	free(node);
	return rc < 0 ? cb_err_prefix(e, "fat: ") : 0;
}

const struct cb_fs_ops fat_ops = {
	.open = fat_open,
	.pread = fat_pread,
	.file_close = fat_file_close,
	.lstat = fat_lstat,
	.readlink = fat_readlink,
	.readdir = fat_readdir,
	.unmount = fat_ops_unmount,
};
