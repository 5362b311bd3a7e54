// Checks a producer creating 200,000 tasks with dependences on 64 interleaved inout chains (the runtime may run some undeferred to bound its queues, after their predecessors): every chain keeps its creation order and every task runs once.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_DEPEND), GOMP_taskwait, GOMP_barrier.
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

#define NTASKS 200000
#define NCHAIN 64

int main(void)
{
    static long next[NCHAIN]; /* the sequence number each chain expects next */
    static long bad[NCHAIN];
    long ran = 0;

#pragma omp parallel shared(next, bad, ran)
#pragma omp single
    {
        for (long i = 0; i < NTASKS; i++) {
            int c = (int)(i % NCHAIN);
            long seq = i / NCHAIN;
#pragma omp task depend(inout: next[c]) firstprivate(c, seq) shared(next, bad, ran)
            {
                if (next[c] != seq)
                    bad[c]++;
                next[c] = seq + 1;
                __atomic_fetch_add(&ran, 1, __ATOMIC_RELAXED);
            }
        }
#pragma omp taskwait
        check(ran, NTASKS, "tasks complete after taskwait");
    }
    long nbad = 0;
    for (int c = 0; c < NCHAIN; c++) {
        nbad += bad[c];
        check(next[c], NTASKS / NCHAIN + (c < NTASKS % NCHAIN), "chain %d length", c);
    }
    check(nbad, 0, "tasks that ran out of order in their chain");
    check(ran, NTASKS, "tasks run");
    return failures > 100 ? 100 : failures;
}
