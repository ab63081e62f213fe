/* cmd_cache_disk.c: `cloud-boot cache-disk FILE SIZE_MiB`: creates the Path C cache disk image (GPT, one
 * FAT32 ESP named cloud-boot-cache with \EFI\Linux), or keeps an existing one and its files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "blockdev_file.h"
#include "cachedisk.h"
#include "cmd.h"
#include "fat/fat.h"
#include "gpt_write.h"
#include "outfile.h"
#include "part.h"

#define MIB (1024ull * 1024)
#define SIZE_MIN_MIB 35ull            /* FAT32's 65525 clusters of 512 bytes, the GPT and 1 MiB alignment */
#define SIZE_MAX_MIB (1024ull * 1024) /* 1 TiB */
#define FIRST_LBA 2048u               /* the partition starts at 1 MiB */

static const char cache_help[] =
	"Usage: cloud-boot cache-disk [--force] FILE SIZE_MiB\n"
	"\n"
	"Create the Path C cache disk image FILE: SIZE_MiB MiB with a GPT and one FAT32 EFI system partition\n"
	"named '" CACHEDISK_PARTNAME "' (FAT label " CACHEDISK_FATLABEL ") holding an empty \\EFI\\Linux, where linux-init\n"
	"stages <target>-vmlinuz.efi and <target>-initrd. Attach it to the VM as a writable disk.\n"
	"\n"
	"If FILE already is a cache disk of that size, it is kept as it is, files included (only a missing\n"
	"\\EFI\\Linux is created again). Any other existing FILE is refused unless --force is given.\n"
	"\n"
	"SIZE_MiB: 35 (the smallest FAT32 with 512-byte clusters) to 1048576.\n"
	"\n"
	"  -f, --force   recreate FILE even if it exists (everything on it is lost)\n"
	"  -h, --help    this text\n"
	"\n"
	"Exit status: 0 created or kept, 1 operational error (stderr names the file and the reason), 2 usage.\n";

static int fail(const char *file, const struct cb_err *e)
{
	cb_error("cache-disk: %s: %s", file, e->msg[0] ? e->msg : cb_status_str(e->code));
	return EXIT_FAIL;
}

static void random_guid(uint8_t g[16], const uint8_t *rnd)
{
	memcpy(g, rnd, 16);
	g[7] = (uint8_t)((g[7] & 0x0F) | 0x40);
	g[8] = (uint8_t)((g[8] & 0x3F) | 0x80);
}

/* Keeps an existing cache disk: checks it, and recreates \EFI\Linux only if it is missing. */
static int keep_existing(const char *path, uint64_t want_bytes, struct cb_err *e)
{
	struct cachedisk c;
	int rc = cachedisk_open(path, false, &c, e);
	if (rc && rc != CB_EIO && rc != CB_ENOMEM) {
		char why[CB_ERR_MSG_MAX];
		snprintf(why, sizeof(why), "%s", e->msg);
		return cb_errf(e, rc, "exists and is not a cloud-boot cache disk (%s); use --force to recreate it", why);
	}
	if (rc)
		return rc;
	if (c.disk->size != want_bytes) {
		rc = cb_errf(e, CB_EINVAL, "is a cache disk of %llu MiB, not %llu MiB; use --force to recreate it (its "
			     "files are lost)", (unsigned long long)(c.disk->size / MIB), (unsigned long long)(want_bytes / MIB));
		cachedisk_close(&c);
		return rc;
	}
	struct cb_fs_stat st;
	struct cb_err le;
	bool have_dir = c.fs->ops->lstat(c.fs, CACHEDISK_DIR, &st, &le) == 0 && (st.mode & CB_S_IFMT) == CB_S_IFDIR;
	uint32_t number = c.part->number;
	char pu[37];
	guid_format(c.part->part_guid, pu);
	cachedisk_close(&c);
	if (!have_dir) {
		if ((rc = cachedisk_open(path, true, &c, e)))
			return rc;
		rc = fat_mkdir_p(c.fs, CACHEDISK_DIR, e);
		if (!rc)
			rc = fat_sync(c.fs, e);
		cachedisk_close(&c);
		if (rc)
			return cb_err_prefix(e, "partition %u: ", number);
	}
	printf("kept %s: cache disk of %llu MiB, partition %u '%s' partuuid %s%s\n", path,
	       (unsigned long long)(want_bytes / MIB), number, CACHEDISK_PARTNAME, pu,
	       have_dir ? "" : " (\\EFI\\Linux recreated)");
	return 0;
}

/* Lays the GPT and the FAT32 file system into the (sized) temporary file. */
static int build(const char *path, const char *tmp, uint64_t bytes, const uint8_t rnd[36], char partuuid[37],
		 struct cb_err *e)
{
	struct cb_blockdev *disk;
	int rc = blockdev_file_open(tmp, true, &disk, e);
	if (rc)
		return rc;
	disk->name = path; /* messages name the file being made, not its temporary name */
	struct gpt_write_part p;
	memset(&p, 0, sizeof(p));
	guid_parse(CACHEDISK_ESP_GUID, p.type_guid);
	random_guid(p.part_guid, rnd + 16);
	p.name = CACHEDISK_PARTNAME;
	p.first_lba = FIRST_LBA;
	struct gpt_write_layout l = { 512, 128, { 0 }, &p, 1 };
	random_guid(l.disk_guid, rnd);
	uint64_t first, last;
	rc = gpt_write_usable(&l, bytes / 512, &first, &last, e);
	last = (last + 1) / FIRST_LBA * FIRST_LBA - 1; /* end on a 1 MiB boundary too */
	if (!rc && last < FIRST_LBA)
		rc = cb_errf(e, CB_EINVAL, "too small for a partition at 1 MiB");
	p.last_lba = last;
	if (!rc)
		rc = gpt_write(disk, &l, e);
	struct part_info pi;
	memset(&pi, 0, sizeof(pi));
	pi.number = 1;
	pi.start = (uint64_t)FIRST_LBA * 512;
	pi.size = (last - FIRST_LBA + 1) * 512;
	struct cb_blockdev *view = NULL;
	struct cb_fs *fs = NULL;
	if (!rc)
		rc = part_open(disk, &pi, &view, e);
	struct fat_format_opts fo;
	memset(&fo, 0, sizeof(fo));
	fo.fat_bits = 32;
	fo.label = CACHEDISK_FATLABEL;
	fo.volume_id = (uint32_t)rnd[32] | (uint32_t)rnd[33] << 8 | (uint32_t)rnd[34] << 16 | (uint32_t)rnd[35] << 24;
	fo.hidden_sectors = FIRST_LBA;
	if (!rc && (rc = fat_format(view, &fo, e)))
		cb_err_prefix(e, "partition 1 (%llu MiB): ", (unsigned long long)(pi.size / MIB));
	if (!rc)
		rc = fat_mount(view, true, &fs, e);
	if (!rc)
		rc = fat_mkdir_p(fs, CACHEDISK_DIR, e);
	if (!rc)
		rc = fat_sync(fs, e);
	if (fs)
		fs->ops->unmount(fs);
	if (view)
		view->close(view);
	disk->close(disk);
	guid_format(p.part_guid, partuuid);
	return rc;
}

static int create(const char *path, uint64_t bytes, bool force, struct cb_err *e)
{
	uint8_t rnd[36];
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return cb_errf(e, CB_EIO, "getrandom: %s", strerror(errno));
	struct outfile out;
	int rc = outfile_open(&out, path, force, e);
	if (rc)
		return rc;
	char pu[37];
	if (ftruncate(out.fd, (off_t)bytes) < 0)
		rc = cb_errf(e, CB_EIO, "cannot size the image to %llu bytes: %s", (unsigned long long)bytes, strerror(errno));
	if (!rc)
		rc = build(path, out.tmp, bytes, rnd, pu, e);
	if (!rc)
		rc = outfile_commit(&out, e);
	outfile_abort(&out);
	if (!rc)
		printf("created %s: cache disk of %llu MiB, partition 1 '%s' partuuid %s, FAT32 '%s', \\EFI\\Linux\n", path,
		       (unsigned long long)(bytes / MIB), CACHEDISK_PARTNAME, pu, CACHEDISK_FATLABEL);
	return rc;
}

static int run_cache_disk(int argc, char **argv)
{
	bool force = false;
	const char *pos[2];
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (cb_is_help(a)) {
			fputs(cache_help, stdout);
			return EXIT_OK;
		} else if (strcmp(a, "-f") == 0 || strcmp(a, "--force") == 0) {
			force = true;
		} else if (a[0] == '-' && a[1]) {
			return cb_usage_err("cache-disk", "unknown option '%s'", a);
		} else if (npos == 2) {
			return cb_usage_err("cache-disk", "unexpected argument '%s'", a);
		} else {
			pos[npos++] = a;
		}
	}
	if (npos < 2)
		return cb_usage_err("cache-disk", npos ? "missing SIZE_MiB%s" : "missing FILE and SIZE_MiB%s", "");
	char *end;
	errno = 0;
	unsigned long long mib = strtoull(pos[1], &end, 10);
	if (errno || end == pos[1] || *end || pos[1][0] == '-' || mib < SIZE_MIN_MIB || mib > SIZE_MAX_MIB)
		return cb_usage_err("cache-disk",
		                    "SIZE_MiB '%s' is not a whole number of MiB in 35..1048576 (FAT32 needs 35 MiB)", pos[1]);
	const char *path = pos[0];
	struct cb_err e = { 0, "" };
	int rc;
	if (!force && access(path, F_OK) == 0)
		rc = keep_existing(path, mib * MIB, &e);
	else
		rc = create(path, mib * MIB, force, &e);
	return rc ? fail(path, &e) : EXIT_OK;
}

const struct cb_cmd cmd_cache_disk = {
	.name = "cache-disk",
	.summary = "create the Path C cache disk image (GPT + FAT32 ESP 'cloud-boot-cache'), keeping an existing one",
	.run = run_cache_disk,
};
