/* config.h: the loader's knobs, gathered from every firmware-side source (see config.c). */
#ifndef CB_BOOT_CONFIG_H
#define CB_BOOT_CONFIG_H

#include "cb_err.h"
#include "knobs.h"

/* Reads \EFI\BOOT\cloudboot.cfg (next to the loader), the CloudBootCmdline variable and LoadOptions into a
 * new store, lowest to highest priority, and sets the log level from cloudboot.debug. */
int config_load(struct knobs **out, struct cb_err *e);
/* Logs the parser's warnings and, with cloudboot.debug=1, every knob in force with its source. */
void config_log(struct knobs *k);

#endif
