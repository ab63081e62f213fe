/* mbr_fuzz.c: libFuzzer target for the MBR reader and its extended/logical chain: the input is a disk
 * image; reported partitions must lie on the disk and inside their bounds. Run: tests/fuzz/run.sh mbr S. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blockdev_mem.h"
#include "part.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (4u << 20))
		return 0;
	uint8_t *img = malloc(size ? size : 1);
	if (!img)
		return 0;
	memcpy(img, data, size);
	struct blockdev_mem m;
	blockdev_mem_init(&m, img, size, 512, false, "fuzz");
	struct part_table t;
	struct cb_err e = { 0, "" };
	int rc = mbr_scan(&m.dev, &t, &e);
	if (rc == 0) {
		if (t.count > 4 + MBR_MAX_LOGICAL)
			abort();
		for (unsigned i = 0; i < t.count; i++) {
			const struct part_info *p = &t.parts[i];
			if (p->start + p->size > size || p->size == 0 || p->number == 0)
				abort();
			if (i && t.parts[i - 1].number >= p->number)
				abort(); /* sorted, unique numbers */
			struct cb_blockdev *v;
			if (part_open(&m.dev, p, &v, &e) != 0)
				abort();
			uint8_t b;
			if (v->read(v, v->size - 1, &b, 1, &e) != 0)
				abort();
			v->close(v);
		}
		part_table_free(&t);
	} else if (!e.msg[0]) {
		abort();
	}
	free(img);
	return 0;
}
