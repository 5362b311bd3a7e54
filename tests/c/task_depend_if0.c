// Checks dependences of undeferred tasks: an if(0) task with depend waits for its deferred predecessors before it runs (even when they are still queued and only the generating thread can run them), runs exactly once, and later deferred tasks wait for it in turn.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (if_clause false with GOMP_TASK_FLAG_DEPEND), GOMP_taskwait, GOMP_barrier.
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

#define ROUNDS 200

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 100 * (k % 4); j++)
        s += j;
}

static volatile int zero = 0;

int main(void)
{
    int saw_bad = 0, runs = 0, after_bad = 0, order_bad = 0, filler = 0;

#pragma omp parallel shared(saw_bad, runs, after_bad, order_bad, filler)
#pragma omp single
    {
        for (int r = 0; r < ROUNDS; r++) {
            int x = 0, log[4], pos = 0;
            /* An unrelated sibling queued first, still pending at the
               taskwait below. */
#pragma omp task shared(filler)
            __atomic_fetch_add(&filler, 1, __ATOMIC_RELAXED);
            /* Two deferred writers, then an undeferred task in the chain. */
#pragma omp task depend(inout: x) shared(x, log, pos) firstprivate(r)
            {
                spin(r);
                x = 1;
                log[pos++] = 0;
            }
#pragma omp task depend(inout: x) shared(x, log, pos) firstprivate(r)
            {
                spin(r + 1);
                x = 2;
                log[pos++] = 1;
            }
            int here = 0;
#pragma omp task if(zero) depend(inout: x) shared(x, log, pos, here, saw_bad, runs)
            {
                __atomic_fetch_add(&runs, 1, __ATOMIC_RELAXED);
                if (x != 2)
                    __atomic_fetch_add(&saw_bad, 1, __ATOMIC_RELAXED);
                x = 3;
                log[pos++] = 2;
                here = 1;
            }
            /* Undeferred: complete when the construct ends. */
            if (!here)
                __atomic_fetch_add(&after_bad, 1, __ATOMIC_RELAXED);
#pragma omp task depend(in: x) shared(x, log, pos, after_bad)
            {
                if (x != 3)
                    __atomic_fetch_add(&after_bad, 1, __ATOMIC_RELAXED);
                log[pos++] = 3;
            }
#pragma omp taskwait
            if (pos != 4 || log[0] != 0 || log[1] != 1 || log[2] != 2 || log[3] != 3)
                order_bad++;
        }
    }
    check(runs, ROUNDS, "runs of the undeferred dependent task");
    check(filler, ROUNDS, "unrelated sibling tasks run");
    check(saw_bad, 0, "undeferred tasks that ran before their predecessors finished");
    check(after_bad, 0, "undeferred tasks incomplete after the construct, or successors that ran early");
    check(order_bad, 0, "rounds with the chain out of order");

    /* Readers as predecessors: an if(0) writer after many deferred readers. */
    int readers = 0, writer_saw = -1;
#pragma omp parallel shared(readers, writer_saw)
#pragma omp single
    {
        int y = 7;
        (void)y; /* only named in depend clauses */
        for (int i = 0; i < 50; i++) {
#pragma omp task depend(in: y) shared(y, readers) firstprivate(i)
            {
                spin(i);
                __atomic_fetch_add(&readers, 1, __ATOMIC_RELEASE);
            }
        }
#pragma omp task if(zero) depend(out: y) shared(y, readers, writer_saw)
        writer_saw = __atomic_load_n(&readers, __ATOMIC_ACQUIRE);
    }
    check(writer_saw, 50, "readers complete when the undeferred writer ran");
    return failures > 100 ? 100 : failures;
}
