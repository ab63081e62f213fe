/* fdt_test.c: runtime/common/fdt.c against real device trees dumped by QEMU (riscv64 and aarch64 virt) and
 * against every truncation and many byte flips of them (must fail cleanly, never read out of bounds).
 * Usage: fdt_test RISCV64.dtb AARCH64.dtb */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fdt.h"

static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	unsigned char *buf = malloc(1 << 20);
	*size = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* A copy of exactly n bytes, so ASan catches any read past the end. */
static int read_copy(const unsigned char *blob, size_t n, const char *path, const char *prop, uint64_t *v,
                     struct cb_err *e)
{
	unsigned char *c = malloc(n ? n : 1);
	memcpy(c, blob, n);
	int rc = fdt_read_uint(c, n, path, prop, v, e);
	free(c);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: fdt_test RISCV64.dtb AARCH64.dtb\n");
		return 2;
	}
	size_t rsize, asize;
	unsigned char *rv = slurp(argv[1], &rsize), *arm = slurp(argv[2], &asize);
	struct cb_err e = {0};
	uint64_t v = 0;

	CHECK(fdt_read_uint(rv, rsize, "/cpus", "timebase-frequency", &v, &e) == CB_OK && v == 10000000,
	      "riscv64 timebase: rc %s, %llu", e.msg, (unsigned long long)v);
	CHECK(fdt_read_uint(rv, rsize, "/cpus/cpu@0", "reg", &v, &e) == CB_OK && v == 0, "riscv64 cpu@0 reg");
	CHECK(fdt_read_uint(rv, rsize, "/", "#address-cells", &v, &e) == CB_OK && v == 2, "root #address-cells");
	CHECK(fdt_read_uint(arm, asize, "/cpus", "timebase-frequency", &v, &e) == CB_ENOENT &&
	          strcmp(e.msg, "fdt: no timebase-frequency in /cpus") == 0,
	      "aarch64 has no timebase-frequency: %s", e.msg);
	CHECK(fdt_read_uint(rv, rsize, "/nosuch", "timebase-frequency", &v, &e) == CB_ENOENT, "missing node");
	CHECK(fdt_read_uint(rv, rsize, "/cpus", "compatible", &v, &e) == CB_ENOENT, "string prop of /cpus absent");
	CHECK(fdt_read_uint(rv, rsize, "/cpus/cpu@0", "compatible", &v, &e) == CB_EINVAL &&
	          strstr(e.msg, "not 4 or 8"),
	      "non-integer property refused: %s", e.msg);

	/* Every truncation: CB_EINVAL (or, for the header's own size check, CB_EINVAL too), never a crash. */
	for (size_t n = 0; n < rsize; n++) {
		int rc = read_copy(rv, n, "/cpus", "timebase-frequency", &v, &e);
		CHECK(rc == CB_EINVAL, "truncated to %zu: rc %d", n, rc);
	}
	/* Byte flips: any outcome but a crash or an out-of-bounds read (ASan) is acceptable. */
	srand(1);
	unsigned char *m = malloc(rsize);
	for (int t = 0; t < 20000; t++) {
		memcpy(m, rv, rsize);
		for (int k = 0; k < 1 + t % 4; k++)
			m[(size_t)rand() % rsize] ^= (unsigned char)(1 + rand() % 255);
		read_copy(m, rsize, "/cpus", "timebase-frequency", &v, &e);
	}
	free(m);
	free(rv);
	free(arm);
	return check_summary("fdt_test");
}
