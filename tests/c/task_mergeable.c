// Checks mergeable tasks: deferred, undeferred (if(0)) and inside a final task (where the runtime may merge them into the generating task) they all run once and read the right firstprivate and shared data; nothing is asserted about whether merging happened.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_MERGEABLE, with and without FINAL), GOMP_taskwait, GOMP_barrier.
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

static long count_nodes(int depth)
{
    if (depth == 0)
        return 1;
    long a = 0, b = 0;
#pragma omp task mergeable shared(a) final(depth < 4)
    a = count_nodes(depth - 1);
#pragma omp task mergeable shared(b) final(depth < 4)
    b = count_nodes(depth - 1);
#pragma omp taskwait
    return 1 + a + b;
}

int main(void)
{
    volatile int zero = 0;
    long sum_def = 0, sum_undef = 0, sum_final = 0;
    int final_seen = 0;

#pragma omp parallel shared(sum_def, sum_undef, sum_final, final_seen)
#pragma omp single
    {
        for (int i = 0; i < N; i++) {
            int v = i * 2;
#pragma omp task mergeable firstprivate(v) shared(sum_def)
            __atomic_fetch_add(&sum_def, v, __ATOMIC_RELAXED);
#pragma omp task mergeable if(zero) firstprivate(v) shared(sum_undef)
            __atomic_fetch_add(&sum_undef, v + 1, __ATOMIC_RELAXED);
        }
        check(sum_undef, (long)N * (N - 1) + N, "mergeable if(0) tasks complete at once");
#pragma omp task final(1) shared(sum_final, final_seen)
        {
            for (int i = 0; i < N; i++) {
                /* Only read the firstprivate copy: a merged task shares
                   the generating task's data environment. */
#pragma omp task mergeable firstprivate(i) shared(sum_final, final_seen)
                {
                    sum_final += i;
                    if (omp_in_final())
                        final_seen++;
                }
            }
        }
#pragma omp taskwait
        check(sum_def, (long)N * (N - 1), "deferred mergeable tasks");
        check(sum_final, (long)N * (N - 1) / 2, "mergeable tasks in a final task");
        check(final_seen, N, "mergeable children of a final task that are final");
        check(count_nodes(9), (1L << 10) - 1, "mergeable recursion with final cutoff");
    }
    return failures > 100 ? 100 : failures;
}
