// Checks the if clause: if(0) makes a team of one thread (an inactive region: omp_in_parallel false, level up, active level not), even with num_threads, while if(1) behaves like no clause; the expression is evaluated once and nested regions inside an if(0) region still count levels.
// GOMP entry points: GOMP_parallel with flags/num_threads = 1 chosen by the compiler.
#include <omp.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *what)
{
    if (got != want) {
        failures++;
        printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
    }
}

static volatile int zero = 0, one = 1;

int main(void)
{
    int max = omp_get_max_threads();
    int size = 0, tnum = -1, inpar = -1, lvl = -1, alvl = -1;

#pragma omp parallel if (zero) num_threads(4)
    {
#pragma omp atomic
        size++;
        tnum = omp_get_thread_num();
        inpar = omp_in_parallel();
        lvl = omp_get_level();
        alvl = omp_get_active_level();
    }
    check(size, 1, "if(0) team size");
    check(tnum, 0, "if(0) thread number");
    check(inpar, 0, "if(0) omp_in_parallel");
    check(lvl, 1, "if(0) omp_get_level");
    check(alvl, 0, "if(0) omp_get_active_level");

    size = 0;
#pragma omp parallel if (one)
    {
#pragma omp atomic
        size++;
    }
    check(size, max, "if(1) team size");

    size = 0;
#pragma omp parallel if (one) num_threads(3)
    {
#pragma omp atomic
        size++;
    }
    check(size, 3, "if(1) num_threads(3) team size");

    /* The condition is evaluated once by the encountering thread. */
    int evals = 0;
    size = 0;
#pragma omp parallel if ((evals++, zero))
    {
#pragma omp atomic
        size++;
    }
    check(evals, 1, "if expression evaluations");
    check(size, 1, "if(0) team size again");

    /* Inside an inactive (if(0)) region, a nested active region still runs
       with a full team: only one level is active so far. */
    omp_set_max_active_levels(1);
    int inner = 0, inner_lvl = -1, inner_alvl = -1, outer_ts = -1;
#pragma omp parallel if (zero)
    {
#pragma omp parallel num_threads(3)
        {
#pragma omp atomic
            inner++;
            if (omp_get_thread_num() == 0) {
                inner_lvl = omp_get_level();
                inner_alvl = omp_get_active_level();
                outer_ts = omp_get_team_size(1);
            }
        }
    }
    check(inner, 3, "active region nested in an if(0) region: team size");
    check(inner_lvl, 2, "nested omp_get_level");
    check(inner_alvl, 1, "nested omp_get_active_level");
    check(outer_ts, 1, "omp_get_team_size(1) of the if(0) region");

    /* if(0) on a region nested inside an active one: team of one. */
    int nested_if_size = 0;
    omp_set_max_active_levels(2);
#pragma omp parallel num_threads(2)
    {
#pragma omp parallel if (zero) num_threads(2)
        {
#pragma omp atomic
            nested_if_size++;
        }
    }
    check(nested_if_size, 2, "if(0) regions inside a team of two: total threads");
    return failures > 100 ? 100 : failures;
}
