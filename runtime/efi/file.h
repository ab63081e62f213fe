/* file.h: EFI_SIMPLE_FILE_SYSTEM_PROTOCOL and EFI_FILE_PROTOCOL (UEFI 2.10 §13.4-13.5), for reading small
 * files (the config file) from the filesystem the loader was started from. */
#ifndef CB_EFI_FILE_H
#define CB_EFI_FILE_H

#include "efi.h"

#define EFI_FILE_MODE_READ 0x0000000000000001ULL
#define EFI_FILE_INFO_GUID EFI_GUID(0x09576e92, 0x6d3f, 0x11d2, 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
#define EFI_FILE_DIRECTORY 0x10ULL

typedef struct efi_file efi_file;
struct efi_file {
	uint64_t revision;
	efi_status(EFIAPI *open)(efi_file *self, efi_file **out, const char16 *name, uint64_t mode, uint64_t attrs);
	efi_status(EFIAPI *close)(efi_file *self);
	efi_status(EFIAPI *delete_file)(efi_file *self);
	efi_status(EFIAPI *read)(efi_file *self, uint64_t *size, void *buf);
	efi_status(EFIAPI *write)(efi_file *self, uint64_t *size, const void *buf);
	efi_status(EFIAPI *get_position)(efi_file *self, uint64_t *pos);
	efi_status(EFIAPI *set_position)(efi_file *self, uint64_t pos);
	efi_status(EFIAPI *get_info)(efi_file *self, const efi_guid *type, uint64_t *size, void *buf);
	efi_status(EFIAPI *set_info)(efi_file *self, const efi_guid *type, uint64_t size, void *buf);
	efi_status(EFIAPI *flush)(efi_file *self);
};

typedef struct efi_simple_file_system efi_simple_file_system;
struct efi_simple_file_system {
	uint64_t revision;
	efi_status(EFIAPI *open_volume)(efi_simple_file_system *self, efi_file **root);
};

#define EFI_DP_MEDIA_FILEPATH 4

#endif
