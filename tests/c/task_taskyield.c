// Checks that taskyield is harmless everywhere: outside any region, in implicit tasks, in tied and untied explicit tasks that call it in loops while other tasks are queued, and inside a taskgroup and a dependence chain; every task still runs exactly once and chains keep their order.
// GOMP entry points: GOMP_taskyield, GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_taskwait, GOMP_taskgroup_start, GOMP_taskgroup_end, GOMP_barrier.
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

#define N 300

int main(void)
{
#pragma omp taskyield

    int runs[N] = {0};
    int untied_runs[N] = {0};
    long group_count = 0;
    int log[100], pos = 0;

#pragma omp parallel shared(runs, untied_runs, group_count, log, pos)
    {
#pragma omp taskyield
#pragma omp single
        {
            for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(i) shared(runs)
                {
                    for (int k = 0; k < 5; k++) {
#pragma omp taskyield
                    }
                    __atomic_fetch_add(&runs[i], 1, __ATOMIC_RELAXED);
                }
#pragma omp task untied firstprivate(i) shared(untied_runs)
                {
#pragma omp taskyield
                    __atomic_fetch_add(&untied_runs[i], 1, __ATOMIC_RELAXED);
#pragma omp taskyield
                }
                if (i % 50 == 0) {
#pragma omp taskyield
                }
            }
#pragma omp taskgroup
            {
                for (int i = 0; i < 100; i++) {
#pragma omp task shared(group_count)
                    {
#pragma omp taskyield
                        __atomic_fetch_add(&group_count, 1, __ATOMIC_RELAXED);
                    }
                }
#pragma omp taskyield
            }
            check(group_count, 100, "taskgroup tasks complete after taskgroup");
            int x = 0;
            for (int i = 0; i < 100; i++) {
#pragma omp task depend(inout: x) shared(x, log, pos) firstprivate(i)
                {
#pragma omp taskyield
                    log[pos++] = i;
                    x++;
                }
            }
#pragma omp taskwait
            check(x, 100, "dependence chain length with taskyield");
        }
#pragma omp taskyield
    }
    int bad = 0, ubad = 0, obad = 0;
    for (int i = 0; i < N; i++) {
        bad += runs[i] != 1;
        ubad += untied_runs[i] != 1;
    }
    for (int i = 0; i < 100; i++)
        obad += log[i] != i;
    check(bad, 0, "tied tasks not run exactly once");
    check(ubad, 0, "untied tasks not run exactly once");
    check(obad, 0, "dependence chain out of order with taskyield");
    return failures > 100 ? 100 : failures;
}
