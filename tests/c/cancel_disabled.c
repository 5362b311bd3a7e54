// Checks that with cancellation disabled (OMP_CANCELLATION=false) omp_get_cancellation() is 0 and cancel parallel, cancel for, cancel sections and every cancellation point are no-ops: all iterations and sections run to the end, barriers after a cancel are ordinary barriers, and all threads finish the region.
// GOMP entry points: GOMP_parallel, GOMP_cancel, GOMP_cancellation_point, GOMP_barrier_cancel, GOMP_loop_end_cancel, GOMP_loop_nonmonotonic_dynamic_start/next, GOMP_sections_start/next, GOMP_sections_end_cancel, omp_get_cancellation.
// pomp-test: env=OMP_CANCELLATION=false
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 64
#define N 300

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

static int hits[N], dhits[N], secs[4], after[MAXT], slot[MAXT];

int main(void)
{
    check(omp_get_cancellation(), 0, "omp_get_cancellation with OMP_CANCELLATION=false");
    int nthr = omp_get_max_threads();
    if (nthr < 1 || nthr >= MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", nthr);
        return 1;
    }

    long stale = 0;
#pragma omp parallel reduction(+:stale)
    {
        int me = omp_get_thread_num();
        int n = omp_get_num_threads();
        /* cancel for in every iteration, then a cancellation point. */
#pragma omp for schedule(static)
        for (int i = 0; i < N; i++) {
#pragma omp cancel for
#pragma omp cancellation point for
            hits[i]++;
        }
#pragma omp for schedule(dynamic, 2)
        for (int i = 0; i < N; i++) {
#pragma omp cancel for if(i % 2 == 0)
            dhits[i]++;
#pragma omp cancellation point for
            dhits[i] += 10;
        }
#pragma omp sections
        {
#pragma omp section
            {
#pragma omp cancel sections
                secs[0]++;
            }
#pragma omp section
            {
#pragma omp cancellation point sections
                secs[1]++;
            }
#pragma omp section
            secs[2]++;
#pragma omp section
            {
#pragma omp cancel sections
#pragma omp cancellation point sections
                secs[3]++;
            }
        }
        /* cancel parallel from thread 0: ignored, so the barrier after it
           is an ordinary barrier that everyone passes. */
        slot[me] = me + 1;
        if (me == 0) {
#pragma omp cancel parallel
        }
#pragma omp cancellation point parallel
#pragma omp barrier
        for (int t = 0; t < n; t++)
            stale += slot[t] != t + 1;
        after[me]++;
    }
    for (int i = 0; i < N; i++) {
        check(hits[i], 1, "static loop iteration %d", i);
        check(dhits[i], 11, "dynamic loop iteration %d", i);
    }
    for (int s = 0; s < 4; s++)
        check(secs[s], 1, "section %d", s);
    check(stale, 0, "values missed after the barrier following cancel parallel");
    for (int t = 0; t < nthr; t++)
        check(after[t], 1, "thread %d finished the region", t);

    /* An inactive region: cancel parallel is still ignored. */
    int reached = 0;
#pragma omp parallel if(0)
    {
#pragma omp cancel parallel
        reached = 1;
    }
    check(reached, 1, "cancel parallel in an if(0) region is ignored");
    return failures > 100 ? 100 : failures;
}
