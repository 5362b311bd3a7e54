// Checks taskloop with if(0) (tasks undeferred: all iterations done, in order, before the construct ends), final(1) (omp_in_final true in every iteration and in tasks created there), final(0), and priority(n) (all iterations run once); with and without grainsize.
// GOMP entry points: GOMP_taskloop (without GOMP_TASK_FLAG_IF, with GOMP_TASK_FLAG_FINAL and GOMP_TASK_FLAG_PRIORITY), GOMP_task, GOMP_parallel, GOMP_single_start, GOMP_barrier.
// pomp-test: env=OMP_MAX_TASK_PRIORITY=20
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

#define N 500

static int hits[N];

static int bad_hits(void)
{
    int bad = 0;
    for (int i = 0; i < N; i++)
        bad += hits[i] != 1;
    return bad;
}

int main(void)
{
    volatile int zero = 0, one = 1;
#pragma omp parallel
#pragma omp single
    {
        for (int g = 0; g < 2; g++) {
            /* if(0): each task completes before the next is generated. */
            int order[N], pos = 0;
#pragma omp taskloop if(zero) grainsize(g ? 13 : 1) shared(order, pos)
            for (int i = 0; i < N; i++)
                order[pos++] = i;
            int bad = 0;
            for (int i = 0; i < N; i++)
                bad += order[i] != i;
            check(pos, N, "if(0) taskloop iterations (grain %d)", g);
            check(bad, 0, "if(0) taskloop iterations out of order (grain %d)", g);

            /* final(1): every iteration's task is final, so are children. */
            int not_final = 0, child_not_final = 0;
            memset(hits, 0, sizeof hits);
#pragma omp taskloop final(one) grainsize(g ? 13 : 1) shared(not_final, child_not_final)
            for (int i = 0; i < N; i++) {
                if (!omp_in_final())
                    __atomic_fetch_add(&not_final, 1, __ATOMIC_RELAXED);
                __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
                if (i % 50 == 0) {
#pragma omp task shared(child_not_final)
                    if (!omp_in_final())
                        __atomic_fetch_add(&child_not_final, 1, __ATOMIC_RELAXED);
                }
            }
            check(bad_hits(), 0, "final(1) taskloop iterations not run once (grain %d)", g);
            check(not_final, 0, "final(1) taskloop iterations not in a final task (grain %d)", g);
            check(child_not_final, 0, "children of final(1) taskloop tasks not final (grain %d)", g);

            int was_final = 0;
#pragma omp taskloop final(zero) grainsize(g ? 13 : 1) shared(was_final)
            for (int i = 0; i < N; i++)
                if (omp_in_final())
                    __atomic_fetch_add(&was_final, 1, __ATOMIC_RELAXED);
            check(was_final, 0, "final(0) taskloop iterations in a final task (grain %d)", g);

            for (int p = 0; p <= 30; p += 10) {
                memset(hits, 0, sizeof hits);
#pragma omp taskloop priority(p) grainsize(g ? 13 : 1)
                for (int i = 0; i < N; i++)
                    __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
                check(bad_hits(), 0, "priority(%d) taskloop iterations not run once (grain %d)", p, g);
            }
        }
    }
    return failures > 100 ? 100 : failures;
}
