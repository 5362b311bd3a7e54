// Checks tasks created by master and by masked (filter 0 and filter 1) with no barrier after the construct: the end of the parallel region waits for every one of them, and an explicit barrier makes them complete for all threads.
// GOMP entry points: GOMP_parallel, GOMP_task, GOMP_barrier (master/masked are inline: omp_get_thread_num).
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

#define N 300
#define MAXT 64

static void work(volatile long *sink, int k)
{
    for (int j = 0; j < 50 + k % 7; j++)
        *sink += j;
}

int main(void)
{
    int nthr = omp_get_max_threads();
    for (int round = 0; round < 5; round++) {
        long by_master = 0, by_masked1 = 0;
#pragma omp parallel shared(by_master, by_masked1)
        {
#pragma omp master
            {
                for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(i)
                    {
                        volatile long sink = 0;
                        work(&sink, i);
                        __atomic_fetch_add(&by_master, 1, __ATOMIC_RELAXED);
                    }
                }
            }
#pragma omp masked filter(1)
            {
                for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(i)
                    {
                        volatile long sink = 0;
                        work(&sink, i);
                        __atomic_fetch_add(&by_masked1, 1, __ATOMIC_RELAXED);
                    }
                }
            }
            /* No barrier: the end of the region must wait for the tasks. */
        }
        check(by_master, N, "tasks created by master, complete at region end (round %d)", round);
        /* filter(1) selects no thread when the team has one thread. */
        check(by_masked1, nthr > 1 ? N : 0, "tasks created by masked filter(1) (round %d)", round);
    }

    long count = 0;
    int early[MAXT] = {0};
#pragma omp parallel shared(count, early)
    {
#pragma omp masked
        {
            for (int i = 0; i < N; i++) {
#pragma omp task
                __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
            }
        }
#pragma omp barrier
        int me = omp_get_thread_num();
        if (me < MAXT && __atomic_load_n(&count, __ATOMIC_RELAXED) != N)
            early[me] = 1;
    }
    for (int t = 0; t < nthr && t < MAXT; t++)
        check(early[t], 0, "thread %d passed the barrier before masked's tasks completed", t);
    return failures > 100 ? 100 : failures;
}
