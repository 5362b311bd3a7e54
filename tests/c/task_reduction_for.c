// Checks worksharing-loop reduction(task, +: x) with in_reduction tasks created inside the loop body, for static and dynamic schedules and an orphaned loop; tasks may still be running when the loop ends, so only the value after the loop's barrier is checked.
// GOMP entry points: GOMP_parallel, GOMP_loop_start (with reductions), GOMP_loop_nonmonotonic_dynamic_next, GOMP_loop_end, GOMP_task, GOMP_task_reduction_remap, GOMP_workshare_task_reduction_unregister, GOMP_barrier.
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

static long orphan_sum;

static void orphaned_loop(void)
{
#pragma omp for reduction(task, +: orphan_sum) schedule(dynamic, 7)
    for (int i = 0; i < N; i++) {
#pragma omp task in_reduction(+: orphan_sum) firstprivate(i)
        orphan_sum += 2 * i;
    }
}

int main(void)
{
    long x = 5, y = 0, z = 0;
    long seen_after[64];
    int nthr = 1;

#pragma omp parallel shared(x, y, z, seen_after, nthr)
    {
#pragma omp single
        nthr = omp_get_num_threads();
#pragma omp for reduction(task, +: x) schedule(static)
        for (int i = 0; i < N; i++) {
#pragma omp task in_reduction(+: x) firstprivate(i)
            {
                x += i;
                if (i % 50 == 0) {
#pragma omp task in_reduction(+: x) firstprivate(i)
                    x += 1;
                }
            }
        }
        /* The loop's barrier has combined everything. */
        int me = omp_get_thread_num();
        if (me < 64)
            seen_after[me] = x;

#pragma omp for reduction(task, +: y) reduction(+: z) schedule(dynamic, 3)
        for (int i = 0; i < N; i++) {
            z += 1; /* a plain reduction next to the task reduction */
#pragma omp task in_reduction(+: y) firstprivate(i)
            y += i * 3;
            if (i % 2)
                y += 1; /* the implicit task's own contribution */
        }
        orphaned_loop();
    }
    long want_x = 5 + (long)N * (N - 1) / 2 + N / 50;
    check(x, want_x, "x after the static loop");
    for (int t = 0; t < nthr && t < 64; t++)
        check(seen_after[t], want_x, "x seen by thread %d after the loop", t);
    check(y, 3L * N * (N - 1) / 2 + N / 2, "y after the dynamic loop");
    check(z, N, "plain reduction next to a task reduction");
    check(orphan_sum, (long)N * (N - 1), "orphaned loop's task reduction");
    return failures > 100 ? 100 : failures;
}
