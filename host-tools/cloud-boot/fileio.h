/* fileio.h: the host tools' two small file chores: read a small text file (keys, plans) whole with a size cap,
 * and write a buffer to a descriptor completely. Replacing files is outfile.h's job. POSIX. */
#ifndef CLOUD_BOOT_FILEIO_H
#define CLOUD_BOOT_FILEIO_H

#include <stddef.h>

#include "cb_err.h"

/* *buf (malloc'ed, NUL-terminated; *len without the NUL) = the file at path, at most max bytes. Messages do not
 * name the file (callers prefix it): "No such file or directory" (CB_ENOENT), "not a regular file" (CB_EINVAL),
 * "larger than N bytes" (CB_ELIMIT). */
int fileio_read_small(const char *path, size_t max, char **buf, size_t *len, struct cb_err *e);

/* Writes all len bytes to fd (retrying short writes and EINTR); CB_EIO "write error: <reason>". */
int fileio_write_all(int fd, const void *buf, size_t len, struct cb_err *e);

#endif
