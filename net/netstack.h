/* netstack.h: the loader's network stack: one NIC (netdev) under lwIP, configured by DHCPv4 or statically,
 * polled from a single loop; and a cb_dialer so HTTP/OCI code can open TCP connections through it. */
#ifndef CB_NETSTACK_H
#define CB_NETSTACK_H

#include <stdbool.h>
#include <stdint.h>

#include "cb_err.h"
#include "netdev.h"
#include "transport.h"

struct net_config {
	enum netdev_choice driver;
	bool use_static; /* cloudboot.net.static= given */
	uint8_t ip[4], gw[4], dns[4];
	uint8_t prefix;
	bool have_gw, have_dns;
	uint32_t dhcp_timeout_ms;
	uint32_t link_timeout_ms;
};

int net_up(const struct net_config *cfg, struct cb_err *e);
/* Runs the NIC and lwIP's timers once; every wait in the loader calls this. */
void net_poll(void);
/* Resets the NIC and gives it back to the firmware; safe to call when the stack is not up. */
void net_down(void);

/* TCP connections; https ones too once net_set_tls() was given a config (which must outlive its use). */
struct cb_dialer *net_dialer(void);
struct tls_config;
/* Wraps net_dialer()'s connections in TLS with cfg (net/tls) when asked to; NULL turns TLS off again. */
void net_set_tls(const struct tls_config *cfg);
const struct cb_clock *net_clock(void);

#endif
