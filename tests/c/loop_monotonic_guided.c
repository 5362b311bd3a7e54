// Checks schedule(monotonic:guided) and schedule(monotonic:guided,5): every iteration exactly once, no chunk but the last smaller than the chunk size, and each thread receives its iterations in increasing logical order.
// GOMP entry points: GOMP_loop_guided_start/_next, GOMP_loop_end, GOMP_loop_end_nowait, GOMP_parallel.
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
    int back = 0;
    long i, k;

    reset();
#pragma omp parallel reduction(+ : back)
    {
        long prev = -1;
#pragma omp for schedule(monotonic : guided) lastprivate(i)
        for (i = 0; i < n; i++) {
            if (i <= prev)
                back++;
            prev = i;
            hits[i]++;
            owner[i] = omp_get_thread_num();
        }
    }
    check_runs("monotonic:guided", 1);
    check(back, 0, "monotonic:guided: iterations seen out of order by a thread");
    check(i, N, "monotonic:guided: lastprivate i");

    reset();
    back = 0;
#pragma omp parallel num_threads(3) reduction(+ : back)
    {
        long prev = -1;
#pragma omp for schedule(monotonic : guided, 5) lastprivate(k) nowait
        for (k = 4L * n - 1; k >= 0; k -= 4) {
            long idx = (4L * n - 1 - k) / 4;
            if (idx <= prev)
                back++;
            prev = idx;
            hits[idx]++;
            owner[idx] = omp_get_thread_num();
        }
        prev = -1;
#pragma omp for schedule(monotonic : guided, 5) nowait
        for (int m = 0; m < n; m++) {
            if (m <= prev)
                back++;
            prev = m;
        }
    }
    check_runs("monotonic:guided,5", 5);
    check(back, 0, "monotonic:guided,5: iterations seen out of order by a thread");
    check(k, -1, "monotonic:guided,5: lastprivate k");

    return failures > 100 ? 100 : failures;
}
