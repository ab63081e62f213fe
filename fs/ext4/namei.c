/* namei.c: path → inode resolution from the root, component by component, following symlinks with a
 * budget of 40 hops (absolute targets restart at this filesystem's root). No dentry cache. */
#include <stdlib.h>
#include <string.h>

#include "ext4_int.h"

int ext4_resolve(struct ext4_fs *fs, const char *path, bool follow_last, struct ext4_inode *out, struct cb_err *e)
{
	size_t plen = strlen(path);
	if (plen >= EXT4_PATH_MAX)
		return cb_errf(e, CB_ELIMIT, "path longer than %u bytes", EXT4_PATH_MAX - 1);
	/* buf holds what is left to resolve: a symlink target followed by the rest of the path. */
	size_t cap = 2 * EXT4_PATH_MAX + 2;
	char *buf = malloc(cap), *link = malloc(EXT4_PATH_MAX), *tmp = malloc(cap);
	struct ext4_inode cur, child;
	memset(&cur, 0, sizeof(cur));
	int rc;
	if (!buf || !link || !tmp) {
		rc = cb_errf(e, CB_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(buf, path, plen + 1);
	rc = ext4_inode_read(fs, EXT4_ROOT_INO, &cur, e);
	if (rc)
		goto out;
	size_t pos = 0;
	unsigned hops = 0;
	for (;;) {
		while (buf[pos] == '/')
			pos++;
		if (!buf[pos])
			break;
		size_t s = pos;
		while (buf[pos] && buf[pos] != '/')
			pos++;
		size_t len = pos - s;
		if (len > EXT4_NAME_MAX) {
			rc = cb_errf(e, CB_ELIMIT, "a path component is longer than %u bytes", EXT4_NAME_MAX);
			goto out;
		}
		if (!ext4_is_dir(&cur)) {
			rc = cb_errf(e, CB_ENOENT, "'%.*s': a parent is not a directory", (int)len, buf + s);
			goto out;
		}
		if (len == 1 && buf[s] == '.')
			continue;
		uint32_t ino;
		rc = ext4_dir_lookup(fs, &cur, buf + s, len, &ino, e);
		if (rc == CB_ENOENT)
			rc = cb_errf(e, CB_ENOENT, "'%.*s': no such file or directory", (int)len, buf + s);
		if (rc)
			goto out;
		rc = ext4_inode_read(fs, ino, &child, e);
		if (rc)
			goto out;
		size_t r = pos;
		while (buf[r] == '/')
			r++;
		bool last = !buf[r];
		if (ext4_is_lnk(&child) && (!last || follow_last)) {
			if (++hops > EXT4_SYMLINK_HOPS) {
				ext4_inode_release(&child);
				rc = cb_errf(e, CB_ELIMIT, "too many levels of symbolic links (limit %u)", EXT4_SYMLINK_HOPS);
				goto out;
			}
			rc = ext4_read_symlink(fs, &child, link, EXT4_PATH_MAX, e);
			ext4_inode_release(&child);
			if (rc)
				goto out;
			size_t llen = strlen(link), rlen = strlen(buf + pos);
			if (llen + rlen + 1 >= cap) {
				rc = cb_errf(e, CB_ELIMIT, "path grows past %zu bytes through symbolic links", cap - 1);
				goto out;
			}
			memcpy(tmp, link, llen);
			memcpy(tmp + llen, buf + pos, rlen + 1);
			memcpy(buf, tmp, llen + rlen + 1);
			pos = 0;
			if (link[0] == '/') {
				ext4_inode_release(&cur);
				rc = ext4_inode_read(fs, EXT4_ROOT_INO, &cur, e);
				if (rc)
					goto out;
			}
			continue;
		}
		ext4_inode_release(&cur);
		cur = child;
	}
	*out = cur;
	cur.raw = NULL;
	rc = 0;
out:
	ext4_inode_release(&cur);
	free(buf);
	free(link);
	free(tmp);
	return rc;
}
