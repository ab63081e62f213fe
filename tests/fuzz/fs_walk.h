/* fs_walk.h: a bounded walk of a mounted cb_fs for fuzzers and corruption tests: every directory (depth and
 * entry limits), every file read (byte limits), every symlink read and followed. Counts errors and flags
 * any error that came back without a message. Test code only (header-only, static). */
#ifndef FS_WALK_H
#define FS_WALK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfs.h"

struct fs_walk {
	struct cb_fs *fs;
	unsigned max_depth, max_entries; /* entries per directory */
	uint64_t max_file_bytes, max_total_bytes;
	/* results */
	unsigned dirs, files, links, errors, entries, silent_errors;
	uint64_t bytes;
	uint8_t *buf; /* 64 KiB */
};

struct fs_walk_names {
	char (*name)[256];
	uint32_t *mode;
	unsigned n, max;
};

static int fs_walk_collect(void *ctx, const char *name, const struct cb_fs_stat *st)
{
	struct fs_walk_names *l = ctx;
	if (l->n >= l->max)
		return 1;
	snprintf(l->name[l->n], 256, "%s", name);
	l->mode[l->n] = st->mode;
	l->n++;
	return 0;
}

/* A message made only of context prefixes ("ext4: /x: ") says nothing: count it as silent too. */
static int fs_walk_msg_ok(const char *msg)
{
	size_t n = strlen(msg);
	return n > 0 && !(n >= 2 && msg[n - 2] == ':' && msg[n - 1] == ' ');
}

static void fs_walk_err(struct fs_walk *w, int rc, const struct cb_err *e)
{
	w->errors++;
	if (rc >= 0 || !fs_walk_msg_ok(e->msg))
		w->silent_errors++;
}

static void fs_walk_file(struct fs_walk *w, const char *path)
{
	struct cb_file *f;
	struct cb_err e = { 0, "" };
	int rc = w->fs->ops->open(w->fs, path, &f, &e);
	if (rc) {
		fs_walk_err(w, rc, &e);
		return;
	}
	w->files++;
	uint64_t off = 0;
	/* Read the start, then jump to the end: sparse and huge files stay cheap. */
	while (off < f->st.size && off < w->max_file_bytes && w->bytes < w->max_total_bytes) {
		e.msg[0] = 0;
		long n = w->fs->ops->pread(f, off, w->buf, 65536, &e);
		if (n < 0) {
			fs_walk_err(w, (int)n, &e);
			break;
		}
		if (n == 0)
			break;
		w->bytes += (uint64_t)n;
		off += (uint64_t)n;
	}
	if (f->st.size > 65536) {
		long n = w->fs->ops->pread(f, f->st.size - 65536, w->buf, 65536, &e);
		if (n < 0)
			fs_walk_err(w, (int)n, &e);
	}
	w->fs->ops->file_close(f);
}

static void fs_walk_dir(struct fs_walk *w, const char *path, unsigned depth)
{
	struct fs_walk_names l;
	l.max = w->max_entries;
	l.n = 0;
	l.name = malloc((size_t)l.max * sizeof(*l.name));
	l.mode = malloc((size_t)l.max * sizeof(*l.mode));
	if (!l.name || !l.mode)
		goto out;
	struct cb_err e = { 0, "" };
	int rc = w->fs->ops->readdir(w->fs, path, fs_walk_collect, &l, &e);
	if (rc == 1) /* our collector was full: not an error */
		rc = 0;
	if (rc < 0)
		fs_walk_err(w, rc, &e);
	w->dirs++;
	for (unsigned i = 0; i < l.n; i++) {
		char child[1024];
		snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", l.name[i]);
		w->entries++;
		e.msg[0] = 0;
		/* readdir's stat is lstat's; call lstat itself on every 16th entry only (it costs a lookup). */
		if ((w->entries & 15) == 0) {
			struct cb_fs_stat st;
			rc = w->fs->ops->lstat(w->fs, child, &st, &e);
			if (rc)
				fs_walk_err(w, rc, &e);
		}
		switch (l.mode[i] & CB_S_IFMT) {
		case CB_S_IFDIR:
			if (depth + 1 < w->max_depth)
				fs_walk_dir(w, child, depth + 1);
			break;
		case CB_S_IFREG:
			fs_walk_file(w, child);
			break;
		case CB_S_IFLNK: {
			char target[4096];
			w->links++;
			e.msg[0] = 0;
			rc = w->fs->ops->readlink(w->fs, child, target, sizeof(target), &e);
			if (rc)
				fs_walk_err(w, rc, &e);
			fs_walk_file(w, child); /* follows: loops, dangling and dirs give errors */
			break;
		}
		default:
			break;
		}
	}
out:
	free(l.name);
	free(l.mode);
}

/* Walks from "/"; returns the number of errors without a message (must be 0). */
static unsigned fs_walk_all(struct fs_walk *w)
{
	uint8_t *buf = malloc(65536);
	if (!buf)
		return 0;
	w->buf = buf;
	fs_walk_dir(w, "/", 0);
	free(buf);
	w->buf = NULL;
	return w->silent_errors;
}

#endif
