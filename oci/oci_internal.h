/* oci_internal.h: helpers shared by the registry client's files (message excerpts, a growable byte buffer).
 * Not a public API: nothing outside oci/ includes it. */
#ifndef OCI_INTERNAL_H
#define OCI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Quoted, printable excerpt of hostile text for messages: at most 64 input bytes, others as \xNN. */
#define OCI_EXCERPT_SIZE 272
const char *oci_excerpt(const char *p, size_t len, char *buf, size_t size);
/* Same for a NUL-terminated string (NULL prints as "(none)"). */
const char *oci_excerpt_str(const char *s, char *buf, size_t size);

/* Growable byte buffer with a hard cap; always NUL-terminated after the data when data is non-NULL. */
struct oci_buf {
	uint8_t *data;
	size_t len, cap, max;
};
/* false when len + n would exceed max (nothing appended) or memory ran out (*nomem set). */
bool oci_buf_put(struct oci_buf *b, const void *p, size_t n, bool *nomem);
void oci_buf_free(struct oci_buf *b);

/* malloc'ed copy of s[0..n) with a NUL; NULL when out of memory. */
char *oci_strndup(const char *s, size_t n);

#endif
