// Checks nesting with OMP_MAX_ACTIVE_LEVELS=2 from the environment: the ICV reads 2 and omp_get_nested is true, the first two active levels get their requested teams and deeper ones a team of one (an inactive outer team of one does not use up a level), and worksharing loops, singles and barriers in each nested team bind to that team only.
// GOMP entry points: GOMP_parallel nested, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_end, GOMP_single_start, GOMP_barrier, GOMP_critical_name_start, GOMP_critical_name_end.
// pomp-test: env=OMP_MAX_ACTIVE_LEVELS=2
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAXT 16
#define N 200

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

static int hits[MAXT][N];
static int singles[MAXT];

int main(void)
{
    check(omp_get_max_active_levels(), 2, "max-active-levels from the environment");
    check(omp_get_nested(), 1, "omp_get_nested with max-active-levels 2");

    int outer_n = omp_get_max_threads();
    if (outer_n < 1 || outer_n > MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", outer_n);
        return 1;
    }
    int outer_active = outer_n > 1;

    /* Three levels: outer (default team), 3, 2. */
    int level3_teams = 0, level3_threads = 0;
#pragma omp parallel
    {
        int o = omp_get_thread_num();
        check(omp_get_num_threads(), outer_n, "outer team size");
#pragma omp parallel num_threads(3)
        {
            int want2 = outer_active + 1 <= 2 ? 3 : 1;
            check(omp_get_num_threads(), want2, "level 2 team size under outer thread %d", o);
            check(omp_get_active_level(), outer_active + 1, "level 2 active level under outer thread %d", o);
            int act2 = omp_get_active_level();
#pragma omp parallel num_threads(2)
            {
                int want3 = act2 < 2 ? 2 : 1;
                check(omp_get_num_threads(), want3, "level 3 team size under %d.%d", o,
                      omp_get_ancestor_thread_num(2));
                check(omp_get_level(), 3, "level 3 omp_get_level");
                check(omp_get_active_level(), act2 + (want3 > 1), "level 3 active level");
                if (omp_get_thread_num() == 0) {
#pragma omp atomic
                    level3_teams++;
                }
#pragma omp atomic
                level3_threads++;
            }
        }
    }
    {
        int want3 = outer_active ? 1 : 2;
        check(level3_teams, outer_n * 3, "level 3 teams");
        check(level3_threads, outer_n * 3 * want3, "level 3 implicit tasks");
    }

    /* Worksharing inside nested teams binds to the innermost team: each
       outer thread's team runs the whole loop and one single. */
    memset(hits, 0, sizeof hits);
    memset(singles, 0, sizeof singles);
    int inner_sizes[MAXT];
    for (int t = 0; t < MAXT; t++)
        inner_sizes[t] = -1;
#pragma omp parallel num_threads(2)
    {
        int o = omp_get_thread_num();
#pragma omp parallel num_threads(3)
        {
#pragma omp single
            {
                singles[o]++;
                inner_sizes[o] = omp_get_num_threads();
            }
#pragma omp for schedule(dynamic, 7)
            for (int i = 0; i < N; i++)
                __atomic_fetch_add(&hits[o][i], 1, __ATOMIC_RELAXED);
            /* After the loop's barrier the inner team sees all its hits. */
            int complete = 1;
            for (int i = 0; i < N; i++)
                complete &= __atomic_load_n(&hits[o][i], __ATOMIC_RELAXED) == 1;
            check(complete, 1, "inner team of outer thread %d: loop complete after its barrier", o);
#pragma omp barrier
        }
    }
    for (int o = 0; o < 2; o++) {
        check(singles[o], 1, "single executions in the team of outer thread %d", o);
        check(inner_sizes[o], 3, "inner team size under outer thread %d", o);
        for (int i = 0; i < N; i++)
            check(hits[o][i], 1, "team of outer thread %d: hits of iteration %d", o, i);
    }

    /* The API can still lower the limit below the environment's value. */
    omp_set_max_active_levels(1);
    int inner_one = -1;
#pragma omp parallel num_threads(2)
    {
#pragma omp parallel num_threads(2)
        {
            if (omp_get_ancestor_thread_num(1) == 0 && omp_get_thread_num() == 0)
                inner_one = omp_get_num_threads();
        }
    }
    check(inner_one, 1, "inner team size after omp_set_max_active_levels(1)");

    return failures > 100 ? 100 : failures;
}
