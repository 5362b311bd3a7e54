// Checks single and single copyprivate inside nested active teams: each inner team runs each single exactly once, copyprivate broadcasts only within the inner team (two inner teams broadcast different values at the same time), and the outer team's own singles are unaffected.
// GOMP entry points: GOMP_parallel (nested), GOMP_single_start, GOMP_single_copy_start, GOMP_single_copy_end, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define OUTER 2
#define INNER 3
#define ROUNDS 300

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

static int inner_runs[OUTER][ROUNDS], inner_copy_runs[OUTER][ROUNDS];
static int outer_runs[4];
static long bad_copy[OUTER], bad_size[OUTER];

int main(void)
{
    omp_set_max_active_levels(2);
#pragma omp parallel num_threads(OUTER)
    {
        int o = omp_get_thread_num();
#pragma omp single
        outer_runs[0]++;
#pragma omp parallel num_threads(INNER)
        {
            if (omp_get_num_threads() != INNER)
                __atomic_fetch_add(&bad_size[o], 1, __ATOMIC_RELAXED);
            for (int r = 0; r < ROUNDS; r++) {
#pragma omp single nowait
                __atomic_fetch_add(&inner_runs[o][r], 1, __ATOMIC_RELAXED);
                /* Team-specific value: inner team o broadcasts o*1e6 + r. */
                long v = -1;
#pragma omp single copyprivate(v)
                {
                    __atomic_fetch_add(&inner_copy_runs[o][r], 1, __ATOMIC_RELAXED);
                    v = o * 1000000L + r;
                }
                if (v != o * 1000000L + r)
                    __atomic_fetch_add(&bad_copy[o], 1, __ATOMIC_RELAXED);
            }
        }
#pragma omp single
        outer_runs[1]++;
        int ov = -1;
#pragma omp single copyprivate(ov)
        ov = 77;
        if (ov != 77)
            __atomic_fetch_add(&outer_runs[3], 1, __ATOMIC_RELAXED);
#pragma omp single nowait
        outer_runs[2]++;
    }
    check(outer_runs[0], 1, "outer single before the inner regions");
    check(outer_runs[1], 1, "outer single after the inner regions");
    check(outer_runs[2], 1, "outer nowait single");
    check(outer_runs[3], 0, "outer threads with a wrong copyprivate value");
    for (int o = 0; o < OUTER; o++) {
        check(bad_size[o], 0, "inner team %d: wrong team size", o);
        check(bad_copy[o], 0, "inner team %d: wrong copyprivate values", o);
        long n1 = 0, n2 = 0;
        for (int r = 0; r < ROUNDS; r++) {
            n1 += inner_runs[o][r] != 1;
            n2 += inner_copy_runs[o][r] != 1;
        }
        check(n1, 0, "inner team %d: nowait singles not run exactly once", o);
        check(n2, 0, "inner team %d: copyprivate singles not run exactly once", o);
    }
    return failures > 100 ? 100 : failures;
}
