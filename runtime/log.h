/* log.h: leveled log lines and the boot timeline (milliseconds since loader start) on the console. */
#ifndef CB_LOG_H
#define CB_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* One timeline line: "[   1234 ms] <what>". */
void log_milestone(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
