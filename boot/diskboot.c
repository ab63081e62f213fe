/* diskboot.c: Path B, cloudboot.disk=: pick the disk/partition, mount its root filesystem read-only, find the
 * kernel and initrd (fs/discover), read them into memory, build the kernel cmdline and hand over. */
#include "diskboot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "blockdev_efi.h"
#include "discover.h"
#include "disk_select.h"
#include "handoff.h"
#include "image_buf.h"
#include "log.h"
#include "probe.h"
#include "progress.h"

#define DISK_FILE_MAX (1ull << 30) /* a kernel or initrd larger than 1 GiB is refused */
#define CMDLINE_MAX 4096

static void mount_warning(void *ctx, const char *msg)
{
	(void)ctx;
	log_warn("%s", msg);
}

/* Reads a whole regular file into page memory, with the progress bar. */
static int read_file(struct cb_fs *fs, const char *path, const char *label, struct image_buf *out, struct cb_err *e)
{
	struct cb_file *f = NULL;
	int rc = fs->ops->open(fs, path, &f, e);
	if (rc)
		return rc;
	uint64_t size = f->st.size;
	if (size > DISK_FILE_MAX) {
		fs->ops->file_close(f);
		return cb_errf(e, CB_ELIMIT, "%s: %llu bytes exceeds the %llu-byte limit", path, (unsigned long long)size,
		               (unsigned long long)DISK_FILE_MAX);
	}
	if ((rc = image_buf_alloc(out, (size_t)size, e))) {
		fs->ops->file_close(f);
		return rc;
	}
	struct progress bar;
	progress_start(&bar, label, size);
	uint64_t off = 0;
	while (off < size) {
		size_t chunk = size - off > (4u << 20) ? (4u << 20) : (size_t)(size - off);
		long n = fs->ops->pread(f, off, out->data + off, chunk, e);
		if (n < 0) {
			rc = (int)n;
			break;
		}
		if (n == 0) {
			rc = cb_errf(e, CB_EIO, "%s: file ended at %llu of %llu bytes", path, (unsigned long long)off,
			             (unsigned long long)size);
			break;
		}
		off += (uint64_t)n;
		progress_update(&bar, off);
	}
	progress_finish(&bar);
	fs->ops->file_close(f);
	if (rc)
		image_buf_free(out);
	return rc;
}

/* Appends " word" (or "word" at the start) to buf; false when it does not fit. */
static bool append_word(char *buf, size_t cap, const char *word)
{
	size_t n = strlen(buf), w = strlen(word);
	if (!w)
		return true;
	if (n + (n ? 1 : 0) + w + 1 > cap)
		return false;
	if (n)
		buf[n++] = ' ';
	memcpy(buf + n, word, w + 1);
	return true;
}

/* The kernel's cmdline: the non-cloudboot.* words of CloudBootCmdline and LoadOptions (a UEFI shell's argv[0],
 * the loader's own file name, dropped), then cloudboot.cmdline, then root=UUID=<fs uuid> ro unless a root=
 * was given. */
static int build_cmdline(const struct knobs *k, const struct fs_probe *pr, char *out, size_t cap,
                         struct cb_err *e)
{
	static const enum knob_source srcs[] = { KNOB_SRC_EFIVAR, KNOB_SRC_LOADOPTIONS, KNOB_SRC_COUNT };
	out[0] = 0;
	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		size_t count = 1;
		const char *w = srcs[i] == KNOB_SRC_COUNT ? knobs_get(k, "cmdline") : knobs_other(k, srcs[i], &count);
		if (!w || !count)
			continue;
		if (srcs[i] == KNOB_SRC_LOADOPTIONS) {
			const char *sp = strchr(w, ' ');
			size_t first = sp ? (size_t)(sp - w) : strlen(w);
			if (first > 4 && strncasecmp(w + first - 4, ".efi", 4) == 0)
				w = sp ? sp + 1 : w + first;
		}
		if (!append_word(out, cap, w))
			return cb_errf(e, CB_ELIMIT, "kernel cmdline longer than %zu bytes", cap - 1);
	}
	if (strncmp(out, "root=", 5) != 0 && !strstr(out, " root=")) {
		char root[80];
		if (!pr->uuid[0])
			return cb_errf(e, CB_EINVAL, "the root filesystem has no UUID and no root= was given");
		snprintf(root, sizeof(root), "root=UUID=%s ro", pr->uuid);
		if (!append_word(out, cap, root))
			return cb_errf(e, CB_ELIMIT, "kernel cmdline longer than %zu bytes", cap - 1);
	}
	return CB_OK;
}

int diskboot_run(const struct knobs *k, struct cb_err *e)
{
	const char *spec_text = knobs_get(k, "disk");
	struct disk_spec spec;
	int rc = disk_spec_parse(spec_text, &spec, e);
	if (rc)
		return cb_err_prefix(e, "cloudboot.disk=%s: ", spec_text);

	struct cb_blockdev **disks = NULL;
	size_t ndisks = 0;
	if ((rc = blockdev_efi_open_all(&disks, &ndisks, e)))
		return rc;
	log_info("disk: %zu disk%s found", ndisks, ndisks == 1 ? "" : "s");
	for (size_t i = 0; i < ndisks; i++)
		log_debug("disk: %s: %llu bytes, %u-byte sectors", disks[i]->name, (unsigned long long)disks[i]->size,
		          disks[i]->sector_size);

	struct disk_choice choice = { 0 };
	struct cb_fs *fs = NULL;
	struct image_buf kernel = { 0 }, initrd = { 0 };
	struct fs_probe pr = { 0 };
	char *cmdline = NULL;
	if ((rc = disk_select(&spec, disks, ndisks, &choice, e)))
		goto out;
	log_info("disk: root on %s", choice.desc);
	if (choice.warning[0])
		log_warn("disk: %s", choice.warning);
	if ((rc = fs_probe(choice.dev, &pr, e)))
		goto out;
	/* ext4 is the table default; an explicit cloudboot.disk.fs= must match what is on the disk. */
	const char *fstype = knobs_source(k, "disk.fs") == KNOB_SRC_DEFAULT ? "auto" : knobs_get(k, "disk.fs");
	struct fs_mount_opts mo = { .type = fstype, .warn = mount_warning };
	if ((rc = fs_mount(choice.dev, &mo, &fs, e)))
		goto out;
	log_milestone("mounted %s (%s, UUID %s)", choice.desc, pr.type, pr.uuid[0] ? pr.uuid : "none");

	struct discover_result found;
	if ((rc = discover_boot_files(fs, knobs_get(k, "disk.kernel"), knobs_get(k, "disk.initrd"), &found, e)))
		goto out;
	log_info("disk: %s", found.reason);
	if ((rc = read_file(fs, found.kernel, "kernel", &kernel, e)))
		goto out;
	if (found.initrd[0] && (rc = read_file(fs, found.initrd, "initrd", &initrd, e)))
		goto out;
	if ((rc = image_buf_decompress_kernel(&kernel, e)))
		goto out;
	log_milestone("kernel and initrd read");

	if (!(cmdline = malloc(CMDLINE_MAX))) {
		rc = cb_errf(e, CB_ENOMEM, "no memory for the cmdline");
		goto out;
	}
	if ((rc = build_cmdline(k, &pr, cmdline, CMDLINE_MAX, e)))
		goto out;
	log_info("disk: cmdline: %s", cmdline);

	fs->ops->unmount(fs);
	fs = NULL;
	disk_choice_release(&choice);
	blockdev_efi_close_all(disks, ndisks);
	disks = NULL;

	struct handoff_payload p = {
		.what = found.kernel,
		.kernel = kernel.data,
		.kernel_size = kernel.size,
		.initrd = initrd.data,
		.initrd_size = initrd.size,
		.cmdline = cmdline,
	};
	rc = handoff_start(&p, e);
out:
	free(cmdline);
	image_buf_free(&kernel);
	image_buf_free(&initrd);
	if (fs)
		fs->ops->unmount(fs);
	disk_choice_release(&choice);
	if (disks)
		blockdev_efi_close_all(disks, ndisks);
	return rc;
}
