// Checks teams inside target regions (GOMP_teams4's league loop): num_teams gives the lower bound's number of teams, each runs once with its number, thread_limit sets thread-limit-var, and distribute parallel for with a reduction covers every iteration exactly once.
// Entry points: GOMP_target_ext, GOMP_teams4, GOMP_parallel, GOMP_loop_*, omp_get_team_num, omp_get_num_teams.
#include <omp.h>
#include <stdio.h>

#define N 10000

static int failures;

static void check(long got, long want, const char *what)
{
    if (got != want) {
        failures++;
        printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
    }
}

__attribute__((noinline)) static int limit(void)
{
    return omp_get_thread_limit();
}

int main(void)
{
    int ran[8] = {0}, league[8] = {0}, lim[8] = {0};
#pragma omp target teams num_teams(4) thread_limit(3) map(tofrom : ran, league, lim)
    {
        int t = omp_get_team_num();
        if (t >= 0 && t < 8) {
            ran[t]++;
            league[t] = omp_get_num_teams();
            lim[t] = limit();
        }
    }
    int bad = 0;
    for (int t = 0; t < 8; t++)
        bad += t < 4 ? (ran[t] != 1 || league[t] != 4 || lim[t] != 3) : ran[t] != 0;
    check(bad, 0, "target teams num_teams(4) thread_limit(3)");

    int ran2[8] = {0};
#pragma omp target teams num_teams(2 : 6) map(tofrom : ran2)
    {
        int t = omp_get_team_num();
        if (t >= 0 && t < 8)
            ran2[t]++;
    }
    int teams2 = 0;
    bad = 0;
    for (int t = 0; t < 8; t++) {
        teams2 += ran2[t] != 0;
        bad += ran2[t] > 1 || (ran2[t] == 0 && t < teams2);
    }
    check(bad, 0, "num_teams(2:6): each team once, numbered from 0");
    check(teams2 >= 2 && teams2 <= 6, 1, "num_teams(2:6): between the bounds");

    static int hits[N];
    long sum = 0;
#pragma omp target teams distribute parallel for reduction(+ : sum) map(tofrom : hits) num_teams(3)
    for (int i = 0; i < N; i++) {
        hits[i]++;
        sum += i;
    }
    bad = 0;
    for (int i = 0; i < N; i++)
        bad += hits[i] != 1;
    check(bad, 0, "distribute parallel for: every iteration once");
    check(sum, (long)N * (N - 1) / 2, "distribute parallel for reduction");

    long sum2 = 0;
#pragma omp target teams distribute reduction(+ : sum2) dist_schedule(static, 7)
    for (int i = 0; i < N; i++)
        sum2 += i % 13;
    long want = 0;
    for (int i = 0; i < N; i++)
        want += i % 13;
    check(sum2, want, "distribute dist_schedule(static, 7) reduction");
    check(omp_get_num_teams(), 1, "one team after the target region");
    return failures > 100 ? 100 : failures;
}
