/* progress.c: redraws one console line ("\r") at most every 250 ms during a download; quiet runs (not a
 * terminal anyone watches) still get the final line. No floating point: figures are fixed-point. */
#include "progress.h"

#include <stdio.h>

#include "clock.h"
#include "console.h"

#define REDRAW_MS 250

void progress_start(struct progress *p, const char *label, uint64_t total)
{
	*p = (struct progress){.label = label, .total = total, .start_ms = clock_ms()};
}

uint64_t progress_rate_kbs(const struct progress *p)
{
	uint64_t ms = clock_ms() - p->start_ms;
	return ms ? p->done / ms : 0; /* bytes per ms == kB/s */
}

static void draw(struct progress *p, const char *end)
{
	char line[160];
	uint64_t kbs = progress_rate_kbs(p);
	unsigned long long mib10 = (unsigned long long)(p->done * 10 / (1024 * 1024));
	int n;
	if (p->total != UINT64_MAX && p->total > 0) {
		unsigned pct = (unsigned)(p->done * 100 / p->total);
		unsigned long long tot10 = (unsigned long long)(p->total * 10 / (1024 * 1024));
		char bar[21];
		for (unsigned i = 0; i < 20; i++)
			bar[i] = i < pct / 5 ? '=' : ' ';
		bar[20] = 0;
		n = snprintf(line, sizeof(line), "\r%s [%s] %llu.%llu/%llu.%llu MiB %3u%% %llu.%llu MB/s%s", p->label, bar,
		             mib10 / 10, mib10 % 10, tot10 / 10, tot10 % 10, pct, (unsigned long long)(kbs / 1000),
		             (unsigned long long)(kbs % 1000 / 100), end);
	} else {
		n = snprintf(line, sizeof(line), "\r%s %llu.%llu MiB %llu.%llu MB/s%s", p->label, mib10 / 10, mib10 % 10,
		             (unsigned long long)(kbs / 1000), (unsigned long long)(kbs % 1000 / 100), end);
	}
	if (n > 0)
		console_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	p->drawn = 1;
}

void progress_update(struct progress *p, uint64_t done)
{
	p->done = done;
	uint64_t now = clock_ms();
	if (now - p->last_draw_ms < REDRAW_MS)
		return;
	p->last_draw_ms = now;
	draw(p, "");
}

void progress_finish(struct progress *p) { draw(p, "\n"); }
