/* fat_time.c: FAT directory timestamps (local date/time fields, treated as UTC) <-> Unix seconds, clamped to
 * FAT's 1980-01-01 .. 2107-12-31 range. Pure arithmetic, no clock: callers supply the time. */
#include "fat_internal.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void fat_time_from_unix(int64_t t, uint16_t *date, uint16_t *time)
{
	const int64_t lo = 315532800;                                   /* 1980-01-01 00:00:00 */
	const int64_t hi = days_from_civil(2107, 12, 31) * 86400 + 86398; /* 2107-12-31 23:59:58 */
	if (t < lo)
		t = lo;
	if (t > hi)
		t = hi;
	int64_t days = t / 86400, secs = t % 86400;
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	*date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
	*time = (uint16_t)((secs / 3600) << 11 | ((secs / 60) % 60) << 5 | (secs % 60) / 2);
}

int64_t fat_time_to_unix(uint16_t date, uint16_t time)
{
	unsigned m = (date >> 5) & 0x0F, d = date & 0x1F;
	if (m < 1)
		m = 1;
	if (m > 12)
		m = 12;
	if (d < 1)
		d = 1;
	int64_t days = days_from_civil(1980 + (date >> 9), m, d);
	return days * 86400 + (int64_t)(time >> 11) * 3600 + (int64_t)((time >> 5) & 0x3F) * 60 + (time & 0x1F) * 2;
}
