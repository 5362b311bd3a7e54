// Checks cancel taskgroup inside a taskloop (which cancels the taskloop's own taskgroup) with cancellation enabled: the construct ends, no iteration runs twice, at most all iterations run, the iterations after the cancel in the cancelling task do not run, and later taskloops run completely.
// GOMP entry points: GOMP_taskloop, GOMP_cancel (taskgroup), GOMP_cancellation_point (taskgroup), GOMP_taskgroup_start/end (inside), GOMP_parallel, GOMP_single_start, GOMP_barrier.
// pomp-test: env=OMP_CANCELLATION=true
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

#define N 1000
#define VICTIM 105

static int hits[N];
static int owner[N];

int main(void)
{
    for (int round = 0; round < 3; round++) {
        int after_cancel = 0, later = 0, total = 0;
        memset(hits, 0, sizeof hits);
        for (int i = 0; i < N; i++)
            owner[i] = -1;
        int first = -1;
#pragma omp parallel shared(after_cancel, later, total)
#pragma omp single
        {
#pragma omp taskloop grainsize(10) shared(after_cancel) firstprivate(first)
            for (int i = 0; i < N; i++) {
                if (first < 0)
                    first = i; /* marks the generated task */
                owner[i] = first;
                __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
                if (i == VICTIM) {
#pragma omp cancel taskgroup
                    __atomic_fetch_add(&after_cancel, 1, __ATOMIC_RELAXED);
                }
            }
#pragma omp taskloop grainsize(10) shared(later)
            for (int i = 0; i < N; i++)
                __atomic_fetch_add(&later, 1, __ATOMIC_RELAXED);
        }
        int twice = 0;
        for (int i = 0; i < N; i++) {
            twice += hits[i] > 1;
            total += hits[i];
        }
        check(hits[VICTIM], 1, "cancelling iteration ran, round %d", round);
        check(after_cancel, 0, "code after cancel taskgroup ran, round %d", round);
        check(twice, 0, "iterations run twice, round %d", round);
        /* The cancelling task stops at the cancel: none of its later
           iterations ran. */
        int after_in_task = 0;
        for (int i = VICTIM + 1; i < N; i++)
            after_in_task += hits[i] && owner[i] == owner[VICTIM];
        check(after_in_task, 0, "iterations after the cancel in the cancelling task, round %d", round);
        if (total > N)
            check(total, N, "iterations run, round %d", round);
        check(later, N, "taskloop after the cancelled one, round %d", round);
    }
    return failures > 100 ? 100 : failures;
}
