/* main.c: the loader's main flow: banner, inventory, configuration, then what the knobs ask for (disk mode,
 * a signed OCI artifact, the diagnostic cloudboot.fetch= download), and a clean return to the firmware with
 * every device handed back when nothing could be started. */
#include <arch/cpu.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "diskboot.h"
#include "fetch.h"
#include "inventory.h"
#include "log.h"
#include "netboot.h"
#include "netcfg.h"
#include "netstack.h"
#include "rt.h"
#include "tls_setup.h"

static void banner(void)
{
	char vendor[64];
	rt_char16_to_ascii(rt_st->firmware_vendor, vendor, sizeof(vendor));
	/* UEFI revisions are major << 16 | minor * 10 + subminor: 2.70 is "2.7", 2.31 is "2.3.1". */
	uint32_t uefi = rt_st->hdr.revision, minor = uefi & 0xffff;
	char spec[24];
	snprintf(spec, sizeof(spec), minor % 10 ? "%u.%u.%u" : "%u.%u", uefi >> 16, minor / 10, minor % 10);
	log_info("cloud-boot %s %s %s 0x%08x (UEFI %s)", CB_VERSION, ARCH_NAME, vendor, rt_st->firmware_revision,
	         spec);
}

static int net_config_from(const struct knobs *k, struct net_config *nc, struct cb_err *e)
{
	memset(nc, 0, sizeof(*nc));
	const char *drv = knobs_get(k, "net.driver");
	nc->driver = !drv ? NETDEV_AUTO : strcmp(drv, "snp") == 0 ? NETDEV_SNP : NETDEV_VIRTIO;
	nc->dhcp_timeout_ms = knobs_u32(k, "net.dhcp-timeout", 10) * 1000;
	const char *st = knobs_get(k, "net.static");
	if (st && *st) {
		struct netcfg c;
		int rc = netcfg_parse(st, strlen(st), &c, e);
		if (rc)
			return cb_err_prefix(e, "cloudboot.net.static=%s: ", st);
		nc->use_static = true;
		memcpy(nc->ip, c.addr, 4);
		memcpy(nc->gw, c.gateway, 4);
		memcpy(nc->dns, c.dns, 4);
		nc->prefix = c.prefix;
		nc->have_gw = c.has_gateway;
		nc->have_dns = c.has_dns;
	}
	return CB_OK;
}

static int run(struct knobs *k, struct cb_err *e)
{
	int rc;
	if (knobs_is_set(k, "disk"))
		return diskboot_run(k, e);
	const char *url = knobs_get(k, "fetch");
	bool oci = knobs_is_set(k, "plan") || knobs_is_set(k, "index");
	if (!url && !oci)
		return CB_OK;
	struct net_config nc;
	if ((rc = net_config_from(k, &nc, e)))
		return rc;
	if (knobs_bool(k, "net.skip", false) && !nc.use_static)
		return cb_errf(e, CB_EINVAL, "cloudboot.%s needs the network, but cloudboot.net.skip=1",
		               oci ? (knobs_is_set(k, "plan") ? "plan" : "index") : "fetch");
	/* https for both paths: net_dialer() wraps connections in TLS while this config is set. */
	struct tls_config tls;
	if ((rc = boot_tls_setup(&tls, knobs_get(k, "ca"), e))) {
		tls_config_free(&tls);
		return rc;
	}
	net_set_tls(&tls);
	if (oci) {
		rc = netboot_run(k, &nc, e);
	} else if (!(rc = net_up(&nc, e))) {
		rc = fetch_url(url, e);
		net_down();
	}
	net_set_tls(NULL);
	tls_config_free(&tls);
	return rc;
}

efi_status loader_main(void)
{
	struct knobs *k = NULL;
	struct cb_err e = {0};
	int rc = config_load(&k, &e);
	if (rc == CB_OK)
		rc = knobs_validate(k, 0, &e);
	if (rc != CB_OK || !knobs_bool(k, "quiet", false))
		banner();
	if (rc == CB_OK)
		config_log(k);
	log_milestone("loader started");
	inventory_memory();
	inventory_protocols();
	if (rc == CB_OK)
		rc = run(k, &e);
	knobs_free(k);
	if (rc) {
		log_error("%s", e.msg);
		log_milestone("failed, returning to firmware");
		return EFI_ABORTED;
	}
	log_milestone("done, returning to firmware");
	return EFI_SUCCESS;
}
