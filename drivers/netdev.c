/* netdev.c: picks the NIC driver: our virtio-net first, the firmware's SNP as the fallback, or what
 * cloudboot.net.driver= forces. The choice and the reason are logged. */
#include "netdev.h"

#include "log.h"

int netdev_open(enum netdev_choice choice, struct netdev **out, struct cb_err *e)
{
	int rc;
	if (choice != NETDEV_SNP) {
		rc = virtio_net_open(out, e);
		if (rc == CB_OK || choice == NETDEV_VIRTIO)
			return rc;
		log_info("net: %s; falling back to the firmware's SNP", e->msg);
	}
	return snp_net_open(out, e);
}
