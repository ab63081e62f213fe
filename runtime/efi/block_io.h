/* block_io.h: the UEFI Block I/O protocol (UEFI 2.x §13.9): what runtime/blockdev_efi.c reads disks with. */
#ifndef CB_EFI_BLOCK_IO_H
#define CB_EFI_BLOCK_IO_H

#include "efi.h"

typedef struct {
	uint32_t media_id;
	bool removable_media;
	bool media_present;
	bool logical_partition; /* true: a partition view the firmware made; we read whole disks */
	bool read_only;
	bool write_caching;
	uint32_t block_size;
	uint32_t io_align;
	uint64_t last_block;
} efi_block_io_media;

typedef struct efi_block_io efi_block_io;
struct efi_block_io {
	uint64_t revision;
	efi_block_io_media *media;
	efi_status(EFIAPI *reset)(efi_block_io *self, bool extended_verification);
	efi_status(EFIAPI *read_blocks)(efi_block_io *self, uint32_t media_id, uint64_t lba, uint64_t size, void *buf);
	efi_status(EFIAPI *write_blocks)(efi_block_io *self, uint32_t media_id, uint64_t lba, uint64_t size,
	                                 const void *buf);
	efi_status(EFIAPI *flush_blocks)(efi_block_io *self);
};

#endif
