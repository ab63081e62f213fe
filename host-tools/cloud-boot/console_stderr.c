/* console_stderr.c: the two runtime services boot/progress.c needs, bound to the host (console_write → stderr,
 * clock_ms → CLOCK_MONOTONIC), so the host commands draw the loader's own progress bar. Nothing else of
 * runtime/console.h or clock.h exists on the host. */
#include <stdio.h>
#include <time.h>

#include "clock.h"
#include "console.h"

void console_write(const char *s, size_t len)
{
	fwrite(s, 1, len, stderr);
	fflush(stderr);
}

uint64_t clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
