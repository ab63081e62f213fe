/* pem_scan.h: the project's one PEM (RFC 7468) block scanner: walks the BEGIN/END blocks of a text in order and
 * base64-decodes each body (base64.h). It knows nothing of what a label means: no X.509, no keys. */
#ifndef CB_PEM_SCAN_H
#define CB_PEM_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

#define PEM_LABEL_MAX 48 /* label bytes + NUL */

/* A cursor over a PEM text; pem_scan_init() sets it up, pem_scan_next() moves it block by block. */
struct pem_scan {
	const char *text;
	size_t len;
	size_t pos;     /* offset of the next unread line */
	size_t line;    /* lines read so far (1-based number of the last one) */
	size_t max_der; /* largest decoded body accepted */
};

/* One block: "-----BEGIN <label>-----" ... "-----END <label>-----" and its decoded body. */
struct pem_block {
	char label[PEM_LABEL_MAX]; /* "CERTIFICATE", "PUBLIC KEY" */
	uint8_t *der;              /* the decoded body, malloc'd: free() it */
	size_t len;
	size_t line;               /* 1-based line of the BEGIN line */
};

void pem_scan_init(struct pem_scan *s, const char *text, size_t len, size_t max_der);

/* The next block of s. Lines are split at '\n' and lose their leading and trailing blanks (space, tab, CR); a
 * BEGIN line is exactly "-----BEGIN <label>-----" (label 1..47 printable ASCII characters), every other line
 * outside a block is ignored. The body lines up to the matching END line are joined without their blanks and
 * decoded by b64_decode() (strict RFC 4648); RFC 1421 headers (a ':' in a body line) are refused.
 * Returns 1 with *b filled (the caller frees b->der), 0 when no BEGIN line is left, or a CB_E* code with a
 * message naming the line: "PEM line 12: BEGIN CERTIFICATE without END", "PEM line 1: CERTIFICATE body is not
 * base64: base64: offset 6: invalid character '*'" (offset into the joined body), CB_EUNSUP for headers,
 * CB_ELIMIT past max_der. b->der is NULL unless 1 is returned; after an error the scan is over. */
int pem_scan_next(struct pem_scan *s, struct pem_block *b, struct cb_err *e);

#endif
