/* blockdev_file.c: cb_blockdev over a file descriptor (pread/pwrite, EINTR and short transfers retried).
 * No caching here: fs/blockcache.c sits on top when a filesystem wants one. */
#define _GNU_SOURCE
#include "blockdev_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/fs.h>
#include <sys/ioctl.h>
#endif

#include "cb_checked.h"

struct fdev {
	struct cb_blockdev dev;
	int fd;
	char name[];
};

static int f_read(struct cb_blockdev *dev, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	struct fdev *f = dev->priv;
	if (!cb_in_bounds(off, len, dev->size))
		return cb_errf(e, CB_EIO, "%s: read of %zu bytes at offset %llu is past the end (%llu bytes)", dev->name,
			       len, (unsigned long long)off, (unsigned long long)dev->size);
	uint8_t *p = buf;
	while (len) {
		size_t chunk = len > (1u << 30) ? (1u << 30) : len;
		ssize_t n = pread(f->fd, p, chunk, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cb_errf(e, CB_EIO, "%s: read at offset %llu: %s", dev->name, (unsigned long long)off,
				       strerror(errno));
		if (n == 0)
			return cb_errf(e, CB_EIO, "%s: unexpected end of file at offset %llu", dev->name,
				       (unsigned long long)off);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int f_write(struct cb_blockdev *dev, uint64_t off, const void *buf, size_t len, struct cb_err *e)
{
	struct fdev *f = dev->priv;
	if (!cb_in_bounds(off, len, dev->size))
		return cb_errf(e, CB_EIO, "%s: write of %zu bytes at offset %llu is past the end (%llu bytes)", dev->name,
			       len, (unsigned long long)off, (unsigned long long)dev->size);
	const uint8_t *p = buf;
	while (len) {
		size_t chunk = len > (1u << 30) ? (1u << 30) : len;
		ssize_t n = pwrite(f->fd, p, chunk, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return cb_errf(e, CB_EIO, "%s: write at offset %llu: %s", dev->name, (unsigned long long)off,
				       n < 0 ? strerror(errno) : "no progress");
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static void f_close(struct cb_blockdev *dev)
{
	struct fdev *f = dev->priv;
	close(f->fd);
	free(f);
}

int blockdev_file_open(const char *path, bool writable, struct cb_blockdev **out, struct cb_err *e)
{
	int fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return cb_errf(e, errno == ENOENT ? CB_ENOENT : CB_EIO, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int err = errno;
		close(fd);
		return cb_errf(e, CB_EIO, "%s: %s", path, strerror(err));
	}
	uint64_t size = 0;
	uint32_t ss = 512;
	if (S_ISREG(st.st_mode)) {
		size = (uint64_t)st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
#ifdef __linux__
		int bss = 0;
		if (ioctl(fd, BLKGETSIZE64, &size) != 0) {
			int err = errno;
			close(fd);
			return cb_errf(e, CB_EIO, "%s: BLKGETSIZE64: %s", path, strerror(err));
		}
		if (ioctl(fd, BLKSSZGET, &bss) == 0 && bss >= 512 && bss <= 65536)
			ss = (uint32_t)bss;
#else
		off_t end = lseek(fd, 0, SEEK_END);
		size = end > 0 ? (uint64_t)end : 0;
#endif
	} else {
		close(fd);
		return cb_errf(e, CB_EINVAL, "%s: not a regular file or block device", path);
	}
	size_t nlen = strlen(path);
	struct fdev *f = malloc(sizeof(*f) + nlen + 1);
	if (!f) {
		close(fd);
		return cb_errf(e, CB_ENOMEM, "%s: out of memory", path);
	}
	memcpy(f->name, path, nlen + 1);
	f->fd = fd;
	f->dev.read = f_read;
	f->dev.write = writable ? f_write : NULL;
	f->dev.close = f_close;
	f->dev.size = size;
	f->dev.sector_size = ss;
	f->dev.name = f->name;
	f->dev.priv = f;
	*out = &f->dev;
	return 0;
}
