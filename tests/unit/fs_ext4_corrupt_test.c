/* fs_ext4_corrupt_test.c: corruption harness for the ext4 driver. Loads a fixture image into memory and,
 * per trial (deterministic seed), changes 1-8 bytes inside its metadata (listed by a map file made with
 * debugfs/dumpe2fs by tests/fs/ext4_corrupt.sh: superblock/GDT, inodes, directory and extent blocks), half of
 * them in the structure's header fields (dirent rec_len/name_len, extent headers, inode size/flags/i_block…),
 * then mounts, walks and reads everything with limits.
 * Every failure must carry a message; crashes are caught by ASan/UBSan, hangs by a per-trial alarm.
 * Usage: fs_ext4_corrupt_test IMAGE MAP TRIALS SEED */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blockdev_mem.h"
#include "discover.h"
#include "ext4/ext4.h"
#include "fs_walk.h"

static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

/* A byte inside a header field of the structure at [base, base+len) (the image is pristine here). */
static uint64_t field_offset(const uint8_t *img, char kind, uint64_t base, uint64_t len, unsigned bs)
{
	const uint8_t *p = img + base;
	switch (kind) {
	case 'i': { /* mode, size, links, blocks, flags, i_block, file_acl/size_high, extra_isize, xattr start */
		static const uint16_t fields[][2] = { { 0x00, 2 }, { 0x04, 4 }, { 0x1A, 2 }, { 0x1C, 4 }, { 0x20, 4 },
						      { 0x28, 60 }, { 0x68, 8 }, { 0x80, 2 }, { 0xA0, 32 } };
		unsigned n = len > 128 ? 9 : 7;
		unsigned k = (unsigned)(rnd() % n);
		return base + fields[k][0] + rnd() % fields[k][1];
	}
	case 'x': { /* extent header, then the first entries */
		unsigned entries = p[2] | p[3] << 8;
		if (entries > 8)
			entries = 8;
		return base + rnd() % (12 + 12 * (uint64_t)entries);
	}
	case 'd': { /* a dirent header (inode, rec_len, name_len, type) along the chain, or the dx root fields */
		uint64_t offs[512];
		unsigned n = 0;
		for (uint64_t o = 0; o + 8 <= len && n < 512;) {
			offs[n++] = o;
			unsigned rl = p[o + 4] | p[o + 5] << 8;
			if (bs >= 65536 && (rl == 0 || rl == 65535))
				rl = 65536;
			if (rl < 8)
				break;
			o += rl;
		}
		if (rnd() % 4 == 0 && len >= 48)
			return base + 24 + rnd() % 24; /* dx_root_info, count/limit, first entries */
		/* The last entry of a block is where a bad rec_len/name_len would run off the end: favour it,
		 * and favour rec_len (4-5) and name_len (6). */
		uint64_t e = (rnd() & 1) ? offs[n - 1] : offs[rnd() % n];
		return base + e + ((rnd() % 3) ? 4 + rnd() % 3 : rnd() % 8);
	}
	default: /* superblock / descriptors: the first 0x180 bytes hold every field we read */
		return base + rnd() % (len < 0x180 ? len : 0x180);
	}
}

static unsigned current_trial;
static void on_alarm(int sig)
{
	(void)sig;
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "fs_ext4_corrupt: trial %u hung (no progress for 60 s)\n", current_trial);
	if (write(2, msg, (size_t)n) < 0)
		_exit(3);
	_exit(3);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s IMAGE MAP TRIALS SEED\n", argv[0]);
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(argv[1]);
		return 2;
	}
	size_t size = (size_t)st.st_size;
	uint8_t *img = malloc(size);
	for (size_t got = 0; got < size;) {
		ssize_t n = read(fd, img + got, size - got);
		if (n <= 0) {
			perror("read");
			return 2;
		}
		got += (size_t)n;
	}
	close(fd);
	FILE *mf = fopen(argv[2], "r");
	if (!mf) {
		perror(argv[2]);
		return 2;
	}
	unsigned bs = 0;
	struct region { char kind; uint64_t off, len; } *reg = calloc(65536, sizeof(*reg));
	unsigned nr = 0;
	if (fscanf(mf, "bs %u", &bs) != 1 || !bs) {
		fprintf(stderr, "%s: no 'bs N' line\n", argv[2]);
		return 2;
	}
	char kind;
	unsigned long long blk, o, ln;
	while (nr < 65536 && fscanf(mf, " %c %llu %llu %llu", &kind, &blk, &o, &ln) == 4) {
		uint64_t off = blk * bs + o;
		if (!ln || off + ln > size)
			continue;
		reg[nr].kind = kind;
		reg[nr].off = off;
		reg[nr].len = ln;
		nr++;
	}
	fclose(mf);
	if (!nr) {
		fprintf(stderr, "%s: no metadata ranges\n", argv[2]);
		return 2;
	}
	unsigned trials = (unsigned)strtoul(argv[3], NULL, 10);
	uint64_t seed = strtoull(argv[4], NULL, 0);
	signal(SIGALRM, on_alarm);
	unsigned mount_ok = 0, mount_refused = 0, silent = 0, read_errors = 0;
	for (unsigned t = 0; t < trials; t++) {
		current_trial = t;
		rng_state = (seed + t) * 0x9E3779B97F4A7C15ull | 1;
		for (int k = 0; k < 10; k++)
			rnd();
		unsigned flips = 1 + (unsigned)(rnd() % 8);
		uint64_t off[8];
		uint8_t old[8];
		for (unsigned f = 0; f < flips; f++) {
			/* A kind first (s, i, d, x equally likely when present), then one of its structures. */
			const struct region *r;
			do
				r = &reg[rnd() % nr];
			while (r->kind != "sidx"[rnd() % 4] && rnd() % 16);
			uint64_t at = r->off + rnd() % r->len;
			if (rnd() & 1)
				at = field_offset(img, r->kind, r->off, r->len, bs);
			off[f] = at;
			old[f] = img[at];
			static const uint8_t special[] = { 0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE };
			img[at] = (rnd() & 1) ? special[rnd() % sizeof(special)] : (uint8_t)(img[at] ^ (1 + rnd() % 255));
		}
		alarm(60);
		struct blockdev_mem m;
		blockdev_mem_init(&m, img, size, 512, false, "fixture");
		struct cb_fs *fs;
		struct cb_err e = { 0, "" };
		int rc = ext4_mount(&m.dev, &fs, &e);
		if (rc) {
			mount_refused++;
			if (!fs_walk_msg_ok(e.msg)) {
				silent++;
				printf("trial %u: mount refused (%d) without a message\n", t, rc);
			}
		} else {
			mount_ok++;
			struct fs_walk w;
			memset(&w, 0, sizeof(w));
			w.fs = fs;
			w.max_depth = 8;
			w.max_entries = 4000;
			w.max_file_bytes = 1u << 20;
			w.max_total_bytes = 64u << 20;
			unsigned s0 = fs_walk_all(&w);
			if (s0) {
				silent += s0;
				printf("trial %u: %u errors without a message\n", t, s0);
			}
			read_errors += w.errors;
			struct discover_result dr;
			(void)discover_boot_files(fs, NULL, NULL, &dr, &e);
			fs->ops->unmount(fs);
		}
		alarm(0);
		for (unsigned f = flips; f-- > 0;)
			img[off[f]] = old[f];
	}
	printf("fs_ext4_corrupt: %s: %u trials over %u metadata structures: %u mounted, %u refused, %u read errors, "
	       "%u without a message\n", argv[1], trials, nr, mount_ok, mount_refused, read_errors, silent);
	free(img);
	free(reg);
	return silent ? 1 : 0;
}
