// Checks the dyn-var and max-active-levels-var ICVs through the API: omp_set_dynamic/omp_get_dynamic (any non-zero is true), omp_set_nested/omp_get_nested and their link to max-active-levels (nested true sets the supported maximum, false sets 1, omp_get_nested is false once the active level reaches the limit), omp_set_max_active_levels clamping and ignoring negatives, per-thread values inside a region that do not leak out, and the default thread limit.
// GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_critical_name_start, GOMP_critical_name_end (plus the omp_* ICV routines).
#include <limits.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 16

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
#pragma omp atomic
    failures++;
    va_list ap;
    va_start(ap, fmt);
#pragma omp critical(report)
    {
        printf("FAIL: ");
        vprintf(fmt, ap);
        printf(" (got %ld, want %ld)\n", got, want);
    }
    va_end(ap);
}

int main(void)
{
    int sal = omp_get_supported_active_levels();
    check(sal >= 2, 1, "omp_get_supported_active_levels %d >= 2", sal);
    check(omp_get_thread_limit(), INT_MAX, "default omp_get_thread_limit");

    /* Defaults with no OMP_DYNAMIC / OMP_NESTED / OMP_MAX_ACTIVE_LEVELS. */
    check(omp_get_dynamic(), 0, "default dyn-var");
    check(omp_get_nested(), 0, "default nested");
    check(omp_get_max_active_levels(), 1, "default max-active-levels (OMP_NUM_THREADS has one value)");

    omp_set_dynamic(1);
    check(omp_get_dynamic(), 1, "omp_set_dynamic(1)");
    omp_set_dynamic(0);
    check(omp_get_dynamic(), 0, "omp_set_dynamic(0)");
    omp_set_dynamic(42);
    check(omp_get_dynamic(), 1, "omp_set_dynamic(42)");
    omp_set_dynamic(-1);
    check(omp_get_dynamic(), 1, "omp_set_dynamic(-1)");
    omp_set_dynamic(0);

    omp_set_nested(1);
    check(omp_get_nested(), 1, "omp_set_nested(1): nested");
    check(omp_get_max_active_levels(), sal, "omp_set_nested(1): max-active-levels");
    omp_set_nested(0);
    check(omp_get_nested(), 0, "omp_set_nested(0): nested");
    check(omp_get_max_active_levels(), 1, "omp_set_nested(0): max-active-levels");
    omp_set_nested(7);
    check(omp_get_nested(), 1, "omp_set_nested(7): nested");

    omp_set_max_active_levels(3);
    check(omp_get_max_active_levels(), 3, "omp_set_max_active_levels(3)");
    check(omp_get_nested(), 1, "nested with max-active-levels 3");
    omp_set_max_active_levels(-1);
    check(omp_get_max_active_levels(), 3, "omp_set_max_active_levels(-1) is ignored");
    omp_set_max_active_levels(sal + 1000);
    check(omp_get_max_active_levels(), sal, "omp_set_max_active_levels above the supported maximum");
    omp_set_max_active_levels(0);
    check(omp_get_max_active_levels(), 0, "omp_set_max_active_levels(0)");
    check(omp_get_nested(), 0, "nested with max-active-levels 0");
    int size0 = -1;
#pragma omp parallel num_threads(3)
    {
#pragma omp master
        size0 = omp_get_num_threads();
    }
    check(size0, 1, "team size with max-active-levels 0");
    omp_set_max_active_levels(1);
    check(omp_get_nested(), 0, "nested with max-active-levels 1");

    /* omp_get_nested inside regions: true while the active level is below
       max-active-levels. */
    omp_set_max_active_levels(2);
    int n1 = -1, n2 = -1, mal1 = -1, mal2 = -1;
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 0) {
            n1 = omp_get_nested();
            mal1 = omp_get_max_active_levels();
        }
#pragma omp parallel num_threads(2)
        {
            if (omp_get_ancestor_thread_num(1) == 0 && omp_get_thread_num() == 0) {
                n2 = omp_get_nested();
                mal2 = omp_get_max_active_levels();
            }
        }
    }
    check(n1, 1, "omp_get_nested at active level 1 of 2");
    check(mal1, 2, "max-active-levels inherited at level 1");
    check(n2, 0, "omp_get_nested at active level 2 of 2");
    check(mal2, 2, "max-active-levels inherited at level 2");

    /* Per-thread values inside a region. */
    int dyn_seen[MAXT], dyn_after_barrier[MAXT], mal_seen[MAXT];
    int inner_dyn[MAXT], inner_mal[MAXT];
    for (int i = 0; i < MAXT; i++)
        dyn_seen[i] = dyn_after_barrier[i] = mal_seen[i] = inner_dyn[i] = inner_mal[i] = -1;
    int nthr = 0;
#pragma omp parallel num_threads(4)
    {
        int me = omp_get_thread_num();
#pragma omp master
        nthr = omp_get_num_threads();
        dyn_seen[me] = omp_get_dynamic();
        omp_set_dynamic(me % 2);
        omp_set_max_active_levels(me + 1);
#pragma omp barrier
        dyn_after_barrier[me] = omp_get_dynamic();
        mal_seen[me] = omp_get_max_active_levels();
#pragma omp parallel num_threads(1)
        {
            inner_dyn[me] = omp_get_dynamic();
            inner_mal[me] = omp_get_max_active_levels();
        }
    }
    for (int t = 0; t < nthr; t++) {
        check(dyn_seen[t], 0, "thread %d: inherited dyn-var", t);
        check(dyn_after_barrier[t], t % 2, "thread %d: own dyn-var after the barrier", t);
        check(mal_seen[t], t + 1, "thread %d: own max-active-levels after the barrier", t);
        check(inner_dyn[t], t % 2, "thread %d: dyn-var in its nested region", t);
        check(inner_mal[t], t + 1, "thread %d: max-active-levels in its nested region", t);
    }
    check(omp_get_dynamic(), 0, "dyn-var after the region");
    check(omp_get_max_active_levels(), 2, "max-active-levels after the region");
    check(omp_get_thread_limit(), INT_MAX, "thread limit unchanged");

    return failures > 100 ? 100 : failures;
}
