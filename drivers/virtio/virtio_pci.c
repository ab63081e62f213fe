/* virtio_pci.c: the virtio 1.x PCI transport over EFI_PCI_IO_PROTOCOL: finds the common/notify/ISR/device
 * configuration structures through the vendor capabilities, negotiates features, drives the status byte and
 * sets up split virtqueues in DMA common buffers. Legacy (0.9) devices are not supported. */
#include "virtio_pci.h"

#include <arch/cpu.h>
#include <stdio.h>
#include <string.h>

#include "rt.h"

/* Common configuration structure offsets (virtio 1.2 §4.1.4.3). */
enum {
	COMMON_DFSELECT = 0x00,
	COMMON_DF = 0x04,
	COMMON_GFSELECT = 0x08,
	COMMON_GF = 0x0c,
	COMMON_NUMQ = 0x12,
	COMMON_STATUS = 0x14,
	COMMON_Q_SELECT = 0x16,
	COMMON_Q_SIZE = 0x18,
	COMMON_Q_ENABLE = 0x1c,
	COMMON_Q_NOFF = 0x1e,
	COMMON_Q_DESCLO = 0x20,
	COMMON_Q_DESCHI = 0x24,
	COMMON_Q_AVAILLO = 0x28,
	COMMON_Q_AVAILHI = 0x2c,
	COMMON_Q_USEDLO = 0x30,
	COMMON_Q_USEDHI = 0x34,
};

enum { CAP_COMMON = 1, CAP_NOTIFY = 2, CAP_ISR = 3, CAP_DEVICE = 4 };

static uint32_t cfg_read(efi_pci_io *pci, efi_pci_io_width w, uint32_t off)
{
	uint32_t v = 0;
	pci->pci.read(pci, w, off, 1, &v);
	return v;
}

static uint32_t common_read(struct virtio_pci *vp, efi_pci_io_width w, uint32_t off)
{
	uint32_t v = 0;
	vp->pci->mem.read(vp->pci, w, vp->common.bar, vp->common.offset + off, 1, &v);
	return v;
}

static void common_write(struct virtio_pci *vp, efi_pci_io_width w, uint32_t off, uint32_t v)
{
	vp->pci->mem.write(vp->pci, w, vp->common.bar, vp->common.offset + off, 1, &v);
}

int virtio_pci_probe(efi_pci_io *pci, struct virtio_pci *vp, struct cb_err *e)
{
	memset(vp, 0, sizeof(*vp));
	vp->pci = pci;
	uint64_t seg, bus, dev, fn;
	if (pci->get_location(pci, &seg, &bus, &dev, &fn) == EFI_SUCCESS)
		snprintf(vp->location, sizeof(vp->location), "%02llx:%02llx.%llx", (unsigned long long)bus,
		         (unsigned long long)dev, (unsigned long long)fn);

	if (!(cfg_read(pci, EFI_PCI_IO_WIDTH_UINT16, 0x06) & 0x10))
		return cb_errf(e, CB_EUNSUP, "virtio %s: no PCI capability list (legacy-only device)", vp->location);
	uint8_t pos = (uint8_t)cfg_read(pci, EFI_PCI_IO_WIDTH_UINT8, 0x34) & 0xfc;
	bool have[5] = {false};
	for (int n = 0; pos && n < 48; n++) {
		uint8_t id = (uint8_t)cfg_read(pci, EFI_PCI_IO_WIDTH_UINT8, pos);
		uint8_t next = (uint8_t)cfg_read(pci, EFI_PCI_IO_WIDTH_UINT8, pos + 1u) & 0xfc;
		if (id == 0x09) { /* vendor-specific: a virtio structure */
			uint8_t type = (uint8_t)cfg_read(pci, EFI_PCI_IO_WIDTH_UINT8, pos + 3u);
			struct virtio_region r = {
				.bar = (uint8_t)cfg_read(pci, EFI_PCI_IO_WIDTH_UINT8, pos + 4u),
				.offset = cfg_read(pci, EFI_PCI_IO_WIDTH_UINT32, pos + 8u),
				.length = cfg_read(pci, EFI_PCI_IO_WIDTH_UINT32, pos + 12u),
			};
			struct virtio_region *dst = type == CAP_COMMON ? &vp->common
			                          : type == CAP_NOTIFY ? &vp->notify
			                          : type == CAP_ISR    ? &vp->isr
			                          : type == CAP_DEVICE ? &vp->device
			                                               : NULL;
			/* The first structure of each type is the preferred one; BARs are 0..5. */
			if (dst && !have[type] && r.bar <= 5) {
				*dst = r;
				have[type] = true;
				if (type == CAP_NOTIFY)
					vp->notify_multiplier = cfg_read(pci, EFI_PCI_IO_WIDTH_UINT32, pos + 16u);
			}
		}
		pos = next;
	}
	if (!have[CAP_COMMON] || !have[CAP_NOTIFY] || !have[CAP_DEVICE])
		return cb_errf(e, CB_EUNSUP, "virtio %s: missing modern capabilities (common %d, notify %d, device %d)",
		               vp->location, have[CAP_COMMON], have[CAP_NOTIFY], have[CAP_DEVICE]);
	if (vp->common.length < 0x38)
		return cb_errf(e, CB_EPROTO, "virtio %s: common configuration too short (%u bytes)", vp->location,
		               vp->common.length);

	/* Memory decoding and bus mastering on; the previous attributes are restored on shutdown. */
	pci->attributes(pci, EFI_PCI_IO_ATTR_GET, 0, &vp->saved_attributes);
	efi_status s = pci->attributes(pci, EFI_PCI_IO_ATTR_ENABLE,
	                               EFI_PCI_IO_ATTRIBUTE_MEMORY | EFI_PCI_IO_ATTRIBUTE_BUS_MASTER, NULL);
	if (EFI_ERROR(s))
		return cb_errf(e, CB_EIO, "virtio %s: cannot enable memory/bus master: %s", vp->location,
		               efi_status_str(s));
	return CB_OK;
}

uint8_t virtio_pci_status(struct virtio_pci *vp)
{
	return (uint8_t)common_read(vp, EFI_PCI_IO_WIDTH_UINT8, COMMON_STATUS);
}

void virtio_pci_set_status(struct virtio_pci *vp, uint8_t status)
{
	common_write(vp, EFI_PCI_IO_WIDTH_UINT8, COMMON_STATUS, status);
}

void virtio_pci_reset(struct virtio_pci *vp)
{
	virtio_pci_set_status(vp, 0);
	/* The device acknowledges a reset by reading back 0 (virtio 1.2 §4.1.4.3.2). */
	for (int i = 0; i < 1000 && virtio_pci_status(vp) != 0; i++)
		rt_bs->stall(100);
}

int virtio_pci_negotiate(struct virtio_pci *vp, uint64_t wanted, uint64_t required, uint64_t *got,
                         struct cb_err *e)
{
	virtio_pci_reset(vp);
	virtio_pci_set_status(vp, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_pci_set_status(vp, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);

	uint64_t offered = 0;
	for (uint32_t sel = 0; sel < 2; sel++) {
		common_write(vp, EFI_PCI_IO_WIDTH_UINT32, COMMON_DFSELECT, sel);
		offered |= (uint64_t)common_read(vp, EFI_PCI_IO_WIDTH_UINT32, COMMON_DF) << (32 * sel);
	}
	if ((offered & required) != required) {
		virtio_pci_set_status(vp, VIRTIO_STATUS_FAILED);
		return cb_errf(e, CB_EUNSUP, "virtio %s: device lacks required features 0x%llx (offers 0x%llx)",
		               vp->location, (unsigned long long)(required & ~offered), (unsigned long long)offered);
	}
	/* A device that needs its DMA translated must get ACCESS_PLATFORM: our addresses come from Map(). */
	uint64_t accept = offered & (wanted | required | VIRTIO_F_ACCESS_PLATFORM);
	for (uint32_t sel = 0; sel < 2; sel++) {
		common_write(vp, EFI_PCI_IO_WIDTH_UINT32, COMMON_GFSELECT, sel);
		common_write(vp, EFI_PCI_IO_WIDTH_UINT32, COMMON_GF, (uint32_t)(accept >> (32 * sel)));
	}
	virtio_pci_set_status(vp, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	if (!(virtio_pci_status(vp) & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_pci_set_status(vp, VIRTIO_STATUS_FAILED);
		return cb_errf(e, CB_EPROTO, "virtio %s: device refused features 0x%llx", vp->location,
		               (unsigned long long)accept);
	}
	*got = accept;
	return CB_OK;
}

int virtio_pci_device_read(struct virtio_pci *vp, uint32_t off, void *buf, uint32_t len)
{
	if (off > vp->device.length || len > vp->device.length - off)
		return CB_EINVAL;
	efi_status s = vp->pci->mem.read(vp->pci, EFI_PCI_IO_WIDTH_UINT8, vp->device.bar, vp->device.offset + off,
	                                 len, buf);
	return EFI_ERROR(s) ? CB_EIO : CB_OK;
}

int virtio_dma_alloc(struct virtio_pci *vp, uint64_t bytes, void **host, efi_physical_addr *dev, void **mapping,
                     uint64_t *pages, struct cb_err *e)
{
	*pages = (bytes + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
	efi_status s = vp->pci->allocate_buffer(vp->pci, EFI_ALLOCATE_ANY_PAGES, EFI_BOOT_SERVICES_DATA, *pages,
	                                        host, 0);
	if (EFI_ERROR(s))
		return cb_errf(e, CB_ENOMEM, "virtio %s: DMA buffer of %llu pages: %s", vp->location,
		               (unsigned long long)*pages, efi_status_str(s));
	uint64_t mapped = *pages * EFI_PAGE_SIZE;
	s = vp->pci->map(vp->pci, EFI_PCI_IO_OP_BUS_MASTER_COMMON_BUFFER, *host, &mapped, dev, mapping);
	if (EFI_ERROR(s) || mapped < *pages * EFI_PAGE_SIZE) {
		if (!EFI_ERROR(s))
			vp->pci->unmap(vp->pci, *mapping);
		vp->pci->free_buffer(vp->pci, *pages, *host);
		return cb_errf(e, CB_EIO, "virtio %s: cannot map DMA buffer: %s", vp->location,
		               EFI_ERROR(s) ? efi_status_str(s) : "partial mapping");
	}
	memset(*host, 0, *pages * EFI_PAGE_SIZE);
	return CB_OK;
}

void virtio_dma_free(struct virtio_pci *vp, void *host, void *mapping, uint64_t pages)
{
	if (!host)
		return;
	vp->pci->unmap(vp->pci, mapping);
	vp->pci->free_buffer(vp->pci, pages, host);
}

int virtq_create(struct virtio_pci *vp, uint16_t index, uint16_t max_size, struct virtq *q, struct cb_err *e)
{
	memset(q, 0, sizeof(*q));
	common_write(vp, EFI_PCI_IO_WIDTH_UINT16, COMMON_Q_SELECT, index);
	uint16_t size = (uint16_t)common_read(vp, EFI_PCI_IO_WIDTH_UINT16, COMMON_Q_SIZE);
	if (size == 0)
		return cb_errf(e, CB_EPROTO, "virtio %s: queue %u does not exist", vp->location, index);
	while (size > max_size)
		size /= 2; /* split-ring sizes are powers of two */
	q->index = index;
	q->size = size;

	uint64_t desc_bytes = 16ULL * size, avail_bytes = 6 + 2ULL * size, used_bytes = 6 + 8ULL * size;
	uint64_t used_off = (desc_bytes + avail_bytes + EFI_PAGE_SIZE - 1) & ~(EFI_PAGE_SIZE - 1);
	int rc = virtio_dma_alloc(vp, used_off + used_bytes, &q->mem, &q->mem_dev, &q->mapping, &q->mem_pages, e);
	if (rc)
		return rc;
	q->desc = q->mem;
	q->avail = (volatile uint16_t *)((uint8_t *)q->mem + desc_bytes);
	q->used = (volatile uint8_t *)q->mem + used_off;

	uint64_t d = q->mem_dev, a = q->mem_dev + desc_bytes, u = q->mem_dev + used_off;
	common_write(vp, EFI_PCI_IO_WIDTH_UINT16, COMMON_Q_SIZE, size);
	common_write(vp, EFI_PCI_IO_WIDTH_UINT32, COMMON_Q_DESCLO, (uint32_t)d);
	common_write(vp, EFI_PCI_IO_WIDTH_UINT32, COMMON_Q_DESCHI, (uint32_t)(d >> 32));
	common_write(vp, EFI_PCI_IO_WIDTH_UINT32, COMMON_Q_AVAILLO, (uint32_t)a);
	common_write(vp, EFI_PCI_IO_WIDTH_UINT32, COMMON_Q_AVAILHI, (uint32_t)(a >> 32));
	common_write(vp, EFI_PCI_IO_WIDTH_UINT32, COMMON_Q_USEDLO, (uint32_t)u);
	common_write(vp, EFI_PCI_IO_WIDTH_UINT32, COMMON_Q_USEDHI, (uint32_t)(u >> 32));
	uint32_t noff = common_read(vp, EFI_PCI_IO_WIDTH_UINT16, COMMON_Q_NOFF);
	uint64_t notify = (uint64_t)noff * vp->notify_multiplier;
	if (notify + 2 > vp->notify.length) {
		virtq_destroy(vp, q);
		return cb_errf(e, CB_EPROTO, "virtio %s: queue %u notify offset %llu outside notify region", vp->location,
		               index, (unsigned long long)notify);
	}
	q->notify_offset = vp->notify.offset + (uint32_t)notify;
	/* We poll: ask the device not to interrupt. */
	q->avail[0] = VIRTQ_AVAIL_F_NO_INTERRUPT;
	common_write(vp, EFI_PCI_IO_WIDTH_UINT16, COMMON_Q_ENABLE, 1);
	return CB_OK;
}

void virtq_destroy(struct virtio_pci *vp, struct virtq *q)
{
	virtio_dma_free(vp, q->mem, q->mapping, q->mem_pages);
	q->mem = NULL;
}

void virtq_notify(struct virtio_pci *vp, struct virtq *q)
{
	uint16_t v = q->index;
	vp->pci->mem.write(vp->pci, EFI_PCI_IO_WIDTH_UINT16, vp->notify.bar, q->notify_offset, 1, &v);
}

void virtq_push(struct virtq *q, uint16_t id)
{
	q->avail[2 + (q->avail_idx & (q->size - 1))] = id;
	q->avail_idx++;
}

void virtq_kick(struct virtio_pci *vp, struct virtq *q)
{
	if (q->avail[1] == q->avail_idx)
		return;
	arch_barrier(); /* ring entries before the index */
	q->avail[1] = q->avail_idx;
	arch_barrier(); /* index before reading the device's notification suppression flag */
	if (!(*(volatile uint16_t *)q->used & VIRTQ_USED_F_NO_NOTIFY))
		virtq_notify(vp, q);
}

bool virtq_pop(struct virtq *q, uint32_t *id, uint32_t *len)
{
	uint16_t used_idx = *(volatile uint16_t *)(q->used + 2);
	if (used_idx == q->last_used)
		return false;
	arch_barrier(); /* the index before the element it covers */
	volatile struct virtq_used_elem *elem =
		(volatile struct virtq_used_elem *)(q->used + 4) + (q->last_used & (q->size - 1));
	*id = elem->id;
	*len = elem->len;
	q->last_used++;
	return true;
}
