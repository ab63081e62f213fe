/* wallclock.h: the firmware's real-time clock as Unix time (certificate validity); not for timeouts, which
 * use the monotonic clock.h. */
#ifndef CB_WALLCLOCK_H
#define CB_WALLCLOCK_H

#include <stdint.h>

/* Seconds since 1970-01-01 UTC from GetTime(), or -1 when the firmware has no clock or returns an impossible
 * date. A time zone other than EFI_UNSPECIFIED_TIMEZONE is applied (UEFI 2.10: Localtime = UTC + TimeZone);
 * an unspecified one is taken as UTC. The shape of tls_config.unix_time; ctx is unused. */
int64_t rt_unix_time(void *ctx);

#endif
