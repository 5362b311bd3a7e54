// Checks a plain parallel region: the team has omp_get_max_threads() threads (dyn-var false), thread numbers are 0..n-1 each once, omp_in_parallel/omp_get_level/omp_get_active_level inside and outside, shared/private/firstprivate data, and an orphaned function seeing the region's team.
// GOMP entry points: GOMP_parallel (and omp_* queries).
#include <omp.h>
#include <stdio.h>

#define MAXT 64

static int failures;

static void check(long got, long want, const char *what)
{
    if (got != want) {
        failures++;
        printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
    }
}

static int orphan_seen[MAXT];

/* Called from inside the region: the omp_* queries describe the innermost
   enclosing region, whichever function calls them. */
static void orphan(int expect_nthr)
{
    int me = omp_get_thread_num();
    if (omp_get_num_threads() != expect_nthr || omp_in_parallel() != (expect_nthr > 1))
        __atomic_fetch_add(&orphan_seen[MAXT - 1], 1, __ATOMIC_RELAXED);
    else if (me >= 0 && me < MAXT - 1)
        __atomic_fetch_add(&orphan_seen[me], 1, __ATOMIC_RELAXED);
}

int main(void)
{
    check(omp_in_parallel(), 0, "omp_in_parallel outside");
    check(omp_get_num_threads(), 1, "omp_get_num_threads outside");
    check(omp_get_thread_num(), 0, "omp_get_thread_num outside");
    check(omp_get_level(), 0, "omp_get_level outside");
    check(omp_get_active_level(), 0, "omp_get_active_level outside");
    check(omp_get_dynamic(), 0, "omp_get_dynamic default");

    int want = omp_get_max_threads();
    if (want < 1 || want >= MAXT - 1) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", want);
        return 1;
    }

    int seen[MAXT] = {0};
    int nthr_seen[MAXT] = {0};
    int in_par[MAXT] = {0};
    int level[MAXT] = {0};
    int active[MAXT] = {0};
    int shared_sum = 0;
    int priv = -5, first = 42;
    int first_ok = 0;

#pragma omp parallel private(priv) firstprivate(first)
    {
        int me = omp_get_thread_num();
        priv = me * 10;
        if (me >= 0 && me < MAXT) {
            __atomic_fetch_add(&seen[me], 1, __ATOMIC_RELAXED);
            nthr_seen[me] = omp_get_num_threads();
            in_par[me] = omp_in_parallel();
            level[me] = omp_get_level();
            active[me] = omp_get_active_level();
        }
        if (first == 42)
            __atomic_fetch_add(&first_ok, 1, __ATOMIC_RELAXED);
        first = me; /* private copy: does not affect other threads */
        __atomic_fetch_add(&shared_sum, priv / 10 + 1, __ATOMIC_RELAXED);
        orphan(omp_get_num_threads());
    }

    int n = 0;
    for (int i = 0; i < MAXT; i++)
        n += seen[i] != 0;
    check(n, want, "number of distinct thread numbers");
    for (int i = 0; i < want; i++) {
        char what[96];
        snprintf(what, sizeof what, "thread %d ran the region", i);
        check(seen[i], 1, what);
        snprintf(what, sizeof what, "omp_get_num_threads in thread %d", i);
        check(nthr_seen[i], want, what);
        /* With one thread the region is inactive: omp_in_parallel is false. */
        snprintf(what, sizeof what, "omp_in_parallel in thread %d", i);
        check(in_par[i], want > 1, what);
        snprintf(what, sizeof what, "omp_get_level in thread %d", i);
        check(level[i], 1, what);
        snprintf(what, sizeof what, "omp_get_active_level in thread %d", i);
        check(active[i], want > 1, what);
        snprintf(what, sizeof what, "orphaned call in thread %d", i);
        check(orphan_seen[i], 1, what);
    }
    check(orphan_seen[MAXT - 1], 0, "orphaned calls that saw a wrong team");
    check(shared_sum, (long)want * (want + 1) / 2, "sum of thread numbers + 1");
    check(first_ok, want, "threads that saw firstprivate value");
    check(first, 42, "firstprivate original after the region");
    check(priv, -5, "private original after the region");
    check(omp_in_parallel(), 0, "omp_in_parallel after");
    check(omp_get_level(), 0, "omp_get_level after");

    /* Many regions with no clauses, each seeing the same team size. */
    int bad = 0;
    for (int r = 0; r < 100; r++) {
#pragma omp parallel
        {
            if (omp_get_num_threads() != want)
                __atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED);
        }
    }
    check(bad, 0, "regions with the wrong team size");
    return failures > 100 ? 100 : failures;
}
