/* ext4_fuzz.c: libFuzzer target for the ext4 driver: the input is a whole filesystem image on a memory
 * blockdev; mount, walk the tree with limits, read every file, run kernel discovery. Crashes, sanitizer
 * reports, hangs and errors without a message are bugs. Build/run: tests/fuzz/run.sh ext4 SECONDS. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blockdev_mem.h"
#include "discover.h"
#include "ext4/ext4.h"
#include "fs_walk.h"
#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2048 || size > (8u << 20))
		return 0;
	uint8_t *img = malloc(size);
	if (!img)
		return 0;
	memcpy(img, data, size);
	struct blockdev_mem m;
	blockdev_mem_init(&m, img, size, 512, false, "fuzz");
	struct fs_probe pr;
	struct cb_err e = { 0, "" };
	(void)fs_probe(&m.dev, &pr, &e);
	struct cb_fs *fs;
	int rc = ext4_mount(&m.dev, &fs, &e);
	if (rc) {
		if (!fs_walk_msg_ok(e.msg))
			abort(); /* every refusal says why */
	} else {
		struct fs_walk w;
		memset(&w, 0, sizeof(w));
		w.fs = fs;
		w.max_depth = 6;
		w.max_entries = 256;
		w.max_file_bytes = 1u << 20;
		w.max_total_bytes = 8u << 20;
		if (fs_walk_all(&w))
			abort();
		struct discover_result r;
		(void)discover_boot_files(fs, NULL, NULL, &r, &e);
		fs->ops->unmount(fs);
	}
	free(img);
	return 0;
}
