/* elf2efi: writes OUTPUT atomically: a mkstemp file next to it, fully written and fsync'ed, given the
 * usual umask-derived mode, then renamed over OUTPUT; on any failure the temporary file is removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_io.h"

static int fail(char *err, size_t errlen, const char *what, int fd, const char *tmp)
{
	int e = errno;

	snprintf(err, errlen, "%s: %s", what, strerror(e));
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	return -1;
}

int e2e_write_atomic(const char *path, const uint8_t *data, size_t len, char *err, size_t errlen)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + sizeof(".tmpXXXXXX"));
	mode_t mask;
	int fd, r;

	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmpXXXXXX", sizeof(".tmpXXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		r = fail(err, errlen, "cannot create temporary file", -1, NULL);
		free(tmp);
		return r;
	}
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			r = fail(err, errlen, "write error", fd, tmp);
			free(tmp);
			return r;
		}
		off += (size_t)w;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || fsync(fd) < 0) {
		r = fail(err, errlen, "write error", fd, tmp);
		free(tmp);
		return r;
	}
	if (close(fd) < 0) {
		r = fail(err, errlen, "write error", -1, tmp);
		free(tmp);
		return r;
	}
	if (rename(tmp, path) < 0) {
		r = fail(err, errlen, "cannot rename temporary file into place", -1, tmp);
		free(tmp);
		return r;
	}
	free(tmp);
	return 0;
}
