/* fat_corrupt_test.c: corrupted images (seeded byte flips in the boot sector, FATs and directories of
 * mkfs.fat + mcopy images) read and written under ASan/UBSan: a clean error or success, never a crash or hang. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blockdev_mem.h"
#include "fat.h"
#include "fat_internal.h"
#include "fat_test_util.h"

#define TRIALS 200
#define TRIAL_SECONDS 20

static volatile int cur_trial;
static const char *volatile cur_tag;

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "fat corrupt: trial timed out (hang)\n";
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(4);
	_exit(3);
}

struct budget {
	struct cb_fs *fs;
	long entries, bytes;
	int errors;
};

static void walk(struct budget *b, const char *dir, int depth);

struct wctx {
	struct budget *b;
	const char *dir;
	int depth;
};

static int cb(void *vctx, const char *name, const struct cb_fs_stat *st)
{
	struct wctx *c = vctx;
	if (--c->b->entries <= 0)
		return 1;
	char *p;
	if (asprintf(&p, "%s/%s", c->dir, name) < 0)
		abort();
	struct cb_err e;
	struct cb_fs *fs = c->b->fs;
	if ((st->mode & CB_S_IFMT) == CB_S_IFDIR) {
		if (c->depth < 12)
			walk(c->b, p, c->depth + 1);
	} else {
		struct cb_file *f;
		if (fs->ops->open(fs, p, &f, &e) == 0) {
			uint8_t buf[65536];
			uint64_t off = 0;
			long n;
			while (c->b->bytes > 0 && (n = fs->ops->pread(f, off, buf, sizeof(buf), &e)) > 0) {
				off += (uint64_t)n;
				c->b->bytes -= n;
			}
			fs->ops->file_close(f);
		} else {
			c->b->errors++;
		}
		struct cb_fs_stat s2;
		fs->ops->lstat(fs, p, &s2, &e);
	}
	free(p);
	return 0;
}

static void walk(struct budget *b, const char *dir, int depth)
{
	struct wctx c = {.b = b, .dir = dir, .depth = depth};
	struct cb_err e;
	if (b->fs->ops->readdir(b->fs, dir[0] ? dir : "/", cb, &c, &e) < 0)
		b->errors++;
}

/* Returns 0 if it did not mount, 1 if everything read cleanly, 2 if something reported an error. */
static int read_all(uint8_t *img, size_t len)
{
	struct blockdev_mem m;
	blockdev_mem_init(&m, img, len, 512, false, "corrupt");
	struct cb_fs *fs;
	struct cb_err e;
	if (fat_mount(&m.dev, false, &fs, &e) < 0) {
		CHECK(e.msg[0] != 0, "mount failed without a message");
		return 0;
	}
	struct budget b = {.fs = fs, .entries = 5000, .bytes = 32 << 20};
	walk(&b, "", 0);
	uint64_t t, f;
	fat_statfs(fs, &t, &f, &e);
	char label[64];
	fat_label(fs, label, sizeof(label));
	char lnk[16];
	fs->ops->readlink(fs, "/x", lnk, sizeof(lnk), &e);
	fs->ops->unmount(fs);
	return b.errors ? 2 : 1;
}

static void write_some(uint8_t *img, size_t len, struct rng *r)
{
	struct blockdev_mem m;
	blockdev_mem_init(&m, img, len, 512, true, "corrupt");
	struct cb_fs *fs;
	struct cb_err e;
	if (fat_mount(&m.dev, true, &fs, &e) < 0)
		return;
	uint8_t data[9000];
	rng_fill(r, data, sizeof(data));
	fat_mkdir(fs, "/cz", &e);
	fat_write_file(fs, "/cz/f", data, rng_below(r, sizeof(data)), &e);
	fat_write_file(fs, "/a long file name.txt", data, rng_below(r, sizeof(data)), &e);
	fat_write_file(fs, "/dir1/file1.bin", data, 100, &e); /* replace an existing file, if it still is one */
	fat_mkdir_p(fs, "/p/q/r", &e);
	fat_unlink(fs, "/cz/f", &e);
	fat_unlink(fs, "/readme.txt", &e);
	fat_unlink(fs, "/dir1/sub", &e);
	uint64_t t, f;
	fat_statfs(fs, &t, &f, &e);
	fat_sync(fs, &e);
	fs->ops->unmount(fs);
}

static void corrupt_one(const char *tag, const char *mkfs_args, unsigned kib, uint64_t seed)
{
	const char *img = tmp_path(tag);
	char *qi = shq(img), *out = NULL;
	unlink(img);
	char *src;
	if (asprintf(&src, "%s/csrc", tmp_dir()) < 0)
		abort();
	char *qs = shq(src);
	int rc = run_cmd(&out,
	                 "mkfs.fat -C %s %s %u && rm -rf %s && mkdir -p %s/dir1/sub/deeper %s/dir2 && "
	                 "echo hello > %s/readme.txt && head -c 70000 /dev/zero | tr '\\0' a > %s/dir1/file1.bin && "
	                 "head -c 3000 /dev/zero | tr '\\0' b > '%s/dir1/sub/A long name.txt' && "
	                 "for i in $(seq 1 40); do echo $i > \"%s/dir2/entry number $i.txt\"; done && "
	                 "touch %s/dir1/sub/deeper/empty && mcopy -s -i %s %s/dir1 %s/dir2 %s/readme.txt ::/",
	                 mkfs_args, qi, kib, qs, qs, qs, qs, qs, src, src, qs, qi, qs, qs, qs);
	CHECK(rc == 0, "setup %s: %s", tag, out);
	free(out);
	uint8_t *base;
	size_t len;
	if (!file_read_all(img, &base, &len)) {
		CHECK(0, "read %s", img);
		return;
	}
	struct fat_geom g;
	struct cb_err e;
	CHECK_OK(fat_bpb_parse(base, len, &g, &e), &e, tag);
	CHECK(read_all(base, len) == 1, "%s: the uncorrupted image does not mount", tag);
	/* Regions: the BPB, the used start of FAT #0, the root directory (fixed or first clusters), the first
	 * data clusters (subdirectories and file data). */
	uint64_t dir_off = g.type == 32 ? g.data_offset : g.root_offset;
	uint64_t regions[4][2] = {{0, 96}, {g.fat_offset, 384}, {dir_off, 2048}, {g.data_offset, 64 * 1024}};
	struct rng r = {.s = seed};
	uint8_t *img2 = malloc(len), *img3 = malloc(len);
	int mounted = 0, errors = 0;
	for (int t = 0; t < TRIALS; t++) {
		cur_trial = t;
		cur_tag = tag;
		alarm(TRIAL_SECONDS);
		memcpy(img2, base, len);
		int region = t % 4;
		int flips = 1 + (int)rng_below(&r, 8);
		for (int k = 0; k < flips; k++) {
			uint64_t off = regions[region][0] + rng_below(&r, (uint32_t)regions[region][1]);
			uint32_t how = rng_below(&r, 4);
			img2[off] = how == 0 ? 0x00 : how == 1 ? 0xFF : (uint8_t)(img2[off] ^ (1 + rng_below(&r, 255)));
		}
		memcpy(img3, img2, len);
		int got = read_all(img2, len);
		mounted += got > 0;
		errors += got == 2;
		CHECK(memcmp(img2, img3, len) == 0, "%s trial %d: a read-only mount changed the image", tag, t);
		write_some(img3, len, &r);
		read_all(img3, len); /* whatever the writes did, reading it again is still safe */
		alarm(0);
		if (fat_test_failures > 10)
			break;
	}
	printf("%s: %d trials: %d did not mount, %d mounted and met errors, %d read cleanly\n", tag, TRIALS,
	       TRIALS - mounted, errors, mounted - errors);
	CHECK(mounted > TRIALS / 4 && mounted < TRIALS && errors > TRIALS / 20,
	      "%s: corruption too weak or too strong (%d mounted, %d with errors)", tag, mounted, errors);
	free(img2);
	free(img3);
	free(base);
	free(qi);
	free(qs);
	free(src);
}

int fat_test_corrupt(void)
{
	signal(SIGALRM, on_alarm);
	corrupt_one("c12.img", "-F 12", 1024, 1212);
	corrupt_one("c16.img", "-F 16 -s 1", 4096, 1616);
	corrupt_one("c32.img", "-F 32", 34 * 1024, 3232);
	return 0;
}
