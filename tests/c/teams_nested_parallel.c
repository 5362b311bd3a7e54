// Checks parallel regions and tasks nested in host teams: every thread of a team's parallel region, and its tasks, report that team's number and the league size, distribute splits the iterations among the teams, and the nesting level inside is 1.
// Entry points: GOMP_teams_reg, GOMP_parallel, GOMP_task, GOMP_loop_*, omp_get_team_num, omp_get_num_teams, omp_get_level.
#include <omp.h>
#include <stdio.h>

#define N 1000

static int failures;

static void check(long got, long want, const char *what)
{
    if (got != want) {
        failures++;
        printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
    }
}

static int wrong_team, wrong_league, wrong_level, threads, tasks;

__attribute__((noinline)) static void in_team(int expect_team)
{
#pragma omp parallel
    {
        int bad_t = omp_get_team_num() != expect_team;
        int bad_l = omp_get_num_teams() != 3;
        int bad_v = omp_get_level() != 1;
#pragma omp atomic
        wrong_team += bad_t;
#pragma omp atomic
        wrong_league += bad_l;
#pragma omp atomic
        wrong_level += bad_v;
#pragma omp atomic
        threads++;
#pragma omp task
        {
            int bt = omp_get_team_num() != expect_team;
#pragma omp atomic
            wrong_team += bt;
#pragma omp atomic
            tasks++;
        }
    }
}

int main(void)
{
    static int owner[N];
    for (int i = 0; i < N; i++)
        owner[i] = -1;
#pragma omp teams num_teams(3)
    {
        in_team(omp_get_team_num());
#pragma omp distribute
        for (int i = 0; i < N; i++)
            owner[i] = omp_get_team_num();
    }
    check(wrong_team, 0, "team number in nested threads and tasks");
    check(wrong_league, 0, "league size in nested threads");
    check(wrong_level, 0, "nesting level in a team's parallel region");
    check(tasks, threads, "every task ran");
    int unowned = 0, changes = 0;
    for (int i = 0; i < N; i++) {
        unowned += owner[i] < 0 || owner[i] > 2;
        changes += i > 0 && owner[i] != owner[i - 1];
    }
    check(unowned, 0, "distribute covered every iteration");
    check(changes, 2, "distribute gave each team one block");
    return failures > 100 ? 100 : failures;
}
