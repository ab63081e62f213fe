/* console.h: text output to the firmware console and, where ConOut does not already reach it, to the
 * serial port, so `-serial stdio` shows everything on every firmware. */
#ifndef CB_CONSOLE_H
#define CB_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void console_init(void);
/* UTF-8/ASCII text; "\n" becomes "\r\n". */
void console_write(const char *s, size_t len);
/* The text mode in use (0x0 when the firmware does not say). */
void console_columns(uint64_t *cols, uint64_t *rows);
/* Where output goes, for the log: "ConOut", "ConOut + serial port", "serial port (ConOut is serial-only)". */
const char *console_kind(void);

#endif
