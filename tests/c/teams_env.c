// Checks OMP_NUM_TEAMS and OMP_TEAMS_THREAD_LIMIT: they set nteams-var and teams-thread-limit-var, which a teams construct without clauses uses, while a target teams region without num_teams still has one team (GOMP_teams4 ignores nteams-var on the host, as libgomp 12 does).
// pomp-test: env=OMP_NUM_TEAMS=5;OMP_TEAMS_THREAD_LIMIT=2
// Entry points: GOMP_teams_reg, GOMP_teams4, GOMP_target_ext, omp_get_max_teams, omp_get_teams_thread_limit.
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

#pragma omp declare target
static int ran, league, limit;

__attribute__((noinline)) static void record(void)
{
    ran++;
    league = omp_get_num_teams();
    limit = omp_get_thread_limit();
}
#pragma omp end declare target

int main(void)
{
    check(omp_get_max_teams(), 5, "nteams-var from OMP_NUM_TEAMS");
    check(omp_get_teams_thread_limit(), 2, "teams-thread-limit-var from OMP_TEAMS_THREAD_LIMIT");
#pragma omp teams
    record();
    check(ran, 5, "teams ran");
    check(league, 5, "league size");
    check(limit, 2, "thread limit in the teams");

    ran = 0;
    league = 0;
#pragma omp target teams map(tofrom : ran, league, limit)
    record();
    check(ran, 1, "target teams without num_teams: one team");
    check(league, 1, "target teams league size");
    return failures > 100 ? 100 : failures;
}
