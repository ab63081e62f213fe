/* netstack.c: brings the loader's network up: NIC, lwIP, link, DHCPv4 lease (bounded) or a static address,
 * with timeline milestones; owns the one poll loop step every wait in the loader runs. */
#include "netstack.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/stats.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#include "netif_netdev.h"

static struct netdev *nic;
static struct netif netif;
static bool lwip_ready;

void net_poll(void)
{
	if (!nic)
		return;
	nic->poll(nic, netif_netdev_rx, &netif, 64);
	sys_check_timeouts();
}

static uint64_t clock_now(void *ctx)
{
	(void)ctx;
	return clock_ms();
}

/* Waiting in the loader means polling: the NIC and lwIP's timers keep running while we back off. */
static void clock_sleep(void *ctx, uint32_t ms)
{
	(void)ctx;
	uint64_t until = clock_ms() + ms;
	while (clock_ms() < until)
		net_poll();
}

const struct cb_clock *net_clock(void)
{
	static const struct cb_clock c = {.now_ms = clock_now, .sleep_ms = clock_sleep};
	return &c;
}

static void ip4_str(const ip4_addr_t *a, char *buf, size_t size)
{
	const uint8_t *b = (const uint8_t *)&a->addr;
	snprintf(buf, size, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

static int wait_link(uint32_t timeout_ms, struct cb_err *e)
{
	uint64_t deadline = clock_ms() + timeout_ms;
	while (!nic->link_up(nic)) {
		if (clock_ms() > deadline)
			return cb_errf(e, CB_ETIMEDOUT, "net: %s: no link after %u ms", nic->name, timeout_ms);
		net_poll();
	}
	return CB_OK;
}

static int run_dhcp(uint32_t timeout_ms, struct cb_err *e)
{
	if (dhcp_start(&netif) != ERR_OK)
		return cb_errf(e, CB_ENOMEM, "net: cannot start DHCP");
	uint64_t start = clock_ms(), deadline = start + timeout_ms;
	while (!dhcp_supplied_address(&netif)) {
		if (clock_ms() > deadline) {
			dhcp_stop(&netif);
			return cb_errf(e, CB_ETIMEDOUT, "net: DHCP: no lease after %u s on %s (set cloudboot.net.static= "
			               "or check the DHCP server)", timeout_ms / 1000, nic->name);
		}
		net_poll();
	}
	char ip[16], mask[16], gw[16], dns[16] = "none";
	ip4_str(netif_ip4_addr(&netif), ip, sizeof(ip));
	ip4_str(netif_ip4_netmask(&netif), mask, sizeof(mask));
	ip4_str(netif_ip4_gw(&netif), gw, sizeof(gw));
	const ip_addr_t *d = dns_getserver(0);
	if (d && !ip_addr_isany(d))
		ip4_str(ip_2_ip4(d), dns, sizeof(dns));
	struct dhcp *dh = netif_dhcp_data(&netif);
	char server[16] = "?";
	if (dh)
		ip4_str(ip_2_ip4(&dh->server_ip_addr), server, sizeof(server));
	log_milestone("DHCP lease %s netmask %s gateway %s dns %s (server %s, %llu ms)", ip, mask, gw, dns, server,
	              (unsigned long long)(clock_ms() - start));
	return CB_OK;
}

static int set_static(const struct net_config *cfg)
{
	ip4_addr_t ip, mask, gw;
	IP4_ADDR(&ip, cfg->ip[0], cfg->ip[1], cfg->ip[2], cfg->ip[3]);
	uint32_t m = cfg->prefix ? 0xffffffffu << (32 - cfg->prefix) : 0;
	IP4_ADDR(&mask, m >> 24, (m >> 16) & 0xff, (m >> 8) & 0xff, m & 0xff);
	if (cfg->have_gw)
		IP4_ADDR(&gw, cfg->gw[0], cfg->gw[1], cfg->gw[2], cfg->gw[3]);
	else
		ip4_addr_set_zero(&gw);
	netif_set_addr(&netif, &ip, &mask, &gw);
	if (cfg->have_dns) {
		ip_addr_t d;
		IP_ADDR4(&d, cfg->dns[0], cfg->dns[1], cfg->dns[2], cfg->dns[3]);
		dns_setserver(0, &d);
	}
	char a[16], g[16] = "none";
	ip4_str(&ip, a, sizeof(a));
	if (cfg->have_gw)
		ip4_str(&gw, g, sizeof(g));
	log_milestone("static address %s/%u gateway %s", a, cfg->prefix, g);
	return CB_OK;
}

int net_up(const struct net_config *cfg, struct cb_err *e)
{
	int rc = netdev_open(cfg->driver, &nic, e);
	if (rc)
		return rc;
	const uint8_t *m = nic->mac;
	log_milestone("NIC %s, MAC %02x:%02x:%02x:%02x:%02x:%02x", nic->name, m[0], m[1], m[2], m[3], m[4], m[5]);
	if (!lwip_ready) {
		lwip_init();
		lwip_ready = true;
	}
	if (!netif_add(&netif, NULL, NULL, NULL, nic, netif_netdev_init, ethernet_input)) {
		net_down();
		return cb_errf(e, CB_ENOMEM, "net: cannot add the interface to lwIP");
	}
	netif_set_default(&netif);
	netif_set_up(&netif);
	if ((rc = wait_link(cfg->link_timeout_ms ? cfg->link_timeout_ms : 5000, e))) {
		net_down();
		return rc;
	}
	netif_set_link_up(&netif);
	log_milestone("link up");
	rc = cfg->use_static ? set_static(cfg) : run_dhcp(cfg->dhcp_timeout_ms ? cfg->dhcp_timeout_ms : 30000, e);
	if (rc)
		net_down();
	return rc;
}

/* lwIP's counters, for cloudboot.debug=1 after a transfer: drops and retransmissions explain slow links. */
static void log_stats(void)
{
#if LWIP_STATS
	log_debug("net: link rx %u tx %u drop %u; ip rx %u drop %u; tcp rx %u tx %u drop %u chkerr %u memerr %u",
	          (unsigned)lwip_stats.link.recv, (unsigned)lwip_stats.link.xmit, (unsigned)lwip_stats.link.drop,
	          (unsigned)lwip_stats.ip.recv, (unsigned)lwip_stats.ip.drop, (unsigned)lwip_stats.tcp.recv,
	          (unsigned)lwip_stats.tcp.xmit, (unsigned)lwip_stats.tcp.drop, (unsigned)lwip_stats.tcp.chkerr,
	          (unsigned)lwip_stats.tcp.memerr);
#endif
}

void net_down(void)
{
	if (!nic)
		return;
	log_stats();
	if (netif.state) {
		dhcp_release_and_stop(&netif);
		netif_set_down(&netif);
		netif_remove(&netif);
		memset(&netif, 0, sizeof(netif));
	}
	nic->shutdown(nic);
	nic = NULL;
}
