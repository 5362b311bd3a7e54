// Checks an OMP_NUM_THREADS list (2,3,1): the initial thread's nthreads-var is 2, each nesting level's implicit tasks get the next value (3, then 1, and the last value repeats), teams follow those values, a list makes max-active-levels default to the supported maximum, and omp_set_num_threads or num_threads at one level does not shift the list for deeper levels.
// GOMP entry points: GOMP_parallel nested, GOMP_critical_name_start, GOMP_critical_name_end.
// pomp-test: threads=none env=OMP_NUM_THREADS=2,3,1
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
    check(omp_get_max_threads(), 2, "initial nthreads-var (first list value)");
    check(omp_get_max_active_levels(), omp_get_supported_active_levels(),
          "max-active-levels with a list and no OMP_MAX_ACTIVE_LEVELS");

    int l1 = 0, l2 = 0, l3 = 0, l4 = 0;
#pragma omp parallel
    {
#pragma omp atomic
        l1++;
        check(omp_get_num_threads(), 2, "level 1 team size");
        check(omp_get_max_threads(), 3, "level 1 nthreads-var");
#pragma omp parallel
        {
#pragma omp atomic
            l2++;
            check(omp_get_num_threads(), 3, "level 2 team size");
            check(omp_get_max_threads(), 1, "level 2 nthreads-var");
#pragma omp parallel
            {
#pragma omp atomic
                l3++;
                check(omp_get_num_threads(), 1, "level 3 team size");
                check(omp_get_max_threads(), 1, "level 3 nthreads-var (last value repeats)");
#pragma omp parallel
                {
#pragma omp atomic
                    l4++;
                    check(omp_get_max_threads(), 1, "level 4 nthreads-var");
                }
            }
        }
    }
    check(l1, 2, "level 1 implicit tasks");
    check(l2, 6, "level 2 implicit tasks");
    check(l3, 6, "level 3 implicit tasks");
    check(l4, 6, "level 4 implicit tasks");
    check(omp_get_max_threads(), 2, "initial nthreads-var after the regions");

    /* num_threads on the outer region does not change what level 1 gets
       from the list. */
    int sizes = 0;
#pragma omp parallel num_threads(1)
    {
        check(omp_get_max_threads(), 3, "nthreads-var inside a num_threads(1) region");
#pragma omp parallel
        {
#pragma omp master
            sizes = omp_get_num_threads();
        }
    }
    check(sizes, 3, "team nested in num_threads(1) region");

    /* omp_set_num_threads at level 1 replaces that thread's value only at
       its level; the level below still takes the list's next entry. */
    int below[MAXT], own[MAXT], team_own[MAXT];
    for (int t = 0; t < MAXT; t++)
        below[t] = own[t] = team_own[t] = -1;
#pragma omp parallel
    {
        int me = omp_get_thread_num() % MAXT;
        omp_set_num_threads(me + 2);
        own[me] = omp_get_max_threads();
#pragma omp parallel
        {
#pragma omp master
            {
                team_own[me] = omp_get_num_threads();
                below[me] = omp_get_max_threads();
            }
        }
    }
    for (int t = 0; t < 2; t++) {
        check(own[t], t + 2, "thread %d: value after omp_set_num_threads", t);
        check(team_own[t], t + 2, "thread %d: nested team size after omp_set_num_threads", t);
        check(below[t], 1, "thread %d: nested nthreads-var from the list", t);
    }

    /* Setting the value at the initial thread: regions use it, and the
       nested levels still follow the list. */
    omp_set_num_threads(4);
    int lvl1 = -1, lvl1_max = -1;
#pragma omp parallel
    {
#pragma omp master
        {
            lvl1 = omp_get_num_threads();
            lvl1_max = omp_get_max_threads();
        }
    }
    check(lvl1, 4, "team size after omp_set_num_threads(4)");
    check(lvl1_max, 3, "level 1 nthreads-var after omp_set_num_threads(4) at level 0");

    return failures > 100 ? 100 : failures;
}
