/* efi_file.h: reading small files next to the loader through the firmware's filesystem protocol. */
#ifndef CB_EFI_FILE_UTIL_H
#define CB_EFI_FILE_UTIL_H

#include <stddef.h>

#include "efi/efi.h"

/* Reads `name` (ASCII, '\'-separated) from the loader's own directory into a malloc'd NUL-terminated buffer.
 * EFI_NOT_FOUND when absent, EFI_BAD_BUFFER_SIZE when larger than `max`. */
efi_status rt_read_loader_file(const char *name, size_t max, char **data, size_t *size);

#endif
