/* log.c: formats log lines and timeline milestones and hands them to the console. One line per call;
 * lines longer than the buffer are cut and marked with "...". */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "console.h"

static enum log_level current_level = LOG_INFO;

void log_set_level(enum log_level level) { current_level = level; }
enum log_level log_get_level(void) { return current_level; }

static void emit(const char *prefix, const char *fmt, va_list ap)
{
	char line[512];
	size_t plen = strlen(prefix);
	memcpy(line, prefix, plen);
	int n = vsnprintf(line + plen, sizeof(line) - plen - 1, fmt, ap);
	size_t len = plen + (n < 0 ? 0 : (size_t)n);
	if (len > sizeof(line) - 2) {
		len = sizeof(line) - 2;
		memcpy(line + len - 3, "...", 3);
	}
	line[len++] = '\n';
	console_write(line, len);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const prefixes[] = {"error: ", "warning: ", "", "debug: "};
	if (level > current_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit(prefixes[level], fmt, ap);
	va_end(ap);
}

void log_milestone(const char *fmt, ...)
{
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "[%7llu ms] ", (unsigned long long)clock_ms());
	va_list ap;
	va_start(ap, fmt);
	emit(prefix, fmt, ap);
	va_end(ap);
}
