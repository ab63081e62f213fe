/* fat_mkdir.c: namespace changes other than file data: mkdir (a zeroed cluster with "." and ".." linked
 * before its entry), mkdir -p, and unlink of files and empty directories (entry first, clusters after). */
#include <stdlib.h>
#include <string.h>

#include "fat_internal.h"

int fat_mkdir(struct cb_fs *fs, const char *path, struct cb_err *e)
{
	struct fat_vol *v = fat_vol_get(fs);
	if (!v)
		return cb_errf(e, CB_EINVAL, "fat: not a FAT file system");
	int rc = fat_check_writable(v, e);
	if (rc < 0)
		return rc;
	struct fat_what wb;
	const char *what = fat_what(path, &wb);
	uint16_t *leaf = malloc(FAT_LFN_MAX * sizeof(uint16_t));
	struct fat_dirent *d = malloc(sizeof(*d));
	uint8_t *buf = calloc(1, v->g.cluster_size);
	uint32_t c = 0;
	bool linked = false;
	if (!leaf || !d || !buf) {
		rc = cb_errf(e, CB_ENOMEM, "%s: no memory", what);
		goto out;
	}
	struct fat_dir_ref parent;
	size_t n;
	if ((rc = fat_resolve_parent(v, path, &parent, leaf, &n, e)) < 0)
		goto out;
	if ((rc = fat_name_check_new(leaf, n, what, e)) < 0)
		goto out;
	rc = fat_dir_find(v, parent, leaf, n, what, d, e);
	if (rc == 0) {
		if (!(d->attr & FAT_ATTR_DIR))
			rc = cb_errf(e, CB_EINVAL, "%s: exists and is not a directory", what);
		goto out;
	}
	if (rc != CB_ENOENT)
		goto out;
	if ((rc = fat_alloc_cluster(v, 0, &c, e)) < 0)
		goto out;
	/* "." and "..": the parent is 0 when it is the root, on FAT32 too. */
	uint32_t up = (parent.fixed_root || parent.cluster == v->g.root_cluster) ? 0 : parent.cluster;
	fat_sfn_init(v, buf, FAT_ATTR_DIR, c, 0);
	buf[0] = '.';
	fat_sfn_init(v, buf + 32, FAT_ATTR_DIR, up, 0);
	buf[32] = buf[33] = '.';
	if ((rc = fat_dev_write(v, fat_cluster_offset(v, c), buf, v->g.cluster_size, e)) < 0)
		goto out;
	if ((rc = fat_flush(v, e)) < 0)
		goto out;
	uint8_t sfn[32];
	fat_sfn_init(v, sfn, FAT_ATTR_DIR, c, 0);
	if ((rc = fat_dir_add(v, parent, leaf, n, sfn, what, e)) < 0)
		goto out;
	linked = true;
	rc = fat_flush(v, e);
out:
	if (c && !linked && !v->broken) {
		struct cb_err e2;
		if (fat_free_chain(v, c, what, &e2) == 0)
			fat_flush(v, &e2);
	}
	free(leaf);
	free(d);
	free(buf);
	return rc < 0 ? cb_err_prefix(e, "fat: ") : 0;
}

int fat_mkdir_p(struct cb_fs *fs, const char *path, struct cb_err *e)
{
	struct fat_vol *v = fat_vol_get(fs);
	if (!v)
		return cb_errf(e, CB_EINVAL, "fat: not a FAT file system");
	int rc = fat_check_writable(v, e);
	if (rc < 0)
		return rc;
	size_t len = strnlen(path, FAT_PATH_MAX + 1);
	if (len > FAT_PATH_MAX)
		return cb_errf(e, CB_ELIMIT, "fat: path longer than %u bytes", FAT_PATH_MAX);
	char *p = malloc(len + 1);
	struct fat_node *node = malloc(sizeof(*node));
	if (!p || !node) {
		rc = cb_errf(e, CB_ENOMEM, "fat: out of memory");
		goto out;
	}
	memcpy(p, path, len + 1);
	for (size_t i = 1; i <= len && rc == 0; i++) {
		if (i < len && p[i] != '/' && p[i] != '\\')
			continue;
		if (p[i - 1] == '/' || p[i - 1] == '\\')
			continue;
		char saved = p[i];
		p[i] = 0;
		rc = fat_resolve(v, p, node, e);
		struct fat_what wb;
		if (rc == 0 && !node->is_root && !(node->ent.attr & FAT_ATTR_DIR))
			rc = cb_errf(e, CB_EINVAL, "fat: %s: exists and is not a directory", fat_what(p, &wb));
		else if (rc == CB_ENOENT)
			rc = fat_mkdir(fs, p, e);
		else if (rc < 0)
			cb_err_prefix(e, "fat: ");
		p[i] = saved;
	}
out:
	free(p);
	free(node);
	return rc;
}

int fat_unlink(struct cb_fs *fs, const char *path, struct cb_err *e)
{
	struct fat_vol *v = fat_vol_get(fs);
	if (!v)
		return cb_errf(e, CB_EINVAL, "fat: not a FAT file system");
	int rc = fat_check_writable(v, e);
	if (rc < 0)
		return rc;
	struct fat_what wb;
	const char *what = fat_what(path, &wb);
	struct fat_node *node = malloc(sizeof(*node));
	struct fat_dirent *tmp = malloc(sizeof(*tmp));
	if (!node || !tmp) {
		rc = cb_errf(e, CB_ENOMEM, "%s: no memory", what);
		goto out;
	}
	if ((rc = fat_resolve(v, path, node, e)) < 0)
		goto out;
	if (node->is_root) {
		rc = cb_errf(e, CB_EINVAL, "%s: cannot remove the root directory", what);
		goto out;
	}
	struct fat_dirent *d = &node->ent;
	if (d->attr & FAT_ATTR_DIR) {
		struct fat_dir_ref dir;
		struct fat_dir_iter it;
		if ((rc = fat_dirent_dir_ref(v, d, what, &dir, e)) < 0)
			goto out;
		if ((rc = fat_dir_iter_init(&it, v, dir, what, e)) < 0)
			goto out;
		rc = fat_dir_next(&it, tmp, e);
		fat_dir_iter_fini(&it);
		if (rc > 0)
			rc = cb_errf(e, CB_EINVAL, "%s: directory not empty", what);
		if (rc < 0)
			goto out;
	}
	uint32_t first = d->first_cluster;
	bool free_it = first != 0 && fat_chain_whole(v, first, what); /* else leave the clusters to fsck */
	if ((rc = fat_dir_remove(v, d, e)) < 0)
		goto out;
	if (free_it && (rc = fat_free_chain(v, first, what, e)) < 0) {
		fat_flush(v, &(struct cb_err){0});
		goto out;
	}
	rc = fat_flush(v, e);
out:
	free(node);
	free(tmp);
	return rc < 0 ? cb_err_prefix(e, "fat: ") : 0;
}
