// Checks that without OMP_MAX_TASK_PRIORITY the maximum task priority is 0 (also inside tasks) and that priority clauses, which are then ignored, do not affect task execution: all tasks run once.
// GOMP entry points: GOMP_task (GOMP_TASK_FLAG_PRIORITY), GOMP_taskloop (priority), GOMP_parallel, GOMP_single_start, GOMP_barrier, omp_get_max_task_priority.
// pomp-test: compare-output=yes
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

int main(void)
{
    printf("max task priority: %d\n", omp_get_max_task_priority());
    check(omp_get_max_task_priority(), 0, "omp_get_max_task_priority default");
    long count = 0;
    int in_task = -1;
#pragma omp parallel shared(count, in_task)
#pragma omp single
    {
        for (int i = 0; i < 300; i++) {
#pragma omp task priority(i % 50) shared(count, in_task)
            {
                __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
                if (i == 0)
                    in_task = omp_get_max_task_priority();
            }
        }
#pragma omp taskloop priority(100) shared(count)
        for (int i = 0; i < 300; i++)
            __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
    }
    check(count, 600, "tasks and taskloop iterations with priorities");
    check(in_task, 0, "omp_get_max_task_priority in a task");
    return failures > 100 ? 100 : failures;
}
