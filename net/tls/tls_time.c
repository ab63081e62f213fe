/* tls_time.c: Unix time to BearSSL's X.509 clock (days since 0000-01-01 plus seconds of day) and to ISO 8601
 * text for error messages. Proleptic Gregorian calendar, UTC, no time.h. */
#include <stdio.h>

#include "tls_internal.h"

#define DAYS_0000_TO_1970 719528 /* 0000-01-01 to 1970-01-01, as BearSSL counts */

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

void tls_time_to_br(int64_t unix_time, uint32_t *days, uint32_t *seconds)
{
	int64_t d = floor_div(unix_time, 86400);
	int64_t s = unix_time - d * 86400;
	d += DAYS_0000_TO_1970;
	*days = d < 0 ? 0 : d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
	*seconds = (uint32_t)s;
}

/* Civil date of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void tls_time_format(int64_t unix_time, char *buf, size_t size)
{
	int64_t days = floor_div(unix_time, 86400), y;
	int64_t s = unix_time - days * 86400;
	unsigned m, d;
	civil(days, &y, &m, &d);
	snprintf(buf, size, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, m, d, (unsigned)(s / 3600),
	         (unsigned)(s / 60 % 60), (unsigned)(s % 60));
}
