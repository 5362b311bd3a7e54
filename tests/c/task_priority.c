// Checks task priorities with OMP_MAX_TASK_PRIORITY=10: omp_get_max_task_priority returns 10 everywhere, and tasks with priorities 0..20 (above the maximum too), mixed with dependences and taskwait, all run exactly once with the right data; no execution order is asserted.
// GOMP entry points: GOMP_task (GOMP_TASK_FLAG_PRIORITY), GOMP_taskwait, GOMP_parallel, GOMP_single_start, GOMP_barrier, omp_get_max_task_priority.
// pomp-test: env=OMP_MAX_TASK_PRIORITY=10
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define N 400

int main(void)
{
    check(omp_get_max_task_priority(), 10, "omp_get_max_task_priority outside");
    int runs[N] = {0};
    int bad_max = 0, chain_bad = 0;
    long sum = 0;

#pragma omp parallel shared(runs, bad_max, chain_bad, sum)
    {
        if (omp_get_max_task_priority() != 10)
            __atomic_fetch_add(&bad_max, 1, __ATOMIC_RELAXED);
#pragma omp single
        {
            for (int i = 0; i < N; i++) {
                int p = i % 21;
#pragma omp task priority(p) firstprivate(i, p) shared(runs, sum, bad_max)
                {
                    __atomic_fetch_add(&runs[i], 1, __ATOMIC_RELAXED);
                    __atomic_fetch_add(&sum, p, __ATOMIC_RELAXED);
                    if (omp_get_max_task_priority() != 10)
                        __atomic_fetch_add(&bad_max, 1, __ATOMIC_RELAXED);
                }
            }
            /* A dependence chain of alternating priorities keeps its order. */
            int x = 0, log[60], pos = 0;
            for (int i = 0; i < 60; i++) {
                int p = (i * 7) % 12;
#pragma omp task priority(p) depend(inout: x) shared(x, log, pos) firstprivate(i)
                {
                    log[pos++] = i;
                    x++;
                }
                /* High-priority independent tasks created in between. */
#pragma omp task priority(10) shared(sum)
                __atomic_fetch_add(&sum, 1000, __ATOMIC_RELAXED);
            }
#pragma omp taskwait
            for (int i = 0; i < 60; i++)
                if (log[i] != i)
                    chain_bad++;
            check(x, 60, "prioritised chain length");
            /* Children of a prioritised task. */
#pragma omp task priority(9) shared(sum)
            {
                for (int i = 0; i < 10; i++) {
#pragma omp task priority(i) shared(sum)
                    __atomic_fetch_add(&sum, 100000, __ATOMIC_RELAXED);
                }
#pragma omp taskwait
            }
        }
    }
    int bad = 0;
    long want = 60 * 1000L + 10 * 100000L;
    for (int i = 0; i < N; i++) {
        bad += runs[i] != 1;
        want += i % 21;
    }
    check(bad, 0, "prioritised tasks not run exactly once");
    check(sum, want, "sum over prioritised tasks");
    check(bad_max, 0, "wrong omp_get_max_task_priority in a region or task");
    check(chain_bad, 0, "prioritised chain out of order");
    return failures > 100 ? 100 : failures;
}
