// Checks cancelling a parallel region that has queued explicit tasks, with cancellation enabled: the region ends, every task that started also finished (they have no cancellation point), no more tasks ran than were created, and a following region runs all of its tasks.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_cancel (parallel), GOMP_cancellation_point (parallel), GOMP_barrier_cancel, GOMP_barrier.
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

#define N 500

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 100 * (1 + k % 3); j++)
        s += j;
}

int main(void)
{
    for (int round = 0; round < 16; round++) {
        int created = 0, started = 0, completed = 0;
#pragma omp parallel shared(created, started, completed)
        {
            if (omp_get_thread_num() == 0) {
                for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(i) shared(started, completed)
                    {
                        __atomic_fetch_add(&started, 1, __ATOMIC_RELAXED);
                        spin(i);
                        __atomic_fetch_add(&completed, 1, __ATOMIC_RELAXED);
                    }
                    created++;
                }
#pragma omp cancel parallel
            }
#pragma omp barrier
        }
        check(created, N, "tasks created before the cancel, round %d", round);
        check(started, completed, "tasks that started but did not finish, round %d", round);
        if (started > created)
            check(started, created, "more tasks ran than were created, round %d", round);

        int later = 0;
#pragma omp parallel shared(later)
#pragma omp single
        for (int i = 0; i < 100; i++) {
#pragma omp task shared(later)
            __atomic_fetch_add(&later, 1, __ATOMIC_RELAXED);
        }
        check(later, 100, "tasks in the region after the cancelled one, round %d", round);
    }
    return failures > 100 ? 100 : failures;
}
