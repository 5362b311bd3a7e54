// Checks taskloop nogroup: the generated tasks are children of the encountering task, so a taskwait (or a barrier) after the construct completes them; several nogroup taskloops in a row, from an explicit task, and combined with an explicit taskgroup.
// GOMP entry points: GOMP_taskloop (GOMP_TASK_FLAG_NOGROUP), GOMP_taskwait, GOMP_taskgroup_start, GOMP_taskgroup_end, GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_barrier.
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

#define N 1000

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 20 * (k % 5); j++)
        s += j;
}

static long nogroup_rounds(void)
{
    long sum = 0;
    for (int r = 0; r < 3; r++) {
#pragma omp taskloop nogroup grainsize(10) shared(sum)
        for (int i = 0; i < N; i++) {
            spin(i);
            __atomic_fetch_add(&sum, i, __ATOMIC_RELAXED);
        }
    }
#pragma omp taskwait
    return __atomic_load_n(&sum, __ATOMIC_RELAXED);
}

int main(void)
{
    long in_single = -1, in_task = -1, in_group = -1, by_barrier = 0;
    long want = 3L * N * (N - 1) / 2;

#pragma omp parallel shared(in_single, in_task, in_group, by_barrier)
    {
#pragma omp single
        {
            in_single = nogroup_rounds();
#pragma omp task shared(in_task)
            in_task = nogroup_rounds();
#pragma omp taskwait
            long g = 0;
#pragma omp taskgroup
            {
#pragma omp taskloop nogroup num_tasks(7) shared(g)
                for (int i = 0; i < N; i++)
                    __atomic_fetch_add(&g, 1, __ATOMIC_RELAXED);
            }
            in_group = g;
#pragma omp taskloop nogroup shared(by_barrier)
            for (int i = 0; i < N; i++)
                __atomic_fetch_add(&by_barrier, 1, __ATOMIC_RELAXED);
            /* no wait: single's barrier completes them */
        }
    }
    check(in_single, want, "nogroup taskloops after taskwait in single");
    check(in_task, want, "nogroup taskloops after taskwait in an explicit task");
    check(in_group, N, "nogroup taskloop inside a taskgroup");
    check(by_barrier, N, "nogroup taskloop completed by the barrier");
    check(nogroup_rounds(), want, "nogroup taskloops outside a parallel region");
    return failures > 100 ? 100 : failures;
}
