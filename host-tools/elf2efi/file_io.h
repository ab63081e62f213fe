/* elf2efi: the CLI's file access: reading the whole input, and writing the output atomically
 * (temporary file in the same directory, then rename), so a failed run never leaves a partial OUTPUT. */
#ifndef ELF2EFI_FILE_IO_H
#define ELF2EFI_FILE_IO_H

#include <stddef.h>
#include <stdint.h>

/* Both return 0, or -1 with a reason (strerror-based) in err. */
int e2e_read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errlen);
int e2e_write_atomic(const char *path, const uint8_t *data, size_t len, char *err, size_t errlen);

#endif
