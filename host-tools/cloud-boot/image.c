/* image.c: IMAGE[:PART] parsing and opening for the CLI, on top of runtime/posix/blockdev_file and fs/'s
 * partition, disk_select and probe code. Host-only (POSIX). */
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "blockdev_file.h"
#include "cmd.h"
#include "disk_select.h"
#include "part.h"
#include "probe.h"

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* "IMAGE:PART": the first ':' whose left side exists as a file (image names may contain ':'). */
static int split_spec(const char *spec, char **image, char **part, struct cb_err *e)
{
	*image = *part = NULL;
	if (exists(spec)) {
		*image = strdup(spec);
		return *image ? 0 : cb_errf(e, CB_ENOMEM, "out of memory");
	}
	for (const char *c = strchr(spec, ':'); c; c = strchr(c + 1, ':')) {
		char *img = strndup(spec, (size_t)(c - spec));
		if (!img)
			return cb_errf(e, CB_ENOMEM, "out of memory");
		if (*img && exists(img)) {
			*image = img;
			*part = strdup(c + 1);
			return *part ? 0 : cb_errf(e, CB_ENOMEM, "out of memory");
		}
		free(img);
	}
	const char *c = strrchr(spec, ':');
	return cb_errf(e, CB_ENOENT, "%.*s: no such file", c ? (int)(c - spec) : (int)strlen(spec), spec);
}

static int select_part(struct cb_image *img, const char *part, struct cb_err *e)
{
	static const struct { const char *key; enum disk_spec_kind kind; } keys[] = {
		{ "partlabel=", DISK_SPEC_PARTLABEL }, { "partuuid=", DISK_SPEC_PARTUUID },
		{ "uuid=", DISK_SPEC_UUID },           { "label=", DISK_SPEC_PARTLABEL },
	};
	struct disk_spec spec;
	memset(&spec, 0, sizeof(spec));
	size_t n = strspn(part, "0123456789");
	bool label = false;
	if (n && !part[n] && n < 10) {
		spec.kind = DISK_SPEC_DEVICE;
		spec.part = (uint32_t)strtoul(part, NULL, 10);
		if (spec.part == 0)
			return cb_errf(e, CB_EINVAL, "%s: partition numbers start at 1", img->disk->name);
	} else {
		size_t i;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			size_t kl = strlen(keys[i].key);
			if (strncmp(part, keys[i].key, kl) == 0 && part[kl] && strlen(part + kl) < sizeof(spec.value)) {
				spec.kind = keys[i].kind;
				strcpy(spec.value, part + kl);
				label = i == 3;
				break;
			}
		}
		if (i == sizeof(keys) / sizeof(keys[0]))
			return cb_errf(e, CB_EINVAL, "%s: bad partition selector '%s' (a number, label=, partlabel=, uuid= or "
				       "partuuid=)", img->disk->name, part);
	}
	struct disk_choice ch;
	struct cb_blockdev *disks[1] = { img->disk };
	int rc = disk_select(&spec, disks, 1, &ch, e);
	if (rc == CB_ENOENT && label) { /* label=: the GPT name first, then the filesystem label */
		spec.kind = DISK_SPEC_LABEL;
		rc = disk_select(&spec, disks, 1, &ch, e);
		if (rc == CB_ENOENT)
			rc = cb_errf(e, CB_ENOENT, "no partition or filesystem labelled '%s'", spec.value);
	}
	if (rc)
		return cb_err_prefix(e, "%s: ", img->disk->name), rc;
	if (ch.warning[0])
		fprintf(stderr, "%s: warning: %s\n", cb_prog, ch.warning);
	img->part = ch.owned ? ch.dev : NULL;
	img->dev = ch.dev;
	if (ch.part)
		snprintf(img->where, sizeof(img->where), "%s partition %u", img->disk->name, ch.part);
	return 0;
}

/* No partition given: the whole disk if it holds a filesystem, else its only partition that does. */
static int auto_part(struct cb_image *img, struct cb_err *e)
{
	struct part_table t;
	int rc = part_scan(img->disk, &t, e);
	if (rc)
		return cb_err_prefix(e, "%s: ", img->disk->name), rc;
	if (t.scheme == PART_SCHEME_NONE) {
		img->dev = img->disk;
		return 0;
	}
	if (t.warning[0])
		fprintf(stderr, "%s: warning: %s\n", cb_prog, t.warning);
	const struct part_info *found = NULL;
	unsigned nfound = 0;
	for (unsigned i = 0; i < t.count; i++) {
		struct cb_blockdev *v;
		struct fs_probe pr;
		struct cb_err pe;
		if (part_open(img->disk, &t.parts[i], &v, &pe) != 0)
			continue;
		if (fs_probe(v, &pr, &pe) == 0) {
			found = &t.parts[i];
			nfound++;
		}
		v->close(v);
	}
	if (nfound != 1) {
		rc = cb_errf(e, CB_EINVAL, "%s: %s partition table with %u partitions, %u with a known filesystem: choose "
			     "one with %s:N (see '%s fs parts %s')", img->disk->name,
			     t.scheme == PART_SCHEME_GPT ? "GPT" : "MBR", t.count, nfound, img->disk->name, cb_prog,
			     img->disk->name);
		part_table_free(&t);
		return rc;
	}
	rc = part_open(img->disk, found, &img->part, e);
	if (!rc) {
		img->dev = img->part;
		snprintf(img->where, sizeof(img->where), "%s partition %u", img->disk->name, found->number);
	}
	part_table_free(&t);
	return rc;
}

int image_open(const char *spec, struct cb_image *img, struct cb_err *e)
{
	memset(img, 0, sizeof(*img));
	char *image, *part;
	int rc = split_spec(spec, &image, &part, e);
	if (rc)
		return rc;
	rc = blockdev_file_open(image, false, &img->disk, e);
	if (rc)
		goto out;
	snprintf(img->where, sizeof(img->where), "%s", image);
	rc = part ? select_part(img, part, e) : auto_part(img, e);
out:
	free(image);
	free(part);
	if (rc)
		image_close(img);
	return rc;
}

static void warn_cb(void *ctx, const char *msg)
{
	struct cb_image *img = ctx;
	fprintf(stderr, "%s: warning: %s: %s\n", cb_prog, img->where, msg);
}

int image_mount(struct cb_image *img, struct cb_err *e)
{
	struct fs_mount_opts o = { NULL, warn_cb, img };
	int rc = fs_mount(img->dev, &o, &img->fs, e);
	return rc ? cb_err_prefix(e, "%s: ", img->where) : 0;
}

void image_close(struct cb_image *img)
{
	if (img->fs)
		img->fs->ops->unmount(img->fs);
	if (img->part)
		img->part->close(img->part);
	if (img->disk)
		img->disk->close(img->disk);
	memset(img, 0, sizeof(*img));
}
