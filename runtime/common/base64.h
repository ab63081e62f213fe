/* base64.h: the project's one base64 codec (RFC 4648 §4, standard alphabet, '=' padding), strict on decode.
 * Not base64url and not a MIME decoder: whitespace and line breaks are errors, not skipped. */
#ifndef CB_BASE64_H
#define CB_BASE64_H

#include <stddef.h>

#include "cb_err.h"

/* Length of the encoding of n bytes, without the NUL (4 * ceil(n / 3)); SIZE_MAX if that overflows. */
size_t b64_encoded_len(size_t n);
/* Writes b64_encoded_len(n) characters and a NUL to out (capacity b64_encoded_len(n) + 1). */
void b64_encode(const void *in, size_t n, char *out);
/* Decodes the n characters at in into out (capacity out_cap); *out_len = bytes written. Strict: n must be a
 * multiple of 4, only the standard alphabet, '=' only as the last one or two characters of the text, unused
 * trailing bits zero. Returns 0, CB_EINVAL with a reason ("base64: offset N: ...") on bad input, or
 * CB_ELIMIT when out_cap is too small. */
int b64_decode(const char *in, size_t n, void *out, size_t out_cap, size_t *out_len, struct cb_err *e);
/* An upper bound of the decoded size of n characters (3 * (n / 4) rounded up), for sizing out. */
size_t b64_decoded_max(size_t n);

#endif
