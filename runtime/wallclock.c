/* wallclock.c: rt_unix_time(): GetTime() converted to Unix seconds with field checks. Whether the value is
 * plausible (an RTC reset to 2000) is for the caller to judge (net/tls treats early dates as unset). */
#include "wallclock.h"

#include "rt.h"

#define EFI_UNSPECIFIED_TIMEZONE 0x07ff

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t rt_unix_time(void *ctx)
{
	(void)ctx;
	efi_time t;
	if (!rt_rs || rt_rs->get_time(&t, NULL) != EFI_SUCCESS)
		return -1;
	static const uint8_t mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (t.year < 1900 || t.year > 9999 || t.month < 1 || t.month > 12 || t.day < 1 || t.day > mdays[t.month - 1] ||
	    t.hour > 23 || t.minute > 59 || t.second > 59)
		return -1;
	int64_t s = days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
	if (t.time_zone != EFI_UNSPECIFIED_TIMEZONE) {
		if (t.time_zone < -1440 || t.time_zone > 1440)
			return -1;
		s -= (int64_t)t.time_zone * 60;
	}
	return s;
}
