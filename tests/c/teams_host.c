// Checks host teams as libgomp runs them: each team of the league runs once with its own team number, omp_get_num_teams gives the league size, no num_teams clause means nteams-var (omp_set_num_teams) or 3, the thread_limit clause (or teams-thread-limit-var) sets thread-limit-var in the teams and bounds their parallel regions, and everything is back to one team afterwards.
// Entry points: GOMP_teams_reg, GOMP_parallel, omp_get_num_teams, omp_get_team_num, omp_set_num_teams, omp_set_teams_thread_limit, omp_get_thread_limit.
#include <omp.h>
#include <stdio.h>

#define MAXTEAMS 16

static int failures;

static void check(long got, long want, const char *what)
{
    if (got != want) {
        failures++;
        printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
    }
}

static int ran[MAXTEAMS], league[MAXTEAMS], limit[MAXTEAMS], team_size[MAXTEAMS];

static void reset(void)
{
    for (int i = 0; i < MAXTEAMS; i++)
        ran[i] = league[i] = limit[i] = team_size[i] = 0;
}

/* Called from the teams regions: GCC allows only a few API calls directly
   in a teams region. */
__attribute__((noinline)) static void record(void)
{
    int t = omp_get_team_num();
    if (t >= 0 && t < MAXTEAMS) {
        ran[t]++;
        league[t] = omp_get_num_teams();
        limit[t] = omp_get_thread_limit();
    }
}

static void expect_league(int n, const char *what)
{
    int bad = 0;
    for (int t = 0; t < MAXTEAMS; t++)
        bad += t < n ? (ran[t] != 1 || league[t] != n) : ran[t] != 0;
    if (bad) {
        failures++;
        printf("FAIL: %s: league of %d (%d teams wrong)\n", what, n, bad);
    }
}

int main(void)
{
    check(omp_get_num_teams(), 1, "one team outside teams");
    check(omp_get_team_num(), 0, "team 0 outside teams");
    const int tl = omp_get_thread_limit();

    reset();
#pragma omp teams num_teams(5)
    record();
    expect_league(5, "num_teams(5)");
    check(limit[0], tl, "no thread_limit clause: thread-limit-var unchanged");

    reset();
#pragma omp teams
    record();
    expect_league(omp_get_max_teams() > 0 ? omp_get_max_teams() : 3, "no num_teams clause");

    reset();
#pragma omp teams num_teams(2 : 4)
    record();
    expect_league(4, "num_teams(2:4)");

    reset();
#pragma omp teams num_teams(3) thread_limit(2)
    {
        record();
#pragma omp parallel num_threads(4)
        {
            int t = omp_get_team_num();
#pragma omp master
            if (t >= 0 && t < MAXTEAMS)
                team_size[t] = omp_get_num_threads();
        }
    }
    expect_league(3, "num_teams(3) thread_limit(2)");
    for (int t = 0; t < 3; t++) {
        check(limit[t], 2, "thread_limit clause in each team");
        check(team_size[t] >= 1 && team_size[t] <= 2, 1, "parallel region within the thread limit");
    }
    check(omp_get_thread_limit(), tl, "thread-limit-var restored after teams");
    check(omp_get_num_teams(), 1, "one team after teams");

    omp_set_num_teams(6);
    omp_set_teams_thread_limit(3);
    check(omp_get_max_teams(), 6, "omp_get_max_teams");
    check(omp_get_teams_thread_limit(), 3, "omp_get_teams_thread_limit");
    reset();
#pragma omp teams
    record();
    expect_league(6, "nteams-var from omp_set_num_teams");
    check(limit[5], 3, "teams-thread-limit-var applies");
    reset();
#pragma omp teams num_teams(2) thread_limit(5)
    record();
    expect_league(2, "clause beats nteams-var");
    check(limit[1], 5, "clause beats teams-thread-limit-var");
    check(omp_get_thread_limit(), tl, "thread-limit-var restored");
    return failures > 100 ? 100 : failures;
}
