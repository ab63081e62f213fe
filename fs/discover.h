/* discover.h: which kernel and initrd to boot from a mounted root filesystem (cloudboot.disk.kernel=/.initrd=
 * overrides, else the newest /boot/{vmlinuz,Image}-* and its initrd, else the /vmlinuz symlinks). */
#ifndef FS_DISCOVER_H
#define FS_DISCOVER_H

#include "cb_err.h"
#include "vfs.h"

#define DISCOVER_PATH_MAX 512
#define DISCOVER_MAX_CANDIDATES 4096

struct discover_result {
	char kernel[DISCOVER_PATH_MAX];
	char initrd[DISCOVER_PATH_MAX]; /* "" = boot without an initrd */
	char reason[400];               /* one line for the log: what was chosen and why */
};

/* kernel_override/initrd_override: NULL or "" = discover; initrd "none" = no initrd. An override that does
 * not name a readable regular file is an error, never silently replaced. */
int discover_boot_files(struct cb_fs *fs, const char *kernel_override, const char *initrd_override,
			struct discover_result *out, struct cb_err *e);

/* Version order of two suffixes, as dpkg compares upstream versions: digit runs numerically, other
 * characters by ASCII with letters before punctuation and '~' before everything (even the end).
 * "6.1.0-10-amd64" > "6.1.0-9-amd64"; "5.10" > "5.9"; "6.1~rc1" < "6.1". <0, 0, >0. */
int discover_vercmp(const char *a, const char *b);

#endif
