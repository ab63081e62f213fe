/* netif_netdev.h: an lwIP netif over a netdev (see netif_netdev.c). */
#ifndef CB_NETIF_NETDEV_H
#define CB_NETIF_NETDEV_H

#include "lwip/netif.h"
#include "netdev.h"

/* netif_add() init callback; netif->state must be the struct netdev. */
err_t netif_netdev_init(struct netif *netif);
/* netdev_rx_fn: hands one received frame to the netif given as ctx. */
void netif_netdev_rx(void *ctx, const void *frame, size_t len);

#endif
