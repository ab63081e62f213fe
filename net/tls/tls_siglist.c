/* tls_siglist.c: walks a series of EFI_SIGNATURE_LISTs (UEFI 2.10 section 32.4.1, OVMF's TlsCaCertificate)
 * and hands out the X.509 entries. Structure only; the caller decodes the certificates. */
#include <string.h>

#include "cb_checked.h"
#include "tls_internal.h"

/* EFI_CERT_X509_GUID a5c059a1-94e4-4aa7-87b5-ab155c2bf072, as stored (first three fields little-endian). */
static const uint8_t cert_x509_guid[16] = { 0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a,
	                                    0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72 };
#define OWNER_GUID 16 /* EFI_SIGNATURE_DATA.SignatureOwner precedes each entry's data */

struct list {
	size_t size, hdr, sig_size, count;
	bool x509;
};

/* Checks the list at `off`; fills l. */
static int check_list(const uint8_t *p, size_t len, size_t off, size_t *entries, struct list *l, struct cb_err *e)
{
	if (!cb_in_bounds(off, TLS_SIGLIST_HEADER, len))
		return cb_errf(e, CB_EINVAL, "EFI signature list at offset %zu: %zu bytes left, the header needs %u", off,
		               len - off, TLS_SIGLIST_HEADER);
	const uint8_t *h = p + off;
	l->size = cb_le32(h + 16);
	l->hdr = cb_le32(h + 20);
	l->sig_size = cb_le32(h + 24);
	l->x509 = !memcmp(h, cert_x509_guid, 16);
	if (l->size < TLS_SIGLIST_HEADER)
		return cb_errf(e, CB_EINVAL, "EFI signature list at offset %zu: SignatureListSize %zu is smaller than "
		               "its header", off, l->size);
	if (!cb_in_bounds(off, l->size, len))
		return cb_errf(e, CB_EINVAL, "EFI signature list at offset %zu: SignatureListSize %zu runs past the end "
		               "(%zu bytes)", off, l->size, len);
	size_t body = l->size - TLS_SIGLIST_HEADER;
	if (l->hdr > body)
		return cb_errf(e, CB_EINVAL, "EFI signature list at offset %zu: SignatureHeaderSize %zu exceeds the "
		               "list", off, l->hdr);
	body -= l->hdr;
	if (l->sig_size <= OWNER_GUID)
		return cb_errf(e, CB_EINVAL, "EFI signature list at offset %zu: SignatureSize %zu is too small", off,
		               l->sig_size);
	if (body % l->sig_size)
		return cb_errf(e, CB_EINVAL, "EFI signature list at offset %zu: %zu bytes of signatures are not a "
		               "multiple of SignatureSize %zu", off, body, l->sig_size);
	l->count = body / l->sig_size;
	if (l->count > TLS_SIGLIST_MAX_ENTRIES - *entries)
		return cb_errf(e, CB_ELIMIT, "EFI signature list at offset %zu: more than %u entries in all", off,
		               TLS_SIGLIST_MAX_ENTRIES);
	*entries += l->count;
	return 0;
}

int tls_siglist_walk(const void *buf, size_t len,
                     int (*fn)(void *ctx, const uint8_t *der, size_t der_len, size_t index, struct cb_err *e),
                     void *ctx, struct cb_err *e)
{
	const uint8_t *p = buf;
	if (!len)
		return cb_errf(e, CB_EINVAL, "EFI signature list: empty");
	/* Pass 0 checks the whole structure, pass 1 hands out the entries: fn never sees a half-valid buffer. */
	for (int pass = 0; pass < 2; pass++) {
		size_t entries = 0, index = 0;
		for (size_t off = 0; off < len;) {
			struct list l = { 0 };
			int rc = check_list(p, len, off, &entries, &l, e);
			if (rc)
				return rc;
			for (size_t i = 0; pass == 1 && l.x509 && i < l.count; i++) {
				size_t at = off + TLS_SIGLIST_HEADER + l.hdr + i * l.sig_size + OWNER_GUID;
				if ((rc = fn(ctx, p + at, l.sig_size - OWNER_GUID, index++, e)))
					return rc;
			}
			off += l.size;
		}
	}
	return 0;
}

bool tls_siglist_looks_like(const void *buf, size_t len)
{
	size_t entries = 0;
	struct list l = { 0 };
	struct cb_err e;
	return len >= TLS_SIGLIST_HEADER && check_list(buf, len, 0, &entries, &l, &e) == 0;
}
