/* diskboot.h: Path B, booting the kernel and initrd of a root filesystem on a local disk (cloudboot.disk=). */
#ifndef BOOT_DISKBOOT_H
#define BOOT_DISKBOOT_H

#include "cb_err.h"
#include "knobs.h"

/* Returns only on failure (nothing usable found, read error, the kernel refused or returned). */
int diskboot_run(const struct knobs *k, struct cb_err *e);

#endif
