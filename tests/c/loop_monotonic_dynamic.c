// Checks schedule(monotonic:dynamic) and schedule(monotonic:dynamic,4) loops: every iteration exactly once, chunk structure, and each thread receives its chunks in increasing logical iteration order (also for a loop counting down).
// GOMP entry points: GOMP_loop_dynamic_start/_next, GOMP_loop_end, GOMP_loop_end_nowait, GOMP_parallel.
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

#define N 1201

static int hits[N];
static int owner[N];

static void reset(void)
{
    for (int i = 0; i < N; i++) {
        hits[i] = 0;
        owner[i] = -1;
    }
}

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
    int back = 0;
    long i;

    reset();
#pragma omp parallel reduction(+ : back)
    {
        long prev = -1;
#pragma omp for schedule(monotonic : dynamic) lastprivate(i)
        for (i = 0; i < n; i++) {
            if (i <= prev)
                back++;
            prev = i;
            hits[i]++;
            owner[i] = omp_get_thread_num();
        }
    }
    check_chunks("monotonic:dynamic", 1);
    check(back, 0, "monotonic:dynamic: iterations seen out of order by a thread");
    check(i, N, "monotonic:dynamic: lastprivate i");

    /* chunk 4, counting down by 3, then a nowait loop, twice in a row */
    for (int rep = 0; rep < 2; rep++) {
        reset();
        back = 0;
        long k;
#pragma omp parallel reduction(+ : back)
        {
            long prev = -1;
#pragma omp for schedule(monotonic : dynamic, 4) lastprivate(k)
            for (k = 3L * n; k > 0; k -= 3) {
                long idx = (3L * n - k) / 3;
                if (idx <= prev)
                    back++;
                prev = idx;
                hits[idx]++;
                owner[idx] = omp_get_thread_num();
            }
            prev = -1;
#pragma omp for schedule(monotonic : dynamic, 4) nowait
            for (int m = 0; m < n; m++) {
                if (m <= prev)
                    back++;
                prev = m;
                hits[m] += 10;
            }
        }
        for (int m = 0; m < N; m++)
            hits[m] -= 10;
        check_chunks("monotonic:dynamic,4", 4);
        check(back, 0, "monotonic:dynamic,4: iterations seen out of order by a thread");
        check(k, 0, "monotonic:dynamic,4: lastprivate k");
    }

    return failures > 100 ? 100 : failures;
}
