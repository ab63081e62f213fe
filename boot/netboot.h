/* netboot.h: Phase 2, booting a signed OCI artifact over the network (cloudboot.index= or cloudboot.plan=). */
#ifndef BOOT_NETBOOT_H
#define BOOT_NETBOOT_H

#include "cb_err.h"
#include "knobs.h"
#include "netstack.h"

/* Brings the network up with nc, pulls and verifies, hands over. Returns only on failure, with the network
 * down again. */
int netboot_run(const struct knobs *k, const struct net_config *nc, struct cb_err *e);

#endif
