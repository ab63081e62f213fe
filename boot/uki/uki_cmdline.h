/* uki_cmdline.h: the UKI stub's kernel command line: the .cmdline section's text followed by the stub's own
 * LoadOptions (UCS-2 text, a leading "*.efi" argv[0] dropped). Pure C: no UEFI calls, host-tested. */
#ifndef UKI_CMDLINE_H
#define UKI_CMDLINE_H

#include <stddef.h>

#include "cb_err.h"

#define UKI_CMDLINE_MAX 65536 /* bytes, as the handoff accepts */

/* What became of the LoadOptions. */
enum uki_opts_use {
	UKI_OPTS_NONE,     /* absent, empty, or only an argv[0] */
	UKI_OPTS_APPENDED, /* text, appended */
	UKI_OPTS_BINARY,   /* not UCS-2 text (a boot entry's OptionalData): ignored */
};

/* *out (malloc'ed, caller frees): section text (up to its first NUL, surrounding white space trimmed), one
 * space, then the LoadOptions text (opts_bytes bytes of UCS-2LE up to the first NUL, BMP characters as UTF-8,
 * argv[0] dropped when it ends in ".efi", any case, quoted or not). CB_ELIMIT beyond UKI_CMDLINE_MAX,
 * CB_ENOMEM. */
int uki_cmdline_compose(const char *section, size_t section_len, const void *opts, size_t opts_bytes, char **out,
                        enum uki_opts_use *use, struct cb_err *e);

#endif
