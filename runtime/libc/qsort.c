/* qsort.c: qsort as an iterative introsort (median-of-3 quicksort, heapsort past a depth limit, insertion
 * sort for short runs): O(n log n) worst case, O(log n) fixed stack, any element size; and bsearch. Not stable. */
#include <stdint.h>
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);
typedef size_t __attribute__((may_alias)) word_t;

struct sorter {
    cmp_fn cmp;
    size_t size;
    int words; /* every element is word-aligned and a whole number of words */
};

static void swap(const struct sorter *s, char *a, char *b)
{
    if (a == b)
        return;
    if (s->words) {
        word_t *x = (word_t *)(void *)a, *y = (word_t *)(void *)b;
        for (size_t i = 0; i < s->size / sizeof(word_t); i++) {
            word_t t = x[i];
            x[i] = y[i];
            y[i] = t;
        }
    } else {
        for (size_t i = 0; i < s->size; i++) {
            char t = a[i];
            a[i] = b[i];
            b[i] = t;
        }
    }
}

static void insertion_sort(const struct sorter *s, char *lo, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (char *p = lo + i * s->size; p > lo && s->cmp(p - s->size, p) > 0; p -= s->size)
            swap(s, p - s->size, p);
}

static void sift_down(const struct sorter *s, char *lo, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && s->cmp(lo + child * s->size, lo + (child + 1) * s->size) < 0)
            child++;
        if (s->cmp(lo + root * s->size, lo + child * s->size) >= 0)
            return;
        swap(s, lo + root * s->size, lo + child * s->size);
        root = child;
    }
}

static void heap_sort(const struct sorter *s, char *lo, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(s, lo, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        swap(s, lo, lo + end * s->size);
        sift_down(s, lo, 0, end);
    }
}

/* Partitions lo[0..n) around the median of first, middle and last; returns the pivot's final index. Equal
 * keys stop both scans, so runs of equal elements split evenly. */
static size_t partition(const struct sorter *s, char *lo, size_t n)
{
    const size_t sz = s->size;
    char *mid = lo + (n / 2) * sz, *hi = lo + (n - 1) * sz;
    if (s->cmp(mid, lo) < 0)
        swap(s, mid, lo);
    if (s->cmp(hi, mid) < 0) {
        swap(s, hi, mid);
        if (s->cmp(mid, lo) < 0)
            swap(s, mid, lo);
    }
    swap(s, lo, mid); /* the pivot sits at lo during the scans; hi >= pivot stops the left scan */
    char *i = lo, *j = hi + sz;
    for (;;) {
        do
            i += sz;
        while (i < hi && s->cmp(i, lo) < 0);
        do
            j -= sz;
        while (s->cmp(j, lo) > 0); /* stops at lo at the latest */
        if (i >= j)
            break;
        swap(s, i, j);
    }
    swap(s, lo, j);
    return (size_t)(j - lo) / sz;
}

#define INSERTION_MAX 12

void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))
{
    if (nmemb < 2 || size == 0)
        return;
    const struct sorter s = {compar, size,
                             ((uintptr_t)base % sizeof(word_t)) == 0 && size % sizeof(word_t) == 0};
    int depth_limit = 0;
    for (size_t n = nmemb; n > 1; n >>= 1)
        depth_limit += 2;

    /* The larger side is deferred, the smaller one sorted first, so at most log2(nmemb) ranges wait. */
    struct range {
        char *lo;
        size_t n;
        int depth;
    } stack[sizeof(size_t) * 8];
    int top = 0;
    char *lo = base;
    size_t n = nmemb;
    int depth = depth_limit;
    for (;;) {
        if (n <= INSERTION_MAX) {
            insertion_sort(&s, lo, n);
        } else if (depth == 0) {
            heap_sort(&s, lo, n);
        } else {
            depth--;
            size_t p = partition(&s, lo, n);
            char *right = lo + (p + 1) * size;
            size_t nl = p, nr = n - p - 1;
            if (nl < nr) {
                stack[top++] = (struct range){right, nr, depth};
                n = nl;
            } else {
                stack[top++] = (struct range){lo, nl, depth};
                lo = right;
                n = nr;
            }
            continue;
        }
        if (top == 0)
            return;
        top--;
        lo = stack[top].lo;
        n = stack[top].n;
        depth = stack[top].depth;
    }
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
              int (*compar)(const void *, const void *))
{
    const char *lo = base;
    while (nmemb > 0) {
        const char *mid = lo + (nmemb / 2) * size;
        int c = compar(key, mid);
        if (c == 0)
            return (void *)(uintptr_t)mid;
        if (c > 0) {
            lo = mid + size;
            nmemb -= nmemb / 2 + 1;
        } else {
            nmemb /= 2;
        }
    }
    return NULL;
}
