/* fat_test_util.h: shared helpers of the FAT tests: checks that count failures, a seeded PRNG, a scratch
 * directory, running dosfstools/mtools and reading their output, whole-file I/O and image checks. */
#ifndef FAT_TEST_UTIL_H
#define FAT_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cb_err.h"

extern int fat_test_failures;

#define CHECK(cond, ...)                                                                                      \
	do {                                                                                                  \
		if (!(cond)) {                                                                                \
			fat_test_failures++;                                                                  \
			fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);              \
			fprintf(stderr, __VA_ARGS__);                                                         \
			fputc('\n', stderr);                                                                  \
		}                                                                                             \
	} while (0)
/* rc must be 0; prints the error context otherwise. */
#define CHECK_OK(rc, e, what) CHECK((rc) == 0, "%s: rc=%d (%s) %s", (what), (rc), cb_status_str(rc), (e)->msg)

/* xorshift64*: deterministic across platforms. */
struct rng {
	uint64_t s;
};
uint64_t rng_next(struct rng *r);
uint32_t rng_below(struct rng *r, uint32_t n); /* 0..n-1 */
void rng_fill(struct rng *r, void *buf, size_t len);

/* A fresh scratch directory (removed by tmp_cleanup). */
const char *tmp_dir(void);
void tmp_cleanup(void);
/* A path inside the scratch directory (static buffer rotation: valid for a few calls). */
const char *tmp_path(const char *name);

/* Shell quoting (malloc'd). */
char *shq(const char *s);
/* Runs a shell command; returns the exit status (-1 if it did not exit normally). Output captured into *out
 * (malloc'd, may be NULL). */
int run_cmd(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* fsck.vfat -n: true if it exits 0 and prints nothing but its banner and summary. Prints the output if not. */
bool fsck_clean(const char *img);

bool file_read_all(const char *path, uint8_t **data, size_t *len);
bool file_write_all(const char *path, const void *data, size_t len);
/* Creates (truncates) a zero-filled file of size bytes. */
bool file_create_zero(const char *path, uint64_t size);

/* All FAT copies of the image are identical (parses the BPB). */
bool fat_copies_equal(const uint8_t *img, size_t len);

#endif
