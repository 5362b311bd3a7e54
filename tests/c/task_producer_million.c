// Checks a single producer creating 1,000,000 tiny deferred tasks: every task runs exactly once (per-task bitmap and a total count), the implicit barrier waits for them all, and the team is usable afterwards.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_barrier, GOMP_taskwait.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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

#define NTASKS 1000000

int main(void)
{
    unsigned char *ran = calloc(NTASKS, 1);
    if (!ran) {
        printf("FAIL: out of memory\n");
        return 1;
    }
    long count = 0, sum = 0;

#pragma omp parallel shared(count, sum, ran)
    {
#pragma omp single
        {
            for (int i = 0; i < NTASKS; i++) {
#pragma omp task firstprivate(i)
                {
                    __atomic_fetch_add(&ran[i], 1, __ATOMIC_RELAXED);
                    __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
                    __atomic_fetch_add(&sum, i, __ATOMIC_RELAXED);
                }
            }
        }
        /* The implicit barrier of single has run every task. */
    }
    check(count, NTASKS, "tasks run");
    check(sum, (long)NTASKS * (NTASKS - 1) / 2, "sum of task indices");
    long bad = 0;
    for (int i = 0; i < NTASKS; i++)
        bad += ran[i] != 1;
    check(bad, 0, "tasks not run exactly once");

    /* A smaller run with an explicit taskwait in the producer, then a
       second producer round in the same region. */
#define NSMALL 100000
    count = 0;
#pragma omp parallel shared(count)
#pragma omp single
    {
        for (int i = 0; i < NSMALL; i++) {
#pragma omp task
            __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
        }
#pragma omp taskwait
        check(__atomic_load_n(&count, __ATOMIC_RELAXED), NSMALL, "tasks complete after taskwait");
        for (int i = 0; i < NSMALL; i++) {
#pragma omp task
            __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
        }
    }
    check(count, 2 * NSMALL, "tasks run in two rounds");
    free(ran);
    return failures > 100 ? 100 : failures;
}
