// Checks array and array-section reductions: reduction(+:a[0:n]) on a worksharing loop and on a parallel directive, a section that starts past element 0 (elements outside it are untouched), a whole fixed-size array, a pointer-based section, and max/* on array elements, combined with the original element values.
// GOMP entry points: GOMP_parallel, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_nonmonotonic_guided_start/_next, GOMP_loop_end, GOMP_loop_end_nowait, GOMP_barrier, GOMP_atomic_start, GOMP_atomic_end.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    failures++;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define NB 10
#define N 2000

static long hist_ref[NB];

int main(void)
{
    /* Histogram: reduction(+:h[0:NB]) on a for. */
    long h[NB];
    for (int b = 0; b < NB; b++)
        h[b] = 100 * b;
    for (int i = 0; i < N; i++)
        hist_ref[(i * 13) % NB] += i;
#pragma omp parallel
    {
#pragma omp for reduction(+:h[0:NB])
        for (int i = 0; i < N; i++)
            h[(i * 13) % NB] += i;
    }
    for (int b = 0; b < NB; b++)
        check(h[b], 100 * b + hist_ref[b], "for h[0:%d]: bin %d", NB, b);

    /* Section starting past 0: h2[3:4] only; the rest must stay. */
    int h2[12];
    for (int b = 0; b < 12; b++)
        h2[b] = -b;
#pragma omp parallel for schedule(dynamic, 5) reduction(+:h2[3:4])
    for (int i = 0; i < N; i++)
        h2[3 + i % 4] += 1;
    for (int b = 0; b < 12; b++) {
        long want = -b;
        if (b >= 3 && b < 7)
            want += N / 4;
        check(h2[b], want, "parallel for h2[3:4]: element %d", b);
    }

    /* Whole array on the parallel directive: every thread adds once. */
    int whole[5] = {1, 2, 3, 4, 5};
    int nthr = 0;
#pragma omp parallel reduction(+:whole)
    {
        if (omp_get_thread_num() == 0)
            nthr = omp_get_num_threads();
        for (int k = 0; k < 5; k++)
            whole[k] += (k + 1) * 10;
    }
    for (int k = 0; k < 5; k++)
        check(whole[k], (k + 1) + (long)nthr * (k + 1) * 10, "parallel whole[]: element %d", k);

    /* Pointer-based section of heap memory, with a runtime length. */
    int n = 37;
    double *d = malloc(sizeof *d * (n + 2));
    for (int k = 0; k < n + 2; k++)
        d[k] = 0.5;
    double *dp = d + 1;
#pragma omp parallel
    {
#pragma omp for reduction(+:dp[0:n]) nowait
        for (int i = 0; i < 10 * n; i++)
            dp[i % n] += 0.25;
    }
    check(d[0] == 0.5, 1, "pointer section: element before untouched");
    check(d[n + 1] == 0.5, 1, "pointer section: element after untouched");
    for (int k = 0; k < n; k++)
        check(dp[k] == 0.5 + 2.5, 1, "pointer section: element %d", k);
    free(d);

    /* max and * on array sections. */
    long mx[4] = {-1000, 5, 0, 999999};
    long pr[3] = {1, 2, -1};
#pragma omp parallel
    {
#pragma omp for schedule(guided) reduction(max:mx[0:4]) reduction(*:pr[0:3])
        for (int i = 0; i < 512; i++) {
            long v = (i * 7919) % 4000;
            int k = i % 4;
            if (v > mx[k])
                mx[k] = v;
            if (i % 128 == 1)
                pr[i % 3] *= 2;
        }
    }
    long rmx[4] = {-1000, 5, 0, 999999};
    long rpr[3] = {1, 2, -1};
    for (int i = 0; i < 512; i++) {
        long v = (i * 7919) % 4000;
        int k = i % 4;
        if (v > rmx[k])
            rmx[k] = v;
        if (i % 128 == 1)
            rpr[i % 3] *= 2;
    }
    for (int k = 0; k < 4; k++)
        check(mx[k], rmx[k], "max section: element %d", k);
    for (int k = 0; k < 3; k++)
        check(pr[k], rpr[k], "* section: element %d", k);

    /* Regions in a row, to catch stale per-thread copies. */
    int acc[3] = {0, 0, 0};
    for (int r = 0; r < 20; r++) {
#pragma omp parallel for reduction(+:acc[0:3])
        for (int i = 0; i < 30; i++)
            acc[i % 3] += 1;
    }
    for (int k = 0; k < 3; k++)
        check(acc[k], 200, "20 regions: acc[%d]", k);

    return failures > 100 ? 100 : failures;
}
