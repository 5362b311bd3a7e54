// Checks signed taskloops with negative and unusual steps: descending loops with step -1, -7 and a step larger than the range, <= and >= bounds, negative and LONG-sized bounds, with grainsize and num_tasks; every iteration runs exactly once.
// GOMP entry points: GOMP_taskloop, GOMP_parallel, GOMP_single_start, GOMP_barrier.
#include <limits.h>
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

#define M 2000

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
#pragma omp parallel
#pragma omp single
    {
        memset(hits, 0, sizeof hits);
#pragma omp taskloop
        for (int i = 999; i >= 0; i--)
            __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
        check(bad_hits(1000), 0, "999 down to 0, step -1");

        memset(hits, 0, sizeof hits);
#pragma omp taskloop grainsize(11)
        for (int i = 500; i > -500; i -= 7)
            __atomic_fetch_add(&hits[(500 - i) / 7], 1, __ATOMIC_RELAXED);
        check(bad_hits((1000 + 6) / 7), 0, "500 down to -499, step -7, grainsize(11)");

        memset(hits, 0, sizeof hits);
#pragma omp taskloop num_tasks(4)
        for (int i = -10; i >= -1999; i -= 1)
            __atomic_fetch_add(&hits[-10 - i], 1, __ATOMIC_RELAXED);
        check(bad_hits(1990), 0, "-10 down to -1999, num_tasks(4)");

        memset(hits, 0, sizeof hits);
#pragma omp taskloop grainsize(1)
        for (int i = 5; i > 0; i -= 100)
            __atomic_fetch_add(&hits[0], 1, __ATOMIC_RELAXED);
        check(bad_hits(1), 0, "step -100 over a range of 5");

        memset(hits, 0, sizeof hits);
#pragma omp taskloop num_tasks(3)
        for (int i = -300; i <= 300; i += 3)
            __atomic_fetch_add(&hits[(i + 300) / 3], 1, __ATOMIC_RELAXED);
        check(bad_hits(201), 0, "-300 up to 300 inclusive, step 3");

        /* long bounds near LONG_MIN / LONG_MAX. */
        memset(hits, 0, sizeof hits);
#pragma omp taskloop grainsize(64)
        for (long v = LONG_MAX; v > LONG_MAX - M; v--)
            __atomic_fetch_add(&hits[LONG_MAX - v], 1, __ATOMIC_RELAXED);
        check(bad_hits(M), 0, "descending from LONG_MAX");

        memset(hits, 0, sizeof hits);
#pragma omp taskloop num_tasks(5)
        /* (With the bound exactly LONG_MIN, GCC 12's lowering loses
           iterations whatever the runtime, so stay a little above it.) */
        for (long v = LONG_MIN + 101 + 3L * (M - 1); v > LONG_MIN + 100; v -= 3)
            __atomic_fetch_add(&hits[(v - LONG_MIN - 101) / 3], 1, __ATOMIC_RELAXED);
        check(bad_hits(M), 0, "descending to LONG_MIN + 101, step -3");

        int any = 0;
#pragma omp taskloop shared(any)
        for (int i = 0; i > 0; i--)
            any++;
        check(any, 0, "empty descending loop");
    }
    return failures > 100 ? 100 : failures;
}
