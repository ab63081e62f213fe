/* snp_net.c: a netdev over the firmware's EFI_SIMPLE_NETWORK_PROTOCOL, for firmware without PCI IO (U-Boot)
 * or NICs we have no driver for. Transmit buffers stay the firmware's until GetStatus hands them back, so
 * they come from a ring used in order; a recycled buffer also releases every older one, because some
 * implementations (U-Boot) only ever report the most recent transmit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "efi/protocols.h"
#include "efi/snp.h"
#include "log.h"
#include "netdev.h"
#include "rt.h"

#define SNP_TX_SLOTS 32
#define SNP_BUF_LEN 1536

struct snp_dev {
	struct netdev nd;
	efi_snp *snp;
	bool we_started; /* we moved it out of Stopped/Started, so we shut it down again */
	uint8_t *tx_bufs;
	unsigned tx_head; /* oldest slot in flight */
	unsigned tx_used; /* slots in flight, from tx_head on */
	uint8_t rx_buf[SNP_BUF_LEN];
};

static void snp_reclaim(struct snp_dev *d)
{
	for (int guard = 0; guard < SNP_TX_SLOTS * 2; guard++) {
		uint32_t irq = 0;
		void *done = NULL;
		if (d->snp->get_status(d->snp, &irq, &done) != EFI_SUCCESS || !done)
			return;
		uintptr_t off = (uintptr_t)done - (uintptr_t)d->tx_bufs;
		if ((uintptr_t)done < (uintptr_t)d->tx_bufs || off >= (uintptr_t)SNP_TX_SLOTS * SNP_BUF_LEN)
			continue; /* not one of ours */
		unsigned slot = (unsigned)(off / SNP_BUF_LEN);
		unsigned age = (slot + SNP_TX_SLOTS - d->tx_head) % SNP_TX_SLOTS;
		if (age < d->tx_used) {
			d->tx_head = (slot + 1) % SNP_TX_SLOTS;
			d->tx_used -= age + 1;
		}
	}
}

static int snp_transmit(struct netdev *nd, const struct netdev_seg *segs, unsigned nsegs, struct cb_err *e)
{
	struct snp_dev *d = nd->priv;
	snp_reclaim(d);
	if (d->tx_used == SNP_TX_SLOTS)
		return cb_errf(e, CB_ELIMIT, "snp: transmit ring full");
	unsigned slot = (d->tx_head + d->tx_used) % SNP_TX_SLOTS;
	uint8_t *buf = d->tx_bufs + (size_t)slot * SNP_BUF_LEN;
	size_t len = 0;
	for (unsigned i = 0; i < nsegs; i++) {
		if (segs[i].len > SNP_BUF_LEN - len)
			return cb_errf(e, CB_ELIMIT, "snp: frame larger than %d bytes", SNP_BUF_LEN);
		memcpy(buf + len, segs[i].data, segs[i].len);
		len += segs[i].len;
	}
	efi_status s;
	for (int tries = 0; tries < 1000; tries++) {
		s = d->snp->transmit(d->snp, 0, len, buf, NULL, NULL, NULL);
		if (s != EFI_NOT_READY)
			break;
		snp_reclaim(d);
	}
	if (EFI_ERROR(s))
		return cb_errf(e, CB_EIO, "snp: transmit: %s", efi_status_str(s));
	d->tx_used++;
	return CB_OK;
}

static unsigned snp_poll(struct netdev *nd, netdev_rx_fn rx, void *ctx, unsigned budget)
{
	struct snp_dev *d = nd->priv;
	unsigned n = 0;
	snp_reclaim(d);
	while (n < budget) {
		uint64_t len = sizeof(d->rx_buf);
		efi_status s = d->snp->receive(d->snp, NULL, &len, d->rx_buf, NULL, NULL, NULL);
		if (s != EFI_SUCCESS)
			break; /* EFI_NOT_READY: nothing pending; a too-large frame is dropped by the firmware */
		if (len <= sizeof(d->rx_buf))
			rx(ctx, d->rx_buf, len);
		n++;
	}
	return n;
}

static bool snp_link_up(struct netdev *nd)
{
	struct snp_dev *d = nd->priv;
	return !d->snp->mode->media_present_supported || d->snp->mode->media_present;
}

static void snp_shutdown(struct netdev *nd)
{
	struct snp_dev *d = nd->priv;
	snp_reclaim(d);
	if (d->we_started) {
		d->snp->shutdown(d->snp);
		d->snp->stop(d->snp);
	}
	free(d->tx_bufs);
	free(d);
}

int snp_net_open(struct netdev **out, struct cb_err *e)
{
	efi_guid guid = EFI_SIMPLE_NETWORK_PROTOCOL_GUID;
	efi_handle *handles;
	uint64_t n = rt_handles_for(&guid, &handles);
	int rc = cb_errf(e, CB_ENOENT, "snp: the firmware offers no Simple Network Protocol");
	for (uint64_t i = 0; i < n; i++) {
		efi_snp *snp;
		if (rt_bs->handle_protocol(handles[i], &guid, (void **)&snp) != EFI_SUCCESS || !snp->mode)
			continue;
		if (snp->mode->if_type != 1 /* Ethernet */ || snp->mode->hw_address_size != 6)
			continue;
		struct snp_dev *d = calloc(1, sizeof(*d));
		if (!d || !(d->tx_bufs = malloc((size_t)SNP_TX_SLOTS * SNP_BUF_LEN))) {
			free(d);
			rc = cb_errf(e, CB_ENOMEM, "snp: out of memory");
			break;
		}
		d->snp = snp;
		efi_status s = EFI_SUCCESS;
		if (snp->mode->state == EFI_SNP_STOPPED) {
			s = snp->start(snp);
			d->we_started = true;
		}
		if (!EFI_ERROR(s) && snp->mode->state == EFI_SNP_STARTED) {
			s = snp->initialize(snp, 0, 0);
			d->we_started = true;
		}
		if (!EFI_ERROR(s)) {
			/* Optional in practice (U-Boot answers EFI_UNSUPPORTED and receives unicast + broadcast
			 * anyway): a refusal is logged, not fatal. */
			efi_status f = snp->receive_filters(snp, EFI_SNP_RECEIVE_UNICAST | EFI_SNP_RECEIVE_BROADCAST, 0,
			                                    false, 0, NULL);
			if (EFI_ERROR(f))
				log_debug("snp: receive filters: %s (ignored)", efi_status_str(f));
		}
		if (EFI_ERROR(s)) {
			rc = cb_errf(e, CB_EIO, "snp: cannot bring the interface up: %s", efi_status_str(s));
			d->nd.priv = d;
			snp_shutdown(&d->nd);
			continue;
		}
		memcpy(d->nd.mac, snp->mode->current_address.addr, 6);
		d->nd.driver = "snp";
		snprintf(d->nd.name, sizeof(d->nd.name), "snp (firmware) #%llu", (unsigned long long)i);
		d->nd.mtu = snp->mode->max_packet_size >= 1500 || snp->mode->max_packet_size == 0
		                ? 1500
		                : (uint16_t)snp->mode->max_packet_size;
		d->nd.transmit = snp_transmit;
		d->nd.poll = snp_poll;
		d->nd.link_up = snp_link_up;
		d->nd.shutdown = snp_shutdown;
		d->nd.priv = d;
		*out = &d->nd;
		rc = CB_OK;
		break;
	}
	if (handles)
		rt_bs->free_pool(handles);
	return rc;
}
