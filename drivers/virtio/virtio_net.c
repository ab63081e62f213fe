/* virtio_net.c: our virtio-net driver (virtio 1.x over PCI IO), polled, no interrupts. It takes the NIC from
 * the firmware's driver, keeps the receive queue full of DMA buffers, copies frames out to the stack, and on
 * shutdown resets the device and gives it back to the firmware. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "efi/protocols.h"
#include "log.h"
#include "netdev.h"
#include "rt.h"
#include "virtio_pci.h"

#define VIRTIO_NET_F_MAC (1ULL << 5)
#define VIRTIO_NET_F_MRG_RXBUF (1ULL << 15)
#define VIRTIO_NET_F_STATUS (1ULL << 16)
#define VIRTIO_NET_S_LINK_UP 1

#define VNET_HDR_LEN 12   /* struct virtio_net_hdr with num_buffers (always present with VERSION_1) */
#define RX_BUF_LEN 2048   /* header + a full frame: one buffer per frame without GSO */
#define TX_BUF_LEN 2048
#define QUEUE_MAX 256
#define RX_POSTED_MAX 64  /* lwipopts.h sizes its pbuf pool for at most this many frames in flight */
#define MERGED_MAX (VNET_HDR_LEN + 65535)

struct vnet {
	struct netdev nd;
	struct virtio_pci vp;
	efi_handle handle;
	struct virtq rx, tx;
	uint64_t features;
	uint8_t *rx_bufs, *tx_bufs;
	efi_physical_addr rx_dev, tx_dev;
	void *rx_map, *tx_map;
	uint64_t rx_pages, tx_pages;
	uint16_t tx_free_head; /* free TX slots form a list through free_next */
	uint16_t *tx_free_next;
	uint16_t tx_in_flight;
	uint8_t *merged; /* reassembly buffer for frames spread over several RX buffers */
};

static void rx_post(struct vnet *v, uint16_t id)
{
	volatile struct virtq_desc *d = &v->rx.desc[id];
	d->addr = v->rx_dev + (uint64_t)id * RX_BUF_LEN;
	d->len = RX_BUF_LEN;
	d->flags = VIRTQ_DESC_F_WRITE;
	virtq_push(&v->rx, id);
}

static void tx_reclaim(struct vnet *v)
{
	uint32_t id, len;
	while (virtq_pop(&v->tx, &id, &len)) {
		if (id >= v->tx.size)
			continue; /* a device bug; never index with it */
		v->tx_free_next[id] = v->tx_free_head;
		v->tx_free_head = (uint16_t)id;
		v->tx_in_flight--;
	}
}

static int vnet_transmit(struct netdev *nd, const struct netdev_seg *segs, unsigned nsegs, struct cb_err *e)
{
	struct vnet *v = nd->priv;
	tx_reclaim(v);
	if (v->tx_free_head == UINT16_MAX) {
		virtq_kick(&v->vp, &v->tx);
		return cb_errf(e, CB_ELIMIT, "virtio-net: transmit queue full");
	}
	uint16_t id = v->tx_free_head;
	uint8_t *buf = v->tx_bufs + (size_t)id * TX_BUF_LEN;
	size_t len = VNET_HDR_LEN;
	memset(buf, 0, VNET_HDR_LEN);
	for (unsigned i = 0; i < nsegs; i++) {
		if (segs[i].len > TX_BUF_LEN - len)
			return cb_errf(e, CB_ELIMIT, "virtio-net: frame larger than %d bytes", TX_BUF_LEN - VNET_HDR_LEN);
		memcpy(buf + len, segs[i].data, segs[i].len);
		len += segs[i].len;
	}
	v->tx_free_head = v->tx_free_next[id];
	v->tx_in_flight++;
	volatile struct virtq_desc *d = &v->tx.desc[id];
	d->addr = v->tx_dev + (uint64_t)id * TX_BUF_LEN;
	d->len = (uint32_t)len;
	d->flags = 0;
	virtq_push(&v->tx, id);
	virtq_kick(&v->vp, &v->tx);
	return CB_OK;
}

static unsigned vnet_poll(struct netdev *nd, netdev_rx_fn rx, void *ctx, unsigned budget)
{
	struct vnet *v = nd->priv;
	unsigned delivered = 0;
	uint32_t id, len;
	tx_reclaim(v);
	while (delivered < budget && virtq_pop(&v->rx, &id, &len)) {
		if (id >= v->rx.size || len < VNET_HDR_LEN || len > RX_BUF_LEN) {
			if (id < v->rx.size)
				rx_post(v, (uint16_t)id);
			continue;
		}
		uint8_t *buf = v->rx_bufs + (size_t)id * RX_BUF_LEN;
		uint16_t nbufs = (v->features & VIRTIO_NET_F_MRG_RXBUF) ? (uint16_t)(buf[10] | buf[11] << 8) : 1;
		if (nbufs <= 1) {
			rx(ctx, buf + VNET_HDR_LEN, len - VNET_HDR_LEN);
			rx_post(v, (uint16_t)id);
		} else {
			/* A merged frame: gather the following buffers (bounded by the reassembly size). */
			size_t total = len;
			bool ok = v->merged != NULL;
			if (ok)
				memcpy(v->merged, buf, len);
			rx_post(v, (uint16_t)id);
			for (uint16_t i = 1; i < nbufs; i++) {
				/* The device publishes all buffers of a frame together; bound the wait anyway. */
				unsigned spins = 0;
				while (!virtq_pop(&v->rx, &id, &len) && ++spins < 1000000)
					;
				if (spins >= 1000000)
					return delivered;
				if (id >= v->rx.size)
					continue;
				if (ok && len <= RX_BUF_LEN && len <= MERGED_MAX - total) {
					memcpy(v->merged + total, v->rx_bufs + (size_t)id * RX_BUF_LEN, len);
					total += len;
				} else {
					ok = false;
				}
				rx_post(v, (uint16_t)id);
			}
			if (ok)
				rx(ctx, v->merged + VNET_HDR_LEN, total - VNET_HDR_LEN);
		}
		delivered++;
	}
	virtq_kick(&v->vp, &v->rx);
	return delivered;
}

static bool vnet_link_up(struct netdev *nd)
{
	struct vnet *v = nd->priv;
	if (!(v->features & VIRTIO_NET_F_STATUS))
		return true;
	uint8_t st[2] = {0};
	if (virtio_pci_device_read(&v->vp, 6, st, 2))
		return true;
	return st[0] & VIRTIO_NET_S_LINK_UP;
}

static void vnet_free(struct vnet *v)
{
	virtq_destroy(&v->vp, &v->rx);
	virtq_destroy(&v->vp, &v->tx);
	virtio_dma_free(&v->vp, v->rx_bufs, v->rx_map, v->rx_pages);
	virtio_dma_free(&v->vp, v->tx_bufs, v->tx_map, v->tx_pages);
	free(v->tx_free_next);
	free(v->merged);
}

/* Reset (so the next driver, the firmware's or the OS's, finds the device clean), free our DMA memory,
 * restore the PCI attributes and give the function back to the firmware's driver. */
static void vnet_release(struct vnet *v)
{
	efi_guid pci_guid = EFI_PCI_IO_PROTOCOL_GUID;
	virtio_pci_reset(&v->vp);
	vnet_free(v);
	v->vp.pci->attributes(v->vp.pci, EFI_PCI_IO_ATTR_SET, v->vp.saved_attributes, NULL);
	rt_bs->close_protocol(v->handle, &pci_guid, rt_image, v->handle);
	rt_bs->connect_controller(v->handle, NULL, NULL, true);
}

static void vnet_shutdown(struct netdev *nd)
{
	struct vnet *v = nd->priv;
	vnet_release(v);
	free(v);
}

static int vnet_start(struct vnet *v, struct cb_err *e)
{
	int rc = virtio_pci_negotiate(&v->vp, VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | VIRTIO_NET_F_MRG_RXBUF,
	                              VIRTIO_F_VERSION_1, &v->features, e);
	if (rc)
		return rc;
	if ((rc = virtq_create(&v->vp, 0, QUEUE_MAX, &v->rx, e)) || (rc = virtq_create(&v->vp, 1, QUEUE_MAX, &v->tx, e)))
		return rc;
	if ((rc = virtio_dma_alloc(&v->vp, (uint64_t)v->rx.size * RX_BUF_LEN, (void **)&v->rx_bufs, &v->rx_dev,
	                           &v->rx_map, &v->rx_pages, e)) ||
	    (rc = virtio_dma_alloc(&v->vp, (uint64_t)v->tx.size * TX_BUF_LEN, (void **)&v->tx_bufs, &v->tx_dev,
	                           &v->tx_map, &v->tx_pages, e)))
		return rc;
	v->tx_free_next = malloc(sizeof(uint16_t) * v->tx.size);
	v->merged = (v->features & VIRTIO_NET_F_MRG_RXBUF) ? malloc(MERGED_MAX) : NULL;
	if (!v->tx_free_next)
		return cb_errf(e, CB_ENOMEM, "virtio-net: out of memory");
	v->tx_free_head = UINT16_MAX;
	for (uint16_t i = v->tx.size; i-- > 0;) {
		v->tx_free_next[i] = v->tx_free_head;
		v->tx_free_head = i;
	}

	if (v->features & VIRTIO_NET_F_MAC)
		virtio_pci_device_read(&v->vp, 0, v->nd.mac, 6);
	else
		return cb_errf(e, CB_EUNSUP, "virtio-net %s: device has no MAC address", v->vp.location);

	uint16_t posted = v->rx.size < RX_POSTED_MAX ? v->rx.size : RX_POSTED_MAX;
	for (uint16_t i = 0; i < posted; i++)
		rx_post(v, i);
	virtio_pci_set_status(&v->vp, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
	                                  VIRTIO_STATUS_DRIVER_OK);
	virtq_kick(&v->vp, &v->rx);
	return CB_OK;
}

static bool is_virtio_net(efi_pci_io *pci)
{
	uint16_t ids[2] = {0, 0}, subsys = 0;
	pci->pci.read(pci, EFI_PCI_IO_WIDTH_UINT16, 0, 2, ids);
	pci->pci.read(pci, EFI_PCI_IO_WIDTH_UINT16, 0x2e, 1, &subsys);
	if (ids[0] != 0x1af4)
		return false;
	/* 0x1041: modern-only network device; 0x1000: transitional, whose subsystem id says "network". */
	return ids[1] == 0x1041 || (ids[1] == 0x1000 && subsys == 1);
}

int virtio_net_open(struct netdev **out, struct cb_err *e)
{
	efi_guid pci_guid = EFI_PCI_IO_PROTOCOL_GUID;
	efi_handle *handles;
	uint64_t n = rt_handles_for(&pci_guid, &handles);
	int rc = cb_errf(e, CB_ENOENT, "virtio-net: no virtio network device on PCI");
	for (uint64_t i = 0; i < n; i++) {
		efi_pci_io *pci;
		if (rt_bs->handle_protocol(handles[i], &pci_guid, (void **)&pci) != EFI_SUCCESS || !is_virtio_net(pci))
			continue;
		/* BY_DRIVER|EXCLUSIVE makes the firmware disconnect its own driver (EDK2's VirtioNetDxe, or an
		 * option ROM's) from the function and keeps it off until we close the protocol. */
		efi_status s = rt_bs->open_protocol(handles[i], &pci_guid, (void **)&pci, rt_image, handles[i],
		                                    EFI_OPEN_PROTOCOL_BY_DRIVER | EFI_OPEN_PROTOCOL_EXCLUSIVE);
		if (EFI_ERROR(s)) {
			rc = cb_errf(e, CB_EIO, "virtio-net: cannot take the device from the firmware driver: %s",
			             efi_status_str(s));
			continue;
		}
		struct vnet *v = calloc(1, sizeof(*v));
		if (!v) {
			rt_bs->close_protocol(handles[i], &pci_guid, rt_image, handles[i]);
			rc = cb_errf(e, CB_ENOMEM, "virtio-net: out of memory");
			break;
		}
		v->handle = handles[i];
		rc = virtio_pci_probe(pci, &v->vp, e);
		if (rc) {
			rt_bs->close_protocol(handles[i], &pci_guid, rt_image, handles[i]);
			rt_bs->connect_controller(handles[i], NULL, NULL, true);
			free(v);
			continue;
		}
		rc = vnet_start(v, e);
		if (rc) {
			vnet_release(v);
			free(v);
			continue;
		}
		v->nd.driver = "virtio-net";
		snprintf(v->nd.name, sizeof(v->nd.name), "virtio-net %s", v->vp.location);
		v->nd.mtu = 1500;
		v->nd.transmit = vnet_transmit;
		v->nd.poll = vnet_poll;
		v->nd.link_up = vnet_link_up;
		v->nd.shutdown = vnet_shutdown;
		v->nd.priv = v;
		log_debug("virtio-net %s: features 0x%llx, rx %u/tx %u descriptors", v->vp.location,
		          (unsigned long long)v->features, v->rx.size, v->tx.size);
		*out = &v->nd;
		rc = CB_OK;
		break;
	}
	if (handles)
		rt_bs->free_pool(handles);
	return rc;
}
