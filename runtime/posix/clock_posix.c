/* clock_posix.c: cb_clock for the host and linux-init builds: CLOCK_MONOTONIC milliseconds and a
 * nanosleep-based sleep_ms. Nothing else. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <time.h>

#include "cb_posix.h"

static uint64_t posix_now_ms(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void posix_sleep_ms(void *ctx, uint32_t ms)
{
	(void)ctx;
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

const struct cb_clock cb_posix_clock = { .now_ms = posix_now_ms, .ctx = NULL, .sleep_ms = posix_sleep_ms };
