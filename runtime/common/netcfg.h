/* netcfg.h: the static IPv4 configuration of cloudboot.net.static=<ip>/<prefix>:<gw>:<dns>, parsed strictly.
 * Not a network stack: the result is handed to whoever configures the interface. */
#ifndef CB_NETCFG_H
#define CB_NETCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cb_err.h"

struct netcfg {
	uint8_t addr[4];    /* the interface address */
	uint8_t netmask[4]; /* from prefix */
	uint8_t gateway[4]; /* all zero when !has_gateway */
	uint8_t dns[4];     /* all zero when !has_dns */
	uint8_t prefix;     /* 0..32 */
	bool has_gateway;
	bool has_dns;
};

/* Parses `len` bytes of `s`: <ip>/<prefix>[:[<gw>][:[<dns>]]]. Addresses are dotted quads of four decimal
 * numbers 0..255 without leading zeros (no octal, no hex, no shorthand), prefix is 0..32 without leading
 * zeros; an empty gw or dns means "none". On error returns CB_EINVAL and leaves in `e` what is wrong
 * without repeating the input or any context (e.g. `prefix 33 is out of range 0..32`): the caller prefixes
 * where it came from with cb_err_prefix(). */
int netcfg_parse(const char *s, size_t len, struct netcfg *out, struct cb_err *e);

/* Writes the canonical text ("10.0.0.5/24:10.0.0.1:" ) into buf (>= NETCFG_TEXT_MAX bytes). */
#define NETCFG_TEXT_MAX 56
void netcfg_format(const struct netcfg *c, char *buf, size_t size);

#endif
