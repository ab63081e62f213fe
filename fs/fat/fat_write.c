/* fat_write.c: streamed file writes (create/replace): data clusters first, then the FAT chain, then the
 * directory entry in one sector write, then the old chain freed. Directory slot handling is fat_dirwrite.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat_internal.h"

#define FAT_FILE_MAX 0xFFFFFFFFull

struct fat_wfile {
	struct fat_vol *v;
	char *path;            /* resolved again at finish */
	struct fat_what what;  /* the path for messages */
	uint8_t *buf; /* the partial last cluster */
	uint32_t buf_len;
	uint32_t first, last; /* the new chain so far (0: none) */
	uint64_t size;
	int err;               /* sticky */
	bool had_old;          /* an entry existed at create time */
	uint32_t old_first;    /* its first cluster */
	bool old_chain_ok;     /* its chain was whole: safe to free after the switch */
};

int fat_file_create(struct cb_fs *fs, const char *path, struct fat_wfile **out, struct cb_err *e)
{
	*out = NULL;
	struct fat_vol *v = fat_vol_get(fs);
	if (!v)
		return cb_errf(e, CB_EINVAL, "fat: not a FAT file system");
	int rc = fat_check_writable(v, e);
	if (rc < 0)
		return rc;
	struct fat_what wb;
	const char *what = fat_what(path, &wb);
	struct fat_wfile *h = calloc(1, sizeof(*h));
	uint16_t *leaf = malloc(FAT_LFN_MAX * sizeof(uint16_t));
	struct fat_dirent *d = malloc(sizeof(*d));
	if (!h || !leaf || !d || !(h->path = strdup(path)) || !(h->buf = malloc(v->g.cluster_size))) {
		rc = cb_errf(e, CB_ENOMEM, "%s: no memory", what);
		goto fail;
	}
	h->v = v;
	snprintf(h->what.s, sizeof(h->what.s), "%s", what);
	struct fat_dir_ref parent;
	size_t n;
	if ((rc = fat_resolve_parent(v, path, &parent, leaf, &n, e)) < 0)
		goto fail;
	if ((rc = fat_name_check_new(leaf, n, what, e)) < 0)
		goto fail;
	rc = fat_dir_find(v, parent, leaf, n, what, d, e);
	if (rc == 0) {
		if (d->attr & FAT_ATTR_DIR) {
			rc = cb_errf(e, CB_EINVAL, "%s: is a directory", what);
			goto fail;
		}
		h->had_old = true;
		h->old_first = d->first_cluster;
		h->old_chain_ok = d->first_cluster != 0 && fat_chain_whole(v, d->first_cluster, what);
	} else if (rc != CB_ENOENT) {
		goto fail;
	}
	free(leaf);
	free(d);
	*out = h;
	return 0;
fail:
	free(leaf);
	free(d);
	if (h) {
		free(h->path);
		free(h->buf);
		free(h);
	}
	return cb_err_prefix(e, "fat: ");
}

/* Allocates count clusters after the chain and writes data into them, one device write per contiguous run. */
static int write_clusters(struct fat_wfile *h, const uint8_t *data, uint64_t count, struct cb_err *e)
{
	struct fat_vol *v = h->v;
	uint32_t cs = v->g.cluster_size;
	uint32_t run_start = 0;
	uint64_t run_len = 0;
	const uint8_t *run_data = data;
	for (uint64_t i = 0; i < count; i++) {
		uint32_t c;
		int rc = fat_alloc_cluster(v, h->last, &c, e);
		if (rc < 0)
			return rc;
		if (!h->first)
			h->first = c;
		h->last = c;
		if (run_len && c == run_start + run_len) {
			run_len++;
			continue;
		}
		if (run_len && (rc = fat_dev_write(v, fat_cluster_offset(v, run_start), run_data, run_len * cs, e)) < 0)
			return rc;
		run_data = data + i * cs;
		run_start = c;
		run_len = 1;
	}
	if (run_len)
		return fat_dev_write(v, fat_cluster_offset(v, run_start), run_data, run_len * cs, e);
	return 0;
}

int fat_file_write(struct fat_wfile *h, const void *data, size_t len, struct cb_err *e)
{
	if (h->err)
		return cb_errf(e, h->err, "fat: %s: an earlier write to this file failed", h->what.s);
	struct fat_vol *v = h->v;
	int rc = fat_check_writable(v, e);
	if (rc < 0)
		return h->err = rc;
	if (len > FAT_FILE_MAX - h->size)
		return h->err = cb_errf(e, CB_ELIMIT, "fat: %s: FAT files are limited to 4 GiB - 1 bytes", h->what.s);
	const uint8_t *p = data;
	uint32_t cs = v->g.cluster_size;
	while (len) {
		if (h->buf_len || len < cs) {
			size_t k = cs - h->buf_len < len ? cs - h->buf_len : len;
			memcpy(h->buf + h->buf_len, p, k);
			h->buf_len += (uint32_t)k;
			p += k, len -= k, h->size += k;
			if (h->buf_len == cs) {
				if ((rc = write_clusters(h, h->buf, 1, e)) < 0)
					goto fail;
				h->buf_len = 0;
			}
			continue;
		}
		uint64_t whole = len / cs;
		if ((rc = write_clusters(h, p, whole, e)) < 0)
			goto fail;
		p += whole * cs, len -= whole * cs, h->size += whole * cs;
	}
	return 0;
fail:
	h->err = rc;
	return cb_err_prefix(e, "fat: %s: ", h->what.s);
}

static void release(struct fat_wfile *h)
{
	free(h->path);
	free(h->buf);
	free(h);
}

/* Frees the new chain after a failure (best effort; lost clusters at worst). */
static void drop_chain(struct fat_wfile *h)
{
	struct cb_err e2;
	if (h->first && !h->v->broken && fat_free_chain(h->v, h->first, h->what.s, &e2) == 0)
		fat_flush(h->v, &e2);
	h->first = h->last = 0;
}

void fat_file_abort(struct fat_wfile *h)
{
	if (!h)
		return;
	drop_chain(h);
	release(h);
}

int fat_file_finish(struct fat_wfile *h, struct cb_err *e)
{
	struct fat_vol *v = h->v;
	uint16_t *leaf = malloc(FAT_LFN_MAX * sizeof(uint16_t));
	struct fat_dirent *d = malloc(sizeof(*d));
	int rc = 0;
	bool switched = false;
	if (h->err) {
		rc = cb_errf(e, h->err, "%s: an earlier write to this file failed", h->what.s);
		goto out;
	}
	if (!leaf || !d) {
		rc = cb_errf(e, CB_ENOMEM, "%s: no memory", h->what.s);
		goto out;
	}
	if ((rc = fat_check_writable(v, e)) < 0)
		goto out;
	if (h->buf_len) {
		memset(h->buf + h->buf_len, 0, v->g.cluster_size - h->buf_len);
		if ((rc = write_clusters(h, h->buf, 1, e)) < 0)
			goto out;
		h->buf_len = 0;
	}
	if ((rc = fat_flush(v, e)) < 0) /* data and chain are on disk before any entry points at them */
		goto out;

	struct fat_dir_ref parent;
	size_t n;
	if ((rc = fat_resolve_parent(v, h->path, &parent, leaf, &n, e)) < 0)
		goto out;
	rc = fat_dir_find(v, parent, leaf, n, h->what.s, d, e);
	if (rc == 0) {
		if (d->attr & FAT_ATTR_DIR) {
			rc = cb_errf(e, CB_EINVAL, "%s: is a directory", h->what.s);
			goto out;
		}
		uint8_t sfn[32];
		memcpy(sfn, d->raw, 32);
		uint8_t fresh[32];
		fat_sfn_init(v, fresh, 0, h->first, (uint32_t)h->size);
		memcpy(sfn + 18, fresh + 18, 14); /* access date, cluster, write time/date, size */
		sfn[11] |= FAT_ATTR_ARCHIVE;
		uint32_t old = d->first_cluster;
		bool old_ok = (h->had_old && old == h->old_first) ? h->old_chain_ok
		                                                   : (old != 0 && fat_chain_whole(v, old, h->what.s));
		if ((rc = fat_dir_update(v, d, sfn, e)) < 0)
			goto out;
		switched = true;
		if (old && old_ok && (rc = fat_free_chain(v, old, h->what.s, e)) < 0) {
			cb_err_prefix(e, "replaced, but freeing the old clusters failed: ");
			fat_flush(v, &(struct cb_err){0});
			goto out;
		}
	} else if (rc == CB_ENOENT) {
		uint8_t sfn[32];
		fat_sfn_init(v, sfn, FAT_ATTR_ARCHIVE, h->first, (uint32_t)h->size);
		if ((rc = fat_dir_add(v, parent, leaf, n, sfn, h->what.s, e)) < 0)
			goto out;
		switched = true;
	} else {
		goto out;
	}
	rc = fat_flush(v, e);
out:
	if (!switched)
		drop_chain(h);
	release(h);
	free(leaf);
	free(d);
	return rc < 0 ? cb_err_prefix(e, "fat: ") : 0;
}

int fat_write_file(struct cb_fs *fs, const char *path, const void *data, uint64_t len, struct cb_err *e)
{
	struct fat_what wb;
	if (len > FAT_FILE_MAX)
		return cb_errf(e, CB_ELIMIT, "fat: %s: FAT files are limited to 4 GiB - 1 bytes", fat_what(path, &wb));
	struct fat_wfile *h;
	int rc = fat_file_create(fs, path, &h, e);
	if (rc < 0)
		return rc;
	const uint8_t *p = data;
	while (len) {
		size_t k = len > (1u << 30) ? (1u << 30) : (size_t)len;
		if ((rc = fat_file_write(h, p, k, e)) < 0) {
			fat_file_abort(h);
			return rc;
		}
		p += k;
		len -= k;
	}
	return fat_file_finish(h, e);
}
