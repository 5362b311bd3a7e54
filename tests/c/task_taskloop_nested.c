// Checks taskloops nested in taskloops and in tasks: each outer iteration runs an inner taskloop with its own reduction, inner taskloops in a final task run their iterations as included tasks, and the totals and per-iteration counts are right.
// GOMP entry points: GOMP_taskloop (nested, with GOMP_TASK_FLAG_REDUCTION and FINAL), GOMP_taskgroup_reduction_register, GOMP_task_reduction_remap, GOMP_task, GOMP_taskwait, GOMP_parallel, GOMP_single_start, GOMP_barrier.
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

#define NO 40
#define NI 50

int main(void)
{
    static int hits[NO][NI];
    long inner_sum[NO];
    int final_bad = 0, final_hits = 0;

#pragma omp parallel shared(hits, inner_sum, final_bad, final_hits)
#pragma omp single
    {
#pragma omp taskloop grainsize(3) shared(hits, inner_sum)
        for (int o = 0; o < NO; o++) {
            long s = 0;
#pragma omp taskloop reduction(+: s) num_tasks(4) shared(hits)
            for (int i = 0; i < NI; i++) {
                __atomic_fetch_add(&hits[o][i], 1, __ATOMIC_RELAXED);
                s += o * 1000 + i;
            }
            inner_sum[o] = s;
        }
#pragma omp task final(1) shared(final_bad, final_hits)
        {
#pragma omp taskloop grainsize(5) shared(final_bad, final_hits)
            for (int o = 0; o < 10; o++) {
#pragma omp taskloop shared(final_bad, final_hits)
                for (int i = 0; i < 10; i++) {
                    if (!omp_in_final())
                        final_bad++;
                    final_hits++; /* included tasks: no concurrency */
                }
            }
        }
#pragma omp taskwait
    }
    int bad = 0;
    for (int o = 0; o < NO; o++) {
        for (int i = 0; i < NI; i++)
            bad += hits[o][i] != 1;
        check(inner_sum[o], o * 1000L * NI + (long)NI * (NI - 1) / 2, "inner reduction of outer iteration %d", o);
    }
    check(bad, 0, "inner iterations not run exactly once");
    check(final_hits, 100, "iterations of nested taskloops in a final task");
    check(final_bad, 0, "iterations of nested taskloops in a final task that were not final");
    return failures > 100 ? 100 : failures;
}
