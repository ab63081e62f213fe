/* cmd_fs.c: `cloud-boot fs ls|cat|stat|parts|discover`: read-only access to filesystems inside disk images
 * through the same fs/ code the loader uses (so it doubles as that code's test harness). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blockdev_file.h"
#include "cmd.h"
#include "fileio.h"
#include "discover.h"
#include "image.h"
#include "part.h"
#include "probe.h"

static const char fs_help[] =
	"Usage: cloud-boot fs COMMAND [OPTIONS] IMAGE[:PART] [PATH...]\n"
	"\n"
	"Read files from a filesystem (ext2/3/4, FAT) inside a disk image or block device, read-only,\n"
	"with the same code the boot loader uses.\n"
	"\n"
	"Commands:\n"
	"  ls [PATH]            list a directory (default /): mode, links, size, mtime (UTC), name\n"
	"  cat [-s N] [-n N] PATH...\n"
	"                       write files to standard output (symlinks followed); -s/--skip N bytes\n"
	"                       first, -n/--length at most N bytes of each file\n"
	"  stat [-L] PATH       show inode, type, mode, size, links, mtime (and a symlink's target);\n"
	"                       -L follows a final symlink\n"
	"  parts                list the partition table and what each partition holds (IMAGE only)\n"
	"  discover [--kernel P] [--initrd P]\n"
	"                       show the kernel and initrd disk mode would boot, and why\n"
	"\n"
	"IMAGE[:PART]: a disk image or block device, optionally followed by a partition:\n"
	"  IMAGE:2              partition number 2 (GPT entry number, or MBR 1-4 primary / 5+ logical)\n"
	"  IMAGE:label=NAME     GPT partition name NAME, else the filesystem labelled NAME\n"
	"  IMAGE:partlabel=NAME, IMAGE:uuid=FS-UUID, IMAGE:partuuid=PART-UUID\n"
	"Without :PART, an unpartitioned image is used whole and a partitioned one must have exactly one\n"
	"partition with a known filesystem.\n"
	"\n"
	"Exit status: 0 success, 1 operational error (stderr names image, partition, path and reason), 2 usage.\n";

static void print_help(FILE *out)
{
	fputs(fs_help, out);
}

static int fail(const char *sub, const struct cb_err *e)
{
	cb_error("fs %s: %s", sub, e->msg[0] ? e->msg : cb_status_str(e->code));
	return EXIT_FAIL;
}

static void mode_string(uint32_t mode, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	switch (mode & CB_S_IFMT) {
	case CB_S_IFDIR: out[0] = 'd'; break;
	case CB_S_IFREG: out[0] = '-'; break;
	case CB_S_IFLNK: out[0] = 'l'; break;
	case 0020000: out[0] = 'c'; break;
	case 0060000: out[0] = 'b'; break;
	case 0010000: out[0] = 'p'; break;
	case 0140000: out[0] = 's'; break;
	default: out[0] = '?'; break;
	}
	for (int i = 0; i < 9; i++)
		out[1 + i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	if (mode & 04000)
		out[3] = (mode & 0100) ? 's' : 'S';
	if (mode & 02000)
		out[6] = (mode & 010) ? 's' : 'S';
	if (mode & 01000)
		out[9] = (mode & 01) ? 't' : 'T';
	out[10] = 0;
}

static void time_string(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(out, 32, "@%lld", (long long)t);
}

static const char *type_name(uint32_t mode)
{
	switch (mode & CB_S_IFMT) {
	case CB_S_IFDIR: return "directory";
	case CB_S_IFREG: return "regular file";
	case CB_S_IFLNK: return "symlink";
	case 0020000: return "character device";
	case 0060000: return "block device";
	case 0010000: return "fifo";
	case 0140000: return "socket";
	default: return "unknown";
	}
}

/* ---- ls ---- */

struct ls_ctx {
	struct cb_fs *fs;
	const char *dir;
	struct cb_err *e;
	int status;
};

static void ls_line(struct cb_fs *fs, const char *path, const char *name, const struct cb_fs_stat *st)
{
	char m[11], t[32];
	mode_string(st->mode, m);
	time_string(st->mtime, t);
	printf("%s %3u %12llu %s %s", m, st->nlink, (unsigned long long)st->size, t, name);
	if ((st->mode & CB_S_IFMT) == CB_S_IFLNK) {
		char target[4096];
		struct cb_err le;
		if (fs->ops->readlink(fs, path, target, sizeof(target), &le) == 0)
			printf(" -> %s", target);
		else
			printf(" -> ?");
	}
	putchar('\n');
}

static int ls_fn(void *ctx, const char *name, const struct cb_fs_stat *st)
{
	struct ls_ctx *c = ctx;
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s", strcmp(c->dir, "/") ? c->dir : "", name);
	ls_line(c->fs, path, name, st);
	return 0;
}

static int stop_fn(void *ctx, const char *name, const struct cb_fs_stat *st)
{
	(void)ctx;
	(void)name;
	(void)st;
	return 1;
}

/* Does path (symlinks followed) name a directory? */
static bool is_dir_followed(struct cb_fs *fs, const char *path)
{
	struct cb_err tmp;
	int rc = fs->ops->readdir(fs, path, stop_fn, NULL, &tmp);
	return rc == 0 || rc == 1;
}

static int do_ls(struct cb_image *img, const char *path, struct cb_err *e)
{
	struct cb_fs *fs = img->fs;
	struct cb_fs_stat st;
	int rc = fs->ops->lstat(fs, path, &st, e);
	if (rc)
		return rc;
	bool dir = (st.mode & CB_S_IFMT) == CB_S_IFDIR ||
		   ((st.mode & CB_S_IFMT) == CB_S_IFLNK && is_dir_followed(fs, path));
	if (!dir) {
		const char *base = strrchr(path, '/');
		ls_line(fs, path, base && base[1] ? base + 1 : path, &st);
		return 0;
	}
	struct ls_ctx c = { fs, path, e, 0 };
	return fs->ops->readdir(fs, path, ls_fn, &c, e);
}

/* ---- cat ---- */

#define CAT_BUF (8u << 20)

static int do_cat(struct cb_image *img, const char *path, void *buf, uint64_t skip, uint64_t length,
		  struct cb_err *e)
{
	struct cb_fs *fs = img->fs;
	struct cb_file *f;
	int rc = fs->ops->open(fs, path, &f, e);
	if (rc)
		return rc;
	uint64_t off = skip, end = f->st.size;
	if (off > end)
		off = end;
	if (length < end - off)
		end = off + length;
	while (off < end) {
		uint64_t want = end - off < CAT_BUF ? end - off : CAT_BUF;
		long n = fs->ops->pread(f, off, buf, (size_t)want, e);
		if (n < 0) {
			rc = (int)n;
			break;
		}
		if (n == 0)
			break;
		if ((rc = fileio_write_all(STDOUT_FILENO, buf, (size_t)n, e))) {
			cb_err_prefix(e, "standard output: ");
			break;
		}
		off += (uint64_t)n;
	}
	if (!rc && off != end)
		rc = cb_errf(e, CB_EIO, "%s: read stopped at %llu of %llu bytes", path, (unsigned long long)off,
			     (unsigned long long)end);
	fs->ops->file_close(f);
	return rc;
}

/* ---- stat ---- */

static int do_stat(struct cb_image *img, const char *path, bool follow, struct cb_err *e)
{
	struct cb_fs *fs = img->fs;
	struct cb_fs_stat st;
	int rc = fs->ops->lstat(fs, path, &st, e);
	if (rc)
		return rc;
	if (follow && (st.mode & CB_S_IFMT) == CB_S_IFLNK) {
		struct cb_file *f;
		if (fs->ops->open(fs, path, &f, e) == 0) {
			st = f->st;
			fs->ops->file_close(f);
		} else {
			char *dot = malloc(strlen(path) + 3);
			if (!dot)
				return cb_errf(e, CB_ENOMEM, "out of memory");
			sprintf(dot, "%s/.", path);
			rc = fs->ops->lstat(fs, dot, &st, e);
			free(dot);
			if (rc)
				return rc;
		}
	}
	char m[11], t[32];
	mode_string(st.mode, m);
	time_string(st.mtime, t);
	printf("path: %s\ntype: %s\ninode: %llu\nmode: %04o (%s)\nsize: %llu\nlinks: %u\nmtime: %s UTC (%lld)\n",
	       path, type_name(st.mode), (unsigned long long)st.ino, st.mode & 07777, m,
	       (unsigned long long)st.size, st.nlink, t, (long long)st.mtime);
	if ((st.mode & CB_S_IFMT) == CB_S_IFLNK) {
		char target[4096];
		rc = fs->ops->readlink(fs, path, target, sizeof(target), e);
		if (rc)
			return rc;
		printf("target: %s\n", target);
	}
	return 0;
}

/* ---- parts ---- */

static int do_parts(const char *image, struct cb_err *e)
{
	struct cb_blockdev *disk;
	int rc = blockdev_file_open(image, false, &disk, e);
	if (rc)
		return rc;
	struct part_table t;
	rc = part_scan(disk, &t, e);
	if (rc) {
		cb_err_prefix(e, "%s: ", image);
		disk->close(disk);
		return rc;
	}
	char g[37];
	if (t.scheme == PART_SCHEME_GPT) {
		guid_format(t.disk_guid, g);
		printf("scheme: gpt\ndisk-guid: %s\nsector-size: %u\n%s", g, t.sector_size,
		       t.used_backup ? "backup-header: used\n" : "");
	} else if (t.scheme == PART_SCHEME_MBR) {
		printf("scheme: mbr\ndisk-signature: %08x\nsector-size: %u\n", t.mbr_signature, t.sector_size);
	} else {
		printf("scheme: none\n");
	}
	if (t.warning[0])
		printf("warning: %s\n", t.warning);
	struct fs_probe pr;
	struct cb_err pe;
	if (t.scheme == PART_SCHEME_NONE && fs_probe(disk, &pr, &pe) == 0)
		printf("whole-disk fs=%s fslabel='%s' fsuuid=%s\n", pr.type, pr.label, pr.uuid);
	for (unsigned i = 0; i < t.count; i++) {
		const struct part_info *p = &t.parts[i];
		char pu[37];
		part_uuid_string(&t, p, pu);
		printf("%u start=%llu end=%llu size=%llu", p->number, (unsigned long long)p->first_lba,
		       (unsigned long long)p->last_lba, (unsigned long long)p->size);
		if (t.scheme == PART_SCHEME_GPT) {
			guid_format(p->type_guid, g);
			printf(" type=%s partuuid=%s label='%s'", g, pu, p->label);
		} else {
			printf(" type=0x%02x%s partuuid=%s", p->mbr_type, p->bootable ? " bootable" : "", pu);
		}
		struct cb_blockdev *v;
		if (part_open(disk, p, &v, &pe) == 0) {
			if (fs_probe(v, &pr, &pe) == 0)
				printf(" fs=%s fslabel='%s' fsuuid=%s", pr.type, pr.label, pr.uuid);
			v->close(v);
		}
		putchar('\n');
	}
	part_table_free(&t);
	disk->close(disk);
	return 0;
}

/* ---- dispatch ---- */

static int run_fs(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (cb_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		print_help(stdout);
		return EXIT_OK;
	}
	const char *sub = argv[1];
	bool follow = false;
	const char *kernel = NULL, *initrd = NULL;
	uint64_t skip = 0, length = UINT64_MAX;
	int i = 2;
	/* Options come before IMAGE; "--" ends them. */
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (cb_is_help(a)) {
			print_help(stdout);
			return EXIT_OK;
		}
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(sub, "stat") == 0 && strcmp(a, "-L") == 0)
			follow = true;
		else if (strcmp(sub, "cat") == 0 && (!strcmp(a, "-s") || !strcmp(a, "--skip") || !strcmp(a, "-n") ||
						     !strcmp(a, "--length"))) {
			if (i + 1 >= argc)
				return cb_usage_err("fs", "option %s needs a value", a);
			char *end;
			errno = 0;
			unsigned long long v = strtoull(argv[++i], &end, 0);
			if (errno || end == argv[i] || *end || argv[i][0] == '-')
				return cb_usage_err("fs", "bad number '%s'", argv[i]);
			*(a[1] == 's' || a[2] == 's' ? &skip : &length) = v;
		} else if (strcmp(sub, "discover") == 0 && (strcmp(a, "--kernel") == 0 || strcmp(a, "--initrd") == 0)) {
			if (i + 1 >= argc)
				return cb_usage_err("fs", "option %s needs a value", a);
			*(a[2] == 'k' ? &kernel : &initrd) = argv[++i];
		} else
			return cb_usage_err("fs", "unknown option '%s'", a);
	}
	int nargs = argc - i;
	char **args = argv + i;
	int min = 1, max = 1;
	if (strcmp(sub, "ls") == 0)
		max = 2;
	else if (strcmp(sub, "cat") == 0)
		min = 2, max = 1 << 30;
	else if (strcmp(sub, "stat") == 0)
		min = max = 2;
	else if (strcmp(sub, "parts") == 0 || strcmp(sub, "discover") == 0)
		;
	else
		return cb_usage_err("fs", "unknown command '%s'", sub);
	if (nargs < min)
		return cb_usage_err("fs", nargs ? "%s: missing PATH" : "%s: missing IMAGE", sub);
	if (nargs > max)
		return cb_usage_err("fs", "%s: too many arguments", sub);

	struct cb_err e = { 0, "" };
	if (strcmp(sub, "parts") == 0)
		return do_parts(args[0], &e) ? fail(sub, &e) : EXIT_OK;
	struct cb_image img;
	if (image_open(args[0], &img, &e))
		return fail(sub, &e);
	if (image_mount(&img, &e)) {
		image_close(&img);
		return fail(sub, &e);
	}
	int rc = 0;
	if (strcmp(sub, "ls") == 0) {
		rc = do_ls(&img, nargs > 1 ? args[1] : "/", &e);
	} else if (strcmp(sub, "stat") == 0) {
		rc = do_stat(&img, args[1], follow, &e);
	} else if (strcmp(sub, "discover") == 0) {
		struct discover_result r;
		rc = discover_boot_files(img.fs, kernel, initrd, &r, &e);
		if (!rc)
			printf("kernel: %s\ninitrd: %s\nreason: %s\n", r.kernel, r.initrd[0] ? r.initrd : "(none)", r.reason);
	} else {
		void *buf = malloc(CAT_BUF);
		if (!buf)
			rc = cb_errf(&e, CB_ENOMEM, "out of memory");
		for (int k = 1; k < nargs && !rc; k++)
			rc = do_cat(&img, args[k], buf, skip, length, &e);
		free(buf);
	}
	fflush(stdout);
	if (rc && !strstr(e.msg, img.where))
		cb_err_prefix(&e, "%s: ", img.where);
	image_close(&img);
	return rc ? fail(sub, &e) : EXIT_OK;
}

const struct cb_cmd cmd_fs = {
	.name = "fs",
	.summary = "read files from ext2/3/4 (and FAT) filesystems in disk images: ls, cat, stat, parts, discover",
	.run = run_fs,
};
