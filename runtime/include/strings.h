/* strings.h: case-insensitive comparisons of cloud-boot's freestanding runtime (ASCII only). */
#ifndef CB_STRINGS_H
#define CB_STRINGS_H
#include <stddef.h>

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

#endif
