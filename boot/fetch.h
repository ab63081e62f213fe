/* fetch.h: the diagnostic download behind cloudboot.fetch=<url>: size, SHA-256 and throughput. */
#ifndef CB_FETCH_H
#define CB_FETCH_H

#include "cb_err.h"

/* Downloads url over the (already up) network, printing a progress bar and then
 * "fetch: <url>: <n> bytes sha256 <hex> (<ms> ms, <rate> MB/s)". */
int fetch_url(const char *url, struct cb_err *e);

#endif
