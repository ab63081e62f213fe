/* outfile.c: temporary-file-then-rename output for the host tools (cloud-boot cache-disk and nvram,
 * cloud-boot-iso): mkstemp next to the target, fchmod, fsync, rename; the temporary file is removed on failure. */
#include "outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(struct outfile *o, const char *path, bool replace, struct cb_err *e)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->path = path;
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!replace)
			return cb_errf(e, CB_EINVAL, "exists (use --force to replace it)");
		if (!S_ISREG(st.st_mode))
			return cb_errf(e, CB_EINVAL, "exists and is not a regular file");
		o->mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		return cb_errf(e, CB_EIO, "%s", strerror(errno));
	} else {
		mode_t mask = umask(0);
		umask(mask);
		o->mode = 0666 & ~mask;
	}
	size_t n = strlen(path);
	o->tmp = malloc(n + sizeof(".tmpXXXXXX"));
	if (!o->tmp)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	memcpy(o->tmp, path, n);
	memcpy(o->tmp + n, ".tmpXXXXXX", sizeof(".tmpXXXXXX"));
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0) {
		int err = errno;
		free(o->tmp);
		o->tmp = NULL;
		return cb_errf(e, CB_EIO, "cannot create a temporary file next to it: %s", strerror(err));
	}
	return 0;
}

int outfile_commit(struct outfile *o, struct cb_err *e)
{
	const char *what = "fchmod";
	if (fchmod(o->fd, (mode_t)o->mode) < 0 || (what = "fsync", fsync(o->fd) < 0))
		goto fail;
	int fd = o->fd;
	o->fd = -1;
	what = "close";
	if (close(fd) < 0)
		goto fail;
	what = "rename";
	if (rename(o->tmp, o->path) < 0)
		goto fail;
	free(o->tmp);
	o->tmp = NULL;
	return 0;
fail:;
	int err = errno;
	outfile_abort(o);
	return cb_errf(e, CB_EIO, "%s of the temporary file: %s", what, strerror(err));
}

void outfile_abort(struct outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
}
