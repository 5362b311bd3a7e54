// Checks tasks created inside single: every task runs once on a thread of the team, sees the team's size, level and parallel state, and the implicit barrier of single (or an explicit barrier after single nowait) completes all of them before any thread continues.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    failures++;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define N 500
#define MAXT 64

int main(void)
{
    int runs[N] = {0};
    long done = 0;
    int bad_tid = 0, bad_nthr = 0, bad_level = 0, bad_inpar = 0;
    int early[MAXT] = {0}, early2[MAXT] = {0};
    int nthr = omp_get_max_threads();

#pragma omp parallel shared(runs, done, bad_tid, bad_nthr, bad_level, bad_inpar, early, early2)
    {
        int team = omp_get_num_threads();
        int me = omp_get_thread_num();
#pragma omp single
        {
            for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(i, team)
                {
                    int t = omp_get_thread_num();
                    if (t < 0 || t >= team)
                        __atomic_fetch_add(&bad_tid, 1, __ATOMIC_RELAXED);
                    if (omp_get_num_threads() != team)
                        __atomic_fetch_add(&bad_nthr, 1, __ATOMIC_RELAXED);
                    if (omp_get_level() != 1 || omp_get_team_size(1) != team)
                        __atomic_fetch_add(&bad_level, 1, __ATOMIC_RELAXED);
                    if (omp_in_parallel() != (team > 1))
                        __atomic_fetch_add(&bad_inpar, 1, __ATOMIC_RELAXED);
                    __atomic_fetch_add(&runs[i], 1, __ATOMIC_RELAXED);
                    __atomic_fetch_add(&done, 1, __ATOMIC_RELAXED);
                }
            }
        }
        /* Every thread, not just the creator, sees all tasks complete. */
        if (me < MAXT && __atomic_load_n(&done, __ATOMIC_RELAXED) != N)
            early[me] = 1;
#pragma omp barrier
#pragma omp single nowait
        {
            for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(i)
                {
                    __atomic_fetch_add(&runs[i], 1, __ATOMIC_RELAXED);
                    __atomic_fetch_add(&done, 1, __ATOMIC_RELAXED);
                }
            }
        }
#pragma omp barrier
        if (me < MAXT && __atomic_load_n(&done, __ATOMIC_RELAXED) != 2 * N)
            early2[me] = 1;
    }
    check(done, 2 * N, "tasks run");
    int bad = 0;
    for (int i = 0; i < N; i++)
        bad += runs[i] != 2;
    check(bad, 0, "tasks not run exactly once per round");
    check(bad_tid, 0, "tasks with a thread number outside the team");
    check(bad_nthr, 0, "tasks with a wrong omp_get_num_threads");
    check(bad_level, 0, "tasks with a wrong level or team size");
    check(bad_inpar, 0, "tasks with a wrong omp_in_parallel");
    for (int t = 0; t < nthr && t < MAXT; t++) {
        check(early[t], 0, "thread %d passed single's barrier before its tasks completed", t);
        check(early2[t], 0, "thread %d passed the barrier after single nowait before its tasks completed", t);
    }
    return failures > 100 ? 100 : failures;
}
