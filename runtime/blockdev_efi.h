/* blockdev_efi.h: the loader's back end of cb_blockdev over EFI_BLOCK_IO_PROTOCOL: every whole disk the
 * firmware knows, read-only. Partitions are found by fs/ (GPT/MBR), never through the firmware's views. */
#ifndef CB_BLOCKDEV_EFI_H
#define CB_BLOCKDEV_EFI_H

#include <stddef.h>

#include "blockdev.h"
#include "cb_err.h"

/* Connects drivers to every PCI function, then opens every Block I/O handle that is a whole disk with media
 * present, in firmware order (on QEMU: PCI order, so the first virtio-blk disk is /dev/vda). *disks is an array of *count devices; free it with
 * blockdev_efi_close_all. 0 disks is not an error. */
int blockdev_efi_open_all(struct cb_blockdev ***disks, size_t *count, struct cb_err *e);
void blockdev_efi_close_all(struct cb_blockdev **disks, size_t count);

#endif
