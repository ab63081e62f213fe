/* protocols.h: GUIDs and layouts of the UEFI protocols the runtime and loader open.
 * Drivers that need a protocol's full layout (PCI IO, SNP, Block IO) extend this file. */
#ifndef CB_EFI_PROTOCOLS_H
#define CB_EFI_PROTOCOLS_H

#include "efi.h"

#define EFI_LOADED_IMAGE_PROTOCOL_GUID \
	EFI_GUID(0x5b1b31a1, 0x9562, 0x11d2, 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
#define EFI_DEVICE_PATH_PROTOCOL_GUID \
	EFI_GUID(0x09576e91, 0x6d3f, 0x11d2, 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
#define EFI_PCI_IO_PROTOCOL_GUID \
	EFI_GUID(0x4cf5b200, 0x68b8, 0x4ca5, 0x9e, 0xec, 0xb2, 0x3e, 0x3f, 0x50, 0x02, 0x9a)
#define EFI_SIMPLE_NETWORK_PROTOCOL_GUID \
	EFI_GUID(0xa19832b9, 0xac25, 0x11d3, 0x9a, 0x2d, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d)
#define EFI_BLOCK_IO_PROTOCOL_GUID \
	EFI_GUID(0x964e5b21, 0x6459, 0x11d2, 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
#define EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID \
	EFI_GUID(0x964e5b22, 0x6459, 0x11d2, 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
#define EFI_LOAD_FILE2_PROTOCOL_GUID \
	EFI_GUID(0x4006c0c1, 0xfcb3, 0x403e, 0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d)
#define EFI_RNG_PROTOCOL_GUID \
	EFI_GUID(0x3152bca5, 0xeade, 0x433d, 0x86, 0x2e, 0xc0, 0x1c, 0xdc, 0x29, 0x1f, 0x44)
#define EFI_SERIAL_IO_PROTOCOL_GUID \
	EFI_GUID(0xbb25cf6f, 0xf1d4, 0x11d2, 0x9a, 0x0c, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0xfd)
#define EFI_GLOBAL_VARIABLE_GUID \
	EFI_GUID(0x8be4df61, 0x93ca, 0x11d2, 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c)

/* Linux's LINUX_EFI_INITRD_MEDIA_GUID: the EFI stub asks LoadFile2 on this vendor media path for the initrd. */
#define LINUX_EFI_INITRD_MEDIA_GUID \
	EFI_GUID(0x5568e427, 0x68fc, 0x4f3d, 0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68)
#define EFI_DP_MEDIA_VENDOR 3

/* A vendor media device path node and the end node: the whole path of the initrd provider. */
struct __attribute__((packed)) efi_vendor_media_path {
	efi_device_path vendor;
	efi_guid guid;
	efi_device_path end;
};
#define EFI_VENDOR_MEDIA_PATH(g) \
	{ { EFI_DP_TYPE_MEDIA, EFI_DP_MEDIA_VENDOR, { sizeof(efi_device_path) + sizeof(efi_guid), 0 } }, g, \
	  { EFI_DP_TYPE_END, EFI_DP_SUBTYPE_END_ENTIRE, { sizeof(efi_device_path), 0 } } }

typedef struct efi_load_file2 efi_load_file2;
struct efi_load_file2 {
	efi_status(EFIAPI *load_file)(efi_load_file2 *self, efi_device_path *path, bool boot_policy,
	                              uint64_t *size, void *buf);
};

typedef struct {
	uint32_t revision;
	efi_handle parent_handle;
	efi_system_table *system_table;
	efi_handle device_handle;
	efi_device_path *file_path;
	void *reserved;
	uint32_t load_options_size;
	void *load_options;
	void *image_base;
	uint64_t image_size;
	efi_memory_type image_code_type;
	efi_memory_type image_data_type;
	efi_status(EFIAPI *unload)(efi_handle image);
} efi_loaded_image;

typedef struct {
	uint32_t control_mask;
	uint32_t timeout;
	uint64_t baud_rate;
	uint32_t receive_fifo_depth;
	uint32_t data_bits;
	uint32_t parity;
	uint32_t stop_bits;
} efi_serial_io_mode;

typedef struct efi_serial_io efi_serial_io;
struct efi_serial_io {
	uint32_t revision;
	efi_status(EFIAPI *reset)(efi_serial_io *self);
	efi_status(EFIAPI *set_attributes)(efi_serial_io *self, uint64_t baud, uint32_t fifo, uint32_t timeout,
	                                   uint32_t parity, uint8_t data_bits, uint32_t stop_bits);
	efi_status(EFIAPI *set_control)(efi_serial_io *self, uint32_t control);
	efi_status(EFIAPI *get_control)(efi_serial_io *self, uint32_t *control);
	efi_status(EFIAPI *write)(efi_serial_io *self, uint64_t *size, const void *buf);
	efi_status(EFIAPI *read)(efi_serial_io *self, uint64_t *size, void *buf);
	efi_serial_io_mode *mode;
};

#endif
