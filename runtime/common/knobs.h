/* knobs.h: the one parser and store for `cloudboot.*` knobs, whichever source they come from (built-in
 * defaults, \EFI\BOOT\cloudboot.cfg, the CloudBootCmdline EFI variable, LoadOptions or /proc/cmdline).
 * Not a reader of those sources: callers fetch the bytes and hand them over. See docs/knobs.md. */
#ifndef CB_KNOBS_H
#define CB_KNOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

/* The cloud-boot vendor GUID of the CloudBootCmdline and CloudBootTarget EFI variables. The initializer
 * has the EFI_GUID field order (Data1, Data2, Data3, Data4[8]). */
#define CLOUDBOOT_VENDOR_GUID_STR "a3c1d1e4-5b0f-4c7e-9d2a-6f1b8e0c4d21"
#define CLOUDBOOT_VENDOR_GUID_INIT { 0xa3c1d1e4, 0x5b0f, 0x4c7e, { 0x9d, 0x2a, 0x6f, 0x1b, 0x8e, 0x0c, 0x4d, 0x21 } }
#define KNOBS_EFIVAR_CMDLINE "CloudBootCmdline" /* knobs, command-line syntax, UTF-8 */
#define KNOBS_EFIVAR_TARGET "CloudBootTarget"   /* a target name (Path B / Path C) */
/* The same variables as efivarfs names them (linux-init). */
#define KNOBS_EFIVARFS_CMDLINE KNOBS_EFIVAR_CMDLINE "-" CLOUDBOOT_VENDOR_GUID_STR
#define KNOBS_EFIVARFS_TARGET KNOBS_EFIVAR_TARGET "-" CLOUDBOOT_VENDOR_GUID_STR

#define KNOBS_CONFIG_PATH "\\EFI\\BOOT\\cloudboot.cfg"
/* cloudboot.metadata.url when the platform is OpenStack and the knob is unset. */
#define KNOBS_OPENSTACK_METADATA_URL "http://169.254.169.254/openstack/latest/meta_data.json"

#define KNOBS_PREFIX "cloudboot."
#define KNOBS_MAX_INPUT (64u * 1024) /* bytes of one text given to knobs_parse */
#define KNOBS_MAX_TOKEN 4096u        /* bytes of one token, quotes included */
#define KNOBS_MAX_KNOBS 256u         /* distinct keys in a store (and cloudboot.* tokens in one text) */
#define KNOBS_MAX_KEY 128u           /* bytes of a key after "cloudboot." */
#define KNOBS_MAX_WARNINGS 32u       /* kept by a store; later ones are only counted */

/* Where a value came from. The order of the enum is not the priority: see knob_source_rank(). To add a
 * source, add it here, give it a name and a rank in knobs.c, and document it in docs/knobs.md. */
enum knob_source {
	KNOB_SRC_DEFAULT = 0,  /* compiled in: the knob table, or a built-in text parsed with this source */
	KNOB_SRC_CONFIG,       /* \EFI\BOOT\cloudboot.cfg (config-file syntax: comments, lines) */
	KNOB_SRC_EFIVAR,       /* the CloudBootCmdline EFI variable */
	KNOB_SRC_LOADOPTIONS,  /* the loader's LoadOptions */
	KNOB_SRC_PROC_CMDLINE, /* /proc/cmdline in linux-init; same rank as LoadOptions */
	KNOB_SRC_METADATA,     /* the metadata-URL JSON (set through knobs_set); wins over the command line */
	KNOB_SRC_COUNT
};

/* "default", "cloudboot.cfg", "CloudBootCmdline", "LoadOptions", "/proc/cmdline", "metadata". */
const char *knob_source_name(enum knob_source src);
/* Priority: a value from a source of lower rank never replaces one of higher rank; equal rank: the later wins. */
unsigned knob_source_rank(enum knob_source src);

/* ---- the table of known knobs (knob_table.c) ---- */
enum knob_type {
	KNOB_BOOL,    /* 0 1 true false yes no on off (any case) */
	KNOB_ENUM,    /* one of def->values, exact */
	KNOB_UINT,    /* decimal, def->min..def->max */
	KNOB_STRING,  /* any text (no control characters) */
	KNOB_URL,     /* http:// or https:// followed by a host, no spaces */
	KNOB_OCI_REF, /* non-empty, no spaces; the OCI client checks the syntax */
	KNOB_NETCFG,  /* <ip>/<prefix>:<gw>:<dns>, see netcfg.h */
};
#define KNOB_F_SECRET 1u /* never printed: dump and messages show *** */

struct knob_def {
	const char *name;           /* without "cloudboot.": "disk.fs" */
	enum knob_type type;
	unsigned flags;             /* KNOB_F_* */
	const char *const *values;  /* KNOB_ENUM: NULL-terminated list */
	uint32_t min, max;          /* KNOB_UINT */
	const char *dflt;           /* the compiled-in default, NULL: none (unset) */
	const char *help;           /* one line */
};
extern const struct knob_def knob_table[];
extern const size_t knob_table_len;
/* The entry for a name with or without "cloudboot." ('_' and '-' are the same), or NULL. */
const struct knob_def *knob_lookup(const char *name);
/* true when `user` (with or without "cloudboot.", '_' or '-') names the canonical short name `canon`. */
bool knob_name_eq(const char *user, const char *canon);
/* true for keys that hold secrets: those containing "passphrase", "secret", "password" or "token". */
bool knob_key_is_secret(const char *name);
/* The type as docs/knobs.md writes it: "bool", "enum", "uint", "string", "url", "oci-ref", "netcfg". */
const char *knob_type_name(enum knob_type t);

/* ---- the store ---- */
struct knobs;

struct knobs *knobs_new(void); /* NULL when out of memory */
void knobs_free(struct knobs *k);

/* Parses one text from `src` (command-line syntax; config-file syntax when src == KNOB_SRC_CONFIG) and
 * merges its cloudboot.* settings into the store, key by key, by source rank. All or nothing: on error the
 * store keeps no setting of this text, returns a negative CB_E* code and says why in `e`, e.g.
 *   knobs: cloudboot.exit=foo (LoadOptions): expected one of kexec, reboot
 *   knobs: unterminated quote at byte 17 (cloudboot.cfg line 2)
 * Unknown cloudboot.* keys are kept and produce a warning (knobs_warning()). The other tokens are kept
 * verbatim for the caller (knobs_other()). NUL bytes at the very end of the text are ignored. */
int knobs_parse(struct knobs *k, enum knob_source src, const char *text, size_t len, struct cb_err *e);

/* Sets one knob (key with or without "cloudboot.") as if it came from `src`: the way for sources that are
 * not text, such as the metadata JSON. Same checks and messages as knobs_parse; "" resets to the default. */
int knobs_set(struct knobs *k, enum knob_source src, const char *key, const char *value, struct cb_err *e);

/* The value in force: the highest-ranked setting, else the table default, else NULL. A setting with an
 * empty value ("cloudboot.plan=") means "back to the default". Keys with or without "cloudboot.". */
const char *knobs_get(const struct knobs *k, const char *key);
/* true when some source gave the key a non-empty value. */
bool knobs_is_set(const struct knobs *k, const char *key);
/* The source of the setting in force (KNOB_SRC_DEFAULT when none). */
enum knob_source knobs_source(const struct knobs *k, const char *key);
/* Typed getters of the value in force; `dflt` when there is neither a setting nor a table default (or the
 * value does not convert, which cannot happen for a key of the matching type). */
bool knobs_bool(const struct knobs *k, const char *key, bool dflt);
uint32_t knobs_u32(const struct knobs *k, const char *key, uint32_t dflt);

/* Cross-knob checks, to run once every source is in: exactly one boot source among cloudboot.disk= and
 * cloudboot.plan= / cloudboot.index= (each conflict named with where both sides came from); with
 * KNOBS_NEED_BOOT_SOURCE, none at all is an error too. Softer oddities become warnings. */
#define KNOBS_NEED_BOOT_SOURCE 1u
int knobs_validate(struct knobs *k, unsigned flags, struct cb_err *e);

/* Warnings (unknown keys, validate's notes), oldest first; at most KNOBS_MAX_WARNINGS are kept. */
size_t knobs_warning_count(const struct knobs *k);
const char *knobs_warning(const struct knobs *k, size_t i);
size_t knobs_warnings_dropped(const struct knobs *k);
void knobs_clear_warnings(struct knobs *k);

/* The tokens of a source that are not cloudboot.* (what belongs to the kernel), byte for byte as given,
 * joined by single spaces (config files: comments removed). "" when none; *count gets their number. */
const char *knobs_other(const struct knobs *k, enum knob_source src, size_t *count);

/* One line per knob with a value in force, table order then unknown keys in order of arrival:
 * `cloudboot.exit=kexec (default)`, values with spaces quoted, secrets as ***. `line` has no newline. */
typedef void knobs_write_fn(void *ctx, const char *line);
int knobs_dump(const struct knobs *k, knobs_write_fn *write, void *ctx);

#endif
