/* libc_malloc_test.c: the allocator under ~200k random malloc/calloc/realloc/free of every size class and
 * large blocks (patterns checked before every free, so overlaps show), its statistics against the page shim,
 * out-of-memory and overflow paths, realloc semantics, and misuse caught by libc_env_abort. */
#include "libc_test.h"

static unsigned seed = 2024;
static unsigned rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

/* Sizes across all classes: tiny, 16-byte classes, power-of-two classes, large runs, and class edges. */
static size_t rand_size(void)
{
    static const size_t edges[] = {0, 1, 15, 16, 17, 31, 32, 33, 2047, 2048, 2049, 4095, 4096, 4097, 65535, 65536,
                                   65537, 4096 * 16 - 32, 4096 * 16 - 31, 4096 * 17};
    unsigned r = rnd() % 100;
    if (r < 4)
        return edges[rnd() % (sizeof edges / sizeof edges[0])];
    if (r < 8)
        return rnd() % 17;
    if (r < 72)
        return rnd() % 2049;
    if (r < 96) {
        unsigned e = 11 + rnd() % 5; /* 2 KiB .. 64 KiB */
        size_t n = ((size_t)1 << e) + rnd() % ((size_t)1 << e);
        return n > 65536 ? 65536 : n;
    }
    unsigned e = 16 + rnd() % 4; /* 64 KiB .. 1 MiB */
    return ((size_t)1 << e) + 1 + rnd() % ((size_t)1 << e);
}

struct slot {
    unsigned char *p;
    size_t n;
    uint64_t tag; /* first 8 bytes, when n >= 8 */
    unsigned char v; /* every other byte */
};

static void pattern(struct slot *s)
{
    memset(s->p, s->v, s->n);
    if (s->n >= 8)
        memcpy(s->p, &s->tag, 8);
}

/* The first len bytes still hold what pattern() wrote for a block of s->n bytes. */
static int intact(const struct slot *s, size_t len)
{
    const unsigned char *t = (const unsigned char *)&s->tag;
    size_t head = len < 8 ? len : 8;
    for (size_t i = 0; i < head; i++)
        if (s->p[i] != (s->n >= 8 ? t[i] : s->v))
            return 0;
    if (len <= 8)
        return 1;
    return s->p[8] == s->v && memcmp(s->p + 8, s->p + 9, len - 9) == 0; /* all equal to p[8] */
}

static int all_zero(const unsigned char *p, size_t n)
{
    return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

static void check_stats(size_t live, size_t max_live, const char *when)
{
    struct libc_heap_stats st;
    struct shim_pages sp;
    libc_heap_stats(&st);
    shim_pages_get(&sp);
    CHECK(st.bytes_in_use == live, "%s: bytes_in_use %zu, callers hold %zu", when, st.bytes_in_use, live);
    CHECK(st.peak_bytes_in_use >= st.bytes_in_use && st.peak_bytes_in_use >= max_live,
          "%s: peak %zu < in use %zu or max seen %zu", when, st.peak_bytes_in_use, st.bytes_in_use, max_live);
    CHECK(st.pages_from_env == sp.outstanding_pages, "%s: pages_from_env %zu, shim says %zu", when,
          st.pages_from_env, sp.outstanding_pages);
    CHECK(st.pages_from_env * LIBC_PAGE_SIZE >= st.bytes_in_use, "%s: more bytes in use than pages held", when);
}

#define SLOTS 1500
#define OPS 200000

static void stress(void)
{
    static struct slot slots[SLOTS];
    size_t live = 0, max_live = 0;
    struct libc_heap_stats st0;
    libc_heap_stats(&st0);
    size_t base = st0.bytes_in_use;
    long counts[5] = {0};
    for (long op = 0; op < OPS; op++) {
        struct slot *s = &slots[rnd() % SLOTS];
        unsigned r = rnd() % 100;
        if (!s->p) {
            size_t n = rand_size();
            if (r < 70) {
                s->p = cb_malloc(n);
                counts[0]++;
            } else {
                size_t k = (size_t)1 << (rnd() % 5); /* calloc(n / k, k) */
                n = n / k * k;
                s->p = cb_calloc(n / k, k);
                counts[1]++;
                CHECK(s->p && all_zero(s->p, n), "calloc(%zu, %zu) not zeroed", n / k, k);
            }
            CHECK(s->p != NULL, "op %ld: allocation of %zu failed", op, n);
            if (!s->p)
                continue;
            CHECK(((uintptr_t)s->p & 15) == 0, "op %ld: %p is not 16-aligned", op, (void *)s->p);
            s->n = n;
            s->tag = (uint64_t)op << 16 | (uint64_t)(s - slots);
            s->v = (unsigned char)rnd();
            pattern(s);
            live += n;
        } else if (r < 60) {
            CHECK(intact(s, s->n), "op %ld: block of %zu bytes overwritten before free", op, s->n);
            cb_free(s->p);
            counts[2]++;
            live -= s->n;
            s->p = NULL;
        } else if (r < 61) {
            CHECK(intact(s, s->n), "op %ld: block overwritten before realloc(p, 0)", op);
            CHECK(cb_realloc(s->p, 0) == NULL, "realloc(p, 0) must free and return NULL");
            counts[4]++;
            live -= s->n;
            s->p = NULL;
        } else {
            size_t n = rand_size();
            unsigned char *q = cb_realloc(s->p, n);
            counts[3]++;
            CHECK(q != NULL || n == 0, "op %ld: realloc to %zu failed", op, n);
            if (!q) {
                s->p = NULL;
                live -= s->n;
                continue;
            }
            CHECK(((uintptr_t)q & 15) == 0, "op %ld: realloc gave %p, not 16-aligned", op, (void *)q);
            s->p = q;
            CHECK(intact(s, s->n < n ? s->n : n), "op %ld: realloc %zu -> %zu lost the contents", op, s->n, n);
            live = live - s->n + n;
            s->n = n;
            s->v = (unsigned char)rnd();
            pattern(s);
        }
        if (live > max_live)
            max_live = live;
        if (op % 4096 == 0)
            check_stats(base + live, base + max_live, "stress");
    }
    check_stats(base + live, base + max_live, "stress end");
    for (size_t i = 0; i < SLOTS; i++)
        if (slots[i].p) {
            CHECK(intact(&slots[i], slots[i].n), "slot %zu overwritten", i);
            cb_free(slots[i].p);
            slots[i].p = NULL;
        }
    check_stats(base, base + max_live, "after freeing everything");
    printf("stress: %ld malloc, %ld calloc, %ld free, %ld realloc, %ld realloc(p,0); peak %zu bytes\n", counts[0],
           counts[1], counts[2], counts[3], counts[4], max_live);
}

/* Large blocks go back to the environment on free. */
static void large_returned(void)
{
    struct shim_pages before, mid, after;
    shim_pages_get(&before);
    void *p[12];
    size_t want_pages = 0;
    for (int i = 0; i < 12; i++) {
        size_t n = 65537 + (size_t)i * 300000;
        p[i] = cb_malloc(n);
        CHECK(p[i] && ((uintptr_t)p[i] & 15) == 0, "large malloc(%zu)", n);
        memset(p[i], i, n);
        want_pages += (n + LIBC_PAGE_SIZE - 1) / LIBC_PAGE_SIZE;
    }
    shim_pages_get(&mid);
    CHECK(mid.outstanding_pages - before.outstanding_pages >= want_pages, "large blocks hold too few pages");
    for (int i = 0; i < 12; i++)
        cb_free(p[i]);
    shim_pages_get(&after);
    CHECK(after.outstanding_pages == before.outstanding_pages && after.frees == before.frees + 12,
          "large blocks not returned: %zu pages outstanding, %zu before", after.outstanding_pages,
          before.outstanding_pages);
}

static void limits(void)
{
    struct shim_pages before, after;
    shim_pages_get(&before);
    static const size_t huge[][2] = {
        {SIZE_MAX / 2 + 1, 2}, {(size_t)1 << 40, (size_t)1 << 40}, {SIZE_MAX, SIZE_MAX}, {3, SIZE_MAX / 2},
    };
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        cb_errno = 0;
        CHECK(cb_calloc(huge[i][0], huge[i][1]) == NULL && cb_errno == ENOMEM, "calloc(%zu, %zu) must overflow",
              huge[i][0], huge[i][1]);
    }
    shim_pages_get(&after);
    CHECK(after.allocs == before.allocs, "an overflowing calloc asked the environment for pages");
    static const size_t too_big[] = {SIZE_MAX, SIZE_MAX - 16, SIZE_MAX - 4096, SIZE_MAX / 2, (size_t)1 << 40};
    for (size_t i = 0; i < sizeof too_big / sizeof too_big[0]; i++) {
        cb_errno = 0;
        CHECK(cb_malloc(too_big[i]) == NULL && cb_errno == ENOMEM, "malloc(%zu) must fail", too_big[i]);
    }

    /* Out of pages: small and large allocations fail cleanly, a failed realloc keeps the block. */
    unsigned char *keep = cb_malloc(100);
    memset(keep, 0x5c, 100);
    shim_pages_fail_after(0);
    cb_errno = 0;
    CHECK(cb_malloc(1 << 20) == NULL && cb_errno == ENOMEM, "large malloc without pages must fail");
    void *got[64];
    int n = 0, failed = 0;
    while (n < 64 && !failed) {
        got[n] = cb_malloc(60000);
        if (got[n])
            n++;
        else
            failed = 1;
    }
    CHECK(failed, "small mallocs never failed although the environment has no pages");
    CHECK(cb_realloc(keep, 1 << 20) == NULL, "realloc without pages must fail");
    shim_pages_fail_after(-1);
    int same = 1;
    for (int i = 0; i < 100; i++)
        same &= keep[i] == 0x5c;
    CHECK(same, "a failed realloc must leave the block alone");
    for (int i = 0; i < n; i++)
        cb_free(got[i]);
    cb_free(keep);
}

static void semantics(void)
{
    struct libc_heap_stats st0, st;
    libc_heap_stats(&st0);

    void *a = cb_malloc(0), *b = cb_malloc(0);
    CHECK(a && b && a != b, "malloc(0) must give distinct pointers");
    cb_free(a);
    cb_free(b);
    cb_free(NULL);

    unsigned char *p = cb_realloc(NULL, 50);
    CHECK(p != NULL, "realloc(NULL, 50)");
    memset(p, 1, 50);
    libc_heap_stats(&st);
    CHECK(st.bytes_in_use == st0.bytes_in_use + 50, "bytes_in_use counts requested sizes");
    unsigned char *q = cb_realloc(p, 40);
    CHECK(q == p, "shrinking a little stays in place");
    q = cb_realloc(p, 64);
    CHECK(q == p && q[39] == 1, "growing within the block stays in place");
    libc_heap_stats(&st);
    CHECK(st.bytes_in_use == st0.bytes_in_use + 64, "in-place realloc updates bytes_in_use");
    memset(q, 2, 64);
    p = cb_realloc(q, 3000);
    CHECK(p && p != q && p[0] == 2 && p[63] == 2, "growing past the class moves and keeps the contents");
    p = cb_realloc(p, 10);
    CHECK(p && p[9] == 2, "shrinking a lot keeps the prefix");
    CHECK(cb_realloc(p, 0) == NULL, "realloc(p, 0)");
    libc_heap_stats(&st);
    CHECK(st.bytes_in_use == st0.bytes_in_use, "realloc(p, 0) freed the block");

    p = cb_malloc(100000);
    memset(p, 3, 100000);
    q = cb_realloc(p, 101000);
    CHECK(q == p, "a large block grows in place within its pages");
    q = cb_realloc(p, 70000);
    CHECK(q == p, "a large block shrinks in place while it stays over half full");
    q = cb_realloc(p, 1000);
    CHECK(q && q != p && q[999] == 3, "a large block shrunk to a small size moves");
    cb_free(q);
}

/* Growing a block a byte at a time (in place or not) never touches its neighbour. */
static void grow_next_to_neighbour(void)
{
    static const size_t starts[] = {1, 16, 40, 100, 1000, 2040, 4000, 65500, 70000};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        struct slot a = {cb_malloc(starts[i]), starts[i], 0x1122334455667788ull, 0xa1};
        struct slot b = {cb_malloc(starts[i]), starts[i], 0x8877665544332211ull, 0xb2};
        pattern(&a);
        pattern(&b);
        for (size_t n = starts[i] + 1; n <= starts[i] + 80; n++) {
            a.p = cb_realloc(a.p, n);
            CHECK(a.p && intact(&a, a.n), "realloc %zu -> %zu lost the contents", a.n, n);
            a.n = n;
            pattern(&a);
            CHECK(intact(&b, b.n), "growing a block to %zu overwrote its neighbour", n);
        }
        cb_free(a.p);
        cb_free(b.p);
    }
}

static _Alignas(16) unsigned char fake[64];

static void misuse(void)
{
    unsigned char *p = cb_malloc(100);
    memset(p, 'x', 100);
    EXPECT_ABORT(cb_free(p + 16), "free: bad pointer");
    EXPECT_ABORT(cb_free(p + 1), "free: bad pointer");
    EXPECT_ABORT(cb_free(fake + 32), "free: bad pointer");
    EXPECT_ABORT(cb_realloc(p + 32, 10), "realloc: bad pointer");

    p[-3] ^= 1; /* the header's magic */
    EXPECT_ABORT(cb_free(p), "free: bad pointer");
    p[-3] ^= 1;
    size_t *size_field = (size_t *)(void *)(p - 16);
    size_t saved = *size_field;
    *size_field = 1 << 20;
    EXPECT_ABORT(cb_free(p), "heap corruption");
    *size_field = saved;

    cb_free(p);
    EXPECT_ABORT(cb_free(p), "free: double free");
    EXPECT_ABORT(cb_realloc(p, 10), "realloc: pointer already freed");

    /* A write after free into a free block's header is noticed when the block is handed out again. */
    unsigned char *f = cb_malloc(48);
    cb_free(f);
    f[-1] ^= 0xff;
    EXPECT_ABORT(cb_malloc(48), "heap corruption");
    f[-1] ^= 0xff;
    CHECK(cb_malloc(48) == f, "the repaired free block is reused");
    cb_free(f);

    unsigned char *big = cb_malloc(300000);
    memset(big, 'y', 300000);
    size_t *npages_check = (size_t *)(void *)(big - 24);
    *npages_check ^= 1;
    EXPECT_ABORT(cb_free(big), "heap corruption");
    *npages_check ^= 1;
    cb_free(big);
    EXPECT_ABORT(cb_free(big), "free: double free");
}

int main(void)
{
    semantics();
    grow_next_to_neighbour();
    limits();
    large_returned();
    misuse();
    stress();
    large_returned();
    return test_summary("libc_malloc");
}
