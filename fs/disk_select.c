/* disk_select.c: parsing of cloudboot.disk= values and their resolution against the disks the caller
 * found (partition tables via part.h, labels/UUIDs via probe.h). It opens nothing but partition views. */
#include "disk_select.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "part.h"
#include "probe.h"

/* Decodes udev's \xNN escapes (by-label links spell '/' and ' ' that way). */
static int unescape(const char *s, char *out, size_t size)
{
	size_t o = 0;
	while (*s) {
		char c = *s++;
		if (c == '\\' && s[0] == 'x' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			char hex[3] = { s[1], s[2], 0 };
			c = (char)strtoul(hex, NULL, 16);
			s += 3;
		}
		if (c == 0 || o + 1 >= size)
			return CB_EINVAL;
		out[o++] = c;
	}
	out[o] = 0;
	return o ? 0 : CB_EINVAL;
}

/* "123" → 123; false unless the whole (non-empty) string is decimal and fits. */
static bool parse_num(const char *s, size_t len, uint32_t *out)
{
	if (len == 0 || len > 9)
		return false;
	uint32_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* vda2 / sdb / xvda1 / hda3: letters → index (a=0 … z=25, aa=26 …), then an optional partition number. */
static bool parse_letters(const char *s, struct disk_spec *out)
{
	size_t n = 0;
	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (n == 0 || n > 3)
		return false;
	uint32_t idx = 0; /* Linux's bijective base 26: a..z, aa..zz, aaa.. */
	for (size_t i = 0; i < n; i++)
		idx = idx * 26 + (uint32_t)(s[i] - 'a' + 1);
	out->disk = idx - 1;
	out->part = 0;
	if (!s[n])
		return true;
	return parse_num(s + n, strlen(s + n), &out->part) && out->part > 0;
}

/* nvme0n1p2 / mmcblk0p1: controller number → index; "pN" partition. */
static bool parse_numbered(const char *s, const char *prefix, bool nvme, struct disk_spec *out)
{
	size_t pl = strlen(prefix);
	if (strncmp(s, prefix, pl) != 0)
		return false;
	s += pl;
	size_t n = strspn(s, "0123456789");
	if (!parse_num(s, n, &out->disk))
		return false;
	s += n;
	if (nvme) {
		uint32_t ns;
		if (*s++ != 'n')
			return false;
		n = strspn(s, "0123456789");
		if (!parse_num(s, n, &ns) || ns != 1)
			return false; /* namespaces other than 1 have no place in our flat disk list */
		s += n;
	}
	out->part = 0;
	if (!*s)
		return true;
	if (*s++ != 'p')
		return false;
	return parse_num(s, strlen(s), &out->part) && out->part > 0;
}

int disk_spec_parse(const char *s, struct disk_spec *out, struct cb_err *e)
{
	static const struct { const char *prefix; enum disk_spec_kind kind; } keyed[] = {
		{ "/dev/disk/by-label/", DISK_SPEC_LABEL },     { "/dev/disk/by-uuid/", DISK_SPEC_UUID },
		{ "/dev/disk/by-partlabel/", DISK_SPEC_PARTLABEL }, { "/dev/disk/by-partuuid/", DISK_SPEC_PARTUUID },
		{ "LABEL=", DISK_SPEC_LABEL },                   { "UUID=", DISK_SPEC_UUID },
		{ "PARTLABEL=", DISK_SPEC_PARTLABEL },           { "PARTUUID=", DISK_SPEC_PARTUUID },
	};
	memset(out, 0, sizeof(*out));
	if (!s || !*s)
		return cb_errf(e, CB_EINVAL, "cloudboot.disk: empty value");
	for (size_t i = 0; i < sizeof(keyed) / sizeof(keyed[0]); i++) {
		size_t pl = strlen(keyed[i].prefix);
		if (strncmp(s, keyed[i].prefix, pl) == 0) {
			out->kind = keyed[i].kind;
			if (unescape(s + pl, out->value, sizeof(out->value)))
				return cb_errf(e, CB_EINVAL, "cloudboot.disk: '%s': empty, too long or badly escaped value", s);
			return 0;
		}
	}
	if (parse_num(s, strlen(s), &out->part)) {
		if (out->part == 0)
			return cb_errf(e, CB_EINVAL, "cloudboot.disk: partition numbers start at 1");
		out->kind = DISK_SPEC_PARTNUM;
		return 0;
	}
	const char *name = strncmp(s, "/dev/", 5) == 0 ? s + 5 : s;
	out->kind = DISK_SPEC_DEVICE;
	static const char *const letter_prefixes[] = { "vd", "sd", "xvd", "hd" };
	for (size_t i = 0; i < sizeof(letter_prefixes) / sizeof(letter_prefixes[0]); i++) {
		size_t pl = strlen(letter_prefixes[i]);
		if (strncmp(name, letter_prefixes[i], pl) == 0 && parse_letters(name + pl, out))
			return 0;
	}
	if (parse_numbered(name, "nvme", true, out) || parse_numbered(name, "mmcblk", false, out))
		return 0;
	return cb_errf(e, CB_EINVAL, "cloudboot.disk: cannot parse '%s' (expected /dev/vda2, /dev/nvme0n1p2, "
		       "/dev/disk/by-label/X, by-uuid, by-partlabel, by-partuuid, or a partition number)", s);
}

void disk_choice_release(struct disk_choice *c)
{
	if (c->owned && c->dev && c->dev->close)
		c->dev->close(c->dev);
	c->dev = NULL;
	c->owned = false;
}

static int choose(struct cb_blockdev *disk, size_t di, const struct part_table *t, const struct part_info *p,
		  struct disk_choice *out, struct cb_err *e)
{
	memset(out, 0, sizeof(*out));
	out->disk = di;
	if (!p) {
		out->dev = disk;
		snprintf(out->desc, sizeof(out->desc), "disk %zu (%s, whole disk)", di, disk->name);
		return 0;
	}
	int rc = part_open(disk, p, &out->dev, e);
	if (rc)
		return rc;
	out->owned = true;
	out->part = p->number;
	memcpy(out->warning, t->warning, sizeof(out->warning));
	snprintf(out->desc, sizeof(out->desc), "disk %zu (%s) partition %u%s%s%s", di, disk->name, p->number,
		 p->label[0] ? " '" : "", p->label, p->label[0] ? "'" : "");
	(void)t;
	return 0;
}

static bool probe_matches(struct cb_blockdev *dev, const struct disk_spec *spec)
{
	struct fs_probe pr;
	struct cb_err tmp;
	if (fs_probe(dev, &pr, &tmp) != 0)
		return false;
	if (spec->kind == DISK_SPEC_LABEL)
		return pr.label[0] && strcmp(pr.label, spec->value) == 0;
	return pr.uuid[0] && strcasecmp(pr.uuid, spec->value) == 0;
}

static const char *kind_name(enum disk_spec_kind k)
{
	switch (k) {
	case DISK_SPEC_LABEL: return "filesystem label";
	case DISK_SPEC_UUID: return "filesystem UUID";
	case DISK_SPEC_PARTLABEL: return "partition label";
	case DISK_SPEC_PARTUUID: return "partition UUID";
	default: return "partition";
	}
}

int disk_select(const struct disk_spec *spec, struct cb_blockdev *const *disks, size_t ndisks,
		struct disk_choice *out, struct cb_err *e)
{
	memset(out, 0, sizeof(*out));
	if (spec->kind == DISK_SPEC_DEVICE) {
		if (spec->disk >= ndisks)
			return cb_errf(e, CB_ENOENT, "cloudboot.disk: disk %u does not exist (%zu disk%s found)", spec->disk,
				       ndisks, ndisks == 1 ? "" : "s");
		if (spec->part == 0)
			return choose(disks[spec->disk], spec->disk, NULL, NULL, out, e);
	}
	unsigned matches = 0;
	char others[96] = "";
	for (size_t di = 0; di < ndisks; di++) {
		if (spec->kind == DISK_SPEC_DEVICE && di != spec->disk)
			continue;
		struct part_table t;
		struct cb_err pe;
		int rc = part_scan(disks[di], &t, &pe);
		if (rc) {
			if (spec->kind == DISK_SPEC_DEVICE) {
				*e = pe;
				return rc;
			}
			continue; /* an unreadable table on another disk must not block the search */
		}
		if (t.scheme == PART_SCHEME_NONE) {
			if ((spec->kind == DISK_SPEC_LABEL || spec->kind == DISK_SPEC_UUID) && probe_matches(disks[di], spec)) {
				if (matches++ == 0) {
					rc = choose(disks[di], di, &t, NULL, out, e);
					if (rc)
						return rc;
				} else if (!others[0]) {
					snprintf(others, sizeof(others), "disk %zu", di);
				}
			}
			continue;
		}
		for (unsigned i = 0; i < t.count; i++) {
			const struct part_info *p = &t.parts[i];
			bool hit = false;
			char pu[37];
			switch (spec->kind) {
			case DISK_SPEC_DEVICE:
			case DISK_SPEC_PARTNUM: hit = p->number == spec->part; break;
			case DISK_SPEC_PARTLABEL: hit = p->label[0] && strcmp(p->label, spec->value) == 0; break;
			case DISK_SPEC_PARTUUID:
				part_uuid_string(&t, p, pu);
				hit = pu[0] && strcasecmp(pu, spec->value) == 0;
				break;
			case DISK_SPEC_LABEL:
			case DISK_SPEC_UUID: {
				struct cb_blockdev *v;
				struct cb_err ve;
				if (part_open(disks[di], p, &v, &ve) == 0) {
					hit = probe_matches(v, spec);
					v->close(v);
				}
				break;
			}
			}
			if (!hit)
				continue;
			if (matches++ == 0) {
				rc = choose(disks[di], di, &t, p, out, e);
				if (rc) {
					part_table_free(&t);
					return rc;
				}
			} else if (!others[0]) {
				snprintf(others, sizeof(others), "disk %zu partition %u", di, p->number);
			}
		}
		part_table_free(&t);
		if ((spec->kind == DISK_SPEC_DEVICE || spec->kind == DISK_SPEC_PARTNUM) && matches)
			break;
	}
	if (!matches) {
		if (spec->kind == DISK_SPEC_DEVICE)
			return cb_errf(e, CB_ENOENT, "cloudboot.disk: disk %u has no partition %u", spec->disk, spec->part);
		if (spec->kind == DISK_SPEC_PARTNUM)
			return cb_errf(e, CB_ENOENT, "cloudboot.disk: no disk has a partition %u", spec->part);
		return cb_errf(e, CB_ENOENT, "cloudboot.disk: no %s '%s' on %zu disk%s", kind_name(spec->kind),
			       spec->value, ndisks, ndisks == 1 ? "" : "s");
	}
	if (matches > 1) {
		size_t l = strlen(out->desc);
		snprintf(out->desc + l, sizeof(out->desc) - l, " (first of %u matches; also %s)", matches, others);
	}
	return 0;
}
