// Checks taskgroup task_reduction(+: x) with in_reduction tasks: contributions of tasks created by the taskgroup's task, of nested tasks that also name in_reduction, and of tasks created by each thread in its own taskgroup are all combined into the original at the end of the taskgroup, which starts from the original value.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_taskgroup_start, GOMP_taskgroup_reduction_register, GOMP_task, GOMP_task_reduction_remap, GOMP_taskgroup_end, GOMP_taskgroup_reduction_unregister, GOMP_barrier.
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

#define N 200
#define MAXT 64

int main(void)
{
    long x = 1000;
    long per_thread[MAXT];
    int nthr = omp_get_max_threads();

#pragma omp parallel shared(x, per_thread)
    {
#pragma omp single
        {
            for (int r = 0; r < 3; r++) {
#pragma omp taskgroup task_reduction(+: x)
                {
                    for (int i = 0; i < N; i++) {
#pragma omp task in_reduction(+: x) firstprivate(i)
                        {
                            x += i;
                            if (i % 20 == 0) {
                                /* A nested task contributing to the same reduction. */
#pragma omp task in_reduction(+: x) firstprivate(i)
                                x += 1000 + i;
                            }
                        }
                    }
                }
            }
        }
        /* Each thread: its own variable, its own taskgroup. */
        int me = omp_get_thread_num();
        long mine = me;
#pragma omp taskgroup task_reduction(+: mine)
        {
            for (int i = 0; i < 50; i++) {
#pragma omp task in_reduction(+: mine) firstprivate(i)
                mine += i + 1;
            }
        }
        if (me < MAXT)
            per_thread[me] = mine;
    }
    long per_round = (long)N * (N - 1) / 2;
    for (int i = 0; i < N; i += 20)
        per_round += 1000 + i;
    check(x, 1000 + 3 * per_round, "x after three taskgroup reductions");
    for (int t = 0; t < nthr && t < MAXT; t++)
        check(per_thread[t], t + 1275, "thread %d's own taskgroup reduction", t);
    return failures > 100 ? 100 : failures;
}
