/* fileio.c: fileio_read_small and fileio_write_all (see fileio.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

int fileio_read_small(const char *path, size_t max, char **buf, size_t *len, struct cb_err *e)
{
	*buf = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0) {
		int rc = cb_errf(e, errno == ENOENT ? CB_ENOENT : CB_EIO, "%s", strerror(errno));
		if (f)
			fclose(f);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		fclose(f);
		return cb_errf(e, CB_EINVAL, "not a regular file");
	}
	char *b = malloc(max + 2);
	size_t n = b ? fread(b, 1, max + 1, f) : 0;
	int rc = 0;
	if (!b)
		rc = cb_errf(e, CB_ENOMEM, "out of memory");
	else if (ferror(f))
		rc = cb_errf(e, CB_EIO, "read error");
	else if (n > max)
		rc = cb_errf(e, CB_ELIMIT, "larger than %zu bytes", max);
	fclose(f);
	if (rc) {
		free(b);
		return rc;
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

int fileio_write_all(int fd, const void *buf, size_t len, struct cb_err *e)
{
	const char *p = buf;
	while (len) {
		ssize_t k = write(fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return cb_errf(e, CB_EIO, "write error: %s", k < 0 ? strerror(errno) : "no progress");
		p += k;
		len -= (size_t)k;
	}
	return 0;
}
