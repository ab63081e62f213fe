/* gpt_fuzz.c: libFuzzer target for the GPT reader (and the whole part_scan decision): the input is a disk
 * image; every partition found must be openable as a view whose bounds hold. Run: tests/fuzz/run.sh gpt S. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blockdev_mem.h"
#include "part.h"

static void check_table(struct cb_blockdev *dev, const struct part_table *t)
{
	for (unsigned i = 0; i < t->count; i++) {
		const struct part_info *p = &t->parts[i];
		if (p->first_lba > p->last_lba || p->start + p->size > dev->size || p->size == 0)
			abort(); /* a partition outside the disk must never be reported */
		struct cb_blockdev *v;
		struct cb_err e;
		if (part_open(dev, p, &v, &e) != 0)
			abort();
		uint8_t b[2];
		if (v->read(v, v->size - 1, b, 1, &e) != 0 || v->read(v, v->size - 1, b, 2, &e) == 0)
			abort();
		v->close(v);
		char s[37];
		part_uuid_string(t, p, s);
		if (part_by_number(t, p->number) == NULL)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (4u << 20))
		return 0;
	uint8_t *img = malloc(size ? size : 1);
	if (!img)
		return 0;
	memcpy(img, data, size);
	for (int k = 0; k < 2; k++) {
		struct blockdev_mem m;
		blockdev_mem_init(&m, img, size, k ? 4096 : 512, false, "fuzz");
		struct part_table t;
		struct cb_err e = { 0, "" };
		int rc = gpt_scan(&m.dev, &t, &e);
		if (rc == 0) {
			check_table(&m.dev, &t);
			part_table_free(&t);
		} else if (!e.msg[0]) {
			abort();
		}
		e.msg[0] = 0;
		rc = part_scan(&m.dev, &t, &e);
		if (rc == 0) {
			check_table(&m.dev, &t);
			part_table_free(&t);
		} else if (!e.msg[0]) {
			abort();
		}
	}
	free(img);
	return 0;
}
