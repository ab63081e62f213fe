/* fat_test_util.c: helpers behind fat_test_util.h (host only: POSIX processes, files and directories). */
#define _GNU_SOURCE
#include "fat_test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fat_internal.h"

int fat_test_failures;

uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ull;
}

uint32_t rng_below(struct rng *r, uint32_t n) { return n ? (uint32_t)(rng_next(r) % n) : 0; }

void rng_fill(struct rng *r, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		uint64_t x = rng_next(r);
		size_t k = len < 8 ? len : 8;
		memcpy(p, &x, k);
		p += k;
		len -= k;
	}
}

static char tmpdir[256];

const char *tmp_dir(void)
{
	if (!tmpdir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tmpdir, sizeof(tmpdir), "%s/fat_test.XXXXXX", base && *base ? base : "/tmp");
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			exit(2);
		}
	}
	return tmpdir;
}

void tmp_cleanup(void)
{
	if (tmpdir[0] && !getenv("FAT_TEST_KEEP")) {
		char *q = shq(tmpdir);
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", q);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
		free(q);
	} else if (tmpdir[0]) {
		fprintf(stderr, "scratch kept in %s\n", tmpdir);
	}
}

const char *tmp_path(const char *name)
{
	static char bufs[8][512];
	static int k;
	char *b = bufs[k++ % 8];
	snprintf(b, sizeof(bufs[0]), "%s/%s", tmp_dir(), name);
	return b;
}

char *shq(const char *s)
{
	size_t n = 3;
	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 4 : 1;
	char *q = malloc(n), *o = q;
	*o++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *p;
		}
	}
	*o++ = '\'';
	*o = 0;
	return q;
}

int run_cmd(char **out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = NULL;
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	char *full = NULL;
	if (asprintf(&full, "%s 2>&1", cmd) < 0)
		abort();
	free(cmd);
	FILE *f = popen(full, "r");
	free(full);
	if (!f)
		return -1;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	buf[len] = 0;
	int st = pclose(f);
	if (out)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

bool fsck_clean(const char *img)
{
	char *q = shq(img), *out = NULL;
	int rc = run_cmd(&out, "fsck.vfat -n %s", q);
	bool ok = rc == 0;
	/* Only "fsck.fat 4.2 (...)" and "<img>: N files, a/b clusters" are allowed. */
	for (char *line = out, *next; ok && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (!*line || strncmp(line, "fsck.fat ", 9) == 0)
			continue;
		char *c = strstr(line, ": ");
		unsigned a, b, f;
		if (c && sscanf(c, ": %u files, %u/%u clusters", &f, &a, &b) == 3)
			continue;
		ok = false;
	}
	if (!ok) {
		char *again = NULL;
		run_cmd(&again, "fsck.vfat -n %s", q);
		fprintf(stderr, "fsck.vfat -n %s (exit %d):\n%s", img, rc, again);
		free(again);
	}
	free(out);
	free(q);
	return ok;
}

bool file_read_all(const char *path, uint8_t **data, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return false;
	}
	size_t n = (size_t)st.st_size;
	uint8_t *buf = malloc(n ? n : 1);
	size_t done = 0;
	while (done < n) {
		ssize_t r = read(fd, buf + done, n - done);
		if (r <= 0)
			break;
		done += (size_t)r;
	}
	close(fd);
	if (done != n) {
		free(buf);
		return false;
	}
	*data = buf;
	*len = n;
	return true;
}

bool file_write_all(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return false;
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, (const char *)data + done, len - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	return done == len;
}

bool file_create_zero(const char *path, uint64_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return false;
	bool ok = ftruncate(fd, (off_t)size) == 0;
	close(fd);
	return ok;
}

bool fat_copies_equal(const uint8_t *img, size_t len)
{
	struct fat_geom g;
	struct cb_err e;
	if (len < 512 || fat_bpb_parse(img, len, &g, &e) < 0) {
		fprintf(stderr, "fat_copies_equal: %s\n", e.msg);
		return false;
	}
	for (uint32_t k = 1; k < g.num_fats; k++)
		if (memcmp(img + g.fat_offset, img + g.fat_offset + k * g.fat_bytes, g.fat_bytes) != 0) {
			fprintf(stderr, "FAT #%u differs from FAT #0\n", k);
			return false;
		}
	return true;
}
