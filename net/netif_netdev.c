/* netif_netdev.c: glues one netdev (virtio-net or SNP) to an lwIP netif: frames out through
 * netdev->transmit as gather segments, frames in copied into pool pbufs. */
#include "netif_netdev.h"

#include <string.h>

#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

#define MAX_SEGS 16

static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
	struct netdev *nd = netif->state;
	struct netdev_seg segs[MAX_SEGS];
	static uint8_t flat[NETDEV_MAX_FRAME];
	unsigned n = 0;
	struct pbuf *q;
	for (q = p; q && n < MAX_SEGS; q = q->next)
		segs[n++] = (struct netdev_seg){q->payload, q->len};
	if (q) { /* a long chain: flatten it */
		if (p->tot_len > sizeof(flat))
			return ERR_BUF;
		pbuf_copy_partial(p, flat, p->tot_len, 0);
		segs[0] = (struct netdev_seg){flat, p->tot_len};
		n = 1;
	}
	struct cb_err e;
	for (int tries = 0; tries < 1000; tries++) {
		int rc = nd->transmit(nd, segs, n, &e);
		if (rc == CB_OK)
			return ERR_OK;
		if (rc != CB_ELIMIT)
			return ERR_IF;
		/* Transmit ring full: let the device drain it (poll also reclaims sent buffers). */
		nd->poll(nd, netif_netdev_rx, netif, 0);
	}
	return ERR_MEM;
}

void netif_netdev_rx(void *ctx, const void *frame, size_t len)
{
	struct netif *netif = ctx;
	if (len > 0xffff)
		return;
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (!p)
		return; /* out of pool buffers: drop, TCP will retransmit */
	pbuf_take(p, frame, (u16_t)len);
	if (netif->input(p, netif) != ERR_OK)
		pbuf_free(p);
}

err_t netif_netdev_init(struct netif *netif)
{
	struct netdev *nd = netif->state;
	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->hwaddr_len = 6;
	memcpy(netif->hwaddr, nd->mac, 6);
	netif->mtu = nd->mtu;
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
	netif->output = etharp_output;
	netif->output_ip6 = ethip6_output;
	netif->linkoutput = linkoutput;
	return ERR_OK;
}
