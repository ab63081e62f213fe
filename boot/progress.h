/* progress.h: the one-line download progress bar (bytes, percentage, MB/s) redrawn in place on the console. */
#ifndef CB_PROGRESS_H
#define CB_PROGRESS_H

#include <stdint.h>

struct progress {
	const char *label;
	uint64_t total; /* UINT64_MAX when unknown */
	uint64_t done;
	uint64_t start_ms, last_draw_ms;
	int drawn;
};

void progress_start(struct progress *p, const char *label, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
/* Draws the final state and ends the line. */
void progress_finish(struct progress *p);
/* Average rate so far in kB/s (1000-byte units), for the summary line. */
uint64_t progress_rate_kbs(const struct progress *p);

#endif
