/* pe_sections.h: reads a PE32+ image's headers and section table, as a file or as loaded in memory, treating
 * every byte as hostile. Shared by the UKI stub (its own image) and `cloud-boot build`; it loads nothing. */
#ifndef UKI_PE_SECTIONS_H
#define UKI_PE_SECTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

#define PE_MAX_SECTIONS 96 /* the Windows loader's limit; UKIs have about a dozen */
#define PE_SECTION_HEADER_SIZE 40
#define PE_OPT_MAGIC_PE32PLUS 0x20b
#define PE_SUBSYSTEM_EFI_APPLICATION 10

/* Where section bytes are: at PointerToRawData in a file, at the RVA in an image loaded by the firmware. */
enum pe_view { PE_VIEW_FILE, PE_VIEW_MEMORY };

struct pe_section {
	char name[9]; /* NUL-terminated; 8-byte names are not terminated in the header */
	uint32_t vsize, rva, raw_size, raw_ptr, characteristics;
};

struct pe_image {
	uint16_t machine, subsystem, nsections;
	uint32_t coff_off;       /* file offset of the COFF header ("PE\0\0" + 4) */
	uint32_t opt_off, opt_size;
	uint32_t sectab_off;     /* file offset of the first section header */
	uint32_t section_align, file_align, size_of_image, size_of_headers, size_of_init_data;
	uint32_t symtab_ptr;     /* PointerToSymbolTable (images should have none) */
	uint32_t security_off, security_size; /* the certificate table (file offset): non-zero when signed */
	struct pe_section sec[PE_MAX_SECTIONS];
};

/* Optional-header field offsets (PE32+), for writers. */
#define PE_OPT_SIZE_OF_INIT_DATA 8
#define PE_OPT_SIZE_OF_IMAGE 56
#define PE_OPT_SIZE_OF_HEADERS 60
#define PE_OPT_CHECKSUM 64
#define PE_COFF_NSECTIONS 2

/* Parses the DOS, COFF and PE32+ optional headers and the section table of buf[0, len). PE_VIEW_FILE: each
 * section's raw data must lie inside the file; PE_VIEW_MEMORY: each section must lie inside SizeOfImage and
 * buf. The reason for a refusal (offsets included) in e. */
int pe_parse(const void *buf, size_t len, enum pe_view view, struct pe_image *pe, struct cb_err *e);

/* The first section called name, or NULL. */
const struct pe_section *pe_find(const struct pe_image *pe, const char *name);

/* A section's bytes as the view has them: in a file min(VirtualSize, SizeOfRawData) bytes at
 * PointerToRawData (all of SizeOfRawData when VirtualSize is 0); in memory VirtualSize bytes at the RVA.
 * pe_parse() already checked them against the buffer it was given. */
const uint8_t *pe_section_bytes(const void *buf, enum pe_view view, const struct pe_section *s, size_t *len);

/* The bytes the firmware loads from the file for s: min(VirtualSize, SizeOfRawData) (the rest is zeros). */
uint32_t pe_section_file_bytes(const struct pe_section *s);

#endif
