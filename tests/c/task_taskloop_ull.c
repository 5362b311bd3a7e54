// Checks taskloops whose iteration variable is unsigned long long: ascending and descending loops near the top of the 64-bit range (beyond LLONG_MAX), large steps, grainsize and num_tasks, and an empty loop; every iteration runs exactly once with the right value.
// GOMP entry points: GOMP_taskloop_ull, GOMP_parallel, GOMP_single_start, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define M 1000
typedef unsigned long long ull;

static int hits[M];

static int bad_hits(int n)
{
    int bad = 0;
    for (int i = 0; i < M; i++)
        bad += hits[i] != (i < n);
    return bad;
}

int main(void)
{
    const ull top = ~0ULL;           /* 2^64 - 1 */
    const ull base = top - 10 * M;   /* well above LLONG_MAX */
#pragma omp parallel
#pragma omp single
    {
        /* Ascending, step 1, right up to the top of the range. */
        memset(hits, 0, sizeof hits);
#pragma omp taskloop
        for (ull v = top - M; v < top; v++)
            __atomic_fetch_add(&hits[v - (top - M)], 1, __ATOMIC_RELAXED);
        check(bad_hits(M), 0, "ascending loop ending at 2^64-1");

        /* Ascending with step 10 and grainsize. */
        memset(hits, 0, sizeof hits);
#pragma omp taskloop grainsize(7)
        for (ull v = base; v < base + 10 * M; v += 10)
            __atomic_fetch_add(&hits[(v - base) / 10], 1, __ATOMIC_RELAXED);
        check(bad_hits(M), 0, "ascending loop with step 10, grainsize(7)");

        /* Descending, step -3, from the very top. */
        memset(hits, 0, sizeof hits);
#pragma omp taskloop num_tasks(9)
        for (ull v = top; v > top - 3 * M; v -= 3)
            __atomic_fetch_add(&hits[(top - v) / 3], 1, __ATOMIC_RELAXED);
        check(bad_hits(M), 0, "descending loop with step -3, num_tasks(9)");

        /* A huge step: a few iterations over most of the 64-bit range
           (the bound keeps the trip-count computation from wrapping). */
        memset(hits, 0, sizeof hits);
        const ull step = 1ULL << 61;
#pragma omp taskloop grainsize(1)
        for (ull v = 5; v < 6 * step; v += step)
            __atomic_fetch_add(&hits[v / step], 1, __ATOMIC_RELAXED);
        check(bad_hits(6), 0, "step 2^61 over most of the range");

        /* Empty. */
        int any = 0;
#pragma omp taskloop shared(any)
        for (ull v = top; v < top; v++)
            any++;
        check(any, 0, "empty unsigned loop");

        /* Iteration values are the ones the loop defines. */
        ull sum = 0;
#pragma omp taskloop reduction(+: sum) grainsize(100)
        for (ull v = base; v < base + M; v++)
            sum += v - base;
        check((long)sum, (long)M * (M - 1) / 2, "sum of iteration offsets");
    }
    return failures > 100 ? 100 : failures;
}
