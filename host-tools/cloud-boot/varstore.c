/* varstore.c: the EDK2 NV variable store in a firmware-volume file: header checks, a bounds-checked walk of
 * (authenticated) variables, append, delete by state bits, reclaim. Load options are varstore_loadopt.c. */
#include "varstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"

#define FV_SIGNATURE_OFF 40
#define FV_HEADER_MIN 72u /* 56 bytes of fields, one block-map entry and its terminator */
#define STORE_HEADER_SIZE 28u
#define STORE_FORMATTED 0x5Au
#define STORE_HEALTHY 0xFEu
#define VAR_START_ID 0x55AAu
#define HDR_AUTH 60u
#define HDR_PLAIN 32u

/* On-disk (EFI_GUID) byte order. */
static const uint8_t nv_fv_guid[16] = { 0x8d, 0x2b, 0xf1, 0xff, 0x96, 0x76, 0x8b, 0x4c,
					0xa9, 0x85, 0x27, 0x47, 0x07, 0x5b, 0x4f, 0x50 }; /* fff12b8d-7696-4c8b-… */
static const uint8_t auth_store_guid[16] = { 0x78, 0x2c, 0xf3, 0xaa, 0x7b, 0x94, 0x9a, 0x43,
					     0xa1, 0x80, 0x2e, 0x14, 0x4e, 0xc3, 0x77, 0x92 }; /* aaf32c78-… */
static const uint8_t plain_store_guid[16] = { 0x16, 0x36, 0xcf, 0xdd, 0x75, 0x32, 0x64, 0x41,
					      0x98, 0xb6, 0xfe, 0x85, 0x70, 0x7f, 0xfe, 0x7d }; /* ddcf3616-… */
const uint8_t varstore_global_guid[16] = { 0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11,
					   0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c }; /* 8be4df61-… */

static size_t align4(size_t v) { return (v + 3) & ~(size_t)3; }

static size_t hdr_size(const struct varstore *vs) { return vs->authenticated ? HDR_AUTH : HDR_PLAIN; }

/* Parses the variable header at off. 1: a variable (v, *next filled); 0: the list ends here; <0: corrupt. */
static int parse_at(const struct varstore *vs, size_t off, struct varstore_var *v, size_t *next, struct cb_err *e)
{
	size_t hs = hdr_size(vs);
	if (off > vs->vars_end || vs->vars_end - off < hs)
		return 0;
	const uint8_t *p = vs->buf + off;
	if (cb_le16(p) != VAR_START_ID)
		return 0;
	uint32_t name_size = cb_le32(p + (vs->authenticated ? 36 : 8));
	uint32_t data_size = cb_le32(p + (vs->authenticated ? 40 : 12));
	if ((uint64_t)name_size + data_size > vs->vars_end - off - hs)
		return cb_errf(e, CB_EINVAL, "variable at offset %zu: name (%u bytes) and data (%u bytes) run past the end "
			       "of the store at offset %zu", off, name_size, data_size, vs->vars_end);
	if (name_size < 2 || name_size % 2)
		return cb_errf(e, CB_EINVAL, "variable at offset %zu: name size %u is not a whole UCS-2 string", off,
			       name_size);
	v->off = off;
	v->state = p[2];
	v->attributes = cb_le32(p + 4);
	memcpy(v->guid, p + (vs->authenticated ? 44 : 16), 16);
	const uint8_t *name = p + hs;
	size_t n = 0;
	for (size_t i = 0; i + 1 < name_size && n < VARSTORE_NAME_MAX; i += 2) {
		uint16_t c = cb_le16(name + i);
		if (c == 0)
			break;
		v->name[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	v->name[n] = 0;
	v->data = name + name_size;
	v->data_size = data_size;
	*next = align4(off + hs + name_size + data_size);
	return 1;
}

bool varstore_state_live(uint8_t state)
{
	return state == VARSTORE_VAR_ADDED ||
	       state == (VARSTORE_VAR_ADDED & VARSTORE_VAR_IN_DELETED_TRANSITION);
}

int varstore_next(const struct varstore *vs, size_t *cursor, struct varstore_var *v)
{
	size_t off = *cursor ? *cursor : vs->vars_off, next = 0;
	struct cb_err e;
	if (off >= vs->free_off || parse_at(vs, off, v, &next, &e) != 1)
		return 0;
	*cursor = next;
	return 1;
}

static int check_fv(struct varstore *vs, struct cb_err *e)
{
	const uint8_t *b = vs->buf;
	if (vs->size < FV_HEADER_MIN)
		return cb_errf(e, CB_EINVAL, "%zu bytes is too small for a firmware volume header", vs->size);
	if (memcmp(b + FV_SIGNATURE_OFF, "_FVH", 4) != 0) {
		size_t i = 0;
		while (i < vs->size && i < 4096 && (b[i] == 0 || b[i] == 0xFF))
			i++;
		if (i == vs->size || i == 4096)
			return cb_errf(e, CB_EINVAL, "no firmware volume header: an unformatted store (boot the firmware "
				       "with it once, it formats the store)");
		return cb_errf(e, CB_EINVAL, "no _FVH signature at offset %u: not an EDK2 variable store", FV_SIGNATURE_OFF);
	}
	if (memcmp(b + 16, nv_fv_guid, 16) != 0)
		return cb_errf(e, CB_EINVAL, "firmware volume at offset 0 is not an NV variable volume (its file system "
			       "GUID is not fff12b8d-7696-4c8b-a985-2747075b4f50)");
	uint64_t fv_length = cb_le64(b + 32);
	uint16_t header_len = cb_le16(b + 48);
	if (fv_length > vs->size)
		return cb_errf(e, CB_EINVAL, "FvLength %llu exceeds the file (%zu bytes)", (unsigned long long)fv_length,
			       vs->size);
	if (header_len < FV_HEADER_MIN || header_len % 2 || header_len > fv_length)
		return cb_errf(e, CB_EINVAL, "firmware volume header length %u is outside %u..%llu", header_len,
			       FV_HEADER_MIN, (unsigned long long)fv_length);
	uint16_t sum = 0;
	for (size_t i = 0; i < header_len; i += 2)
		sum = (uint16_t)(sum + cb_le16(b + i));
	if (sum != 0)
		return cb_errf(e, CB_EVERIFY, "firmware volume header checksum is wrong (the 16-bit sum is 0x%04x, not 0)",
			       sum);
	uint64_t covered = 0;
	size_t off;
	for (off = 56; off + 8 <= header_len; off += 8) {
		uint32_t nblocks = cb_le32(b + off), blen = cb_le32(b + off + 4);
		if (nblocks == 0 && blen == 0)
			break;
		uint64_t bytes = (uint64_t)nblocks * blen;
		if (!cb_add_ok(covered, bytes, &covered))
			return cb_errf(e, CB_EINVAL, "firmware volume block map overflows");
	}
	if (off + 8 > header_len)
		return cb_errf(e, CB_EINVAL, "firmware volume block map has no terminating entry inside its %u-byte header",
			       header_len);
	if (covered != fv_length)
		return cb_errf(e, CB_EINVAL, "firmware volume block map covers %llu bytes, FvLength says %llu",
			       (unsigned long long)covered, (unsigned long long)fv_length);
	vs->fv_length = (size_t)fv_length;
	vs->store_off = header_len;
	return 0;
}

static int check_store(struct varstore *vs, struct cb_err *e)
{
	const uint8_t *s = vs->buf + vs->store_off;
	if (vs->fv_length - vs->store_off < STORE_HEADER_SIZE)
		return cb_errf(e, CB_EINVAL, "no room for a variable store header at offset %zu", vs->store_off);
	if (memcmp(s, auth_store_guid, 16) == 0)
		vs->authenticated = true;
	else if (memcmp(s, plain_store_guid, 16) == 0)
		vs->authenticated = false;
	else
		return cb_errf(e, CB_EINVAL, "variable store at offset %zu has an unknown signature GUID", vs->store_off);
	uint32_t size = cb_le32(s + 16);
	if (size < STORE_HEADER_SIZE || size > vs->fv_length - vs->store_off)
		return cb_errf(e, CB_EINVAL, "variable store size %u at offset %zu does not fit the %zu-byte volume", size,
			       vs->store_off, vs->fv_length);
	if (s[20] != STORE_FORMATTED || s[21] != STORE_HEALTHY)
		return cb_errf(e, CB_EINVAL, "variable store is not formatted and healthy (format 0x%02x, state 0x%02x)",
			       s[20], s[21]);
	vs->vars_off = align4(vs->store_off + STORE_HEADER_SIZE);
	vs->vars_end = vs->store_off + size;
	if (vs->vars_off > vs->vars_end)
		vs->vars_off = vs->vars_end;
	return 0;
}

/* Walks the list to its end: validates every header, counts them, finds the free space. */
static int walk(struct varstore *vs, struct cb_err *e)
{
	size_t off = vs->vars_off, next = 0;
	struct varstore_var v;
	int rc;
	vs->nvars = 0;
	while ((rc = parse_at(vs, off, &v, &next, e)) == 1) {
		vs->nvars++;
		off = next;
	}
	if (rc < 0)
		return rc;
	vs->free_off = off < vs->vars_end ? off : vs->vars_end;
	return 0;
}

int varstore_open(struct varstore *vs, uint8_t *buf, size_t size, struct cb_err *e)
{
	memset(vs, 0, sizeof(*vs));
	vs->buf = buf;
	vs->size = size;
	int rc = check_fv(vs, e);
	if (!rc)
		rc = check_store(vs, e);
	if (!rc)
		rc = walk(vs, e);
	return rc;
}

/* ASCII name → its UCS-2 bytes with the NUL; 0 or CB_EINVAL. */
static int name_ucs2(const char *name, uint8_t out[2 * (VARSTORE_NAME_MAX + 1)], size_t *len, struct cb_err *e)
{
	size_t n = strlen(name);
	if (n == 0 || n > VARSTORE_NAME_MAX)
		return cb_errf(e, CB_EINVAL, "variable name '%s' is not 1..%u characters", name, VARSTORE_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c > 0x7e)
			return cb_errf(e, CB_EINVAL, "variable name '%s' is not printable ASCII", name);
		cb_put_le16(out + 2 * i, c);
	}
	cb_put_le16(out + 2 * n, 0);
	*len = 2 * (n + 1);
	return 0;
}

static bool same_var(const struct varstore *vs, const struct varstore_var *v, const uint8_t *ucs2, size_t len,
		     const uint8_t guid[16])
{
	const uint8_t *p = vs->buf + v->off;
	return cb_le32(p + (vs->authenticated ? 36 : 8)) == len && memcmp(p + hdr_size(vs), ucs2, len) == 0 &&
	       memcmp(v->guid, guid, 16) == 0;
}

/* The effective copy of a variable: the first ADDED one, else an ADDED + IN_DELETED_TRANSITION one. */
static int find(const struct varstore *vs, const uint8_t *ucs2, size_t len, const uint8_t guid[16],
		struct varstore_var *out)
{
	size_t cur = 0;
	struct varstore_var v;
	int found = 0;
	while (varstore_next(vs, &cur, &v)) {
		if (!varstore_state_live(v.state) || !same_var(vs, &v, ucs2, len, guid))
			continue;
		if (v.state == VARSTORE_VAR_ADDED) {
			*out = v;
			return 1;
		}
		if (!found) {
			*out = v;
			found = 1;
		}
	}
	return found;
}

int varstore_get(const struct varstore *vs, const char *name, const uint8_t guid[16], struct varstore_var *v,
		 struct cb_err *e)
{
	uint8_t ucs2[2 * (VARSTORE_NAME_MAX + 1)];
	size_t len;
	int rc = name_ucs2(name, ucs2, &len, e);
	if (rc)
		return rc;
	if (!find(vs, ucs2, len, guid, v))
		return cb_errf(e, CB_ENOENT, "no variable %s", name);
	return 0;
}

/* Marks every live copy of the variable deleted; returns how many. */
static unsigned mark_deleted(struct varstore *vs, const uint8_t *ucs2, size_t len, const uint8_t guid[16])
{
	size_t cur = 0;
	struct varstore_var v;
	unsigned n = 0;
	while (varstore_next(vs, &cur, &v))
		if (varstore_state_live(v.state) && same_var(vs, &v, ucs2, len, guid)) {
			vs->buf[v.off + 2] &= VARSTORE_VAR_DELETED;
			n++;
		}
	return n;
}

/* The firmware's reclaim, offline: keeps the effective copy of every variable except the one named
 * (ucs2, guid), packs them from the start of the store and erases the rest to 0xFF. */
static int compact(struct varstore *vs, const uint8_t *ucs2, size_t len, const uint8_t guid[16], struct cb_err *e)
{
	size_t area = vs->vars_end - vs->vars_off, out = 0, cur = 0;
	uint8_t *tmp = malloc(area ? area : 1);
	if (!tmp)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	memset(tmp, 0xFF, area);
	struct varstore_var v, eff;
	while (varstore_next(vs, &cur, &v)) {
		if (!varstore_state_live(v.state) || same_var(vs, &v, ucs2, len, guid))
			continue;
		const uint8_t *p = vs->buf + v.off;
		size_t vlen = cb_le32(p + (vs->authenticated ? 36 : 8));
		if (!find(vs, p + hdr_size(vs), vlen, v.guid, &eff) || eff.off != v.off)
			continue; /* an older copy in deleted transition, superseded */
		size_t bytes = hdr_size(vs) + vlen + v.data_size;
		memcpy(tmp + out, p, bytes);
		tmp[out + 2] = VARSTORE_VAR_ADDED;
		out = align4(out + bytes);
	}
	memcpy(vs->buf + vs->vars_off, tmp, area);
	free(tmp);
	return walk(vs, e);
}

int varstore_set(struct varstore *vs, const char *name, const uint8_t guid[16], uint32_t attributes,
		 const void *data, size_t len, struct cb_err *e)
{
	uint8_t ucs2[2 * (VARSTORE_NAME_MAX + 1)];
	size_t nlen;
	int rc = name_ucs2(name, ucs2, &nlen, e);
	if (rc)
		return rc;
	if (len == 0 || len > VARSTORE_DATA_MAX)
		return cb_errf(e, CB_EINVAL, "variable %s: %zu bytes of data is not 1..%u", name, len, VARSTORE_DATA_MAX);
	if (!(attributes & VARSTORE_NV))
		return cb_errf(e, CB_EINVAL, "variable %s: a store file holds non-volatile variables only", name);
	size_t hs = hdr_size(vs), need = align4(hs + nlen + len);
	if (vs->vars_end - vs->free_off < need) {
		if ((rc = compact(vs, ucs2, nlen, guid, e)))
			return rc;
		if (vs->vars_end - vs->free_off < need)
			return cb_errf(e, CB_ELIMIT, "variable %s: the store is full (%zu bytes free after reclaiming, %zu "
				       "needed)", name, vs->vars_end - vs->free_off, need);
	}
	mark_deleted(vs, ucs2, nlen, guid);
	uint8_t *p = vs->buf + vs->free_off;
	memset(p, 0, hs);
	cb_put_le16(p, VAR_START_ID);
	p[2] = VARSTORE_VAR_ADDED;
	cb_put_le32(p + 4, attributes);
	cb_put_le32(p + (vs->authenticated ? 36 : 8), (uint32_t)nlen);
	cb_put_le32(p + (vs->authenticated ? 40 : 12), (uint32_t)len);
	memcpy(p + (vs->authenticated ? 44 : 16), guid, 16);
	memcpy(p + hs, ucs2, nlen);
	memcpy(p + hs + nlen, data, len);
	memset(p + hs + nlen + len, 0xFF, need - (hs + nlen + len));
	size_t end = vs->free_off + need;
	/* What follows must not look like another header. */
	if (vs->vars_end - end >= 2 && cb_le16(vs->buf + end) == VAR_START_ID)
		cb_put_le16(vs->buf + end, 0xFFFF);
	vs->free_off = end;
	vs->nvars++;
	return 0;
}

int varstore_delete(struct varstore *vs, const char *name, const uint8_t guid[16], struct cb_err *e)
{
	uint8_t ucs2[2 * (VARSTORE_NAME_MAX + 1)];
	size_t nlen;
	int rc = name_ucs2(name, ucs2, &nlen, e);
	if (rc)
		return rc;
	if (!mark_deleted(vs, ucs2, nlen, guid))
		return cb_errf(e, CB_ENOENT, "no variable %s", name);
	return 0;
}
