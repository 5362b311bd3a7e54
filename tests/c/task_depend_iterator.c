// Checks dependences with many addresses per task, built with depend iterators (OpenMP 5.0): a task reading 100 elements written by 100 separate tasks waits for all of them, a task writing a strided set orders with later readers of single elements, and an in/inout pair on the same variable in one task's clauses acts like inout.
// GOMP entry points: GOMP_task (GOMP_TASK_FLAG_DEPEND, depend arrays sized at run time), GOMP_taskwait, GOMP_parallel, GOMP_single_start, GOMP_barrier.
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

#define N 100

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 40 * (k % 7); j++)
        s += j;
}

int main(void)
{
    int a[N];
    long sum_seen = -1, strided_bad = 0, pair_bad = 0;
    for (int i = 0; i < N; i++)
        a[i] = -1;

#pragma omp parallel shared(a, sum_seen, strided_bad, pair_bad)
#pragma omp single
    {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < N; i++) {
#pragma omp task depend(out: a[i]) shared(a) firstprivate(i, round)
                {
                    spin(i);
                    a[i] = i + round;
                }
            }
            /* One task after all 100 writers. */
            int n = N;
#pragma omp task depend(iterator(j = 0:n), in: a[j]) shared(a, sum_seen) firstprivate(n)
            {
                long s = 0;
                for (int j = 0; j < n; j++)
                    s += a[j];
                sum_seen = s;
            }
#pragma omp taskwait
            check(sum_seen, (long)N * (N - 1) / 2 + (long)N * round, "sum seen after 100 writers, round %d", round);

            /* A strided writer, then single-element readers. */
#pragma omp task depend(iterator(j = 0:N:10), inout: a[j]) shared(a) firstprivate(round)
            {
                spin(5);
                for (int j = 0; j < N; j += 10)
                    a[j] = -1000 - round;
            }
            for (int j = 0; j < N; j += 5) {
#pragma omp task depend(in: a[j]) shared(a, strided_bad) firstprivate(j, round)
                {
                    int want = j % 10 == 0 ? -1000 - round : j + round;
                    if (a[j] != want)
                        __atomic_fetch_add(&strided_bad, 1, __ATOMIC_RELAXED);
                }
            }
#pragma omp taskwait
        }
        /* in and inout on the same variable in one task: a chain. */
        int x = 0, log[50], pos = 0;
        for (int i = 0; i < 50; i++) {
#pragma omp task depend(in: x) depend(inout: x) shared(x, log, pos) firstprivate(i)
            {
                spin(i);
                log[pos++] = i;
                x++;
            }
        }
#pragma omp taskwait
        for (int i = 0; i < 50; i++)
            pair_bad += log[i] != i;
        check(x, 50, "in+inout chain length");
    }
    check(strided_bad, 0, "single-element readers that saw the wrong value");
    check(pair_bad, 0, "in+inout chain out of order");
    return failures > 100 ? 100 : failures;
}
