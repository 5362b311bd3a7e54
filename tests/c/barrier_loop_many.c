// Checks explicit barriers executed hundreds of times in loops: after each barrier every thread sees all writes made before it by every thread, and no thread runs into the next phase before all have finished the previous one.
// GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_atomic_start/end (two-variable reduction merge).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 64
#define ROUNDS 250

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    failures++;
    if (failures > 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

static int val[MAXT];
static int val2[2][MAXT];
static long arrived;

int main(void)
{
    int nthr = omp_get_max_threads();
    if (nthr < 1 || nthr > MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", nthr);
        return 1;
    }

    /* Two barriers per round: write own slot, barrier, read every slot,
       barrier (so nobody overwrites a slot another thread still reads). */
    long stale = 0, team_bad = 0;
#pragma omp parallel reduction(+:stale, team_bad)
    {
        int me = omp_get_thread_num();
        int n = omp_get_num_threads();
        if (n != nthr)
            team_bad++;
        for (int r = 0; r < ROUNDS; r++) {
            val[me] = r * 3 + me;
#pragma omp barrier
            for (int t = 0; t < n; t++)
                if (val[t] != r * 3 + t)
                    stale++;
#pragma omp barrier
        }
    }
    check(team_bad, 0, "two-barrier loop: threads with the wrong team size");
    check(stale, 0, "two-barrier loop: stale values read after a barrier");

    /* One barrier per round with a double buffer and an arrival counter:
       after the barrier of round r every thread has arrived for round r,
       and at most the other threads (not me) have arrived for round r+1. */
    long early = 0, late = 0;
    stale = 0;
    arrived = 0;
#pragma omp parallel reduction(+:stale, early, late)
    {
        int me = omp_get_thread_num();
        int n = omp_get_num_threads();
        for (int r = 0; r < ROUNDS; r++) {
            val2[r & 1][me] = r;
            __atomic_fetch_add(&arrived, 1, __ATOMIC_RELAXED);
#pragma omp barrier
            long a = __atomic_load_n(&arrived, __ATOMIC_RELAXED);
            if (a < (long)(r + 1) * n)
                late++;
            if (a > (long)(r + 2) * n - 1)
                early++;
            for (int t = 0; t < n; t++)
                if (val2[r & 1][t] != r)
                    stale++;
        }
    }
    check(late, 0, "one-barrier loop: barriers passed before every thread arrived");
    check(early, 0, "one-barrier loop: threads ran more than one phase ahead");
    check(stale, 0, "one-barrier loop: stale values read after a barrier");
    check(arrived, (long)ROUNDS * nthr, "one-barrier loop: total arrivals");

    /* Unequal work between barriers, different loop shapes per thread
       (each thread runs the same number of barriers). */
    long sum_bad = 0;
    static long work[MAXT];
#pragma omp parallel reduction(+:sum_bad)
    {
        int me = omp_get_thread_num();
        int n = omp_get_num_threads();
        int r = 0;
        while (r < 100) {
            long s = 0;
            for (int k = 0; k < (me + 1) * 50; k++)
                s += k ^ r;
            work[me] = s;
#pragma omp barrier
            for (int t = 0; t < n; t++) {
                long want = 0;
                for (int k = 0; k < (t + 1) * 50; k++)
                    want += k ^ r;
                if (work[t] != want)
                    sum_bad++;
            }
            r++;
#pragma omp barrier
        }
    }
    check(sum_bad, 0, "unequal work: values read after a barrier");

    /* A barrier outside any parallel region is a no-op. */
#pragma omp barrier
    check(omp_in_parallel(), 0, "omp_in_parallel after an orphaned top-level barrier");

    return failures > 100 ? 100 : failures;
}
