// Checks dynamic adjustment (OMP_DYNAMIC=true, then omp_set_dynamic): omp_get_dynamic reflects it, every team (plain, num_threads, nested with max-active-levels 2) has between 1 and the requested number of threads with distinct numbers 0..n-1, and loops, singles and barriers still cover all work exactly once whatever size the runtime picks; omp_set_dynamic(0) then gives exact sizes again.
// GOMP entry points: GOMP_parallel nested, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_end, GOMP_single_start, GOMP_barrier, GOMP_critical_name_start/_end.
// pomp-test: env=OMP_DYNAMIC=true
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAXT 64
#define N 500

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

static int hits[N];
static int seen[MAXT];

/* Runs a team of at most `req` threads and checks it. Returns its size. */
static int probe_team(int req, const char *what)
{
    memset(seen, 0, sizeof seen);
    memset(hits, 0, sizeof hits);
    int size = 0, singles = 0;
#pragma omp parallel num_threads(req)
    {
        int me = omp_get_thread_num();
#pragma omp master
        size = omp_get_num_threads();
        if (me >= 0 && me < MAXT)
            __atomic_fetch_add(&seen[me], 1, __ATOMIC_RELAXED);
#pragma omp single
        singles++;
#pragma omp for schedule(dynamic, 5)
        for (int i = 0; i < N; i++)
            __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
#pragma omp barrier
    }
    check(size >= 1 && size <= req, 1, "%s: team size %d within 1..%d", what, size, req);
    for (int t = 0; t < MAXT; t++)
        check(seen[t], t < size, "%s: thread number %d", what, t);
    check(singles, 1, "%s: single executions", what);
    for (int i = 0; i < N; i++)
        check(hits[i], 1, "%s: hits of iteration %d", what, i);
    return size;
}

int main(void)
{
    check(omp_get_dynamic(), 1, "dyn-var from OMP_DYNAMIC=true");

    int def = omp_get_max_threads();
    for (int r = 0; r < 4; r++) {
        probe_team(def, "default request");
        probe_team(4, "num_threads(4)");
        probe_team(1, "num_threads(1)");
    }

    /* dyn-var is inherited by the implicit tasks. */
    int inherited = 0, nthr = 0;
#pragma omp parallel reduction(+:inherited)
    {
#pragma omp master
        nthr = omp_get_num_threads();
        inherited += omp_get_dynamic();
    }
    check(inherited, nthr, "implicit tasks with dyn-var true");

    /* Nested, both levels dynamic. */
    omp_set_max_active_levels(2);
    int inner_bad = 0, inner_teams = 0, outer_size = 0;
#pragma omp parallel num_threads(2) reduction(+:inner_bad)
    {
#pragma omp master
        outer_size = omp_get_num_threads();
        int inner_seen[MAXT] = {0};
#pragma omp parallel num_threads(3) shared(inner_seen)
        {
            int me = omp_get_thread_num();
            int n = omp_get_num_threads();
            if (n < 1 || n > 3 || me < 0 || me >= n)
                __atomic_fetch_add(&inner_bad, 1, __ATOMIC_RELAXED);
            else
                __atomic_fetch_add(&inner_seen[me], 1, __ATOMIC_RELAXED);
#pragma omp master
            {
#pragma omp atomic
                inner_teams++;
            }
        }
        for (int t = 0; t < MAXT; t++)
            inner_bad += inner_seen[t] > 1;
    }
    check(outer_size >= 1 && outer_size <= 2, 1, "nested outer team size %d within 1..2", outer_size);
    check(inner_bad, 0, "nested inner teams with a bad size or duplicate numbers");
    check(inner_teams, outer_size, "nested inner teams");

    /* Back to exact sizes. */
    omp_set_dynamic(0);
    check(omp_get_dynamic(), 0, "dyn-var after omp_set_dynamic(0)");
    check(probe_team(3, "num_threads(3), dynamic off"), 3, "exact team size with dyn-var false");
    omp_set_dynamic(1);
    check(omp_get_dynamic(), 1, "dyn-var after omp_set_dynamic(1)");
    probe_team(3, "num_threads(3), dynamic on again");

    return failures > 100 ? 100 : failures;
}
