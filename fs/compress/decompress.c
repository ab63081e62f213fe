/* decompress.c: gzip (RFC 1952 through zlib's inflate, header and CRC checked by zlib) and zstd whole-buffer
 * decompression into a caller-sized buffer. Streaming decompression for OCI tar layers lives elsewhere. */
#include "decompress.h"

#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "zlib.h"
#include "zstd.h"
#include "zstd_errors.h"

enum decompress_format decompress_detect(const void *in, size_t n)
{
	const uint8_t *b = in;
	if (n >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8)
		return DECOMPRESS_GZIP;
	if (n >= 4 && cb_le32(b) == 0xfd2fb528u)
		return DECOMPRESS_ZSTD;
	return DECOMPRESS_NONE;
}

const char *decompress_format_name(enum decompress_format f)
{
	return f == DECOMPRESS_GZIP ? "gzip" : f == DECOMPRESS_ZSTD ? "zstd" : "uncompressed";
}

int decompress_size(const void *in, size_t n, uint64_t *size, struct cb_err *e)
{
	switch (decompress_detect(in, n)) {
	case DECOMPRESS_GZIP:
		if (n < 18)
			return cb_errf(e, CB_EINVAL, "gzip: stream of %zu bytes is too short", n);
		*size = cb_le32((const uint8_t *)in + n - 4);
		return CB_OK;
	case DECOMPRESS_ZSTD: {
		unsigned long long s = ZSTD_getFrameContentSize(in, n);
		if (s == ZSTD_CONTENTSIZE_ERROR)
			return cb_errf(e, CB_EINVAL, "zstd: not a valid frame header");
		if (s == ZSTD_CONTENTSIZE_UNKNOWN)
			return cb_errf(e, CB_EINVAL, "zstd: the frame does not record its decompressed size");
		*size = s;
		return CB_OK;
	}
	default:
		return cb_errf(e, CB_EINVAL, "not gzip or zstd data");
	}
}

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return calloc(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	free(p);
}

static int gunzip_into(const uint8_t *in, size_t n, uint8_t *out, size_t out_size, struct cb_err *e)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	z.zalloc = z_alloc;
	z.zfree = z_free;
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return cb_errf(e, CB_ENOMEM, "gzip: cannot set up the inflater");
	int rc = CB_OK, zr = Z_OK;
	size_t in_off = 0, out_off = 0;
	while (zr != Z_STREAM_END) {
		/* zlib counts in uInt: feed at most 1 GiB per call. */
		size_t in_chunk = n - in_off > (1u << 30) ? (1u << 30) : n - in_off;
		size_t out_chunk = out_size - out_off > (1u << 30) ? (1u << 30) : out_size - out_off;
		z.next_in = (Bytef *)(uintptr_t)(in + in_off);
		z.avail_in = (uInt)in_chunk;
		z.next_out = out + out_off;
		z.avail_out = (uInt)out_chunk;
		zr = inflate(&z, Z_NO_FLUSH);
		in_off += in_chunk - z.avail_in;
		out_off += out_chunk - z.avail_out;
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_BUF_ERROR && out_off == out_size) {
			rc = cb_errf(e, CB_EINVAL, "gzip: data continues past the announced %zu bytes", out_size);
			break;
		}
		if (zr == Z_BUF_ERROR && in_off == n) {
			rc = cb_errf(e, CB_EINVAL, "gzip: stream truncated after %zu of %zu bytes out", out_off, out_size);
			break;
		}
		if (zr != Z_OK) {
			rc = cb_errf(e, CB_EINVAL, "gzip: corrupt stream at input byte %zu (%s)", in_off,
			             z.msg ? z.msg : "inflate error");
			break;
		}
	}
	if (!rc && out_off != out_size)
		rc = cb_errf(e, CB_EINVAL, "gzip: %zu bytes out, the trailer announced %zu", out_off, out_size);
	inflateEnd(&z);
	return rc;
}

static int unzstd_into(const uint8_t *in, size_t n, uint8_t *out, size_t out_size, struct cb_err *e)
{
	size_t r = ZSTD_decompress(out, out_size, in, n);
	if (ZSTD_isError(r))
		return cb_errf(e, CB_EINVAL, "zstd: corrupt, truncated or larger than announced (error %d)",
		               (int)ZSTD_getErrorCode(r));
	if (r != out_size)
		return cb_errf(e, CB_EINVAL, "zstd: %zu bytes out, the frame announced %zu", r, out_size);
	return CB_OK;
}

int decompress_into(const void *in, size_t n, void *out, size_t out_size, struct cb_err *e)
{
	switch (decompress_detect(in, n)) {
	case DECOMPRESS_GZIP:
		return gunzip_into(in, n, out, out_size, e);
	case DECOMPRESS_ZSTD:
		return unzstd_into(in, n, out, out_size, e);
	default:
		return cb_errf(e, CB_EINVAL, "not gzip or zstd data");
	}
}
