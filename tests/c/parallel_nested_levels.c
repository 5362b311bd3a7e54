// Checks three levels of nested active regions (max-active-levels 3, then 2): omp_get_level, omp_get_active_level, omp_get_ancestor_thread_num and omp_get_team_size at every level from the innermost threads, -1 for levels below 0 or above the current one, and inactive third-level teams of one.
// GOMP entry points: GOMP_parallel nested, omp_get_ancestor_thread_num, omp_get_team_size.
#include <omp.h>
#include <stdio.h>

static int failures;

static void fail(const char *what, int got, int want, int a, int b, int c)
{
#pragma omp critical(report)
    {
        failures++;
        printf("FAIL: %s at thread %d.%d.%d (got %d, want %d)\n", what, a, b, c, got, want);
    }
}

#define CHK(what, got, want) \
    do { \
        int g_ = (got), w_ = (want); \
        if (g_ != w_) \
            fail(what, g_, w_, t1, t2, t3); \
    } while (0)

static int innermost_count;

static void run(int mal)
{
    omp_set_max_active_levels(mal);
    innermost_count = 0;
#pragma omp parallel num_threads(2)
    {
        int t1 = omp_get_thread_num();
#pragma omp parallel num_threads(3)
        {
            int t2 = omp_get_thread_num();
#pragma omp parallel num_threads(2)
            {
                int t3 = omp_get_thread_num();
                int third_active = mal >= 3;
                int n3 = third_active ? 2 : 1;
#pragma omp atomic
                innermost_count++;
                CHK("omp_get_level", omp_get_level(), 3);
                CHK("omp_get_active_level", omp_get_active_level(), third_active ? 3 : 2);
                CHK("omp_get_num_threads", omp_get_num_threads(), n3);
                CHK("omp_in_parallel", omp_in_parallel(), 1);
                CHK("ancestor(0)", omp_get_ancestor_thread_num(0), 0);
                CHK("ancestor(1)", omp_get_ancestor_thread_num(1), t1);
                CHK("ancestor(2)", omp_get_ancestor_thread_num(2), t2);
                CHK("ancestor(3)", omp_get_ancestor_thread_num(3), t3);
                CHK("ancestor(3) vs thread_num", omp_get_ancestor_thread_num(3), omp_get_thread_num());
                CHK("ancestor(4)", omp_get_ancestor_thread_num(4), -1);
                CHK("ancestor(-1)", omp_get_ancestor_thread_num(-1), -1);
                CHK("ancestor(1000)", omp_get_ancestor_thread_num(1000), -1);
                CHK("team_size(0)", omp_get_team_size(0), 1);
                CHK("team_size(1)", omp_get_team_size(1), 2);
                CHK("team_size(2)", omp_get_team_size(2), 3);
                CHK("team_size(3)", omp_get_team_size(3), n3);
                CHK("team_size(3) vs num_threads", omp_get_team_size(3), omp_get_num_threads());
                CHK("team_size(4)", omp_get_team_size(4), -1);
                CHK("team_size(-1)", omp_get_team_size(-1), -1);
                CHK("team_size(-100)", omp_get_team_size(-100), -1);
            }
            int t3 = -1;
            CHK("level 2 omp_get_level", omp_get_level(), 2);
            CHK("level 2 omp_get_active_level", omp_get_active_level(), 2);
            CHK("level 2 ancestor(1)", omp_get_ancestor_thread_num(1), t1);
            CHK("level 2 ancestor(2)", omp_get_ancestor_thread_num(2), t2);
            CHK("level 2 ancestor(3)", omp_get_ancestor_thread_num(3), -1);
            CHK("level 2 team_size(2)", omp_get_team_size(2), 3);
            CHK("level 2 team_size(3)", omp_get_team_size(3), -1);
        }
        int t2 = -1, t3 = -1;
        CHK("level 1 omp_get_level", omp_get_level(), 1);
        CHK("level 1 ancestor(1)", omp_get_ancestor_thread_num(1), t1);
        CHK("level 1 ancestor(2)", omp_get_ancestor_thread_num(2), -1);
        CHK("level 1 team_size(1)", omp_get_team_size(1), 2);
        CHK("level 1 team_size(2)", omp_get_team_size(2), -1);
    }
    int want = 2 * 3 * (mal >= 3 ? 2 : 1);
    if (innermost_count != want) {
        failures++;
        printf("FAIL: innermost threads with max-active-levels %d (got %d, want %d)\n", mal,
               innermost_count, want);
    }
}

int main(void)
{
    int t1 = -1, t2 = -1, t3 = -1;
    CHK("initial ancestor(0)", omp_get_ancestor_thread_num(0), 0);
    CHK("initial ancestor(1)", omp_get_ancestor_thread_num(1), -1);
    CHK("initial ancestor(-1)", omp_get_ancestor_thread_num(-1), -1);
    CHK("initial team_size(0)", omp_get_team_size(0), 1);
    CHK("initial team_size(1)", omp_get_team_size(1), -1);
    CHK("initial team_size(-1)", omp_get_team_size(-1), -1);
    if (omp_get_supported_active_levels() < 3) {
        printf("FAIL: omp_get_supported_active_levels() = %d, want >= 3\n",
               omp_get_supported_active_levels());
        return 1;
    }
    run(3);
    run(2);
    run(3);
    return failures > 100 ? 100 : failures;
}
