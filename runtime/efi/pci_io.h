/* pci_io.h: EFI_PCI_IO_PROTOCOL (UEFI 2.10 §14.4), the firmware's view of one PCI function: config space,
 * BAR access, DMA mapping. Our drivers reach hardware only through it (no bare MMIO assumptions). */
#ifndef CB_EFI_PCI_IO_H
#define CB_EFI_PCI_IO_H

#include "efi.h"

typedef enum {
	EFI_PCI_IO_WIDTH_UINT8,
	EFI_PCI_IO_WIDTH_UINT16,
	EFI_PCI_IO_WIDTH_UINT32,
	EFI_PCI_IO_WIDTH_UINT64,
} efi_pci_io_width;

typedef enum {
	EFI_PCI_IO_OP_BUS_MASTER_READ,
	EFI_PCI_IO_OP_BUS_MASTER_WRITE,
	EFI_PCI_IO_OP_BUS_MASTER_COMMON_BUFFER,
	EFI_PCI_IO_OP_BUS_MASTER_READ64,
	EFI_PCI_IO_OP_BUS_MASTER_WRITE64,
	EFI_PCI_IO_OP_BUS_MASTER_COMMON_BUFFER64,
} efi_pci_io_operation;

typedef enum {
	EFI_PCI_IO_ATTR_GET,
	EFI_PCI_IO_ATTR_SET,
	EFI_PCI_IO_ATTR_ENABLE,
	EFI_PCI_IO_ATTR_DISABLE,
	EFI_PCI_IO_ATTR_SUPPORTED,
} efi_pci_io_attribute_operation;

#define EFI_PCI_IO_ATTRIBUTE_IO 0x0100
#define EFI_PCI_IO_ATTRIBUTE_MEMORY 0x0200
#define EFI_PCI_IO_ATTRIBUTE_BUS_MASTER 0x0400
#define EFI_PCI_IO_ATTRIBUTE_DUAL_ADDRESS_CYCLE 0x8000
#define EFI_PCI_DEVICE_ENABLE (EFI_PCI_IO_ATTRIBUTE_IO | EFI_PCI_IO_ATTRIBUTE_MEMORY | EFI_PCI_IO_ATTRIBUTE_BUS_MASTER)

typedef struct efi_pci_io efi_pci_io;

typedef struct {
	efi_status(EFIAPI *read)(efi_pci_io *self, efi_pci_io_width w, uint8_t bar, uint64_t off, uint64_t count,
	                         void *buf);
	efi_status(EFIAPI *write)(efi_pci_io *self, efi_pci_io_width w, uint8_t bar, uint64_t off, uint64_t count,
	                          void *buf);
} efi_pci_io_access;

typedef struct {
	efi_status(EFIAPI *read)(efi_pci_io *self, efi_pci_io_width w, uint32_t off, uint64_t count, void *buf);
	efi_status(EFIAPI *write)(efi_pci_io *self, efi_pci_io_width w, uint32_t off, uint64_t count, void *buf);
} efi_pci_io_config_access;

struct efi_pci_io {
	void *poll_mem;
	void *poll_io;
	efi_pci_io_access mem;
	efi_pci_io_access io;
	efi_pci_io_config_access pci;
	void *copy_mem;
	efi_status(EFIAPI *map)(efi_pci_io *self, efi_pci_io_operation op, void *host, uint64_t *bytes,
	                        efi_physical_addr *device, void **mapping);
	efi_status(EFIAPI *unmap)(efi_pci_io *self, void *mapping);
	efi_status(EFIAPI *allocate_buffer)(efi_pci_io *self, efi_allocate_type type, efi_memory_type mem,
	                                    uint64_t pages, void **host, uint64_t attributes);
	efi_status(EFIAPI *free_buffer)(efi_pci_io *self, uint64_t pages, void *host);
	efi_status(EFIAPI *flush)(efi_pci_io *self);
	efi_status(EFIAPI *get_location)(efi_pci_io *self, uint64_t *segment, uint64_t *bus, uint64_t *device,
	                                 uint64_t *function);
	efi_status(EFIAPI *attributes)(efi_pci_io *self, efi_pci_io_attribute_operation op, uint64_t attributes,
	                               uint64_t *result);
	void *get_bar_attributes;
	void *set_bar_attributes;
	uint64_t rom_size;
	void *rom_image;
};

#endif
