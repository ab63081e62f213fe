/* fat_path.c: path resolution: splits on '/' or '\', resolves "." and ".." lexically (FAT has no links),
 * bounds length and depth, and walks directories from the root. No directory parsing of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat_internal.h"

const char *fat_what(const char *path, struct fat_what *w)
{
	size_t n = strnlen(path, FAT_PATH_MAX + 1);
	if (n < FAT_WHAT_MAX)
		return path;
	const char *tail = path + n - (FAT_WHAT_MAX - 4);
	while (((uint8_t)*tail & 0xC0) == 0x80)
		tail++;
	snprintf(w->s, sizeof(w->s), "...%s", tail);
	return w->s;
}

struct comp {
	uint32_t off, len;
};

/* Normalises path into components; returns their count or <0. */
static int split(const char *path, const char *what, struct comp *c, struct cb_err *e)
{
	size_t len = strnlen(path, FAT_PATH_MAX + 1);
	if (len > FAT_PATH_MAX)
		return cb_errf(e, CB_ELIMIT, "path longer than %u bytes", FAT_PATH_MAX);
	int n = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && (path[i] == '/' || path[i] == '\\'))
			i++;
		size_t s = i;
		while (i < len && path[i] != '/' && path[i] != '\\')
			i++;
		size_t l = i - s;
		if (l == 0 || (l == 1 && path[s] == '.'))
			continue;
		if (l == 2 && path[s] == '.' && path[s + 1] == '.') {
			if (n > 0)
				n--;
			continue;
		}
		if (n >= (int)FAT_DEPTH_MAX)
			return cb_errf(e, CB_ELIMIT, "%s: more than %u path components", what, FAT_DEPTH_MAX);
		c[n].off = (uint32_t)s;
		c[n].len = (uint32_t)l;
		n++;
	}
	return n;
}

/* Walks comps[0..n) as directories from the root. */
static int walk(struct fat_vol *v, const char *path, const char *what, const struct comp *c, int n,
                struct fat_dir_ref *dir, struct fat_dirent *tmp, struct cb_err *e)
{
	*dir = fat_root_ref(v);
	for (int i = 0; i < n; i++) {
		uint16_t u[FAT_LFN_MAX];
		size_t un;
		int rc = fat_utf8_to_utf16(path + c[i].off, c[i].len, u, FAT_LFN_MAX, &un, e);
		if (rc < 0)
			return cb_err_prefix(e, "%s: ", what);
		if ((rc = fat_dir_find(v, *dir, u, un, what, tmp, e)) < 0)
			return rc;
		if (!(tmp->attr & FAT_ATTR_DIR)) {
			uint32_t l = c[i].len < 60 ? c[i].len : 60;
			while (l < c[i].len && l > 0 && ((uint8_t)path[c[i].off + l] & 0xC0) == 0x80)
				l--; /* whole characters only */
			return cb_errf(e, CB_EINVAL, "%s: %.*s%s is not a directory", what, (int)l, path + c[i].off,
			               l < c[i].len ? "..." : "");
		}
		if ((rc = fat_dirent_dir_ref(v, tmp, what, dir, e)) < 0)
			return rc;
	}
	return 0;
}

int fat_resolve(struct fat_vol *v, const char *path, struct fat_node *out, struct cb_err *e)
{
	struct comp *c = malloc(FAT_DEPTH_MAX * sizeof(*c));
	if (!c)
		return cb_errf(e, CB_ENOMEM, "no memory for a path");
	struct fat_what wb;
	const char *what = fat_what(path, &wb);
	int n = split(path, what, c, e), rc = n;
	if (n < 0)
		goto out;
	out->is_root = n == 0;
	if (n == 0) {
		out->parent = fat_root_ref(v);
		rc = 0;
		goto out;
	}
	if ((rc = walk(v, path, what, c, n - 1, &out->parent, &out->ent, e)) < 0)
		goto out;
	uint16_t u[FAT_LFN_MAX];
	size_t un;
	if ((rc = fat_utf8_to_utf16(path + c[n - 1].off, c[n - 1].len, u, FAT_LFN_MAX, &un, e)) < 0) {
		cb_err_prefix(e, "%s: ", what);
		goto out;
	}
	rc = fat_dir_find(v, out->parent, u, un, what, &out->ent, e);
out:
	free(c);
	return rc;
}

int fat_resolve_parent(struct fat_vol *v, const char *path, struct fat_dir_ref *parent, uint16_t *leaf,
                       size_t *leaf_len, struct cb_err *e)
{
	struct comp *c = malloc(FAT_DEPTH_MAX * sizeof(*c));
	struct fat_dirent *tmp = malloc(sizeof(*tmp));
	int rc;
	if (!c || !tmp) {
		rc = cb_errf(e, CB_ENOMEM, "no memory for a path");
		goto out;
	}
	struct fat_what wb;
	const char *what = fat_what(path, &wb);
	int n = split(path, what, c, e);
	if ((rc = n) < 0)
		goto out;
	if (n == 0) {
		rc = cb_errf(e, CB_EINVAL, "%s: path names the root directory", what);
		goto out;
	}
	if ((rc = walk(v, path, what, c, n - 1, parent, tmp, e)) < 0)
		goto out;
	if ((rc = fat_utf8_to_utf16(path + c[n - 1].off, c[n - 1].len, leaf, FAT_LFN_MAX, leaf_len, e)) < 0)
		cb_err_prefix(e, "%s: ", what);
out:
	free(c);
	free(tmp);
	return rc;
}
