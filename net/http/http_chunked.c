/* http_chunked.c: incremental, in-place decoder of the chunked transfer coding (RFC 9112 section 7.1): size
 * lines with extensions, data, trailers; every length bounded. Extensions and trailer fields are discarded. */
#include <string.h>

#include "http_internal.h"

enum {
	CH_SIZE,       /* hex digits of the chunk size */
	CH_SIZE_WS,    /* whitespace after the size, before ';' or the line end */
	CH_EXT,        /* chunk extensions up to the line end */
	CH_SIZE_LF,    /* CR seen at the end of the size line */
	CH_DATA,
	CH_DATA_CR,    /* after the data: CR LF */
	CH_DATA_LF,
	CH_TRAILER,    /* at the start of a trailer line (or of the final empty line) */
	CH_TRAILER_LINE,
	CH_END_LF,     /* CR of the final empty line seen */
	CH_DONE,
};

void http_chunked_init(struct http_chunked *c, size_t trailer_max)
{
	memset(c, 0, sizeof(*c));
	c->state = CH_SIZE;
	c->trailer_max = trailer_max;
}

static int hexval(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int size_line_end(struct http_chunked *c, struct cb_err *e)
{
	if (!c->digits)
		return cb_errf(e, CB_EPROTO, "malformed chunk-size line (no size)");
	c->line_len = 0;
	c->state = c->remaining ? CH_DATA : CH_TRAILER;
	return 0;
}

int http_chunked_decode(struct http_chunked *c, uint8_t *buf, size_t len, size_t *out_len, size_t *consumed,
                        struct cb_err *e)
{
	size_t i = 0, o = 0;
	int rc = 0;
	while (i < len && c->state != CH_DONE) {
		if (c->state == CH_DATA) {
			size_t n = len - i;
			if ((uint64_t)n > c->remaining)
				n = (size_t)c->remaining;
			memmove(buf + o, buf + i, n);
			o += n, i += n;
			c->remaining -= n;
			if (c->remaining == 0)
				c->state = CH_DATA_CR;
			continue;
		}
		uint8_t ch = buf[i++];
		switch (c->state) {
		case CH_SIZE:
		case CH_SIZE_WS:
		case CH_EXT:
		case CH_SIZE_LF:
			if (++c->line_len > HTTP_CHUNK_LINE_MAX) {
				rc = cb_errf(e, CB_ELIMIT, "chunk-size line exceeds %d bytes", HTTP_CHUNK_LINE_MAX);
				goto out;
			}
			break;
		default:
			break;
		}
		switch (c->state) {
		case CH_SIZE: {
			int v = hexval(ch);
			if (v >= 0) {
				if (c->remaining > (UINT64_MAX >> 4)) {
					rc = cb_errf(e, CB_EPROTO, "chunk size overflows 64 bits");
					goto out;
				}
				c->remaining = c->remaining << 4 | (uint64_t)v;
				c->digits = true;
			} else if (c->digits && (ch == ' ' || ch == '\t')) {
				c->state = CH_SIZE_WS;
			} else if (c->digits && ch == ';') {
				c->state = CH_EXT;
			} else if (ch == '\r') {
				c->state = CH_SIZE_LF;
			} else if (ch == '\n') {
				if ((rc = size_line_end(c, e)))
					goto out;
			} else {
				rc = cb_errf(e, CB_EPROTO, "malformed chunk-size line (byte 0x%02x)", ch);
				goto out;
			}
			break;
		}
		case CH_SIZE_WS:
			if (ch == ';') {
				c->state = CH_EXT;
			} else if (ch == '\r') {
				c->state = CH_SIZE_LF;
			} else if (ch == '\n') {
				if ((rc = size_line_end(c, e)))
					goto out;
			} else if (ch != ' ' && ch != '\t') {
				rc = cb_errf(e, CB_EPROTO, "malformed chunk-size line (byte 0x%02x)", ch);
				goto out;
			}
			break;
		case CH_EXT:
			if (ch == '\r') {
				c->state = CH_SIZE_LF;
			} else if (ch == '\n') {
				if ((rc = size_line_end(c, e)))
					goto out;
			} else if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
				rc = cb_errf(e, CB_EPROTO, "malformed chunk extension (byte 0x%02x)", ch);
				goto out;
			}
			break;
		case CH_SIZE_LF:
			if (ch != '\n') {
				rc = cb_errf(e, CB_EPROTO, "malformed chunk-size line (bare CR)");
				goto out;
			}
			if ((rc = size_line_end(c, e)))
				goto out;
			break;
		case CH_DATA_CR:
			if (ch == '\r') {
				c->state = CH_DATA_LF;
				break;
			}
			__attribute__((fallthrough)); /* a bare LF ends the data too */
		case CH_DATA_LF:
			if (ch != '\n') {
				rc = cb_errf(e, CB_EPROTO, "missing CRLF after chunk data");
				goto out;
			}
			c->state = CH_SIZE;
			c->digits = false;
			c->line_len = 0;
			break;
		case CH_TRAILER:
		case CH_TRAILER_LINE:
		case CH_END_LF:
			if (++c->trailer_bytes > c->trailer_max) {
				rc = cb_errf(e, CB_ELIMIT, "trailer section exceeds %zu bytes", c->trailer_max);
				goto out;
			}
			if (c->state == CH_TRAILER) {
				if (ch == '\r') {
					c->state = CH_END_LF;
				} else if (ch == '\n') {
					c->state = CH_DONE;
				} else {
					if (++c->trailer_lines > HTTP_MAX_HEADERS) {
						rc = cb_errf(e, CB_ELIMIT, "more than %d trailer fields", HTTP_MAX_HEADERS);
						goto out;
					}
					c->state = CH_TRAILER_LINE;
				}
			} else if (c->state == CH_TRAILER_LINE) {
				if (ch == '\n')
					c->state = CH_TRAILER;
				else if (ch != '\r' && ch != '\t' && (ch < 0x20 || ch == 0x7f)) {
					rc = cb_errf(e, CB_EPROTO, "malformed trailer field (byte 0x%02x)", ch);
					goto out;
				}
			} else {
				if (ch != '\n') {
					rc = cb_errf(e, CB_EPROTO, "malformed end of chunked body (bare CR)");
					goto out;
				}
				c->state = CH_DONE;
			}
			break;
		default:
			break;
		}
	}
out:
	c->done = c->state == CH_DONE;
	*out_len = o;
	*consumed = i;
	return rc;
}
