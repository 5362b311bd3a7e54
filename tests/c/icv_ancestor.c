// Checks omp_get_level, omp_get_active_level, omp_in_parallel, omp_get_ancestor_thread_num and omp_get_team_size through a nest that mixes inactive levels (num_threads(1), if(0), beyond max-active-levels) with active ones: inactive levels count in the level but not the active level, report team size 1 and ancestor 0, and omp_in_parallel is true under any active ancestor.
// GOMP entry points: GOMP_parallel nested, GOMP_critical_name_start/_end (plus the omp_* level queries).
#include <omp.h>
#include <stdio.h>

static int failures;

static void fail(const char *what, int got, int want, int a, int b)
{
#pragma omp critical(report)
    {
        failures++;
        printf("FAIL: %s at %d.%d (got %d, want %d)\n", what, a, b, got, want);
    }
}

#define CHK(what, got, want)                                                                       \
    do {                                                                                           \
        int g_ = (got), w_ = (want);                                                               \
        if (g_ != w_)                                                                              \
            fail(what, g_, w_, ta, tb);                                                            \
    } while (0)

static int innermost;

int main(void)
{
    omp_set_max_active_levels(2);
    int zero = 0;

    /* Level 1: inactive (one thread). Level 2: active, 3 threads.
       Level 3: inactive by if(0). Level 4: active, 2 threads.
       Level 5: beyond max-active-levels 2, inactive. */
    innermost = 0;
#pragma omp parallel num_threads(1)
    {
        int ta = -1, tb = -1;
        CHK("L1 level", omp_get_level(), 1);
        CHK("L1 active level", omp_get_active_level(), 0);
        CHK("L1 in_parallel", omp_in_parallel(), 0);
        CHK("L1 team size", omp_get_team_size(1), 1);
#pragma omp parallel num_threads(3)
        {
            int ta = omp_get_thread_num(); /* private to this level-2 thread */
            CHK("L2 level", omp_get_level(), 2);
            CHK("L2 active level", omp_get_active_level(), 1);
            CHK("L2 in_parallel", omp_in_parallel(), 1);
            CHK("L2 num_threads", omp_get_num_threads(), 3);
#pragma omp parallel if(zero)
            {
                CHK("L3 level", omp_get_level(), 3);
                CHK("L3 active level", omp_get_active_level(), 1);
                CHK("L3 in_parallel", omp_in_parallel(), 1);
                CHK("L3 num_threads", omp_get_num_threads(), 1);
#pragma omp parallel num_threads(2)
                {
                    int tb = omp_get_thread_num(); /* private to this level-4 thread */
                    CHK("L4 level", omp_get_level(), 4);
                    CHK("L4 active level", omp_get_active_level(), 2);
                    CHK("L4 num_threads", omp_get_num_threads(), 2);
#pragma omp parallel num_threads(4)
                    {
#pragma omp atomic
                        innermost++;
                        CHK("L5 level", omp_get_level(), 5);
                        CHK("L5 active level", omp_get_active_level(), 2);
                        CHK("L5 num_threads", omp_get_num_threads(), 1);
                        CHK("L5 in_parallel", omp_in_parallel(), 1);
                        CHK("L5 ancestor(0)", omp_get_ancestor_thread_num(0), 0);
                        CHK("L5 ancestor(1)", omp_get_ancestor_thread_num(1), 0);
                        CHK("L5 ancestor(2)", omp_get_ancestor_thread_num(2), ta);
                        CHK("L5 ancestor(3)", omp_get_ancestor_thread_num(3), 0);
                        CHK("L5 ancestor(4)", omp_get_ancestor_thread_num(4), tb);
                        CHK("L5 ancestor(5)", omp_get_ancestor_thread_num(5), 0);
                        CHK("L5 ancestor(6)", omp_get_ancestor_thread_num(6), -1);
                        CHK("L5 team_size(0)", omp_get_team_size(0), 1);
                        CHK("L5 team_size(1)", omp_get_team_size(1), 1);
                        CHK("L5 team_size(2)", omp_get_team_size(2), 3);
                        CHK("L5 team_size(3)", omp_get_team_size(3), 1);
                        CHK("L5 team_size(4)", omp_get_team_size(4), 2);
                        CHK("L5 team_size(5)", omp_get_team_size(5), 1);
                        CHK("L5 team_size(6)", omp_get_team_size(6), -1);
                        CHK("L5 team_size(-1)", omp_get_team_size(-1), -1);
                    }
                    CHK("L4 ancestor(4)", omp_get_ancestor_thread_num(4), tb);
                    CHK("L4 ancestor(5)", omp_get_ancestor_thread_num(5), -1);
                    CHK("L4 team_size(5)", omp_get_team_size(5), -1);
                }
                CHK("L3 ancestor(2)", omp_get_ancestor_thread_num(2), ta);
                CHK("L3 ancestor(3)", omp_get_ancestor_thread_num(3), 0);
                CHK("L3 ancestor(4)", omp_get_ancestor_thread_num(4), -1);
            }
            CHK("L2 after nest level", omp_get_level(), 2);
            CHK("L2 after nest active level", omp_get_active_level(), 1);
        }
        CHK("L1 after nest level", omp_get_level(), 1);
        CHK("L1 after nest in_parallel", omp_in_parallel(), 0);
    }
    {
        int ta = -1, tb = -1;
        CHK("innermost implicit tasks", innermost, 3 * 2);
        CHK("level after", omp_get_level(), 0);
        CHK("active level after", omp_get_active_level(), 0);
        CHK("in_parallel after", omp_in_parallel(), 0);
    }

    /* Active level 1 under several inactive ones: the first active region
       can be at any nesting depth. */
    omp_set_max_active_levels(1);
    int depth_ok = 0;
#pragma omp parallel if(0)
#pragma omp parallel num_threads(1)
#pragma omp parallel num_threads(2) reduction(+:depth_ok)
    {
        int ta = omp_get_thread_num(), tb = -1;
        depth_ok += omp_get_level() == 3 && omp_get_active_level() == 1 && omp_in_parallel() &&
                    omp_get_num_threads() == 2;
        CHK("deep ancestor(3)", omp_get_ancestor_thread_num(3), ta);
        CHK("deep team_size(3)", omp_get_team_size(3), 2);
        CHK("deep team_size(2)", omp_get_team_size(2), 1);
    }
    {
        int ta = -1, tb = -1;
        CHK("threads at level 3 with active level 1", depth_ok, 2);
    }

    return failures > 100 ? 100 : failures;
}
