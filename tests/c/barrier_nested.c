// Checks barriers inside nested parallel regions: with two active levels each inner team's barrier holds exactly that inner team (its own arrival counter is complete after each barrier), an outer barrier after the inner regions still works, and with nesting disabled the inner team has one thread and its barrier passes immediately.
// GOMP entry points: GOMP_parallel (nested), GOMP_barrier, GOMP_atomic_start/end (reduction merge).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define OUTER 2
#define INNER 3
#define ROUNDS 100

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

static long inner_count[OUTER];
static int inner_slot[OUTER][INNER];
static long inner_bad[OUTER];
static int inner_size[OUTER];
static int inner_level[OUTER];

int main(void)
{
    omp_set_max_active_levels(2);
    long outer_bad = 0;
    int outer_n = 0;
#pragma omp parallel num_threads(OUTER) reduction(+:outer_bad)
    {
        int o = omp_get_thread_num();
#pragma omp master
        outer_n = omp_get_num_threads();
#pragma omp parallel num_threads(INNER)
        {
            int me = omp_get_thread_num();
            int n = omp_get_num_threads();
            if (me == 0) {
                inner_size[o] = n;
                inner_level[o] = omp_get_active_level();
            }
            for (int r = 0; r < ROUNDS; r++) {
                inner_slot[o][me] = r;
                __atomic_fetch_add(&inner_count[o], 1, __ATOMIC_RELAXED);
#pragma omp barrier
                long c = __atomic_load_n(&inner_count[o], __ATOMIC_RELAXED);
                if (c < (long)(r + 1) * n || c > (long)(r + 1) * n + (n - 1))
                    __atomic_fetch_add(&inner_bad[o], 1, __ATOMIC_RELAXED);
                for (int t = 0; t < n; t++)
                    if (inner_slot[o][t] != r)
                        __atomic_fetch_add(&inner_bad[o], 1, __ATOMIC_RELAXED);
#pragma omp barrier
            }
        }
        /* Outer barrier: both inner regions have finished. */
#pragma omp barrier
        for (int k = 0; k < outer_n; k++)
            if (inner_count[k] != (long)ROUNDS * inner_size[k])
                outer_bad++;
    }
    check(outer_n, OUTER, "outer team size");
    check(outer_bad, 0, "outer threads that saw an unfinished inner team");
    for (int o = 0; o < OUTER; o++) {
        check(inner_size[o], INNER, "inner team %d size", o);
        check(inner_level[o], 2, "inner team %d active level", o);
        check(inner_count[o], (long)ROUNDS * INNER, "inner team %d arrivals", o);
        check(inner_bad[o], 0, "inner team %d: barriers that did not hold the team", o);
    }

    /* Nesting off: the inner region is inactive with one thread. */
    omp_set_max_active_levels(1);
    long ones = 0, bad = 0;
#pragma omp parallel num_threads(OUTER) reduction(+:ones, bad)
    {
        long local = 0;
#pragma omp parallel num_threads(INNER) reduction(+:local)
        {
            if (omp_get_num_threads() != 1)
                bad++;
            for (int r = 0; r < 20; r++) {
#pragma omp barrier
                local++;
            }
        }
        ones += local;
#pragma omp barrier
    }
    check(bad, 0, "inactive inner regions with more than one thread");
    check(ones, 20L * OUTER, "inactive inner region barrier passes");
    return failures > 100 ? 100 : failures;
}
