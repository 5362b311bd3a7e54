// Checks nested taskgroups with task reductions on different variables and operators: tasks in the inner taskgroup contribute to the inner (*) and outer (+) reductions, tasks in the outer one only to the outer, and a taskgroup reduction inside an explicit task (itself an in_reduction participant of an enclosing group) combines correctly.
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

int main(void)
{
    long a = 0, m = 1, s = 0;
    long inner_sum[8];

#pragma omp parallel shared(a, m, s, inner_sum)
#pragma omp single
    {
#pragma omp taskgroup task_reduction(+: a)
        {
            for (int i = 0; i < 50; i++) {
#pragma omp task in_reduction(+: a) firstprivate(i)
                a += i;
            }
#pragma omp taskgroup task_reduction(*: m)
            {
                for (int i = 0; i < 40; i++) {
#pragma omp task in_reduction(+: a) in_reduction(*: m) firstprivate(i)
                    {
                        a += 100;
                        if (i % 10 == 0)
                            m *= 2;
                    }
                }
            }
            /* The inner reduction is complete here. */
            if (m != 16)
                check(m, 16, "inner product right after the inner taskgroup");

            /* Explicit tasks, each with its own taskgroup reduction on a
               private accumulator, adding the result to the outer one. */
            for (int t = 0; t < 8; t++) {
#pragma omp task in_reduction(+: a) firstprivate(t) shared(inner_sum)
                {
                    long loc = 0;
#pragma omp taskgroup task_reduction(+: loc)
                    {
                        for (int i = 0; i < 25; i++) {
#pragma omp task in_reduction(+: loc) in_reduction(+: a) firstprivate(i, t)
                            {
                                loc += t * 1000 + i;
                                a += 1;
                            }
                        }
                    }
                    inner_sum[t] = loc;
                    a += loc;
                }
            }
        }
        /* A third level: reduction on s in a group nested in a task. */
#pragma omp taskgroup task_reduction(+: s)
        {
#pragma omp task in_reduction(+: s)
            {
                s += 1;
#pragma omp task in_reduction(+: s)
                {
                    s += 10;
#pragma omp task in_reduction(+: s)
                    s += 100;
                }
            }
        }
    }
    long inner_total = 0;
    for (int t = 0; t < 8; t++) {
        long want = t * 1000L * 25 + 300;
        check(inner_sum[t], want, "explicit task %d's own taskgroup reduction", t);
        inner_total += want;
    }
    check(m, 16, "inner product reduction");
    check(a, 1225 + 4000 + 8 * 25 + inner_total, "outer sum reduction");
    check(s, 111, "reduction over nested in_reduction tasks");
    return failures > 100 ? 100 : failures;
}
