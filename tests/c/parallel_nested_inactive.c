// Checks that with max-active-levels 1 a nested region is inactive (a team of one per outer thread, level 2, active level 1, omp_in_parallel still true) and with max-active-levels 0 even the outermost region gets a single thread.
// GOMP entry points: GOMP_parallel nested beyond max-active-levels.
#include <omp.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *what)
{
    if (got != want) {
#pragma omp critical(report)
        {
            failures++;
            printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
        }
    }
}

int main(void)
{
    omp_set_max_active_levels(1);
    check(omp_get_max_active_levels(), 1, "omp_get_max_active_levels after set(1)");
    int inner_total = 0, outer_n = 0;
#pragma omp parallel num_threads(3)
    {
#pragma omp single
        outer_n = omp_get_num_threads();
        int t1 = omp_get_thread_num();
#pragma omp parallel num_threads(4)
        {
#pragma omp atomic
            inner_total++;
            check(omp_get_num_threads(), 1, "inner omp_get_num_threads");
            check(omp_get_thread_num(), 0, "inner omp_get_thread_num");
            check(omp_get_level(), 2, "inner omp_get_level");
            check(omp_get_active_level(), 1, "inner omp_get_active_level");
            check(omp_in_parallel(), 1, "inner omp_in_parallel (enclosed by an active region)");
            check(omp_get_ancestor_thread_num(1), t1, "inner ancestor(1)");
            check(omp_get_ancestor_thread_num(2), 0, "inner ancestor(2)");
            check(omp_get_team_size(1), 3, "inner team_size(1)");
            check(omp_get_team_size(2), 1, "inner team_size(2)");
        }
    }
    check(outer_n, 3, "outer team size");
    check(inner_total, 3, "threads that ran the inner regions");

    /* max-active-levels 0: no region may be active. */
    omp_set_max_active_levels(0);
    check(omp_get_max_active_levels(), 0, "omp_get_max_active_levels after set(0)");
    int n = 0, inpar = -1, lvl = -1;
#pragma omp parallel num_threads(4)
    {
#pragma omp atomic
        n++;
        inpar = omp_in_parallel();
        lvl = omp_get_level();
    }
    check(n, 1, "team size with max-active-levels 0");
    check(inpar, 0, "omp_in_parallel with max-active-levels 0");
    check(lvl, 1, "omp_get_level with max-active-levels 0");

    /* Back to 1: the outer region is active again. */
    omp_set_max_active_levels(1);
    n = 0;
#pragma omp parallel num_threads(2)
    {
#pragma omp atomic
        n++;
    }
    check(n, 2, "team size after restoring max-active-levels 1");
    return failures > 100 ? 100 : failures;
}
