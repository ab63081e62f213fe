/* clock.h: a monotonic clock from the CPU's counter, in milliseconds/microseconds since loader start. */
#ifndef CB_CLOCK_H
#define CB_CLOCK_H

#include <stdint.h>

/* Calibrates the counter (firmware Stall) when the CPU does not state its frequency. */
void clock_init(void);
uint64_t clock_ms(void);
uint64_t clock_us(void);
uint64_t clock_counter_hz(void);

#endif
