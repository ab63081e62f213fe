/* libc_env.h: what runtime/libc needs from the world around it (pages, abort, console output), and the
 * heap statistics it exports. Implemented by the UEFI runtime in the loader and by a shim in host tests. */
#ifndef CB_LIBC_ENV_H
#define CB_LIBC_ENV_H
#include <stddef.h>

#define LIBC_PAGE_SIZE 4096

/* npages (> 0) contiguous pages, LIBC_PAGE_SIZE-aligned; NULL when out of memory. */
void *libc_env_pages_alloc(size_t npages);
/* Returns exactly a run obtained from libc_env_pages_alloc (same pointer, same npages). */
void libc_env_pages_free(void *p, size_t npages);
/* Never returns: abort(), a failed assert(), heap corruption or a bad free(). why is a static message. */
_Noreturn void libc_env_abort(const char *why);
/* Writes len bytes of printf() output (not NUL-terminated). */
void libc_env_write(const char *s, size_t len);

/* Heap figures for benchmarks and leak checks. bytes_in_use counts the sizes callers asked for (live
 * blocks), pages_from_env the pages currently held from libc_env_pages_alloc (small-block chunks are kept
 * for reuse, large blocks are returned on free). */
struct libc_heap_stats {
    size_t bytes_in_use;
    size_t peak_bytes_in_use;
    size_t pages_from_env;
};
void libc_heap_stats(struct libc_heap_stats *out);

#endif
