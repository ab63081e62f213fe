/* fat_mount.c: mounting a FAT volume (boot sector, FSInfo, label, free count), unmount, sync, statfs, label,
 * time stamp setting and the guarded device accessors. Lookups, reads and writes live in their own files. */
#include <stdlib.h>
#include <string.h>

#include "fat_internal.h"

int fat_dev_read(struct fat_vol *v, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	if (!cb_in_bounds(off, len, v->dev->size))
		return cb_errf(e, CB_EINVAL, "read of %zu bytes at %llu past the end of %s", len,
		               (unsigned long long)off, v->devname);
	return v->dev->read(v->dev, off, buf, len, e);
}

int fat_dev_write(struct fat_vol *v, uint64_t off, const void *buf, size_t len, struct cb_err *e)
{
	if (!v->writable || !v->dev->write)
		return cb_errf(e, CB_EINVAL, "%s: write on a read-only mount", v->devname);
	if (!cb_in_bounds(off, len, (uint64_t)v->g.total_sectors * v->g.bytes_per_sector))
		return cb_errf(e, CB_EINVAL, "write of %zu bytes at %llu outside the file system", len,
		               (unsigned long long)off);
	int rc = v->dev->write(v->dev, off, buf, len, e);
	if (rc < 0)
		v->broken = true;
	return rc;
}

int fat_check_writable(struct fat_vol *v, struct cb_err *e)
{
	if (!v->writable)
		return cb_errf(e, CB_EINVAL, "fat: %s: read-only mount", v->devname);
	if (v->broken)
		return cb_errf(e, CB_EIO, "fat: %s: an earlier write failed; run fsck before writing again", v->devname);
	return 0;
}

/* The volume label entry of the root directory, if any (errors are left to later operations). */
static void load_label(struct fat_vol *v)
{
	struct cb_err e;
	struct fat_dir_iter it;
	if (fat_dir_iter_init(&it, v, fat_root_ref(v), "/", &e) == 0) {
		uint8_t *ent;
		uint64_t off;
		uint32_t idx;
		while (fat_dir_next_slot(&it, &ent, &off, &idx, &e) > 0 && ent[0] != 0) {
			if (ent[0] == FAT_DEL || (ent[11] & FAT_ATTR_MASK) == FAT_ATTR_LFN)
				continue;
			if ((ent[11] & (FAT_ATTR_VOLID | FAT_ATTR_DIR)) == FAT_ATTR_VOLID) {
				memcpy(v->label, ent, 11);
				v->has_label = true;
				break;
			}
		}
		fat_dir_iter_fini(&it);
	}
	if (!v->has_label && v->g.has_ext_bpb && memcmp(v->g.bpb_label, "NO NAME    ", 11) != 0 &&
	    memcmp(v->g.bpb_label, "           ", 11) != 0) {
		memcpy(v->label, v->g.bpb_label, 11);
		v->has_label = true;
	}
}

int fat_mount(struct cb_blockdev *dev, bool writable, struct cb_fs **out, struct cb_err *e)
{
	*out = NULL;
	if (!dev || !dev->read)
		return cb_errf(e, CB_EINVAL, "fat: no device");
	const char *name = dev->name ? dev->name : "device";
	if (writable && !dev->write)
		return cb_errf(e, CB_EINVAL, "fat: %s: writable mount of a read-only device", name);
	if (dev->size < 512)
		return cb_errf(e, CB_EINVAL, "fat: %s: device of %llu bytes is too small", name,
		               (unsigned long long)dev->size);
	uint8_t bs[512];
	int rc = dev->read(dev, 0, bs, sizeof(bs), e);
	if (rc < 0)
		return cb_err_prefix(e, "fat: %s: boot sector: ", name);
	struct fat_vol *v = calloc(1, sizeof(*v));
	if (!v)
		return cb_errf(e, CB_ENOMEM, "fat: %s: no memory", name);
	v->dev = dev;
	v->devname = name;
	if ((rc = fat_bpb_parse(bs, dev->size, &v->g, e)) < 0) {
		cb_err_prefix(e, "fat: %s: ", name);
		free(v);
		return rc;
	}
	if (writable && !v->g.mirroring) {
		free(v);
		return cb_errf(e, CB_EUNSUP, "fat: %s: writing with FAT mirroring disabled is not supported", name);
	}
	if ((rc = fat_cache_init(v, e)) < 0) {
		free(v);
		return cb_err_prefix(e, "fat: %s: ", name);
	}
	v->writable = writable;
	v->wdate = 0x21; /* 1980-01-01 */
	v->wtime = 0;
	if ((rc = fat_fsinfo_load(v, e)) < 0)
		goto fail;
	if (writable && v->g.fat_bytes <= FAT_FREE_SCAN_MAX && (rc = fat_count_free(v, e)) < 0)
		goto fail;
	load_label(v);
	v->fs.ops = &fat_ops;
	v->fs.type = "vfat";
	v->fs.dev = dev;
	v->fs.priv = v;
	*out = &v->fs;
	return 0;
fail:
	cb_err_prefix(e, "fat: %s: ", name);
	fat_cache_free(v);
	free(v);
	return rc;
}

#define vol fat_vol_get

void fat_ops_unmount(struct cb_fs *fs)
{
	struct fat_vol *v = vol(fs);
	if (!v)
		return;
	if (v->writable && !v->broken) {
		struct cb_err e;
		fat_flush(v, &e); /* every write operation already flushed; nothing to report to */
	}
	fat_cache_free(v);
	free(v);
}

int fat_sync(struct cb_fs *fs, struct cb_err *e)
{
	struct fat_vol *v = vol(fs);
	if (!v)
		return cb_errf(e, CB_EINVAL, "fat: not a FAT file system");
	int rc = fat_flush(v, e);
	return rc < 0 ? cb_err_prefix(e, "fat: %s: ", v->devname) : 0;
}

void fat_set_time(struct cb_fs *fs, int64_t unix_seconds)
{
	struct fat_vol *v = vol(fs);
	if (v)
		fat_time_from_unix(unix_seconds, &v->wdate, &v->wtime);
}

int fat_statfs(struct cb_fs *fs, uint64_t *total_bytes, uint64_t *free_bytes, struct cb_err *e)
{
	struct fat_vol *v = vol(fs);
	if (!v)
		return cb_errf(e, CB_EINVAL, "fat: not a FAT file system");
	if (v->free_count == UINT32_MAX) {
		int rc = fat_count_free(v, e);
		if (rc < 0)
			return cb_err_prefix(e, "fat: %s: ", v->devname);
	}
	*total_bytes = (uint64_t)v->g.cluster_count * v->g.cluster_size;
	*free_bytes = (uint64_t)v->free_count * v->g.cluster_size;
	return 0;
}

int fat_label(struct cb_fs *fs, char *buf, size_t size)
{
	struct fat_vol *v = vol(fs);
	if (size)
		buf[0] = 0;
	if (!v)
		return CB_EINVAL;
	if (!v->has_label)
		return 0;
	return (int)fat_label_to_utf8(v->label, buf, size);
}

int fat_type(struct cb_fs *fs)
{
	struct fat_vol *v = vol(fs);
	return v ? v->g.type : 0;
}
