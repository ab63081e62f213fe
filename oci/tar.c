/* tar.c: the streaming tar reader of tar.h: gzip (zlib inflate) / zstd (streaming decompression) / plain
 * detection, then a ustar/pax/GNU header state machine. It never buffers file data; handlers decide. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "tar.h"
#include "zlib.h"
#include "zstd.h"
#include "zstd_errors.h"

#define TAR_BLOCK 512
#define TAR_OUT_CHUNK (64 * 1024)

enum comp { COMP_UNKNOWN, COMP_PLAIN, COMP_GZIP, COMP_ZSTD };
enum state { ST_HEADER, ST_DATA, ST_PAD, ST_EXT, ST_END, ST_FAILED };
enum ext_kind { EXT_PAX, EXT_PAX_GLOBAL, EXT_LONGNAME, EXT_LONGLINK };

struct oci_tar {
	struct oci_tar_handler h;
	uint64_t max_output, out_total;
	enum comp comp;
	uint8_t magic[4];
	size_t n_magic;
	z_stream zs;
	bool zs_init, gz_member_done;
	ZSTD_DStream *zd;
	bool zd_frame_done;
	bool strict; /* oci_tar_set_strict: the compressed stream must end cleanly too */
	uint8_t *outbuf;
	struct cb_err failure; /* the first error, repeated on later calls */

	/* tar layer */
	enum state st;
	uint64_t off;           /* uncompressed offset of the next byte */
	uint8_t hdr[TAR_BLOCK];
	size_t hdr_len;
	unsigned zero_blocks;
	uint64_t remaining;     /* of the current data, extension or padding */
	bool deliver;           /* the handler accepted the current entry */
	enum ext_kind ext;
	uint64_t ext_at;        /* offset of the extension's header, for messages */
	uint8_t *ext_buf;
	size_t ext_len;
	uint64_t ext_pad;
	/* from extensions, for the next entry */
	char *next_name, *next_link;
	bool has_next_size;
	uint64_t next_size;
};

static int tfail(struct oci_tar *t, struct cb_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int tfail(struct oci_tar *t, struct cb_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cb_verrf(e, code, fmt, ap);
	va_end(ap);
	t->failure = *e;
	t->st = ST_FAILED;
	return code;
}

/* A handler's own error keeps its message. */
static int hfail(struct oci_tar *t, struct cb_err *e, int rc)
{
	if (!e->msg[0])
		cb_errf(e, rc, "tar: offset %llu: stopped by the caller", (unsigned long long)t->off);
	e->code = rc;
	t->failure = *e;
	t->st = ST_FAILED;
	return rc;
}

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	size_t n;
	if (!cb_mul_ok((size_t)items, (size_t)size, &n))
		return Z_NULL;
	return malloc(n);
}

static void z_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	free(p);
}

int oci_tar_new(const struct oci_tar_handler *h, uint64_t max_output, struct oci_tar **out, struct cb_err *e)
{
	*out = NULL;
	struct oci_tar *t = calloc(1, sizeof(*t));
	if (!t || !(t->outbuf = malloc(TAR_OUT_CHUNK))) {
		free(t);
		return cb_errf(e, CB_ENOMEM, "tar: out of memory");
	}
	t->h = *h;
	t->max_output = max_output;
	*out = t;
	return 0;
}

void oci_tar_free(struct oci_tar *t)
{
	if (!t)
		return;
	if (t->zs_init)
		inflateEnd(&t->zs);
	if (t->zd)
		ZSTD_freeDStream(t->zd);
	free(t->outbuf);
	free(t->ext_buf);
	free(t->next_name);
	free(t->next_link);
	free(t);
}

/* ---- tar headers ---- */

/* Octal (NUL/space padded) or GNU base-256 numeric field. */
static bool parse_num(const uint8_t *f, size_t n, uint64_t *out)
{
	if (f[0] & 0x80) {
		if (f[0] != 0x80)
			return false; /* negative or too large */
		uint64_t v = 0;
		for (size_t i = 1; i < n; i++) {
			if (v >> 56)
				return false;
			v = v << 8 | f[i];
		}
		*out = v;
		return true;
	}
	size_t i = 0;
	while (i < n && f[i] == ' ')
		i++;
	uint64_t v = 0;
	size_t digits = 0;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
		if (v >> 61)
			return false;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	for (; i < n; i++)
		if (f[i] != ' ' && f[i] != 0)
			return false;
	*out = v;
	return digits > 0;
}

static bool checksum_ok(const uint8_t *h)
{
	uint64_t want;
	if (!parse_num(h + 148, 8, &want))
		return false;
	uint64_t u = 0;
	int64_t s = 0;
	for (size_t i = 0; i < TAR_BLOCK; i++) {
		uint8_t b = (i >= 148 && i < 156) ? ' ' : h[i];
		u += b;
		s += (int8_t)b;
	}
	return u == want || (uint64_t)s == want;
}

static size_t field_len(const uint8_t *f, size_t n)
{
	size_t k = 0;
	while (k < n && f[k])
		k++;
	return k;
}

static char *dup_field(const uint8_t *f, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, f, n);
		s[n] = 0;
	}
	return s;
}

/* Parses the pax records in ext_buf: path, linkpath, size (others ignored). */
static int parse_pax(struct oci_tar *t, struct cb_err *e)
{
	const char *p = (const char *)t->ext_buf;
	size_t n = t->ext_len, i = 0;
	while (i < n) {
		size_t len = 0, k = i;
		while (k < n && p[k] >= '0' && p[k] <= '9' && k - i < 8)
			len = len * 10 + (size_t)(p[k++] - '0');
		if (k == i || k >= n || p[k] != ' ' || len < 5 || !cb_in_bounds(i, len, n) || p[i + len - 1] != '\n')
			return tfail(t, e, CB_EINVAL, "tar: offset %llu: malformed pax record", (unsigned long long)t->ext_at);
		const char *kv = p + k + 1, *end = p + i + len - 1;
		const char *eq = memchr(kv, '=', (size_t)(end - kv));
		if (!eq || eq == kv)
			return tfail(t, e, CB_EINVAL, "tar: offset %llu: malformed pax record", (unsigned long long)t->ext_at);
		size_t klen = (size_t)(eq - kv), vlen = (size_t)(end - eq - 1);
		const char *v = eq + 1;
		if ((klen == 4 && !memcmp(kv, "path", 4)) || (klen == 8 && !memcmp(kv, "linkpath", 8))) {
			if (vlen > OCI_TAR_NAME_MAX || memchr(v, 0, vlen))
				return tfail(t, e, CB_EINVAL, "tar: offset %llu: bad pax %.*s", (unsigned long long)t->ext_at,
				             (int)klen, kv);
			char **slot = klen == 4 ? &t->next_name : &t->next_link;
			free(*slot);
			if (!(*slot = dup_field((const uint8_t *)v, vlen)))
				return tfail(t, e, CB_ENOMEM, "tar: out of memory");
		} else if (klen == 4 && !memcmp(kv, "size", 4)) {
			uint64_t sz = 0;
			if (vlen == 0 || vlen > 19)
				return tfail(t, e, CB_EINVAL, "tar: offset %llu: bad pax size", (unsigned long long)t->ext_at);
			for (size_t q = 0; q < vlen; q++) {
				if (v[q] < '0' || v[q] > '9')
					return tfail(t, e, CB_EINVAL, "tar: offset %llu: bad pax size",
					             (unsigned long long)t->ext_at);
				sz = sz * 10 + (uint64_t)(v[q] - '0');
			}
			t->has_next_size = true;
			t->next_size = sz;
		}
		i += len;
	}
	return 0;
}

static void clear_next(struct oci_tar *t)
{
	free(t->next_name);
	free(t->next_link);
	t->next_name = t->next_link = NULL;
	t->has_next_size = false;
}

static uint64_t pad_of(uint64_t size)
{
	return (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK;
}

static int entry_header(struct oci_tar *t, struct cb_err *e)
{
	const uint8_t *h = t->hdr;
	uint64_t at = t->off - TAR_BLOCK;
	bool zero = true;
	for (size_t i = 0; i < TAR_BLOCK && zero; i++)
		zero = h[i] == 0;
	if (zero) {
		if (++t->zero_blocks == 2)
			t->st = ST_END;
		return 0;
	}
	if (t->zero_blocks)
		return tfail(t, e, CB_EINVAL, "tar: offset %llu: header after an end-of-archive block",
		             (unsigned long long)at);
	if (!checksum_ok(h))
		return tfail(t, e, CB_EINVAL, "tar: offset %llu: header checksum mismatch", (unsigned long long)at);
	uint64_t size;
	if (!parse_num(h + 124, 12, &size))
		return tfail(t, e, CB_EINVAL, "tar: offset %llu: bad size field", (unsigned long long)at);
	char type = (char)h[156];
	if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
		uint64_t cap = (type == 'L' || type == 'K') ? OCI_TAR_NAME_MAX : OCI_TAR_PAX_MAX;
		if (size > cap)
			return tfail(t, e, CB_ELIMIT, "tar: offset %llu: extended header of %llu bytes exceeds %llu",
			             (unsigned long long)at, (unsigned long long)size, (unsigned long long)cap);
		t->ext = type == 'x' ? EXT_PAX : type == 'g' ? EXT_PAX_GLOBAL : type == 'L' ? EXT_LONGNAME : EXT_LONGLINK;
		free(t->ext_buf);
		if (!(t->ext_buf = malloc((size_t)size + 1)))
			return tfail(t, e, CB_ENOMEM, "tar: out of memory");
		t->ext_len = 0;
		t->ext_at = at;
		t->remaining = size;
		t->ext_pad = pad_of(size);
		t->st = ST_EXT;
		return 0;
	}
	bool ustar = !memcmp(h + 257, "ustar\0", 6); /* POSIX; GNU's "ustar  " has no prefix field */
	char name[OCI_TAR_NAME_MAX + 1];
	const char *nm = t->next_name;
	if (!nm) {
		size_t nl = field_len(h, 100), pl = ustar ? field_len(h + 345, 155) : 0;
		size_t o = 0;
		if (pl) {
			memcpy(name, h + 345, pl);
			name[pl] = '/';
			o = pl + 1;
		}
		memcpy(name + o, h, nl);
		name[o + nl] = 0;
		nm = name;
	}
	char link[101];
	const char *ln = t->next_link;
	if (!ln) {
		size_t ll = field_len(h + 157, 100);
		memcpy(link, h + 157, ll);
		link[ll] = 0;
		ln = link;
	}
	if (t->has_next_size)
		size = t->next_size;
	while (nm[0] == '/' || (nm[0] == '.' && nm[1] == '/'))
		nm += nm[0] == '/' ? 1 : 2;
	struct oci_tar_entry ent = { .name = nm, .linkname = ln, .size = size };
	switch (type) {
	case '0': case '\0': case '7': ent.type = OCI_TAR_FILE; break;
	case '1': ent.type = OCI_TAR_HARDLINK; break;
	case '2': ent.type = OCI_TAR_SYMLINK; break;
	case '5': ent.type = OCI_TAR_DIR; break;
	default: ent.type = OCI_TAR_OTHER; break;
	}
	if (type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6')
		ent.size = 0; /* no data follows these */
	if (ent.type != OCI_TAR_HARDLINK && ent.type != OCI_TAR_SYMLINK)
		ent.linkname = "";
	e->code = 0;
	e->msg[0] = 0;
	int rc = t->h.on_entry(t->h.ctx, &ent, e);
	clear_next(t);
	if (rc < 0)
		return hfail(t, e, rc);
	t->deliver = rc > 0;
	t->remaining = ent.size;
	t->ext_pad = pad_of(ent.size);
	t->st = ST_DATA;
	if (ent.size == 0) {
		t->st = ST_HEADER;
		if (t->deliver && t->h.on_end && (rc = t->h.on_end(t->h.ctx, e)))
			return hfail(t, e, rc);
	}
	return 0;
}

static int ext_done(struct oci_tar *t, struct cb_err *e)
{
	t->ext_buf[t->ext_len] = 0;
	switch (t->ext) {
	case EXT_PAX:
		return parse_pax(t, e);
	case EXT_PAX_GLOBAL:
		return 0;
	case EXT_LONGNAME:
	case EXT_LONGLINK: {
		char **slot = t->ext == EXT_LONGNAME ? &t->next_name : &t->next_link;
		free(*slot);
		*slot = dup_field(t->ext_buf, field_len(t->ext_buf, t->ext_len));
		return *slot ? 0 : tfail(t, e, CB_ENOMEM, "tar: out of memory");
	}
	}
	return 0;
}

/* Runs the tar state machine over uncompressed bytes. */
static int tar_bytes(struct oci_tar *t, const uint8_t *p, size_t n, struct cb_err *e)
{
	while (n && t->st != ST_END) {
		size_t take;
		int rc;
		switch (t->st) {
		case ST_HEADER:
			take = TAR_BLOCK - t->hdr_len < n ? TAR_BLOCK - t->hdr_len : n;
			memcpy(t->hdr + t->hdr_len, p, take);
			t->hdr_len += take;
			t->off += take;
			if (t->hdr_len == TAR_BLOCK) {
				t->hdr_len = 0;
				if ((rc = entry_header(t, e)))
					return rc;
			}
			break;
		case ST_DATA:
			take = t->remaining < n ? (size_t)t->remaining : n;
			if (t->deliver && take) {
				e->code = 0;
				e->msg[0] = 0;
				if ((rc = t->h.on_data(t->h.ctx, p, take, e)))
					return hfail(t, e, rc);
			}
			t->remaining -= take;
			t->off += take;
			if (t->remaining == 0) {
				if (t->deliver && t->h.on_end && (rc = t->h.on_end(t->h.ctx, e)))
					return hfail(t, e, rc);
				t->remaining = t->ext_pad;
				t->st = t->remaining ? ST_PAD : ST_HEADER;
			}
			break;
		case ST_EXT:
			take = t->remaining < n ? (size_t)t->remaining : n;
			memcpy(t->ext_buf + t->ext_len, p, take);
			t->ext_len += take;
			t->remaining -= take;
			t->off += take;
			if (t->remaining == 0) {
				if ((rc = ext_done(t, e)))
					return rc;
				t->remaining = t->ext_pad;
				t->st = t->remaining ? ST_PAD : ST_HEADER;
			}
			break;
		case ST_PAD:
			take = t->remaining < n ? (size_t)t->remaining : n;
			t->remaining -= take;
			t->off += take;
			if (t->remaining == 0)
				t->st = ST_HEADER;
			break;
		default:
			return 0;
		}
		p += take;
		n -= take;
	}
	return 0;
}

/* ---- decompression ---- */

static int emit_out(struct oci_tar *t, size_t n, struct cb_err *e)
{
	if (t->max_output && (n > t->max_output || t->out_total > t->max_output - n))
		return tfail(t, e, CB_ELIMIT, "tar: more than %llu bytes after decompression",
		             (unsigned long long)t->max_output);
	t->out_total += n;
	return tar_bytes(t, t->outbuf, n, e);
}

static int gzip_bytes(struct oci_tar *t, const uint8_t *p, size_t n, struct cb_err *e)
{
	bool full = false;
	for (;;) {
		if (!t->zs.avail_in && n) {
			size_t take = n > (1u << 30) ? (1u << 30) : n;
			t->zs.next_in = (Bytef *)p;
			t->zs.avail_in = (uInt)take;
			p += take;
			n -= take;
		}
		if ((t->st == ST_END && !t->strict) || (!t->zs.avail_in && !full))
			return 0;
		if (t->gz_member_done) { /* another gzip member follows (gzip -c a b, pigz) */
			if (!t->zs.avail_in)
				return 0;
			inflateReset(&t->zs);
			t->gz_member_done = false;
		}
		t->zs.next_out = t->outbuf;
		t->zs.avail_out = TAR_OUT_CHUNK;
		int zr = inflate(&t->zs, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
			return tfail(t, e, CB_EINVAL, "tar: gzip: %s",
			             zr == Z_MEM_ERROR ? "out of memory" : t->zs.msg ? t->zs.msg : "corrupt stream");
		size_t made = TAR_OUT_CHUNK - t->zs.avail_out;
		full = t->zs.avail_out == 0;
		int rc = made ? emit_out(t, made, e) : 0;
		if (rc)
			return rc;
		if (zr == Z_STREAM_END)
			t->gz_member_done = true;
		else if (zr == Z_BUF_ERROR && !made && !t->zs.avail_in && !n)
			return 0;
	}
}

static int zstd_bytes(struct oci_tar *t, const uint8_t *p, size_t n, struct cb_err *e)
{
	ZSTD_inBuffer in = { p, n, 0 };
	for (;;) {
		if (t->st == ST_END && !t->strict)
			return 0;
		ZSTD_outBuffer out = { t->outbuf, TAR_OUT_CHUNK, 0 };
		size_t r = ZSTD_decompressStream(t->zd, &out, &in);
		if (ZSTD_isError(r))
			return tfail(t, e, CB_EINVAL, "tar: zstd: error %d", (int)ZSTD_getErrorCode(r));
		t->zd_frame_done = r == 0;
		int rc = out.pos ? emit_out(t, out.pos, e) : 0;
		if (rc)
			return rc;
		if (in.pos == in.size && out.pos < out.size)
			return 0; /* input used up and nothing held back */
	}
}

static int start(struct oci_tar *t, struct cb_err *e)
{
	static const uint8_t zmagic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	if (t->n_magic >= 2 && t->magic[0] == 0x1f && t->magic[1] == 0x8b) {
		t->zs.zalloc = z_alloc;
		t->zs.zfree = z_free;
		if (inflateInit2(&t->zs, 16 + MAX_WBITS) != Z_OK)
			return tfail(t, e, CB_ENOMEM, "tar: gzip: cannot initialise inflate");
		t->zs_init = true;
		t->comp = COMP_GZIP;
	} else if (t->n_magic == 4 && !memcmp(t->magic, zmagic, 4)) {
		if (!(t->zd = ZSTD_createDStream()) || ZSTD_isError(ZSTD_initDStream(t->zd)))
			return tfail(t, e, CB_ENOMEM, "tar: zstd: cannot create a decompression stream");
		t->comp = COMP_ZSTD;
	} else {
		t->comp = COMP_PLAIN;
	}
	return 0;
}

static int feed_decoded(struct oci_tar *t, const uint8_t *p, size_t n, struct cb_err *e)
{
	switch (t->comp) {
	case COMP_GZIP: return gzip_bytes(t, p, n, e);
	case COMP_ZSTD: return zstd_bytes(t, p, n, e);
	default: return tar_bytes(t, p, n, e);
	}
}

int oci_tar_feed(struct oci_tar *t, const void *data, size_t n, struct cb_err *e)
{
	if (t->st == ST_FAILED) {
		*e = t->failure;
		return e->code;
	}
	const uint8_t *p = data;
	if (t->comp == COMP_UNKNOWN) {
		while (n && t->n_magic < 4) {
			t->magic[t->n_magic++] = *p++;
			n--;
		}
		if (t->n_magic < 4)
			return 0;
		int rc = start(t, e);
		if (!rc)
			rc = feed_decoded(t, t->magic, 4, e);
		if (rc)
			return rc;
	}
	return n && (t->st != ST_END || t->strict) ? feed_decoded(t, p, n, e) : 0;
}

void oci_tar_set_strict(struct oci_tar *t)
{
	t->strict = true;
}

int oci_tar_finish(struct oci_tar *t, struct cb_err *e)
{
	if (t->st == ST_FAILED) {
		*e = t->failure;
		return e->code;
	}
	if (t->comp == COMP_UNKNOWN) {
		int rc = start(t, e);
		if (!rc && t->n_magic)
			rc = feed_decoded(t, t->magic, t->n_magic, e);
		if (rc)
			return rc;
	}
	if (t->st == ST_END && !t->strict)
		return 0;
	if (t->comp == COMP_GZIP && !t->gz_member_done)
		return tfail(t, e, CB_EINVAL, "tar: gzip: stream truncated");
	if (t->comp == COMP_ZSTD && !t->zd_frame_done)
		return tfail(t, e, CB_EINVAL, "tar: zstd: stream truncated");
	if (t->st == ST_END)
		return 0;
	if (t->st != ST_HEADER || t->hdr_len)
		return tfail(t, e, CB_EINVAL, "tar: offset %llu: archive truncated inside %s", (unsigned long long)t->off,
		             t->st == ST_HEADER ? "a header" : t->st == ST_DATA ? "a file" : "an entry");
	if (t->off == 0)
		return tfail(t, e, CB_EINVAL, "tar: empty archive");
	return 0;
}
