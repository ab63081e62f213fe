/* libc_qsort_test.c: qsort against the host's on random and patterned arrays of element sizes 1..24, a
 * comparison count bound under McIlroy's adversary (quadratic quicksort fails it), and bsearch. */
#include "libc_test.h"

static unsigned seed = 4711;
static unsigned rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

/* A total order on whole elements (bytes compared as unsigned, most significant first), so that any correct
 * sort gives the same bytes whatever its stability. */
static size_t elem_size;
static long ncmp;
static int cmp_bytes(const void *a, const void *b)
{
    ncmp++;
    return memcmp(a, b, elem_size);
}
static int cmp_u32(const void *a, const void *b)
{
    ncmp++;
    uint32_t x, y;
    memcpy(&x, a, 4);
    memcpy(&y, b, 4);
    return (x > y) - (x < y);
}
static int cmp_u64(const void *a, const void *b)
{
    ncmp++;
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

enum pattern { RANDOM, SORTED, REVERSED, EQUAL, FEW, ORGAN, SAWTOOTH, NPATTERNS };
static const char *const pattern_names[] = {"random", "sorted", "reversed", "equal", "few", "organ", "sawtooth"};

/* Element i gets a key from the pattern: sizes 4 and 8 store it as a native integer (compared as one), other
 * sizes as big-endian bytes (compared with memcmp) followed by random bytes for the random-ish patterns. */
static void fill(unsigned char *a, size_t n, size_t size, enum pattern p)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char *e = a + i * size;
        uint64_t key;
        switch (p) {
        case SORTED: key = i; break;
        case REVERSED: key = n - i; break;
        case EQUAL: key = 7; break;
        case FEW: key = rnd() % 4; break;
        case ORGAN: key = i < n / 2 ? i : n - i; break;
        case SAWTOOTH: key = i % 17; break;
        default: key = (uint64_t)rnd() << 32 | rnd(); break;
        }
        if (size == 4) {
            uint32_t k32 = (uint32_t)key;
            memcpy(e, &k32, 4);
        } else if (size == 8) {
            memcpy(e, &key, 8);
        } else {
            size_t kb = size < 8 ? size : 8;
            for (size_t k = 0; k < kb; k++)
                e[k] = (unsigned char)(key >> (8 * (kb - 1 - k)));
            for (size_t k = kb; k < size; k++)
                e[k] = p == RANDOM || p == FEW ? (unsigned char)rnd() : 0;
        }
    }
}

static void sort_cases(void)
{
    static const size_t sizes[] = {1, 3, 4, 8, 24, 16, 7};
    static const size_t counts[] = {0, 1, 2, 3, 5, 12, 13, 14, 31, 100, 1000, 5003};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (size_t ci = 0; ci < sizeof counts / sizeof counts[0]; ci++)
            for (int p = 0; p < NPATTERNS; p++) {
                size_t size = sizes[si], n = counts[ci];
                unsigned char *a = malloc(n * size + 1), *b = malloc(n * size + 1);
                fill(a, n, size, (enum pattern)p);
                memcpy(b, a, n * size);
                elem_size = size;
                int (*cmp)(const void *, const void *) = size == 4 ? cmp_u32 : size == 8 ? cmp_u64 : cmp_bytes;
                qsort(a, n, size, cmp);
                ncmp = 0;
                cb_qsort(b, n, size, cmp);
                long lg = 0;
                for (size_t m = n; m > 1; m >>= 1)
                    lg++;
                /* Median-of-3 makes sorted, reversed and equal input cheap; nothing may go quadratic. */
                long bound = (p == SORTED || p == REVERSED || p == EQUAL ? 3 : 8) * (long)n * lg / 2;
                CHECK(n < 1000 || ncmp <= bound, "qsort size %zu n %zu %s: %ld comparisons, bound %ld", size, n,
                      pattern_names[p], ncmp, bound);
                CHECK(memcmp(a, b, n * size) == 0, "qsort size %zu n %zu %s: differs from the host", size, n,
                      pattern_names[p]);
                free(a);
                free(b);
            }
}

/* McIlroy, "A Killer Adversary for Quicksort" (1999): the comparator fixes values only when it must, always
 * in the way that hurts a quicksort most. Without a depth limit, introsort's quicksort goes quadratic. */
static int *adv_val, adv_gas, adv_nsolid, adv_candidate;
static int cmp_adversary(const void *px, const void *py)
{
    int x = *(const int *)px, y = *(const int *)py;
    ncmp++;
    if (adv_val[x] == adv_gas && adv_val[y] == adv_gas)
        adv_val[x == adv_candidate ? x : y] = adv_nsolid++;
    if (adv_val[x] == adv_gas)
        adv_candidate = x;
    else if (adv_val[y] == adv_gas)
        adv_candidate = y;
    return (adv_val[x] > adv_val[y]) - (adv_val[x] < adv_val[y]);
}

static void adversary(void)
{
    const int n = 20000;
    int *idx = malloc(sizeof(int) * (size_t)n);
    adv_val = malloc(sizeof(int) * (size_t)n);
    adv_gas = n;
    adv_nsolid = 0;
    adv_candidate = 0;
    for (int i = 0; i < n; i++)
        idx[i] = i, adv_val[i] = adv_gas;
    ncmp = 0;
    cb_qsort(idx, (size_t)n, sizeof(int), cmp_adversary);
    double log2n = 0;
    for (int m = n; m > 1; m >>= 1)
        log2n++;
    long bound = (long)(6 * n * log2n);
    CHECK(ncmp <= bound, "adversary: %ld comparisons for n=%d, bound %ld (quadratic?)", ncmp, n, bound);
    for (int i = 1; i < n; i++)
        if (adv_val[idx[i - 1]] > adv_val[idx[i]]) {
            CHECK(0, "adversary: result not sorted at %d", i);
            break;
        }
    printf("adversary: %ld comparisons for n=%d (n log2 n = %.0f)\n", ncmp, n, n * log2n);
    free(idx);
    free(adv_val);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void search(void)
{
    int a[200];
    for (size_t n = 0; n <= 200; n += n < 10 ? 1 : 37) {
        for (size_t i = 0; i < n; i++)
            a[i] = (int)(3 * i + 1);
        for (int key = -2; key <= (int)(3 * n + 3); key++) {
            int *g = cb_bsearch(&key, a, n, sizeof a[0], cmp_int);
            int *want = key >= 1 && (key - 1) % 3 == 0 && (size_t)(key - 1) / 3 < n ? &a[(key - 1) / 3] : NULL;
            CHECK(g == want, "bsearch(%d) in %zu elements: got %p, want %p", key, n, (void *)g, (void *)want);
        }
    }
    CHECK(cb_bsearch(&a[0], NULL, 0, sizeof a[0], cmp_int) == NULL, "bsearch in nothing");
}

int main(void)
{
    sort_cases();
    adversary();
    search();
    return test_summary("libc_qsort");
}
