// Checks schedule(guided), schedule(guided,5), schedule(nonmonotonic:guided) and schedule(nonmonotonic:guided,5): every iteration runs exactly once, no chunk but the last is smaller than the chunk size, lastprivate values.
// GOMP entry points: GOMP_loop_nonmonotonic_guided_start/_next, GOMP_loop_end, GOMP_loop_end_nowait, GOMP_parallel.
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

#define N 1500

static int hits[N];
static int owner[N];

static void reset(void)
{
    for (int i = 0; i < N; i++) {
        hits[i] = 0;
        owner[i] = -1;
    }
}

/* Every iteration once; a maximal run of consecutive iterations on one
   thread is made of whole chunks, so it has at least c iterations unless
   it holds the sequentially last iteration. */
static void check_runs(const char *what, int c)
{
    int start = 0;
    for (int i = 0; i < N; i++) {
        check(hits[i], 1, "%s: hits[%d]", what, i);
        if (i + 1 == N || owner[i + 1] != owner[i]) {
            if (i + 1 < N)
                check(i + 1 - start >= c, 1, "%s: run [%d,%d] shorter than %d", what, start, i, c);
            start = i + 1;
        }
    }
}

static volatile int vn = N;

int main(void)
{
    int n = vn;
    int i;
    long k, l;
    int x = 0;

    reset();
#pragma omp parallel
    {
#pragma omp for schedule(guided) lastprivate(i)
        for (i = 0; i < n; i++) {
            hits[i]++;
            owner[i] = omp_get_thread_num();
        }
    }
    check_runs("guided", 1);
    check(i, N, "guided: lastprivate i");

    reset();
#pragma omp parallel num_threads(3)
    {
#pragma omp for schedule(guided, 5) lastprivate(k, x)
        for (k = 7L * n; k > 0; k -= 7) {
            long idx = (7L * n - k) / 7;
            hits[idx]++;
            owner[idx] = omp_get_thread_num();
            x = (int)idx;
        }
    }
    check_runs("guided,5 down", 5);
    check(k, 0, "guided,5 down: lastprivate k");
    check(x, N - 1, "guided,5 down: lastprivate x");

    reset();
#pragma omp parallel
    {
#pragma omp for schedule(nonmonotonic : guided) nowait
        for (int m = 0; m < n; m++) {
            hits[m]++;
            owner[m] = omp_get_thread_num();
        }
#pragma omp barrier
#pragma omp single
        {
            check_runs("nonmonotonic:guided", 1);
            reset();
        }
#pragma omp for schedule(nonmonotonic : guided, 5) lastprivate(l)
        for (l = -2L * n; l < 0; l += 2) {
            hits[(l + 2L * n) / 2]++;
            owner[(l + 2L * n) / 2] = omp_get_thread_num();
        }
    }
    check_runs("nonmonotonic:guided,5", 5);
    check(l, 0, "nonmonotonic:guided,5: lastprivate l");

    return failures > 100 ? 100 : failures;
}
