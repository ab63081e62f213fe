/* outfile.h: how the host tools replace a file: a temporary file next to it, written completely, fsync'ed,
 * then renamed over it, so a failed run never leaves half an image. Not for reading files. POSIX. */
#ifndef CLOUD_BOOT_OUTFILE_H
#define CLOUD_BOOT_OUTFILE_H

#include <stdbool.h>

#include "cb_err.h"

struct outfile {
	const char *path; /* the final name */
	char *tmp;        /* the temporary file, NULL once committed or aborted */
	int fd;
	int mode;         /* permission bits to give it: the replaced file's, else 0666 & ~umask */
};

/* Refuses an existing path unless replace is set (CB_EINVAL, "exists (use --force to replace it)"), then
 * creates the temporary file. e->msg never names the file: callers prefix it. */
int outfile_open(struct outfile *o, const char *path, bool replace, struct cb_err *e);
/* Gives the temporary file its mode, fsyncs, closes and renames it over path. Aborts on failure. */
int outfile_commit(struct outfile *o, struct cb_err *e);
/* Closes and removes the temporary file (a no-op after commit). */
void outfile_abort(struct outfile *o);

#endif
