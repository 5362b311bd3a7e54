// Checks `parallel for schedule(auto)` over a long variable with constant bounds, which GCC 12 lowers to GOMP_parallel_loop_static with one argument short (the flags value lands in the chunk slot, the real flags slot is an uninitialised stack word) and an outlined body that open-codes a static schedule without touching the work share: every iteration exactly once, lastprivate, and work sharing afterwards still matches.
// GOMP entry points: GOMP_parallel_loop_static, GOMP_parallel, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_end_nowait.
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

#define N 1000

static int hits[N];
static int nthr[N];

static void reset(void)
{
    for (int i = 0; i < N; i++)
        hits[i] = nthr[i] = 0;
}

static void check_once(const char *what)
{
    for (int i = 0; i < N; i++)
        check(hits[i], 1, "%s: hits[%d]", what, i);
}

int main(void)
{
    long i;

    reset();
#pragma omp parallel for schedule(auto)
    for (long k = 0; k < N; k++) {
        hits[k]++;
        nthr[k] = omp_get_num_threads();
    }
    check_once("parallel for auto");
    check(nthr[0], omp_get_max_threads(), "parallel for auto: team size");

    /* The same written as parallel + for; lastprivate; step 3. */
    reset();
#pragma omp parallel
    {
#pragma omp for schedule(auto) lastprivate(i)
        for (i = 7; i < 7 + 3L * N; i += 3)
            hits[(i - 7) / 3]++;
    }
    check_once("parallel{for auto} step 3");
    check(i, 7 + 3L * N, "parallel{for auto} step 3: lastprivate i");

    /* With num_threads and proc_bind: the proc_bind value is passed where
       the chunk belongs. */
    reset();
#pragma omp parallel for schedule(auto) num_threads(3) proc_bind(spread) lastprivate(i)
    for (i = N - 1; i >= 0; i--) {
        hits[i]++;
        nthr[i] = omp_get_num_threads();
    }
    check_once("parallel for auto num_threads(3) proc_bind(spread)");
    check(i, -1, "parallel for auto num_threads(3): lastprivate i");
    for (int k = 0; k < N; k++)
        check(nthr[k], 3, "parallel for auto num_threads(3): team size at %d", k);

    /* Repeated, then a region with a real dynamic loop: the work share left
       unused by the open-coded body must not disturb later regions. */
    for (int r = 0; r < 20; r++) {
#pragma omp parallel for schedule(auto)
        for (long k = 0; k < 64; k++)
            hits[k] += 0;
    }
    reset();
#pragma omp parallel
    {
#pragma omp for schedule(dynamic, 2) nowait
        for (int k = 0; k < N; k++)
            hits[k]++;
    }
    check_once("dynamic loop after auto regions");

    return failures > 100 ? 100 : failures;
}
