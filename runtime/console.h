/* console.h: text output to the firmware console and, where ConOut does not already reach it, to the
 * serial port, so `-serial stdio` shows everything on every firmware. */
#ifndef CB_CONSOLE_H
#define CB_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

void console_init(void);
/* UTF-8/ASCII text; "\n" becomes "\r\n". */
void console_write(const char *s, size_t len);
/* Whether output is also written straight to a Serial IO protocol (ConOut has no UART behind it). */
bool console_serial_direct(void);

#endif
