/* malloc.c: malloc, calloc, realloc and free over libc_env_pages_alloc: segregated size classes carved from
 * multi-page chunks (kept for reuse), large blocks straight from pages. Single-threaded, not for interrupts. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libc_env.h"

/*
 * Every block has a 16-byte header right before the pointer handed out, so every pointer is 16-aligned:
 *   small  (payload <= 64 KiB): class payloads 16, 32, ... 2048 (16-byte steps), then 4, 8, 16, 32, 64 KiB.
 *          Blocks are bump-allocated from 256 KiB chunks; a freed block goes on its class's free list (the
 *          link lives in the payload) and is reused only by that class. Chunks are never returned.
 *   large  (payload > 64 KiB): its own page run, with the run's length in front of the header; returned to
 *          libc_env_pages_free by free().
 * The header's magic mixes a state tag with the header's address, so free() of a pointer we never handed
 * out, a double free and a clobbered header end in libc_env_abort instead of corrupting the heap. A large
 * block's second free is recognised from the header left in its returned pages (firmware keeps freed pages
 * mapped; under a freed-memory guard the read faults instead, which is a detection too).
 */

struct hdr {
    size_t size;    /* bytes the caller asked for */
    uint32_t cls;   /* size class, or CLS_LARGE */
    uint32_t magic; /* tag(h, state) */
};

struct large_hdr {
    size_t npages;
    size_t npages_check; /* ~npages */
    struct hdr h;
};

_Static_assert(sizeof(struct hdr) == 16, "16-byte header keeps payloads 16-aligned");
_Static_assert(sizeof(struct large_hdr) == 32, "large header is a multiple of 16");

#define FINE_CLASSES 128      /* 16 .. 2048 */
#define NCLASSES (FINE_CLASSES + 5) /* + 4096 .. 65536 */
#define SMALL_MAX ((size_t)65536)
#define CLS_LARGE 0xffffu
#define CHUNK_PAGES 64 /* 256 KiB */

enum {
    ST_USED = 0x55534544,  /* small block handed out */
    ST_FREE = 0x46524545,  /* small block on a free list */
    ST_LARGE = 0x4c415247, /* large block handed out */
    ST_DEAD = 0x44454144,  /* large block already returned to the environment */
};

static struct {
    void *free_list[NCLASSES];
    char *bump, *bump_end; /* unused tail of the newest chunk */
    size_t in_use, peak, pages;
} heap;

static uint32_t tag(const struct hdr *h, uint32_t state)
{
    uintptr_t a = (uintptr_t)h;
    return state ^ (uint32_t)(a >> 4) ^ (uint32_t)((uint64_t)a >> 36);
}

static size_t class_payload(unsigned cls)
{
    return cls < FINE_CLASSES ? (size_t)(cls + 1) * 16 : (size_t)4096 << (cls - FINE_CLASSES);
}

static unsigned size_class(size_t n) /* n <= SMALL_MAX */
{
    if (n <= 2048)
        return n ? (unsigned)((n - 1) / 16) : 0;
    unsigned cls = FINE_CLASSES;
    for (size_t cap = 4096; cap < n; cap <<= 1)
        cls++;
    return cls;
}

static struct large_hdr *large_of(struct hdr *h)
{
    return (struct large_hdr *)(void *)((char *)h - offsetof(struct large_hdr, h));
}

static size_t bump_room(void)
{
    return (size_t)((uintptr_t)heap.bump_end - (uintptr_t)heap.bump);
}

static void account_alloc(size_t n)
{
    heap.in_use += n;
    if (heap.in_use > heap.peak)
        heap.peak = heap.in_use;
}

static void *pages_alloc(size_t npages)
{
    void *p = libc_env_pages_alloc(npages);
    if (p && ((uintptr_t)p & (LIBC_PAGE_SIZE - 1)))
        libc_env_abort("malloc: libc_env_pages_alloc returned a misaligned run");
    if (p)
        heap.pages += npages;
    return p;
}

static void push_free(struct hdr *h, unsigned cls)
{
    h->cls = cls;
    h->size = 0;
    h->magic = tag(h, ST_FREE);
    void **link = (void **)(void *)(h + 1);
    *link = heap.free_list[cls];
    heap.free_list[cls] = link;
}

/* Turns the unused tail of the current chunk into free blocks of the largest classes that fit. */
static void scatter_tail(void)
{
    for (;;) {
        size_t room = bump_room();
        if (room < sizeof(struct hdr) + 16)
            break;
        unsigned cls = NCLASSES - 1;
        while (sizeof(struct hdr) + class_payload(cls) > room)
            cls--;
        struct hdr *h = (struct hdr *)(void *)heap.bump;
        heap.bump += sizeof(struct hdr) + class_payload(cls);
        push_free(h, cls);
    }
}

static void *small_alloc(size_t n)
{
    unsigned cls = size_class(n);
    struct hdr *h;
    void **link = heap.free_list[cls];
    if (link) {
        h = (struct hdr *)(void *)link - 1;
        if (h->magic != tag(h, ST_FREE) || h->cls != cls)
            libc_env_abort("malloc: heap corruption (free block header overwritten)");
        heap.free_list[cls] = *link;
    } else {
        size_t need = sizeof(struct hdr) + class_payload(cls);
        if (bump_room() < need) {
            char *chunk = pages_alloc(CHUNK_PAGES);
            if (!chunk)
                return NULL;
            scatter_tail();
            heap.bump = chunk;
            heap.bump_end = chunk + (size_t)CHUNK_PAGES * LIBC_PAGE_SIZE;
        }
        h = (struct hdr *)(void *)heap.bump;
        heap.bump += need;
    }
    h->size = n;
    h->cls = cls;
    h->magic = tag(h, ST_USED);
    account_alloc(n);
    return h + 1;
}

static void *large_alloc(size_t n)
{
    if (n > SIZE_MAX - sizeof(struct large_hdr) - LIBC_PAGE_SIZE)
        return NULL;
    size_t npages = (n + sizeof(struct large_hdr) + LIBC_PAGE_SIZE - 1) / LIBC_PAGE_SIZE;
    struct large_hdr *lh = pages_alloc(npages);
    if (!lh)
        return NULL;
    lh->npages = npages;
    lh->npages_check = ~npages;
    lh->h.size = n;
    lh->h.cls = CLS_LARGE;
    lh->h.magic = tag(&lh->h, ST_LARGE);
    account_alloc(n);
    return &lh->h + 1;
}

static size_t large_capacity(const struct large_hdr *lh)
{
    return lh->npages * LIBC_PAGE_SIZE - sizeof(struct large_hdr);
}

/* The header of a live block, or libc_env_abort naming the misuse. */
static struct hdr *live_block(void *p, const char *bad, const char *twice)
{
    if ((uintptr_t)p & 15)
        libc_env_abort(bad);
    struct hdr *h = (struct hdr *)p - 1;
    if (h->magic == tag(h, ST_USED)) {
        if (h->cls >= NCLASSES || h->size > class_payload(h->cls))
            libc_env_abort("malloc: heap corruption (block header overwritten)");
        return h;
    }
    if (h->magic == tag(h, ST_LARGE) && h->cls == CLS_LARGE) {
        const struct large_hdr *lh = large_of(h);
        if (lh->npages_check != ~lh->npages || h->size > large_capacity(lh))
            libc_env_abort("malloc: heap corruption (large block header overwritten)");
        return h;
    }
    if (h->magic == tag(h, ST_FREE) || h->magic == tag(h, ST_DEAD))
        libc_env_abort(twice);
    libc_env_abort(bad);
}

void *malloc(size_t size)
{
    void *p = size <= SMALL_MAX ? small_alloc(size) : large_alloc(size);
    if (!p)
        errno = ENOMEM;
    return p;
}

void *calloc(size_t nmemb, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(nmemb, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(total);
    if (p)
        memset(p, 0, total);
    return p;
}

void free(void *ptr)
{
    if (!ptr)
        return;
    struct hdr *h = live_block(ptr, "free: bad pointer (not from malloc, or header overwritten)",
                               "free: double free");
    heap.in_use -= h->size;
    if (h->cls != CLS_LARGE) {
        push_free(h, h->cls);
        return;
    }
    struct large_hdr *lh = large_of(h);
    size_t npages = lh->npages;
    h->magic = tag(h, ST_DEAD); /* a second free sees this while the pages stay untouched */
    heap.pages -= npages;
    libc_env_pages_free(lh, npages);
}

void *realloc(void *ptr, size_t size)
{
    if (!ptr)
        return malloc(size);
    if (size == 0) { /* glibc's choice: free and return NULL */
        free(ptr);
        return NULL;
    }
    struct hdr *h = live_block(ptr, "realloc: bad pointer (not from malloc, or header overwritten)",
                               "realloc: pointer already freed");
    /* Stay in place when the new size fits and leaves less than half of the block (or 32 bytes) unused. */
    size_t cap = h->cls == CLS_LARGE ? large_capacity(large_of(h)) : class_payload(h->cls);
    if (size <= cap && cap - size < (cap / 2 > 32 ? cap / 2 : 32)) {
        heap.in_use -= h->size;
        h->size = size;
        account_alloc(size);
        return ptr;
    }
    size_t old = h->size;
    void *q = malloc(size);
    if (!q)
        return NULL;
    memcpy(q, ptr, old < size ? old : size);
    free(ptr);
    return q;
}

void libc_heap_stats(struct libc_heap_stats *out)
{
    out->bytes_in_use = heap.in_use;
    out->peak_bytes_in_use = heap.peak;
    out->pages_from_env = heap.pages;
}
