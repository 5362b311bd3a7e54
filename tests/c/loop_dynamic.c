// Checks schedule(dynamic), schedule(dynamic,3) and schedule(nonmonotonic:dynamic,3) loops (up and down, variable bounds): every iteration runs exactly once, each chunk of the chunk size runs on one thread, lastprivate values.
// GOMP entry points: GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_end, GOMP_loop_end_nowait, GOMP_parallel.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

/* Called outside parallel regions (or by one thread at a time). */
static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    if (++failures > 30)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define N 997

static int hits[N];
static int owner[N];

static void reset(void)
{
    for (int i = 0; i < N; i++) {
        hits[i] = 0;
        owner[i] = -1;
    }
}

/* Every iteration once; iterations [k*c, (k+1)*c) on one thread. */
static void check_chunks(const char *what, int c)
{
    for (int i = 0; i < N; i++) {
        check(hits[i], 1, "%s: hits[%d]", what, i);
        if (i % c != 0)
            check(owner[i], owner[i - i % c], "%s: owner of %d vs start of its chunk", what, i);
    }
}

static volatile int vn = N;

int main(void)
{
    int n = vn;
    int i, last_x = 0, x = 0;

    /* schedule(dynamic): chunk 1 */
    reset();
#pragma omp parallel
    {
#pragma omp for schedule(dynamic) lastprivate(i)
        for (i = 0; i < n; i++) {
            hits[i]++;
            owner[i] = omp_get_thread_num();
        }
    }
    check_chunks("dynamic", 1);
    check(i, N, "dynamic: lastprivate i");

    /* schedule(dynamic,3), counting down by 2, lastprivate(x), nowait,
       followed by a second dynamic loop in the same region. */
    reset();
    static int hits2[N];
    long j;
#pragma omp parallel
    {
#pragma omp for schedule(dynamic, 3) lastprivate(x) nowait
        for (int k = 2 * n - 1; k > 0; k -= 2) {
            int idx = (2 * n - 1 - k) / 2;
            hits[idx]++;
            owner[idx] = omp_get_thread_num();
            x = k;
        }
#pragma omp for schedule(dynamic, 3) lastprivate(j)
        for (j = -n; j < 0; j++)
            hits2[j + n]++;
        /* GOMP_loop_end's barrier: every thread sees the first loop done. */
#pragma omp for schedule(dynamic) nowait
        for (int k = 0; k < n; k++)
            if (hits[k] != 1)
                hits2[k] += 100;
    }
    check_chunks("dynamic,3 down", 3);
    check(x, 1, "dynamic,3 down: lastprivate x");
    for (int k = 0; k < N; k++)
        check(hits2[k], 1, "dynamic,3 second loop: hits2[%d]", k);
    check(j, 0, "dynamic,3 second loop: lastprivate j");

    /* schedule(nonmonotonic:dynamic,3), 3 threads, step 5 */
    reset();
    long m;
    last_x = -1;
#pragma omp parallel num_threads(3)
    {
#pragma omp for schedule(nonmonotonic : dynamic, 3) lastprivate(m, last_x)
        for (m = 10; m < 10 + 5L * n; m += 5) {
            long idx = (m - 10) / 5;
            hits[idx]++;
            owner[idx] = omp_get_thread_num();
            last_x = (int)idx;
        }
    }
    check_chunks("nonmonotonic:dynamic,3", 3);
    check(m, 10 + 5L * N, "nonmonotonic:dynamic,3: lastprivate m");
    check(last_x, N - 1, "nonmonotonic:dynamic,3: lastprivate last_x");

    return failures > 100 ? 100 : failures;
}
