/* der.h: a tiny bounded reader for the DER subset that keys and ECDSA signatures use (SEQUENCE, INTEGER,
 * BIT/OCTET STRING, OID, NULL, context tags). Not a general ASN.1 decoder: no BER, no indefinite lengths. */
#ifndef OCI_DER_H
#define OCI_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_OCTET_STRING 0x04
#define DER_NULL 0x05
#define DER_OID 0x06
#define DER_SEQUENCE 0x30
#define DER_CTX(n) (0xa0 | (n)) /* [n] constructed, n < 31 */

/* A window [off, end) of one buffer; offsets in messages are from the start of that buffer. */
struct der {
	const uint8_t *buf;
	size_t off, end;
};

/* A cursor over all of buf[0..len). */
struct der der_init(const void *buf, size_t len);
/* True when nothing is left in c. */
bool der_empty(const struct der *c);
/* Tag of the next element, or -1 when c is empty. */
int der_peek(const struct der *c);
/* Reads one element with tag `tag` (definite, minimal length inside c), advances c past it and sets *val to
 * its contents. CB_EINVAL "der: offset N: <reason>" otherwise; `what` names the element in messages. */
int der_read(struct der *c, uint8_t tag, const char *what, struct der *val, struct cb_err *e);
/* An INTEGER that must be positive and minimally encoded; *val = its magnitude without the sign byte. */
int der_read_uint(struct der *c, const char *what, struct der *val, struct cb_err *e);
/* A BIT STRING with no unused bits; *val = its bytes after the unused-bits count. */
int der_read_bits(struct der *c, const char *what, struct der *val, struct cb_err *e);
/* CB_EINVAL "der: offset N: trailing bytes after <what>" unless c is empty. */
int der_expect_end(const struct der *c, const char *what, struct cb_err *e);
/* The bytes and length of a window. */
const uint8_t *der_ptr(const struct der *v);
size_t der_len(const struct der *v);
/* True when v's bytes are exactly enc[0..n) (e.g. an OID's contents). */
bool der_eq(const struct der *v, const uint8_t *enc, size_t n);

#endif
