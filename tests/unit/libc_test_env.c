/* libc_test_env.c: the host side of runtime/libc/libc_env.h for the libc tests (mmap'd pages with accounting,
 * failure injection and a quarantine, a longjmp-able abort, captured output) plus the CHECK harness. */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "libc_test.h"

/* --- harness --- */
int test_failures;

void test_fail(const char *file, int line, const char *fmt, ...)
{
    if (++test_failures <= 40) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "%s:%d: FAIL: ", file, line);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    } else if (test_failures == 41) {
        fprintf(stderr, "(further failures not shown)\n");
    }
}

int test_summary(const char *name)
{
    if (test_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, test_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

/* --- pages --- */
/* Live runs, so that every free is checked against what was handed out. */
#define MAX_RUNS 8192
static struct run {
    void *p;
    size_t npages;
} runs[MAX_RUNS];
static size_t nruns;
static struct shim_pages stats;
static long fail_after = -1;

/* Freed runs stay mapped read-only for a while (as freed firmware pages stay readable), so a double free of
 * a large block can be recognised from its header and a write after free faults. */
#define QUARANTINE 16
static struct run quarantine[QUARANTINE];
static size_t quarantine_next;

void shim_pages_get(struct shim_pages *out)
{
    *out = stats;
}

void shim_pages_fail_after(long n)
{
    fail_after = n;
}

void *libc_env_pages_alloc(size_t npages)
{
    if (npages == 0) {
        fprintf(stderr, "libc_env_pages_alloc(0)\n");
        abort();
    }
    if (fail_after == 0)
        return NULL;
    if (fail_after > 0)
        fail_after--;
    if (npages > ((size_t)1 << 20) || nruns == MAX_RUNS) /* 4 GiB: a test's "out of memory" */
        return NULL;
    void *p = mmap(NULL, npages * LIBC_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    memset(p, 0xa5, npages * LIBC_PAGE_SIZE); /* firmware pages are not zeroed either */
    runs[nruns++] = (struct run){p, npages};
    stats.outstanding_pages += npages;
    stats.outstanding_runs++;
    stats.allocs++;
    return p;
}

void libc_env_pages_free(void *p, size_t npages)
{
    size_t i = 0;
    while (i < nruns && runs[i].p != p)
        i++;
    if (i == nruns || runs[i].npages != npages) {
        fprintf(stderr, "libc_env_pages_free(%p, %zu): not a live run\n", p, npages);
        abort();
    }
    runs[i] = runs[--nruns];
    stats.outstanding_pages -= npages;
    stats.outstanding_runs--;
    stats.frees++;
    struct run *q = &quarantine[quarantine_next++ % QUARANTINE];
    if (q->p)
        munmap(q->p, q->npages * LIBC_PAGE_SIZE);
    *q = (struct run){p, npages};
    mprotect(p, npages * LIBC_PAGE_SIZE, PROT_READ);
}

/* --- abort --- */
jmp_buf *shim_abort_jmp;
const char *shim_abort_msg;

_Noreturn void libc_env_abort(const char *why)
{
    shim_abort_msg = why;
    if (shim_abort_jmp)
        longjmp(*shim_abort_jmp, 1);
    fprintf(stderr, "libc_env_abort: %s\n", why);
    abort();
}

/* --- output --- */
char shim_out[65536];
size_t shim_out_len;

void shim_out_reset(void)
{
    shim_out_len = 0;
    shim_out[0] = 0;
}

void libc_env_write(const char *s, size_t len)
{
    size_t room = sizeof shim_out - 1 - shim_out_len;
    if (len > room)
        len = room;
    memcpy(shim_out + shim_out_len, s, len);
    shim_out_len += len;
    shim_out[shim_out_len] = 0;
}
