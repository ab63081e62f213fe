/* varstore.h: offline editing of an EDK2 variable store file (OVMF_VARS.fd & co.) and its EFI load options, on
 * a caller-owned buffer: portable C, no file I/O, no firmware calls, no flash layouts other than EDK2's. */
#ifndef CLOUD_BOOT_VARSTORE_H
#define CLOUD_BOOT_VARSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

#define VARSTORE_NAME_MAX 128u     /* characters of a variable name (without the NUL) we handle */
#define VARSTORE_DATA_MAX 0x10000u /* bytes of one variable's data we write */

/* Variable attributes (UEFI 2.x). */
#define VARSTORE_NV 0x1u
#define VARSTORE_BS 0x2u
#define VARSTORE_RT 0x4u
#define VARSTORE_NV_BS_RT (VARSTORE_NV | VARSTORE_BS | VARSTORE_RT)

/* Variable header states (bits are cleared as a variable moves on, flash style). */
#define VARSTORE_VAR_ADDED 0x3Fu
#define VARSTORE_VAR_IN_DELETED_TRANSITION 0xFEu /* ANDed into the state */
#define VARSTORE_VAR_DELETED 0xFDu               /* ANDed into the state */

/* EFI_GLOBAL_VARIABLE (Boot####, BootOrder, …), on-disk byte order. */
extern const uint8_t varstore_global_guid[16];

struct varstore {
	uint8_t *buf; /* the whole file */
	size_t size;
	size_t fv_length;     /* the firmware volume (its header says) */
	size_t store_off;     /* the variable store header */
	size_t vars_off;      /* the first variable header */
	size_t vars_end;      /* the end of the variable store */
	size_t free_off;      /* the first byte after the last variable */
	bool authenticated;   /* 60-byte AUTHENTICATED_VARIABLE_HEADERs, else 32-byte VARIABLE_HEADERs */
	unsigned nvars;       /* headers found, deleted ones included */
};

struct varstore_var {
	size_t off;                     /* of the header */
	uint8_t state;
	uint32_t attributes;
	uint8_t guid[16];
	char name[VARSTORE_NAME_MAX + 1]; /* UCS-2 shown as ASCII ('?' for anything else), NUL-terminated */
	const uint8_t *data;
	uint32_t data_size;
};

/* Checks the firmware volume header (signature, NV-data GUID, length, block map, checksum) and the
 * variable store header (GUID, size, formatted/healthy), then walks every variable header with bounds
 * checks. Errors say what is wrong and at which offset. buf stays the caller's and is edited in place. */
int varstore_open(struct varstore *vs, uint8_t *buf, size_t size, struct cb_err *e);

/* True for a variable the firmware would return: state ADDED (or ADDED + IN_DELETED_TRANSITION when no ADDED
 * copy exists; varstore_get applies that rule). */
bool varstore_state_live(uint8_t state);

/* Iterates over all variable headers: *cursor starts at 0; returns 1 and fills v, or 0 at the end. */
int varstore_next(const struct varstore *vs, size_t *cursor, struct varstore_var *v);

/* Finds the live variable name (ASCII) of vendor guid. CB_ENOENT if there is none. */
int varstore_get(const struct varstore *vs, const char *name, const uint8_t guid[16], struct varstore_var *v,
		 struct cb_err *e);

/* Writes a new copy of the variable after the last one and marks the old copy deleted; when the store is
 * full, first compacts it (live variables only, as the firmware's reclaim does). CB_ELIMIT if it still
 * does not fit. name: ASCII, 1..VARSTORE_NAME_MAX characters; len: 1..VARSTORE_DATA_MAX. */
int varstore_set(struct varstore *vs, const char *name, const uint8_t guid[16], uint32_t attributes,
		 const void *data, size_t len, struct cb_err *e);

/* Marks the live copy of a variable deleted. CB_ENOENT if there is none. */
int varstore_delete(struct varstore *vs, const char *name, const uint8_t guid[16], struct cb_err *e);

/* ---- EFI load options (varstore_loadopt.c) ---- */

#define VARSTORE_LOAD_OPTION_ACTIVE 0x1u
#define VARSTORE_DESC_MAX 256u        /* characters of a description we write or show */
#define VARSTORE_DEVPATH_TEXT_MAX 1024u

/* The hard-drive device path node of a GPT partition. */
struct varstore_hd {
	uint32_t number;       /* GPT entry number, 1-based */
	uint64_t start, size;  /* in 512-byte LBAs */
	uint8_t part_guid[16]; /* unique partition GUID, on-disk byte order */
};

/* Builds an EFI_LOAD_OPTION: attributes ACTIVE, the description (ASCII, UCS-2 on disk), the device path
 * HD(…)/File(path)/End and optional data (may be NULL/0). path: ASCII with '\' separators. The result is
 * malloc'ed. */
int varstore_loadopt_build(const char *description, const struct varstore_hd *hd, const char *path,
			   const uint8_t *optional, size_t optional_len, uint8_t **out, size_t *out_len,
			   struct cb_err *e);

struct varstore_loadopt {
	uint32_t attributes;
	char description[VARSTORE_DESC_MAX + 1]; /* UCS-2 shown as ASCII ('?' for anything else) */
	const uint8_t *devpath;
	size_t devpath_len;
	const uint8_t *optional;
	size_t optional_len;
};

/* Splits an EFI_LOAD_OPTION into its fields, with bounds checks. */
int varstore_loadopt_parse(const uint8_t *data, size_t len, struct varstore_loadopt *o, struct cb_err *e);

/* The device path as text, the way efibootmgr shows it: HD(1,GPT,<guid>,0x800,0x3f800)/File(\EFI\…).
 * Unknown nodes become Path(type,subtype,hex). On a malformed path (node length < 4 or past the end, too
 * many nodes) returns CB_EINVAL and out holds the text up to the bad node. */
int varstore_devpath_text(const uint8_t *dp, size_t len, char *out, size_t outsize, struct cb_err *e);

#endif
