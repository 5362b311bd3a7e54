// Checks undeferred tasks (if clause false at run time): the generating task resumes only after the task completed, so its effects are visible right after the construct and a sequence of them runs in order; firstprivate copies stay private; a deferred child of an undeferred task is awaited by that task's taskwait; if(1) tasks still complete by taskwait.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (if_clause false and true), GOMP_taskwait, GOMP_barrier.
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

static volatile int zero = 0, one = 1;

/* Runs in any context: undeferred tasks are sequential with their
   generating task. */
static int run_sequence(void)
{
    int order[N];
    int pos = 0;
    int bad = 0;
    for (int i = 0; i < N; i++) {
#pragma omp task if(zero) shared(order, pos) firstprivate(i)
        order[pos++] = i;
        if (pos != i + 1)
            bad++;
    }
    for (int i = 0; i < N; i++)
        if (order[i] != i)
            bad++;
    return bad;
}

int main(void)
{
    check(run_sequence(), 0, "undeferred sequence outside a parallel region");

    int seq_bad[MAXT] = {0};
    int nthr = omp_get_max_threads();
#pragma omp parallel shared(seq_bad)
    {
        int me = omp_get_thread_num();
        if (me < MAXT)
            seq_bad[me] = run_sequence();
    }
    for (int t = 0; t < nthr && t < MAXT; t++)
        check(seq_bad[t], 0, "undeferred sequence in thread %d", t);

#pragma omp parallel
#pragma omp single
    {
        /* firstprivate copy of an undeferred task. */
        int v = 3, seen = 0;
#pragma omp task if(zero) firstprivate(v) shared(seen)
        {
            seen = v;
            v = 42;
        }
        check(seen, 3, "undeferred task's firstprivate value");
        check(v, 3, "original after the undeferred task wrote its copy");

        /* An undeferred task that creates a deferred child and waits for it. */
        int child_done = 0, after_wait = -1;
#pragma omp task if(zero) shared(child_done, after_wait)
        {
#pragma omp task shared(child_done)
            {
                volatile long s = 0;
                for (int j = 0; j < 1000; j++)
                    s += j;
                child_done = 1;
            }
#pragma omp taskwait
            after_wait = child_done;
        }
        check(after_wait, 1, "child of an undeferred task complete after its taskwait");

        /* Mixed: deferred tasks interleaved with undeferred ones. */
        long deferred = 0, undeferred = 0;
        for (int i = 0; i < N; i++) {
            int u = i % 3 == 0;
#pragma omp task if(u ? zero : one) shared(deferred, undeferred) firstprivate(u)
            {
                if (u)
                    __atomic_fetch_add(&undeferred, 1, __ATOMIC_RELAXED);
                else
                    __atomic_fetch_add(&deferred, 1, __ATOMIC_RELAXED);
            }
            if (u && __atomic_load_n(&undeferred, __ATOMIC_RELAXED) != i / 3 + 1)
                check(__atomic_load_n(&undeferred, __ATOMIC_RELAXED), i / 3 + 1, "undeferred tasks complete after task %d", i);
        }
#pragma omp taskwait
        check(undeferred, N / 3, "undeferred tasks in the mix");
        check(deferred, N - N / 3, "deferred tasks in the mix");
    }
    return failures > 100 ? 100 : failures;
}
