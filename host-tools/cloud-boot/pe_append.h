/* pe_append.h: appends data sections to a PE32+ EFI stub the way systemd's ukify lays a UKI out (new headers
 * in the header slack, data after the file's end, VAs after the last section). Not a PE loader or signer. */
#ifndef CLOUD_BOOT_PE_APPEND_H
#define CLOUD_BOOT_PE_APPEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

struct pe_new_section {
	const char *name; /* 1 to 8 bytes */
	const void *data;
	size_t len;
	uint32_t vsize; /* VirtualSize when larger than len (.linux: the kernel's SizeOfImage, as ukify) */
	bool code;      /* IMAGE_SCN_CNT_CODE instead of CNT_INITIALIZED_DATA (.linux, as ukify) */
};

/* Builds the stub with secs appended, in order, into *out (malloc'ed, *out_len bytes): each section at the
 * next FileAlignment boundary of the file and the next SectionAlignment boundary after the stub's last
 * section in memory; NumberOfSections, SizeOfInitializedData, SizeOfImage, SizeOfHeaders (rounded to
 * FileAlignment) and CheckSum updated. Refuses (reason in e) a stub that is not a PE32+ EFI application, is
 * signed, carries a symbol table, already has one of the names, or whose headers have no room for the new
 * section headers; CB_ELIMIT when the result would pass 4 GiB. */
int pe_append_sections(const uint8_t *stub, size_t stub_len, const struct pe_new_section *secs, size_t n,
                       uint8_t **out, size_t *out_len, struct cb_err *e);

#endif
