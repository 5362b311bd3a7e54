// Checks OMP_THREAD_LIMIT=3 (with OMP_MAX_ACTIVE_LEVELS=2): omp_get_thread_limit reads 3 at every level, no team anywhere has more than 3 threads (default teams, num_threads(8), nested teams), an unnested team asking for more gets exactly 3, thread numbers stay 0..n-1, and work in capped teams is still done exactly once.
// GOMP entry points: GOMP_parallel nested, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_end, GOMP_critical_name_start/_end.
// pomp-test: env=OMP_THREAD_LIMIT=3;OMP_MAX_ACTIVE_LEVELS=2
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 64
#define N 300

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

/* Called by every member of a team: size within the cap, number in range. */
static void team_ok(const char *what)
{
    int n = omp_get_num_threads();
    int me = omp_get_thread_num();
    check(n >= 1 && n <= 3, 1, "%s: team size %d within 1..3", what, n);
    check(me >= 0 && me < n, 1, "%s: thread number %d below team size %d", what, me, n);
    check(omp_get_thread_limit(), 3, "%s: omp_get_thread_limit", what);
}

static int hits[N];

int main(void)
{
    check(omp_get_thread_limit(), 3, "initial omp_get_thread_limit");
    int req = omp_get_max_threads();
    int want = req < 3 ? req : 3;

    int size = 0;
#pragma omp parallel
    {
        team_ok("default team");
#pragma omp master
        size = omp_get_num_threads();
    }
    check(size, want, "default team size (min of nthreads-var and the limit)");

    for (int r = 0; r < 10; r++) {
        int s8 = 0;
#pragma omp parallel num_threads(8)
        {
            team_ok("num_threads(8)");
#pragma omp master
            s8 = omp_get_num_threads();
        }
        check(s8, 3, "num_threads(8) team size, round %d", r);
    }

    /* Nested: every team within the cap at both levels. */
    int inner_teams = 0;
#pragma omp parallel num_threads(2)
    {
        team_ok("outer of nest");
#pragma omp parallel num_threads(3)
        {
            team_ok("inner of nest");
            check(omp_get_team_size(1) <= 3, 1, "outer team size seen from inside");
#pragma omp master
            {
#pragma omp atomic
                inner_teams++;
            }
        }
    }
    check(inner_teams, 2, "inner teams");

    /* Work in a capped team is done exactly once. */
#pragma omp parallel num_threads(6)
    {
        team_ok("loop team");
#pragma omp for schedule(dynamic, 4)
        for (int i = 0; i < N; i++)
            __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
    }
    for (int i = 0; i < N; i++)
        check(hits[i], 1, "hits of iteration %d", i);

    /* omp_set_num_threads above the limit: still capped. */
    omp_set_num_threads(10);
    int s10 = 0;
#pragma omp parallel
    {
        team_ok("after omp_set_num_threads(10)");
#pragma omp master
        s10 = omp_get_num_threads();
    }
    check(s10, 3, "team size after omp_set_num_threads(10)");

    return failures > 100 ? 100 : failures;
}
