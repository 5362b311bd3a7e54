// Checks the master construct: only thread 0 of the innermost team runs the body (every encounter, inline and orphaned, in the outer team and in nested inner teams), serial code and if(0) regions run it on the initial thread, and a barrier after it publishes the body's writes.
// GOMP entry points: GOMP_parallel (master is open-coded as omp_get_thread_num() == 0), GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 64
#define ENC 500

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

static int runs_by[MAXT];
static int master_val[ENC];
static int orphan_runs_by[MAXT];

static void __attribute__((noinline)) orphan_master(void)
{
#pragma omp master
    {
        int me = omp_get_thread_num();
        if (me >= 0 && me < MAXT)
            __atomic_fetch_add(&orphan_runs_by[me], 1, __ATOMIC_RELAXED);
    }
}

int main(void)
{
    int nthr = omp_get_max_threads();
    if (nthr < 1 || nthr >= MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", nthr);
        return 1;
    }
    long stale = 0;
#pragma omp parallel reduction(+:stale)
    {
        for (int k = 0; k < ENC; k++) {
#pragma omp master
            {
                int me = omp_get_thread_num();
                if (me >= 0 && me < MAXT)
                    __atomic_fetch_add(&runs_by[me], 1, __ATOMIC_RELAXED);
                master_val[k] = k + 1;
            }
            orphan_master();
            if (k % 50 == 0) {
                /* master has no implied barrier; an explicit one publishes. */
#pragma omp barrier
                if (master_val[k] != k + 1)
                    stale++;
            }
        }
    }
    check(runs_by[0], ENC, "master bodies run by thread 0");
    check(orphan_runs_by[0], ENC, "orphaned master bodies run by thread 0");
    for (int t = 1; t < MAXT; t++) {
        check(runs_by[t], 0, "master bodies run by thread %d", t);
        check(orphan_runs_by[t], 0, "orphaned master bodies run by thread %d", t);
    }
    check(stale, 0, "threads that missed master's write after a barrier");

    /* Nested: each inner team's thread 0 runs its master; the outer
       thread number of that thread is whatever it is. */
    omp_set_max_active_levels(2);
    int inner_runs[2][4] = {{0}};
    int inner_sizes[2] = {0, 0};
#pragma omp parallel num_threads(2)
    {
        int o = omp_get_thread_num();
#pragma omp parallel num_threads(3)
        {
            inner_sizes[o] = omp_get_num_threads();
#pragma omp master
            __atomic_fetch_add(&inner_runs[o][omp_get_thread_num()], 1, __ATOMIC_RELAXED);
            orphan_master();
        }
    }
    for (int o = 0; o < 2; o++) {
        check(inner_sizes[o], 3, "inner team %d size", o);
        check(inner_runs[o][0], 1, "inner team %d: master run by its thread 0", o);
        check(inner_runs[o][1] + inner_runs[o][2], 0, "inner team %d: master run by others", o);
    }
    /* Two inner masters ran orphan_master, both as inner thread 0; the outer
       region's master also counted there. */
    check(orphan_runs_by[0], ENC + 2, "orphaned master runs including nested teams");

    /* Serial code and inactive regions: the only thread is the master. */
    int serial = 0;
#pragma omp master
    serial++;
#pragma omp parallel if(0)
    {
#pragma omp master
        serial++;
    }
    check(serial, 2, "master outside a parallel region and in if(0)");
    return failures > 100 ? 100 : failures;
}
