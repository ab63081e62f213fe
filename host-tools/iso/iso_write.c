/* iso_write.c: writes a whole cloud-boot ISO (input checks, GPT, ISO 9660 blocks, FAT ESP) into a temporary
 * file that replaces the output once complete. POSIX glue: the formats live in the files it calls. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blockdev_file.h"
#include "cb_checked.h"
#include "fat.h"
#include "gpt_write.h"
#include "iso.h"
#include "outfile.h"
#include "part.h"

#define COPY_CHUNK (1u << 20)

struct input_file {
	int fd;
	uint64_t size;
};

/* Opens one input and checks it is a PE32+ EFI application for its arch. */
static int check_input(const struct iso_input *in, struct input_file *f, struct cb_err *e)
{
	f->fd = open(in->path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return cb_errf(e, CB_EIO, "%s: %s", in->path, strerror(errno));
	struct stat st;
	if (fstat(f->fd, &st) < 0)
		return cb_errf(e, CB_EIO, "%s: %s", in->path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cb_errf(e, CB_EINVAL, "%s: not a regular file", in->path);
	f->size = (uint64_t)st.st_size;
	size_t want = f->size < ISO_PE_HEADER_MAX ? (size_t)f->size : ISO_PE_HEADER_MAX, got = 0;
	uint8_t *head = malloc(want ? want : 1);
	if (!head)
		return cb_errf(e, CB_ENOMEM, "%s: out of memory", in->path);
	while (got < want) {
		ssize_t n = pread(f->fd, head + got, want - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(head);
			return cb_errf(e, CB_EIO, "%s: read: %s", in->path, n < 0 ? strerror(errno) : "unexpected end of file");
		}
		got += (size_t)n;
	}
	struct iso_pe_info pe;
	int rc = iso_pe_check(head, got, f->size, &pe, e);
	free(head);
	if (rc)
		return cb_err_prefix(e, "%s: ", in->path);
	const struct iso_arch_info *a = &iso_arch_table[in->arch];
	if (pe.machine != a->pe_machine) {
		const char *is = iso_arch_of_machine(pe.machine);
		return cb_errf(e, CB_EINVAL, "%s: PE machine 0x%04x (%s) does not match linux/%s, which needs 0x%04x",
			       in->path, pe.machine, is ? is : "unknown", a->name, a->pe_machine);
	}
	return 0;
}

/* GUIDs (version 4 layout) and the FAT serial from the caller's random seed. */
static void make_guid(uint8_t g[16], const uint8_t *seed, uint8_t k)
{
	memcpy(g, seed, 16);
	g[15] ^= k;
	g[7] = (uint8_t)((g[7] & 0x0F) | 0x40);
	g[8] = (uint8_t)((g[8] & 0x3F) | 0x80);
}

static int write_gpt(struct cb_blockdev *disk, const struct iso_layout *l, const uint8_t *seed, struct cb_err *e)
{
	struct gpt_write_part parts[2];
	memset(parts, 0, sizeof(parts));
	parts[0].index = 0;
	guid_parse("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", parts[0].type_guid); /* basic data, as xorriso's Gap0 */
	make_guid(parts[0].part_guid, seed, 1);
	parts[0].first_lba = l->gap_first;
	parts[0].last_lba = l->gap_last;
	parts[0].attributes = 0x1000000000000001ull; /* read-only, required by the platform */
	parts[0].name = "ISO9660";
	parts[1].index = 1;
	guid_parse("c12a7328-f81f-11d2-ba4b-00a0c93ec93b", parts[1].type_guid);
	make_guid(parts[1].part_guid, seed, 2);
	parts[1].first_lba = l->esp_first;
	parts[1].last_lba = l->esp_last;
	parts[1].name = "ESP";
	struct gpt_write_layout g = { ISO_SECTOR, ISO_GPT_ENTRIES, { 0 }, parts, 2 };
	make_guid(g.disk_guid, seed, 0);
	return gpt_write(disk, &g, e);
}

static int copy_in(struct cb_fs *fs, const struct iso_input *in, struct input_file *f, uint8_t *buf,
		   struct cb_err *e)
{
	char path[64];
	snprintf(path, sizeof(path), "EFI/BOOT/%s", iso_arch_table[in->arch].efi_name);
	struct fat_wfile *h;
	int rc = fat_file_create(fs, path, &h, e);
	if (rc)
		return rc;
	for (uint64_t off = 0; off < f->size;) {
		size_t want = f->size - off < COPY_CHUNK ? (size_t)(f->size - off) : COPY_CHUNK;
		ssize_t n = pread(f->fd, buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fat_file_abort(h);
			return cb_errf(e, CB_EIO, "%s: read at %llu: %s", in->path, (unsigned long long)off,
				       n < 0 ? strerror(errno) : "the file shrank while it was copied");
		}
		if ((rc = fat_file_write(h, buf, (size_t)n, e))) {
			fat_file_abort(h);
			return rc;
		}
		off += (uint64_t)n;
	}
	return fat_file_finish(h, e);
}

static int write_esp(struct cb_blockdev *disk, const struct iso_layout *l, const struct iso_opts *o,
		     struct input_file *files, struct cb_err *e)
{
	struct part_info p;
	memset(&p, 0, sizeof(p));
	p.number = 2;
	p.first_lba = l->esp_first;
	p.last_lba = l->esp_last;
	p.start = l->esp_first * ISO_SECTOR;
	p.size = l->esp_bytes;
	struct cb_blockdev *view;
	int rc = part_open(disk, &p, &view, e);
	if (rc)
		return rc;
	struct fat_format_opts fo;
	memset(&fo, 0, sizeof(fo));
	fo.label = "CLOUDBOOT";
	fo.volume_id = (uint32_t)o->guid_seed[0] | (uint32_t)o->guid_seed[1] << 8 | (uint32_t)o->guid_seed[2] << 16 |
		       (uint32_t)o->guid_seed[3] << 24;
	fo.sector_size = ISO_SECTOR;
	fo.hidden_sectors = (uint32_t)l->esp_first;
	fo.unix_time = o->unix_time;
	struct cb_fs *fs = NULL;
	uint8_t *buf = malloc(COPY_CHUNK);
	if (!buf)
		rc = cb_errf(e, CB_ENOMEM, "out of memory");
	if (!rc)
		rc = fat_format(view, &fo, e);
	if (!rc)
		rc = fat_mount(view, true, &fs, e);
	if (!rc) {
		fat_set_time(fs, o->unix_time);
		rc = fat_mkdir_p(fs, "EFI/BOOT", e);
	}
	for (unsigned i = 0; i < o->ninputs && !rc; i++)
		rc = copy_in(fs, &o->inputs[i], &files[i], buf, e);
	if (fs) {
		int src = rc ? rc : fat_sync(fs, e);
		fs->ops->unmount(fs);
		rc = src;
	}
	free(buf);
	view->close(view);
	return rc ? cb_err_prefix(e, "ESP: ") : 0;
}

static void unix_to_iso_time(int64_t t, struct iso_time *out)
{
	int64_t days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	out->hour = (int)(rem / 3600);
	out->minute = (int)(rem % 3600 / 60);
	out->second = (int)(rem % 60);
	/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->year = (int)(yoe + era * 400 + (out->month <= 2));
}

static int check_opts(const struct iso_opts *o, struct cb_err *e)
{
	if (o->ninputs == 0 || o->ninputs > ISO_ARCH_COUNT)
		return cb_errf(e, CB_EINVAL, "%u EFI files: give one to four, one per architecture", o->ninputs);
	for (unsigned i = 0; i < o->ninputs; i++)
		for (unsigned j = 0; j < i; j++)
			if (o->inputs[i].arch == o->inputs[j].arch)
				return cb_errf(e, CB_EINVAL, "linux/%s is given twice (%s and %s)",
					       iso_arch_table[o->inputs[i].arch].name, o->inputs[j].path, o->inputs[i].path);
	return 0;
}

int iso_write(const struct iso_opts *o, struct cb_err *e)
{
	int rc = check_opts(o, e);
	if (rc)
		return rc;
	struct input_file files[ISO_ARCH_COUNT];
	for (unsigned i = 0; i < ISO_ARCH_COUNT; i++)
		files[i].fd = -1;
	uint64_t total = 0;
	for (unsigned i = 0; i < o->ninputs && !rc; i++) {
		rc = check_input(&o->inputs[i], &files[i], e);
		if (!rc && !cb_add_ok(total, files[i].size, &total))
			rc = cb_errf(e, CB_ELIMIT, "%s: size overflows", o->inputs[i].path);
	}
	struct iso_layout l;
	uint64_t esp_bytes = 0;
	if (!rc)
		rc = iso_esp_size(total, &esp_bytes, e);
	if (!rc)
		rc = iso_layout_make(esp_bytes, &l, e);
	struct iso_time t;
	unix_to_iso_time(o->unix_time, &t);
	uint8_t *meta = rc ? NULL : malloc((size_t)ISO_META_BLOCKS * ISO_BLOCK);
	if (!rc && !meta)
		rc = cb_errf(e, CB_ENOMEM, "out of memory");
	if (!rc)
		rc = iso9660_build(meta, &l, o->volume_id ? o->volume_id : "CLOUDBOOT", &t, e);
	struct outfile out = { .fd = -1 };
	if (!rc && (rc = outfile_open(&out, o->output, o->force, e)))
		cb_err_prefix(e, "%s: ", o->output);
	struct cb_blockdev *disk = NULL;
	if (!rc && ftruncate(out.fd, (off_t)(l.disk_sectors * ISO_SECTOR)) < 0)
		rc = cb_errf(e, CB_EIO, "%s: cannot size the image to %llu bytes: %s", o->output,
			     (unsigned long long)(l.disk_sectors * ISO_SECTOR), strerror(errno));
	if (!rc && (rc = blockdev_file_open(out.tmp, true, &disk, e)) == 0)
		disk->name = o->output; /* messages name the image being made, not its temporary file */
	if (!rc)
		rc = write_gpt(disk, &l, o->guid_seed, e);
	if (!rc)
		rc = disk->write(disk, (uint64_t)ISO_LBA_PVD * ISO_BLOCK, meta, (size_t)ISO_META_BLOCKS * ISO_BLOCK, e);
	if (!rc)
		rc = write_esp(disk, &l, o, files, e);
	if (disk)
		disk->close(disk);
	if (rc && out.tmp && strncmp(e->msg, o->output, strlen(o->output)) != 0)
		cb_err_prefix(e, "%s: ", o->output);
	if (!rc && (rc = outfile_commit(&out, e)))
		cb_err_prefix(e, "%s: ", o->output);
	outfile_abort(&out);
	free(meta);
	for (unsigned i = 0; i < ISO_ARCH_COUNT; i++)
		if (files[i].fd >= 0)
			close(files[i].fd);
	return rc;
}
