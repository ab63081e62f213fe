/* probe.c: filesystem detection by on-disk signatures (ext superblock magic, FAT boot sector/BPB), label and
 * UUID extraction, and the dispatch from a type name to a driver's mount function. */
#include "probe.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cb_checked.h"
#include "ext4/ext4.h"
#include "part.h"
#include "fat/fat.h"

static bool probe_ext(const uint8_t *sb, struct fs_probe *out)
{
	if (cb_le16(sb + 0x38) != 0xEF53)
		return false;
	uint32_t rev = cb_le32(sb + 0x4C);
	uint32_t compat = rev ? cb_le32(sb + 0x5C) : 0, incompat = rev ? cb_le32(sb + 0x60) : 0,
		 ro = rev ? cb_le32(sb + 0x64) : 0;
	if (incompat & 0x8) /* an external journal device, not a filesystem */
		return false;
	/* blkid's rule: anything beyond what ext3 knows makes it ext4. */
	bool ext4 = (incompat & ~(uint32_t)(0x2 | 0x4 | 0x10)) || (ro & ~(uint32_t)(0x1 | 0x2 | 0x4));
	out->type = ext4 ? "ext4" : (compat & 0x4) ? "ext3" : "ext2";
	memcpy(out->label, sb + 0x78, 16);
	out->label[16] = 0;
	guid_format((const uint8_t[16]){ sb[0x6B], sb[0x6A], sb[0x69], sb[0x68], sb[0x6D], sb[0x6C], sb[0x6F],
					  sb[0x6E], sb[0x70], sb[0x71], sb[0x72], sb[0x73], sb[0x74], sb[0x75],
					  sb[0x76], sb[0x77] },
		    out->uuid); /* ext stores the UUID big-endian; guid_format expects GPT byte order */
	return true;
}

static bool probe_fat(const uint8_t *s, struct fs_probe *out)
{
	if (s[510] != 0x55 || s[511] != 0xAA || !(s[0] == 0xEB || s[0] == 0xE9))
		return false;
	uint32_t bps = cb_le16(s + 11), spc = s[13], reserved = cb_le16(s + 14), nfats = s[16];
	if (bps < 512 || bps > 4096 || (bps & (bps - 1)) || spc == 0 || (spc & (spc - 1)) || reserved == 0 ||
	    nfats == 0)
		return false;
	bool fat32 = cb_le16(s + 22) == 0 && memcmp(s + 0x52, "FAT32", 5) == 0;
	if (!fat32 && memcmp(s + 0x36, "FAT", 3) != 0)
		return false;
	const uint8_t *ext = s + (fat32 ? 0x40 : 0x24); /* drive number, reserved, boot signature, serial, label */
	out->type = "vfat";
	out->label[0] = out->uuid[0] = 0;
	if (ext[2] == 0x29) {
		uint32_t serial = cb_le32(ext + 3);
		snprintf(out->uuid, sizeof(out->uuid), "%04X-%04X", serial >> 16, serial & 0xFFFF);
		memcpy(out->label, ext + 7, 11);
		out->label[11] = 0;
		for (int i = 10; i >= 0 && out->label[i] == ' '; i--)
			out->label[i] = 0;
		if (strcmp(out->label, "NO NAME") == 0)
			out->label[0] = 0;
	}
	return true;
}

int fs_probe(struct cb_blockdev *dev, struct fs_probe *out, struct cb_err *e)
{
	uint8_t buf[2048];
	memset(out, 0, sizeof(*out));
	if (dev->size < 512)
		return cb_errf(e, CB_ENOENT, "%s: too small for a filesystem", dev->name);
	size_t n = dev->size < sizeof(buf) ? (size_t)dev->size : sizeof(buf);
	int rc = dev->read(dev, 0, buf, n, e);
	if (rc)
		return rc;
	if (n >= 2048 && probe_ext(buf + 1024, out))
		return 0;
	if (probe_fat(buf, out))
		return 0;
	return cb_errf(e, CB_ENOENT, "%s: no ext2/3/4 or FAT filesystem found", dev->name);
}

int fs_mount(struct cb_blockdev *dev, const struct fs_mount_opts *o, struct cb_fs **out, struct cb_err *e)
{
	const char *type = o && o->type && *o->type && strcasecmp(o->type, "auto") != 0 ? o->type : NULL;
	struct fs_probe p;
	int rc = fs_probe(dev, &p, e);
	if (rc && rc != CB_ENOENT)
		return rc;
	if (type) {
		bool want_ext = !strcasecmp(type, "ext4") || !strcasecmp(type, "ext3") || !strcasecmp(type, "ext2");
		bool want_fat = !strcasecmp(type, "vfat") || !strcasecmp(type, "fat") || !strcasecmp(type, "msdos");
		if (!want_ext && !want_fat) {
			if (!strcasecmp(type, "xfs") || !strcasecmp(type, "btrfs") || !strcasecmp(type, "zfs"))
				return cb_errf(e, CB_EUNSUP, "%s: filesystem type %s is not supported yet", dev->name, type);
			return cb_errf(e, CB_EINVAL, "%s: unknown filesystem type '%s'", dev->name, type);
		}
		if (rc == CB_ENOENT)
			return cb_errf(e, CB_EINVAL, "%s: no %s filesystem found", dev->name, type);
		bool is_ext = strncmp(p.type, "ext", 3) == 0;
		if (want_ext != is_ext)
			return cb_errf(e, CB_EINVAL, "%s: asked for %s but found %s", dev->name, type, p.type);
	} else if (rc) {
		return rc;
	}
	if (strncmp(p.type, "ext", 3) == 0) {
		struct ext4_mount_opts eo = { o ? o->warn : NULL, o ? o->warn_ctx : NULL, false };
		return ext4_mount_with(dev, &eo, out, e);
	}
	return fat_mount(dev, false, out, e);
}
