/* fdt.c: walks the structure block of a flattened device tree (DTSpec v0.4 §5) looking for one property,
 * with every read bounds-checked: the blob comes from firmware and is treated as hostile input. */
#include "fdt.h"

#include <string.h>

#include "cb_checked.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
#define FDT_MAX_DEPTH 32
#define FDT_MAX_SIZE (16u << 20)

static size_t align4(size_t n) { return (n + 3) & ~(size_t)3; }

/* Does path component `want` (up to '/' or NUL) match node name `name` ("cpu@0" matches "cpu@0")? */
static int component_eq(const char *want, size_t wlen, const char *name, size_t nlen)
{
	return wlen == nlen && memcmp(want, name, nlen) == 0;
}

int fdt_read_uint(const void *blob, size_t size, const char *path, const char *prop, uint64_t *out,
                  struct cb_err *e)
{
	const uint8_t *b = blob;
	if (size < 40 || cb_be32(b) != FDT_MAGIC)
		return cb_errf(e, CB_EINVAL, "fdt: bad header");
	uint32_t total = cb_be32(b + 4), off_struct = cb_be32(b + 8), off_strings = cb_be32(b + 12);
	uint32_t version = cb_be32(b + 20), size_strings = cb_be32(b + 32), size_struct = cb_be32(b + 36);
	if (total > size || total > FDT_MAX_SIZE || version < 16)
		return cb_errf(e, CB_EINVAL, "fdt: total size %u or version %u out of range", total, version);
	if (!cb_in_bounds(off_struct, size_struct, total) || !cb_in_bounds(off_strings, size_strings, total) ||
	    off_struct % 4)
		return cb_errf(e, CB_EINVAL, "fdt: structure or strings block outside the blob");

	const uint8_t *s = b + off_struct;
	size_t pos = 0;
	int depth = 0;
	int matched = 0; /* how many leading path components the current node chain matches */
	const char *p = path[0] == '/' ? path + 1 : path;
	/* Component boundaries of path, found once. */
	const char *comp[FDT_MAX_DEPTH];
	size_t clen[FDT_MAX_DEPTH];
	int ncomp = 0;
	while (*p) {
		if (ncomp == FDT_MAX_DEPTH)
			return cb_errf(e, CB_EINVAL, "fdt: path too deep");
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		comp[ncomp] = p;
		clen[ncomp++] = n;
		p += n + (slash ? 1 : 0);
	}

	while (pos + 4 <= size_struct) {
		uint32_t tok = cb_be32(s + pos);
		pos += 4;
		switch (tok) {
		case FDT_BEGIN_NODE: {
			const char *name = (const char *)s + pos;
			size_t nlen = strnlen(name, size_struct - pos);
			if (nlen == size_struct - pos)
				return cb_errf(e, CB_EINVAL, "fdt: unterminated node name");
			if (depth >= FDT_MAX_DEPTH)
				return cb_errf(e, CB_EINVAL, "fdt: nodes nested deeper than %d", FDT_MAX_DEPTH);
			/* depth 0 is the root (empty name); depth d>0 matches path component d-1. */
			if (depth > 0 && matched == depth && depth <= ncomp &&
			    component_eq(comp[depth - 1], clen[depth - 1], name, nlen))
				matched = depth + 1;
			else if (depth == 0)
				matched = 1;
			depth++;
			pos = align4(pos + nlen + 1);
			break;
		}
		case FDT_END_NODE:
			if (depth == 0)
				return cb_errf(e, CB_EINVAL, "fdt: unbalanced end of node");
			if (matched == depth)
				matched--;
			depth--;
			break;
		case FDT_PROP: {
			if (pos + 8 > size_struct)
				return cb_errf(e, CB_EINVAL, "fdt: truncated property");
			uint32_t len = cb_be32(s + pos), nameoff = cb_be32(s + pos + 4);
			pos += 8;
			if (!cb_in_bounds(pos, len, size_struct) || nameoff >= size_strings)
				return cb_errf(e, CB_EINVAL, "fdt: property outside the blob");
			const char *pname = (const char *)b + off_strings + nameoff;
			size_t pmax = size_strings - nameoff;
			if (matched == depth && depth == ncomp + 1 && strnlen(pname, pmax) < pmax &&
			    strcmp(pname, prop) == 0) {
				if (len == 4)
					*out = cb_be32(s + pos);
				else if (len == 8)
					*out = cb_be64(s + pos);
				else
					return cb_errf(e, CB_EINVAL, "fdt: %s/%s has %u bytes, not 4 or 8", path, prop, len);
				return CB_OK;
			}
			pos = align4(pos + len);
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			return cb_errf(e, CB_ENOENT, "fdt: no %s in %s", prop, path);
		default:
			return cb_errf(e, CB_EINVAL, "fdt: unknown token 0x%x at offset %zu", tok, pos - 4);
		}
	}
	return cb_errf(e, CB_EINVAL, "fdt: structure block ends without FDT_END");
}
