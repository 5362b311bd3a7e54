// Checks the masked construct: without a filter only thread 0 runs the body, filter(n) selects exactly thread n (constant and run-time filters, orphaned, nested inner teams), and a filter beyond the team size selects nobody.
// GOMP entry points: GOMP_parallel only (masked is open-coded as omp_get_thread_num() == filter).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 64
#define ENC 300

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

static int by_default[MAXT], by_one[MAXT], by_var[MAXT][MAXT], by_huge[MAXT];
static int orphan_by[MAXT][MAXT];

static void __attribute__((noinline)) orphan_masked(int f)
{
#pragma omp masked filter(f)
    {
        int me = omp_get_thread_num();
        if (me >= 0 && me < MAXT && f >= 0 && f < MAXT)
            __atomic_fetch_add(&orphan_by[f][me], 1, __ATOMIC_RELAXED);
    }
}

int main(void)
{
    int nthr = omp_get_max_threads();
    if (nthr < 1 || nthr >= MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", nthr);
        return 1;
    }
#pragma omp parallel
    {
        int me = omp_get_thread_num();
        for (int k = 0; k < ENC; k++) {
#pragma omp masked
            __atomic_fetch_add(&by_default[me], 1, __ATOMIC_RELAXED);
#pragma omp masked filter(1)
            __atomic_fetch_add(&by_one[me], 1, __ATOMIC_RELAXED);
            int f = k % (nthr + 1); /* 0..nthr; nthr selects nobody */
#pragma omp masked filter(f)
            __atomic_fetch_add(&by_var[f][me], 1, __ATOMIC_RELAXED);
#pragma omp masked filter(nthr + 100)
            __atomic_fetch_add(&by_huge[me], 1, __ATOMIC_RELAXED);
            orphan_masked(k % nthr);
        }
    }
    int per_f = ENC / (nthr + 1);
    for (int t = 0; t < nthr; t++) {
        check(by_default[t], t == 0 ? ENC : 0, "masked (no filter) runs by thread %d", t);
        check(by_one[t], t == 1 ? ENC : 0, "masked filter(1) runs by thread %d", t);
        check(by_huge[t], 0, "masked filter(beyond team) runs by thread %d", t);
        for (int f = 0; f <= nthr; f++) {
            int want = 0;
            if (f == t) {
                want = per_f;
                /* k runs 0..ENC-1, so f values below ENC % (nthr+1) get one more */
                if (f < ENC % (nthr + 1))
                    want++;
            }
            check(by_var[f][t], want, "masked filter(%d) runs by thread %d", f, t);
        }
        for (int f = 0; f < nthr; f++) {
            int want = 0;
            if (f == t)
                want = ENC / nthr + (f < ENC % nthr);
            check(orphan_by[f][t], want, "orphaned masked filter(%d) runs by thread %d", f, t);
        }
    }

    /* Nested teams: the filter refers to the inner team's numbering. */
    omp_set_max_active_levels(2);
    int inner[2][3];
    for (int o = 0; o < 2; o++)
        for (int t = 0; t < 3; t++)
            inner[o][t] = 0;
#pragma omp parallel num_threads(2)
    {
        int o = omp_get_thread_num();
#pragma omp parallel num_threads(3)
        {
#pragma omp masked filter(2)
            __atomic_fetch_add(&inner[o][omp_get_thread_num()], 1, __ATOMIC_RELAXED);
        }
    }
    for (int o = 0; o < 2; o++)
        for (int t = 0; t < 3; t++)
            check(inner[o][t], t == 2, "inner team %d: masked filter(2) runs by thread %d", o, t);

    /* Serial code: thread 0 is selected by filter(0) only. */
    int serial0 = 0, serial1 = 0;
#pragma omp masked filter(0)
    serial0++;
#pragma omp masked filter(1)
    serial1++;
    check(serial0, 1, "serial masked filter(0)");
    check(serial1, 0, "serial masked filter(1)");
    return failures > 100 ? 100 : failures;
}
