// Checks deep task recursion without a cutoff: fib(n) for n = 25 computed with two tasks per call and a taskwait, on a team and outside any parallel region, matches the sequential value.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_taskwait, GOMP_barrier.
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

static long calls;

/* Every call makes two tasks, however small n is: no cutoff. */
static long fib(int n)
{
    long a = 0, b = 0;
    __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED);
    if (n < 2)
        return n;
#pragma omp task shared(a) firstprivate(n)
    a = fib(n - 1);
#pragma omp task shared(b) firstprivate(n)
    b = fib(n - 2);
#pragma omp taskwait
    return a + b;
}

static long fib_seq(int n)
{
    long a = 0, b = 1;
    for (int i = 0; i < n; i++) {
        long t = a + b;
        a = b;
        b = t;
    }
    return a;
}

/* Number of fib() calls for argument n: C(n) = 1 + C(n-1) + C(n-2). */
static long calls_seq(int n)
{
    long c0 = 1, c1 = 1;
    for (int i = 2; i <= n; i++) {
        long t = 1 + c1 + c0;
        c0 = c1;
        c1 = t;
    }
    return n == 0 ? c0 : c1;
}

int main(void)
{
    const int n = 25;
    long r = -1;

    calls = 0;
#pragma omp parallel shared(r)
#pragma omp single
    r = fib(n);
    check(r, fib_seq(n), "fib(%d) in a parallel region", n);
    check(calls, calls_seq(n), "fib calls (= tasks + 1) in a parallel region");

    /* Every thread computes its own smaller fib at once. */
    long res[64];
    int nthr = 1;
#pragma omp parallel shared(res, nthr)
    {
        int me = omp_get_thread_num();
#pragma omp single
        nthr = omp_get_num_threads();
        if (me < 64)
            res[me] = fib(15 + me % 4);
    }
    for (int i = 0; i < nthr && i < 64; i++)
        check(res[i], fib_seq(15 + i % 4), "fib(%d) by thread %d", 15 + i % 4, i);

    /* Outside a parallel region every task is undeferred. */
    check(fib(16), fib_seq(16), "fib(16) outside a parallel region");
    return failures > 100 ? 100 : failures;
}
