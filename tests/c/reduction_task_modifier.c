// Checks reductions with the task modifier: reduction(task, +:x) on a parallel directive and on a worksharing loop, with explicit tasks that take part through in_reduction, plus contributions from the implicit tasks themselves; only the final values are checked (tasks may run deferred or not).
// GOMP entry points: GOMP_parallel_reductions, GOMP_parallel, GOMP_loop_start (with reductions), GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_end, GOMP_loop_end_nowait, GOMP_task, GOMP_task_reduction_remap, GOMP_taskgroup_reduction_unregister, GOMP_workshare_task_reduction_unregister, GOMP_single_start, GOMP_barrier.
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

int main(void)
{
    /* Task modifier on parallel: tasks created by one thread, and each
       implicit task adds its own share. */
    for (int r = 0; r < 5; r++) {
        long x = 1000;
        long m = 1;
        int nthr = 0;
#pragma omp parallel reduction(task, +:x) reduction(task, *:m)
        {
#pragma omp single
            {
                nthr = omp_get_num_threads();
                for (int i = 0; i < 100; i++) {
#pragma omp task in_reduction(+:x) in_reduction(*:m) firstprivate(i)
                    {
                        x += i;
                        if (i % 25 == 0)
                            m *= 3;
                    }
                }
            }
            x += 1;
        }
        check(x, 1000 + 4950 + nthr, "parallel task reduction +, round %d", r);
        check(m, 81, "parallel task reduction *, round %d", r);
    }

    /* Every thread creates tasks. */
    long y = 0;
    int nthr2 = 0;
#pragma omp parallel reduction(task, +:y)
    {
        int me = omp_get_thread_num();
        if (me == 0)
            nthr2 = omp_get_num_threads();
        for (int i = 0; i < 20; i++) {
#pragma omp task in_reduction(+:y) firstprivate(me, i)
            y += me * 100 + i;
        }
    }
    check(y, 20L * 100 * ((long)nthr2 * (nthr2 - 1) / 2) + (long)nthr2 * 190, "all threads create tasks");

    /* Task modifier on a worksharing loop inside a region. */
    for (int r = 0; r < 5; r++) {
        long z = 5;
        int mx = -1;
#pragma omp parallel
        {
#pragma omp for reduction(task, +:z) reduction(task, max:mx) schedule(static)
            for (int i = 0; i < 200; i++) {
                if (i % 4 == 0) {
#pragma omp task in_reduction(+:z) in_reduction(max:mx) firstprivate(i)
                    {
                        z += 2 * i;
                        if (i > mx)
                            mx = i;
                    }
                }
                z += 1;
            }
        }
        /* tasks: sum over i = 0,4,...,196 of 2i = 2*4*(0+...+49) = 9800 */
        check(z, 5 + 9800 + 200, "for task reduction +, round %d", r);
        check(mx, 196, "for task reduction max, round %d", r);
    }

    /* Task modifier on a combined parallel for with dynamic schedule. */
    long w = 0;
#pragma omp parallel for reduction(task, +:w) schedule(dynamic, 8)
    for (int i = 0; i < 64; i++) {
#pragma omp task in_reduction(+:w) firstprivate(i)
        w += i;
    }
    check(w, 64L * 63 / 2, "parallel for task reduction +");

    /* Nested tasks that also take part in the reduction. */
    long v = 0;
#pragma omp parallel reduction(task, +:v)
    {
#pragma omp master
        for (int i = 0; i < 10; i++) {
#pragma omp task in_reduction(+:v) firstprivate(i)
            {
                v += 1;
#pragma omp task in_reduction(+:v) firstprivate(i)
                v += i;
            }
        }
    }
    check(v, 10 + 45, "nested tasks in_reduction");

    return failures > 100 ? 100 : failures;
}
