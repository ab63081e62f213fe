/* part.h: partition tables (GPT with backup-header fallback, MBR with extended/logical chains) and the
 * partition view, a bounded sub-cb_blockdev. Parsing only: nothing here writes a partition table. */
#ifndef FS_PART_H
#define FS_PART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blockdev.h"
#include "cb_err.h"

#define GPT_MAX_ENTRIES 4096           /* entry-count limit of a GPT partition entry array */
#define GPT_MAX_ARRAY_BYTES (1u << 20) /* and of its size in bytes */
#define MBR_MAX_LOGICAL 128            /* logical partitions followed along an extended chain */
#define PART_LABEL_MAX 109             /* 36 UTF-16 units → at most 108 bytes of UTF-8, plus NUL */

enum part_scheme { PART_SCHEME_NONE, PART_SCHEME_GPT, PART_SCHEME_MBR };

struct part_info {
	uint32_t number;            /* GPT: entry index + 1; MBR: 1..4 primary, 5.. logical (Linux numbering) */
	uint64_t first_lba, last_lba; /* inclusive, in units of part_table.sector_size */
	uint64_t start, size;       /* bytes */
	uint8_t type_guid[16];      /* GPT only; on-disk (mixed-endian) byte order, as guid_format expects */
	uint8_t part_guid[16];      /* GPT only */
	uint64_t attributes;        /* GPT only */
	uint8_t mbr_type;           /* MBR only */
	bool bootable;              /* MBR 0x80 status */
	char label[PART_LABEL_MAX]; /* GPT name as UTF-8 ("" for MBR) */
};

struct part_table {
	enum part_scheme scheme;
	uint32_t sector_size;
	uint8_t disk_guid[16];  /* GPT */
	uint32_t mbr_signature; /* MBR disk signature (offset 440): partuuid "%08x-%02u" */
	bool protective_mbr;    /* sector 0 holds an MBR with a 0xEE entry */
	bool used_backup;       /* GPT: the primary header or array was bad, the backup was used */
	char warning[CB_ERR_MSG_MAX]; /* the first non-fatal problem found ("" if none), for the log */
	unsigned count;
	struct part_info *parts; /* sorted by number */
};

/* Reads the partition table of `disk`: GPT if a valid one (primary or backup) exists, else MBR, else
 * scheme NONE (returns 0: a whole-disk filesystem). Refuses (CB_EINVAL/CB_EVERIFY, message) a GPT whose
 * both copies are bad when a protective MBR says it should be there, and overlapping partitions. */
int part_scan(struct cb_blockdev *disk, struct part_table *t, struct cb_err *e);
/* The schemes one by one: CB_ENOENT when the scheme's signature is absent. */
int gpt_scan(struct cb_blockdev *disk, struct part_table *t, struct cb_err *e);
int mbr_scan(struct cb_blockdev *disk, struct part_table *t, struct cb_err *e);
void part_table_free(struct part_table *t);

const struct part_info *part_by_number(const struct part_table *t, uint32_t number);
const struct part_info *part_by_label(const struct part_table *t, const char *label);
/* The first GPT partition of this type (e.g. the ESP, c12a7328-f81f-11d2-ba4b-00a0c93ec93b). */
const struct part_info *part_by_type(const struct part_table *t, const uint8_t type_guid[16]);
/* GPT: the unique partition GUID; MBR: "SSSSSSSS-NN" from the disk signature (as Linux's PARTUUID).
 * Case-insensitive. */
const struct part_info *part_by_partuuid(const struct part_table *t, const char *uuid);
/* Writes the partuuid string of p ("" if none) into out[37]. */
void part_uuid_string(const struct part_table *t, const struct part_info *p, char out[37]);

/* A view of one partition: reads at [0, p->size) go to disk at p->start; nothing can reach outside.
 * Writes pass through only if disk is writable. Closing the view never closes `disk`. */
int part_open(struct cb_blockdev *disk, const struct part_info *p, struct cb_blockdev **out, struct cb_err *e);

/* GUIDs: 16 bytes in on-disk order (first three fields little-endian) ↔ "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
void guid_format(const uint8_t g[16], char out[37]);
int guid_parse(const char *s, uint8_t g[16]); /* 0 or CB_EINVAL */
bool guid_is_zero(const uint8_t g[16]);

/* Shared by gpt.c and mbr.c. */
int part_table_add(struct part_table *t, const struct part_info *p, struct cb_err *e);
int part_check_overlaps(struct part_table *t, const char *scheme, struct cb_err *e);
void part_warn(struct part_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
