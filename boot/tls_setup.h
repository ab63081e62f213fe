/* tls_setup.h: the loader's TLS configuration: trust anchors from every source, the firmware clock and RNG.
 * The TLS client itself is net/tls. */
#ifndef CB_BOOT_TLS_SETUP_H
#define CB_BOOT_TLS_SETUP_H

#include "cb_err.h"
#include "tls.h"

/* Fills cfg: the anchors compiled in, then the TlsCaCertificate variable (OVMF fills it from
 * -fw_cfg name=etc/edk2/https/cacerts), then ca_file (cloudboot.ca=; NULL: cloudboot-ca.pem, if present) next
 * to the loader; time from GetTime(), entropy from rt_random(), TLS debug lines at cloudboot.debug=1. The
 * variable or the default file when unreadable are skipped with a warning naming them (they can only add
 * trust, never remove any); a ca_file that was asked for and cannot be read or holds no certificate fails. */
int boot_tls_setup(struct tls_config *cfg, const char *ca_file, struct cb_err *e);

#endif
