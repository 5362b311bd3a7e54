// Checks that a task waiting at the end of a taskgroup for its own prioritised tasks makes progress while higher-priority tasks it may not run (siblings, not descendants) are also queued: all tasks complete at every team size, including one thread.
// GOMP entry points: GOMP_task (GOMP_TASK_FLAG_PRIORITY), GOMP_taskgroup_start, GOMP_taskgroup_end, GOMP_parallel, GOMP_single_start, GOMP_barrier.
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

/* (A taskwait for prioritised children in the same situation crashes
   GCC 12's libgomp, so only the taskgroup form is tested.) */

int main(void)
{
    for (int round = 0; round < 5; round++) {
        int sibling = 0, group_after_end = -1, nested_after_end = -1;
#pragma omp parallel shared(sibling, group_after_end, nested_after_end)
#pragma omp single
        {
            /* Queued first, with a high priority; not descendants of the
               waiting task below. */
            for (int k = 0; k < 3; k++) {
#pragma omp task priority(9) shared(sibling)
                __atomic_fetch_add(&sibling, 1, __ATOMIC_RELAXED);
            }
#pragma omp task priority(10) shared(group_after_end, nested_after_end)
            {
                int g = 0;
#pragma omp taskgroup
                {
                    for (int k = 0; k < 4; k++) {
#pragma omp task priority(5) shared(g)
                        __atomic_fetch_add(&g, 1, __ATOMIC_RELAXED);
                    }
                }
                group_after_end = __atomic_load_n(&g, __ATOMIC_RELAXED);
                /* Prioritised grandchildren inside the group. */
                int h = 0;
#pragma omp taskgroup
                {
#pragma omp task priority(2) shared(h)
                    {
                        for (int k = 0; k < 3; k++) {
#pragma omp task priority(6) shared(h)
                            __atomic_fetch_add(&h, 1, __ATOMIC_RELAXED);
                        }
                    }
                }
                nested_after_end = __atomic_load_n(&h, __ATOMIC_RELAXED);
            }
        }
        check(group_after_end, 4, "prioritised group tasks done after taskgroup, round %d", round);
        check(nested_after_end, 3, "prioritised grandchildren done after taskgroup, round %d", round);
        check(sibling, 3, "high-priority siblings run, round %d", round);
    }
    return failures > 100 ? 100 : failures;
}
