/* netdev.h: the Ethernet device interface between NIC drivers (virtio-net, the firmware's SNP) and the
 * network stack. Drivers know nothing of IP; net/ knows nothing of PCI or firmware protocols. */
#ifndef CB_NETDEV_H
#define CB_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

#define NETDEV_MAX_FRAME 1514 /* Ethernet header + 1500-byte MTU, no FCS */

struct netdev_seg {
	const void *data;
	size_t len;
};

/* Receives one frame (Ethernet header first); the buffer is only valid during the call. */
typedef void (*netdev_rx_fn)(void *ctx, const void *frame, size_t len);

struct netdev {
	const char *driver; /* "virtio-net", "snp" */
	char name[48];      /* for the log: driver and location */
	uint8_t mac[6];
	uint16_t mtu;
	/* Sends one frame given as segments (copied before return). 0 or CB_E*. */
	int (*transmit)(struct netdev *nd, const struct netdev_seg *segs, unsigned nsegs, struct cb_err *e);
	/* Delivers up to `budget` received frames; returns how many. */
	unsigned (*poll)(struct netdev *nd, netdev_rx_fn rx, void *ctx, unsigned budget);
	bool (*link_up)(struct netdev *nd);
	/* Quiesces the device (reset), hands it back to the firmware's driver and frees nd. */
	void (*shutdown)(struct netdev *nd);
	void *priv;
};

enum netdev_choice { NETDEV_AUTO, NETDEV_VIRTIO, NETDEV_SNP };

/* Finds a NIC: our virtio-net driver first (unless `choice` says otherwise), the firmware's SNP as the
 * fallback. Logs which one it took and why. */
int netdev_open(enum netdev_choice choice, struct netdev **out, struct cb_err *e);

int virtio_net_open(struct netdev **out, struct cb_err *e);
int snp_net_open(struct netdev **out, struct cb_err *e);

#endif
