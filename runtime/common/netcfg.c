/* netcfg.c: strict parser of cloudboot.net.static=<ip>/<prefix>:<gw>:<dns> (see netcfg.h).
 * It only reads text; configuring an interface is the network driver's business. */
#include "netcfg.h"

#include <stdio.h>
#include <string.h>

/* A decimal number of 1..3 digits without leading zero, <= max; *pos advances past it. */
static bool parse_dec(const char *s, size_t len, size_t *pos, unsigned max, unsigned *out)
{
	size_t i = *pos, n = 0;
	unsigned v = 0;
	while (i < len && s[i] >= '0' && s[i] <= '9' && n < 4) {
		v = v * 10 + (unsigned)(s[i] - '0');
		i++;
		n++;
	}
	if (n == 0 || n > 3 || (n > 1 && s[*pos] == '0') || v > max)
		return false;
	*pos = i;
	*out = v;
	return true;
}

/* A printable copy of at most 23 bytes of s for messages (anything else becomes '?'). */
static void show(const char *s, size_t len, char out[32])
{
	size_t n = len < 23 ? len : 20, i;
	for (i = 0; i < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"') ? s[i] : '?';
	if (n < len) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = 0;
}

/* Parses exactly s[0..len) as a dotted quad. */
static int parse_ipv4(const char *s, size_t len, uint8_t out[4], const char *what, struct cb_err *e)
{
	size_t pos = 0;
	for (int i = 0; i < 4; i++) {
		unsigned v;
		if (i > 0) {
			if (pos >= len || s[pos] != '.')
				goto bad;
			pos++;
		}
		if (!parse_dec(s, len, &pos, 255, &v))
			goto bad;
		out[i] = (uint8_t)v;
	}
	if (pos != len)
		goto bad;
	return 0;
bad:;
	char txt[32];
	show(s, len, txt);
	return cb_errf(e, CB_EINVAL, "%s \"%s\" is not an IPv4 address (four numbers 0..255, no leading zeros)",
	               what, txt);
}

int netcfg_parse(const char *s, size_t len, struct netcfg *out, struct cb_err *e)
{
	struct netcfg c;
	memset(&c, 0, sizeof(c));
	if (!s)
		return cb_errf(e, CB_EINVAL, "no value");
	if (memchr(s, 0, len))
		return cb_errf(e, CB_EINVAL, "NUL byte in the value");

	/* Split into ip "/" prefix [":" gw [":" dns]]. */
	const char *slash = memchr(s, '/', len);
	if (!slash)
		return cb_errf(e, CB_EINVAL, "missing /<prefix> after the address");
	size_t ip_len = (size_t)(slash - s);
	if (ip_len == 0)
		return cb_errf(e, CB_EINVAL, "missing address before /<prefix>");
	const char *rest = slash + 1;
	size_t rest_len = len - ip_len - 1;
	const char *colon = memchr(rest, ':', rest_len);
	size_t pfx_len = colon ? (size_t)(colon - rest) : rest_len;
	const char *gw = NULL, *dns = NULL;
	size_t gw_len = 0, dns_len = 0;
	if (colon) {
		gw = colon + 1;
		size_t after = rest_len - pfx_len - 1;
		const char *colon2 = memchr(gw, ':', after);
		gw_len = colon2 ? (size_t)(colon2 - gw) : after;
		if (colon2) {
			dns = colon2 + 1;
			dns_len = after - gw_len - 1;
			if (memchr(dns, ':', dns_len))
				return cb_errf(e, CB_EINVAL, "too many ':' fields (expected <ip>/<prefix>:<gw>:<dns>)");
		}
	}

	int rc = parse_ipv4(s, ip_len, c.addr, "the address", e);
	if (rc)
		return rc;
	if (pfx_len == 0)
		return cb_errf(e, CB_EINVAL, "missing prefix length after '/'");
	size_t pos = 0;
	unsigned pfx;
	if (!parse_dec(rest, pfx_len, &pos, 999, &pfx) || pos != pfx_len)
		return cb_errf(e, CB_EINVAL, "the prefix length is not a decimal number 0..32 without leading zeros");
	if (pfx > 32)
		return cb_errf(e, CB_EINVAL, "prefix %u is out of range 0..32", pfx);
	c.prefix = (uint8_t)pfx;
	uint32_t mask = pfx ? 0xffffffffu << (32 - pfx) : 0;
	for (int i = 0; i < 4; i++)
		c.netmask[i] = (uint8_t)(mask >> (24 - 8 * i));
	if (gw_len) {
		rc = parse_ipv4(gw, gw_len, c.gateway, "the gateway", e);
		if (rc)
			return rc;
		c.has_gateway = true;
	}
	if (dns_len) {
		rc = parse_ipv4(dns, dns_len, c.dns, "the DNS server", e);
		if (rc)
			return rc;
		c.has_dns = true;
	}
	if (out)
		*out = c;
	return 0;
}

void netcfg_format(const struct netcfg *c, char *buf, size_t size)
{
	char gw[16] = "", dns[16] = "";
	if (c->has_gateway)
		snprintf(gw, sizeof(gw), "%u.%u.%u.%u", c->gateway[0], c->gateway[1], c->gateway[2], c->gateway[3]);
	if (c->has_dns)
		snprintf(dns, sizeof(dns), "%u.%u.%u.%u", c->dns[0], c->dns[1], c->dns[2], c->dns[3]);
	snprintf(buf, size, "%u.%u.%u.%u/%u:%s:%s", c->addr[0], c->addr[1], c->addr[2], c->addr[3], c->prefix, gw,
	         dns);
}
