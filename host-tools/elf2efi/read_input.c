/* elf2efi: reads the whole input file into memory (a regular file, at most 4 GiB: a PE image cannot be
 * larger), reporting open/read errors with the system's reason. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file_io.h"

int e2e_read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	size_t size, got;

	if (!fp) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		fclose(fp);
		return -1;
	}
	if ((uint64_t)st.st_size > UINT32_MAX) {
		snprintf(err, errlen, "larger than 4 GiB");
		fclose(fp);
		return -1;
	}
	size = (size_t)st.st_size;
	buf = malloc(size ? size : 1);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		fclose(fp);
		return -1;
	}
	got = fread(buf, 1, size, fp);
	if (got != size || ferror(fp)) {
		snprintf(err, errlen, "read error: %s", ferror(fp) ? strerror(errno) : "file shrank while reading");
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	*data = buf;
	*len = size;
	return 0;
}
