// Checks cancel taskgroup with cancellation enabled: after the taskgroup every task either ran to completion or never started (except the cancelling task and tasks leaving at a cancellation point), the cancelling task's later code does not run, at most the created tasks ran, and tasks after the taskgroup are unaffected.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_taskgroup_start, GOMP_taskgroup_end, GOMP_cancel (taskgroup), GOMP_cancellation_point (taskgroup), GOMP_taskwait, GOMP_barrier.
// pomp-test: env=OMP_CANCELLATION=true
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
#define VICTIM 10

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 50 * (1 + k % 4); j++)
        s += j;
}

int main(void)
{
    check(omp_get_cancellation(), 1, "omp_get_cancellation with OMP_CANCELLATION=true");

    for (int round = 0; round < 3; round++) {
        int started = 0, completed = 0, canceller_ran = 0, after_cancel = 0;
        int cp_started = 0, cp_completed = 0, cp_left = 0;
        int later = 0;
#pragma omp parallel shared(started, completed, canceller_ran, after_cancel, cp_started, cp_completed, cp_left, later)
#pragma omp single
        {
#pragma omp taskgroup
            {
                for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(i) shared(started, completed, canceller_ran, after_cancel)
                    {
                        __atomic_fetch_add(&started, 1, __ATOMIC_RELAXED);
                        spin(i);
                        if (i == VICTIM) {
                            __atomic_fetch_add(&canceller_ran, 1, __ATOMIC_RELAXED);
#pragma omp cancel taskgroup
                            __atomic_fetch_add(&after_cancel, 1, __ATOMIC_RELAXED);
                        } else {
                            __atomic_fetch_add(&completed, 1, __ATOMIC_RELAXED);
                        }
                    }
                }
            }
            /* With cancellation points: a started task may leave early. */
#pragma omp taskgroup
            {
                for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(i) shared(cp_started, cp_completed, cp_left)
                    {
                        __atomic_fetch_add(&cp_started, 1, __ATOMIC_RELAXED);
                        if (i == VICTIM) {
#pragma omp cancel taskgroup
                        }
                        spin(i);
                        __atomic_fetch_add(&cp_left, 1, __ATOMIC_RELAXED);
#pragma omp cancellation point taskgroup
                        __atomic_fetch_sub(&cp_left, 1, __ATOMIC_RELAXED);
                        __atomic_fetch_add(&cp_completed, 1, __ATOMIC_RELAXED);
                    }
                }
            }
            /* Not in a cancelled taskgroup: all run. */
            for (int i = 0; i < 50; i++) {
#pragma omp task shared(later)
                __atomic_fetch_add(&later, 1, __ATOMIC_RELAXED);
            }
#pragma omp taskwait
            check(later, 50, "tasks after the cancelled taskgroups, round %d", round);
        }
        check(canceller_ran, 1, "cancelling task ran, round %d", round);
        check(after_cancel, 0, "code after cancel taskgroup ran, round %d", round);
        check(started, completed + 1, "started tasks that did not complete (besides the canceller), round %d", round);
        if (started > N)
            check(started, N, "more tasks started than created, round %d", round);
        /* Second group: every started task is counted as completed, as
           the canceller, or as having left at the cancellation point. */
        if (cp_started < 1 || cp_started > N)
            check(cp_started, 1, "tasks started in the second group out of range, round %d", round);
        check(cp_started, cp_completed + cp_left + 1, "second group: started != completed + left early + canceller, round %d", round);
    }
    return failures > 100 ? 100 : failures;
}
