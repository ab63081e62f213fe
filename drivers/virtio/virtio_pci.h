/* virtio_pci.h: the virtio 1.x PCI transport (capability walk, feature negotiation, device status, split
 * virtqueues) over EFI_PCI_IO_PROTOCOL. Device drivers (virtio-net) sit on top. */
#ifndef CB_VIRTIO_PCI_H
#define CB_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "cb_err.h"
#include "efi/pci_io.h"

#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_F_VERSION_1 (1ULL << 32)
#define VIRTIO_F_ACCESS_PLATFORM (1ULL << 33)

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_USED_F_NO_NOTIFY 1
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtio_region {
	uint8_t bar;
	uint32_t offset;
	uint32_t length;
};

struct virtio_pci {
	efi_pci_io *pci;
	efi_handle handle;
	struct virtio_region common, notify, isr, device;
	uint32_t notify_multiplier;
	uint64_t saved_attributes;
	char location[16]; /* "00:03.0" */
};

/* A split virtqueue in one DMA common buffer: descriptors, then the available ring, then (page aligned)
 * the used ring. Indices are free-running 16-bit counters as the specification defines. */
struct virtq {
	uint16_t index;
	uint16_t size;
	volatile struct virtq_desc *desc;
	volatile uint16_t *avail; /* flags, idx, ring[size], used_event */
	volatile uint8_t *used;   /* flags, idx, ring[size] of virtq_used_elem, avail_event */
	uint16_t avail_idx;       /* next avail->idx we publish */
	uint16_t last_used;       /* next used->ring entry we consume */
	uint32_t notify_offset;
	void *mem;
	uint64_t mem_pages;
	void *mapping;
	efi_physical_addr mem_dev;
};

int virtio_pci_probe(efi_pci_io *pci, struct virtio_pci *vp, struct cb_err *e);
void virtio_pci_reset(struct virtio_pci *vp);
uint8_t virtio_pci_status(struct virtio_pci *vp);
void virtio_pci_set_status(struct virtio_pci *vp, uint8_t status);
/* Reset, ACKNOWLEDGE|DRIVER, offer wanted & device features, require `required`, FEATURES_OK. */
int virtio_pci_negotiate(struct virtio_pci *vp, uint64_t wanted, uint64_t required, uint64_t *got,
                         struct cb_err *e);
int virtio_pci_device_read(struct virtio_pci *vp, uint32_t off, void *buf, uint32_t len);

int virtq_create(struct virtio_pci *vp, uint16_t index, uint16_t max_size, struct virtq *q, struct cb_err *e);
void virtq_destroy(struct virtio_pci *vp, struct virtq *q);
void virtq_notify(struct virtio_pci *vp, struct virtq *q);

/* Publishes descriptor `id` as the next available buffer (call virtq_kick to make the batch visible). */
void virtq_push(struct virtq *q, uint16_t id);
/* Makes pushed buffers visible to the device and notifies it unless it asked not to be. */
void virtq_kick(struct virtio_pci *vp, struct virtq *q);
/* Takes the next used element; false when the device has returned nothing new. */
bool virtq_pop(struct virtq *q, uint32_t *id, uint32_t *len);

/* DMA memory for buffers: host pointer and device address, from the PCI IO protocol. */
int virtio_dma_alloc(struct virtio_pci *vp, uint64_t bytes, void **host, efi_physical_addr *dev,
                     void **mapping, uint64_t *pages, struct cb_err *e);
void virtio_dma_free(struct virtio_pci *vp, void *host, void *mapping, uint64_t pages);

#endif
