// Checks parallel reduction(task, ...) with in_reduction tasks created by every thread, by single, and nested inside other in_reduction tasks (which name every variable the nested task uses), on +, * and max, plus each implicit task's own contribution; only final values are checked.
// GOMP entry points: GOMP_parallel_reductions, GOMP_task, GOMP_task_reduction_remap, GOMP_taskgroup_reduction_unregister, GOMP_single_start, GOMP_barrier.
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
    for (int round = 0; round < 4; round++) {
        long sum = 7, prod = 1, mx = -5;
        int nthr = 0;
#pragma omp parallel reduction(task, +: sum) reduction(task, *: prod) reduction(task, max: mx) shared(nthr)
        {
            int me = omp_get_thread_num();
#pragma omp single
            nthr = omp_get_num_threads();
            for (int i = 0; i < 30; i++) {
#pragma omp task in_reduction(+: sum) in_reduction(max: mx) in_reduction(*: prod) firstprivate(me, i)
                {
                    sum += me * 100 + i;
                    if (me * 100 + i > mx)
                        mx = me * 100 + i;
                    if (i == 29) {
#pragma omp task in_reduction(+: sum) in_reduction(*: prod) firstprivate(me)
                        {
                            sum += 1;
                            prod *= 2;
                        }
                    }
                }
            }
#pragma omp single
            {
                for (int i = 0; i < 3; i++) {
#pragma omp task in_reduction(*: prod)
                    prod *= 3;
                }
            }
            sum += 1; /* the implicit task's own share */
        }
        long want = 7;
        for (int t = 0; t < nthr; t++)
            want += t * 100L * 30 + 435 + 1 + 1;
        check(sum, want, "sum, round %d", round);
        check(prod, (1L << nthr) * 27, "product, round %d", round);
        check(mx, (nthr - 1) * 100L + 29, "max, round %d", round);
    }
    return failures > 100 ? 100 : failures;
}
