// Checks reductions on taskloop: reduction(+: s) and reduction(max: m) on the taskloop itself, taskloop in_reduction inside a taskgroup task_reduction (together with plain in_reduction tasks), and a reduction on an array, each over several grain sizes.
// GOMP entry points: GOMP_taskloop (GOMP_TASK_FLAG_REDUCTION), GOMP_taskgroup_reduction_register, GOMP_task_reduction_remap, GOMP_taskgroup_reduction_unregister, GOMP_taskgroup_start/end, GOMP_task, GOMP_parallel, GOMP_single_start, GOMP_barrier.
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

int main(void)
{
    static const int grains[] = {1, 7, 100, 2000};
    long want_max = -1;
    for (int i = 0; i < N; i++)
        if ((i * 37) % 1001 > want_max)
            want_max = (i * 37) % 1001;
#pragma omp parallel
#pragma omp single
    {
        for (unsigned gi = 0; gi < sizeof grains / sizeof grains[0]; gi++) {
            int g = grains[gi];
            long s = 10, m = -1;
#pragma omp taskloop reduction(+: s) reduction(max: m) grainsize(g)
            for (int i = 0; i < N; i++) {
                s += i;
                if ((i * 37) % 1001 > m)
                    m = (i * 37) % 1001;
            }
            check(s, 10 + (long)N * (N - 1) / 2, "taskloop reduction(+), grainsize %d", g);
            check(m, want_max, "taskloop reduction(max), grainsize %d", g);

            long t = 0;
#pragma omp taskgroup task_reduction(+: t)
            {
#pragma omp task in_reduction(+: t)
                t += 1000000;
#pragma omp taskloop in_reduction(+: t) grainsize(g)
                for (int i = 0; i < N; i++)
                    t += 2 * i;
#pragma omp taskloop in_reduction(+: t) num_tasks(3) nogroup
                for (int i = 0; i < N; i++)
                    t += 1;
            }
            check(t, 1000000 + (long)N * (N - 1) + N, "taskloop in_reduction in a taskgroup, grainsize %d", g);

            long arr[4] = {0, 0, 0, 0};
#pragma omp taskloop reduction(+: arr) grainsize(g)
            for (int i = 0; i < N; i++)
                arr[i % 4] += i;
            for (int k = 0; k < 4; k++) {
                long w = 0;
                for (int i = k; i < N; i += 4)
                    w += i;
                check(arr[k], w, "taskloop array reduction element %d, grainsize %d", k, g);
            }
        }
    }
    /* Orphaned, outside a parallel region. */
    long s = 0;
#pragma omp taskloop reduction(+: s)
    for (int i = 0; i < N; i++)
        s += i;
    check(s, (long)N * (N - 1) / 2, "taskloop reduction outside a parallel region");
    return failures > 100 ? 100 : failures;
}
