/* fat_fuzz.c: libFuzzer target over fs/fat: the input is a whole FAT image in memory, mounted read-only and
 * walked (bounded), then mounted writable on a copy for a few writes whose names and sizes come from the input.
 * Links: fs/fat/fat_*.c, fs/blockdev_mem.c, runtime/common/cb_err.c; include dirs runtime/common, fs, fs/fat.
 * Build (tests/fuzz/run.sh fat SECONDS does the same), from the repository root:
 *   clang-19 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I runtime/common -I fs \
 *     -I fs/fat tests/fuzz/fat_fuzz.c fs/fat/fat_*.c fs/blockdev_mem.c runtime/common/cb_err.c -o fat_fuzz
 *   ./fat_fuzz -max_len=65536 -timeout=10 tests/fuzz/corpus/fat
 * Seeds (tests/fuzz/corpus/fat, each <= 64 KiB): mkfs.fat --invariant -F 12 images filled with mcopy/mmd
 * (empty12: -r 16, 40 KiB, empty; files12: 64 KiB, label, long names, nested and empty directories, empty and
 * multi-cluster files; small12: -f 1 -r 16 -s 2, 48 KiB) and small32 (mkfs.fat -F 32, 64 KiB: 94 clusters,
 * which mtools reads as FAT12, so it was filled through fat_write_file; fsck.vfat -n is clean on all four). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockdev_mem.h"
#include "fat.h"

#define MAX_ENTRIES 2000
#define MAX_BYTES (4 << 20)
#define MAX_DEPTH 8

struct walk {
	struct cb_fs *fs;
	long entries, bytes;
	char first_file[512]; /* a path to overwrite in the writable pass */
};

static void walk_dir(struct walk *w, const char *dir, int depth);

struct wctx {
	struct walk *w;
	const char *dir;
	int depth;
};

static int on_entry(void *vctx, const char *name, const struct cb_fs_stat *st)
{
	struct wctx *c = vctx;
	struct walk *w = c->w;
	if (--w->entries <= 0)
		return 1;
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", c->dir, name);
	struct cb_err e;
	struct cb_fs_stat st2;
	(void)w->fs->ops->lstat(w->fs, path, &st2, &e);
	if ((st->mode & CB_S_IFMT) == CB_S_IFDIR) {
		if (c->depth < MAX_DEPTH)
			walk_dir(w, path, c->depth + 1);
		return 0;
	}
	if (!w->first_file[0])
		snprintf(w->first_file, sizeof(w->first_file), "%s", path);
	struct cb_file *f;
	if (w->fs->ops->open(w->fs, path, &f, &e) == 0) {
		uint8_t buf[4096];
		uint64_t off = 0;
		long n;
		while (w->bytes > 0 && (n = w->fs->ops->pread(f, off, buf, sizeof(buf), &e)) > 0) {
			off += (uint64_t)n;
			w->bytes -= n;
		}
		if (f->st.size > 3) /* an unaligned read in the middle */
			(void)w->fs->ops->pread(f, f->st.size / 3, buf, 3, &e);
		w->fs->ops->file_close(f);
	}
	return 0;
}

static void walk_dir(struct walk *w, const char *dir, int depth)
{
	struct wctx c = {.w = w, .dir = dir, .depth = depth};
	struct cb_err e;
	(void)w->fs->ops->readdir(w->fs, dir[0] ? dir : "/", on_entry, &c, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 512 || size > (1u << 20))
		return 0;
	uint8_t *img = malloc(size);
	memcpy(img, data, size);
	struct blockdev_mem m;
	struct cb_fs *fs;
	struct cb_err e;
	struct walk w = {.entries = MAX_ENTRIES, .bytes = MAX_BYTES};

	/* Read-only: everything reachable, within limits; the image must not change. */
	blockdev_mem_init(&m, img, size, 512, false, "fuzz");
	if (fat_mount(&m.dev, false, &fs, &e) == 0) {
		w.fs = fs;
		walk_dir(&w, "", 0);
		uint64_t total, freeb;
		(void)fat_statfs(fs, &total, &freeb, &e);
		char label[64];
		(void)fat_label(fs, label, sizeof(label));
		struct cb_file *f;
		if (fs->ops->open(fs, "/EFI/BOOT/../boot/BOOTX64.EFI", &f, &e) == 0)
			fs->ops->file_close(f);
		if (fat_mkdir(fs, "/ro", &e) != CB_EINVAL)
			abort(); /* a read-only mount must refuse */
		fs->ops->unmount(fs);
		if (memcmp(img, data, size) != 0)
			abort();
	}

	/* Writable, on the copy: a few operations shaped by the input's last bytes; then read it all again. */
	blockdev_mem_init(&m, img, size, 512, true, "fuzz");
	if (fat_mount(&m.dev, true, &fs, &e) == 0) {
		uint8_t k = data[size - 1], l = data[size - 2];
		char name[64];
		snprintf(name, sizeof(name), "/d%u/%s", k % 4, (k & 8) ? "A long name for a new file.txt" : "NEW.TXT");
		(void)fat_mkdir_p(fs, "/d0/x/y", &e);
		(void)fat_mkdir(fs, "/d1", &e);
		(void)fat_mkdir(fs, "/d2", &e);
		(void)fat_write_file(fs, name, data, (size_t)l * 37 % size, &e);
		if (w.first_file[0])
			(void)fat_write_file(fs, w.first_file, data + 1, (size_t)k * 13 % (size - 1), &e);
		struct fat_wfile *h;
		if (fat_file_create(fs, "/d2/streamed", &h, &e) == 0) {
			(void)fat_file_write(h, data, size / 3, &e);
			if (k & 1)
				(void)fat_file_finish(h, &e);
			else
				fat_file_abort(h);
		}
		if (k & 2)
			(void)fat_unlink(fs, name, &e);
		if (w.first_file[0] && (k & 4))
			(void)fat_unlink(fs, w.first_file, &e);
		(void)fat_unlink(fs, "/d0/x/y", &e);
		uint64_t total, freeb;
		(void)fat_statfs(fs, &total, &freeb, &e);
		(void)fat_sync(fs, &e);
		fs->ops->unmount(fs);

		blockdev_mem_init(&m, img, size, 512, false, "fuzz");
		if (fat_mount(&m.dev, false, &fs, &e) == 0) {
			struct walk w2 = {.fs = fs, .entries = MAX_ENTRIES, .bytes = MAX_BYTES};
			walk_dir(&w2, "", 0);
			fs->ops->unmount(fs);
		}
	}
	free(img);
	return 0;
}
