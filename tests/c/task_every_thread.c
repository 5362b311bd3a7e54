// Checks that every thread of a team can create tasks at once: each thread's taskwait completes its own tasks, a barrier completes every thread's tasks, tasks keep their creator's firstprivate data, and the region end completes tasks created after the last barrier.
// GOMP entry points: GOMP_parallel, GOMP_task, GOMP_taskwait, GOMP_barrier.
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

#define N 200
#define MAXT 64

int main(void)
{
    long per_creator[MAXT] = {0};
    long sum_creator[MAXT] = {0};
    long late[MAXT] = {0};
    int own_after_wait[MAXT], all_after_barrier[MAXT];
    int nthr = omp_get_max_threads();
    if (nthr > MAXT) {
        printf("FAIL: too many threads (%d)\n", nthr);
        return 1;
    }

#pragma omp parallel shared(per_creator, sum_creator, late, own_after_wait, all_after_barrier)
    {
        int me = omp_get_thread_num();
        int team = omp_get_num_threads();
        for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(me, i)
            {
                __atomic_fetch_add(&per_creator[me], 1, __ATOMIC_RELAXED);
                __atomic_fetch_add(&sum_creator[me], i + me, __ATOMIC_RELAXED);
            }
        }
#pragma omp taskwait
        own_after_wait[me] = (int)__atomic_load_n(&per_creator[me], __ATOMIC_RELAXED);
        for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(me)
            __atomic_fetch_add(&per_creator[me], 1, __ATOMIC_RELAXED);
        }
#pragma omp barrier
        int ok = 1;
        for (int t = 0; t < team; t++)
            if (__atomic_load_n(&per_creator[t], __ATOMIC_RELAXED) != 2 * N)
                ok = 0;
        all_after_barrier[me] = ok;
        /* Created after the last barrier: the region end waits for them. */
        for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(me)
            __atomic_fetch_add(&late[me], 1, __ATOMIC_RELAXED);
        }
    }
    for (int t = 0; t < nthr; t++) {
        check(own_after_wait[t], N, "thread %d's tasks complete after its taskwait", t);
        check(all_after_barrier[t], 1, "thread %d saw every thread's tasks complete after the barrier", t);
        check(per_creator[t], 2 * N, "tasks created by thread %d", t);
        check(sum_creator[t], (long)N * (N - 1) / 2 + (long)N * t, "firstprivate data of thread %d's tasks", t);
        check(late[t], N, "thread %d's tasks after the last barrier", t);
    }
    return failures > 100 ? 100 : failures;
}
