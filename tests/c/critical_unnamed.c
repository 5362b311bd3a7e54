// Checks unnamed critical: at most one thread is ever inside (an occupancy counter never exceeds one), non-atomic read-modify-writes inside lose no updates, and all unnamed critical sections - different code sites, an orphaned function, and nested inner teams - share one lock.
// GOMP entry points: GOMP_parallel, GOMP_critical_start, GOMP_critical_end.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define ITERS 4000

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    failures++;
    if (failures > 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

static int inside;
static long overlaps;
static volatile long counter;
static volatile double dsum;

/* Entering: nobody else may be inside. The counter is updated with a
   deliberately slow non-atomic read-modify-write. */
static inline void body(long add)
{
    if (__atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED) != 0)
        __atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
    long c = counter;
    for (volatile int s = 0; s < 3; s++)
        ;
    counter = c + add;
    dsum = dsum + 0.5;
    __atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
}

static void __attribute__((noinline)) orphan(void)
{
#pragma omp critical
    body(100);
}

int main(void)
{
    int nthr = omp_get_max_threads();

#pragma omp parallel
    {
        for (int i = 0; i < ITERS; i++) {
            if (i % 2) {
#pragma omp critical
                body(1);
            } else {
#pragma omp critical
                body(10);
            }
            if (i % 16 == 0)
                orphan();
        }
    }
    long per_thread = (ITERS / 2) * 1L + (ITERS / 2) * 10L + ((ITERS + 15) / 16) * 100L;
    check(overlaps, 0, "times two threads were inside unnamed critical");
    check(counter, per_thread * nthr, "counter updated under critical");
    check((long)dsum, (long)(0.5 * (ITERS + (ITERS + 15) / 16) * nthr), "double sum under critical");

    /* Nested active teams: all inner threads of both inner teams contend
       for the same unnamed lock. */
    omp_set_max_active_levels(2);
    counter = 0;
    overlaps = 0;
#pragma omp parallel num_threads(2)
    {
#pragma omp parallel num_threads(2)
        {
            for (int i = 0; i < ITERS / 4; i++) {
#pragma omp critical
                body(1);
                if (i % 8 == 0)
                    orphan();
            }
        }
    }
    check(overlaps, 0, "nested teams: times two threads were inside critical");
    check(counter, 4L * (ITERS / 4 + ((ITERS / 4 + 7) / 8) * 100), "nested teams: counter");

    /* Outside a region critical just runs the body. */
    counter = 0;
#pragma omp critical
    body(7);
    check(counter, 7, "critical outside a parallel region");
    return failures > 100 ? 100 : failures;
}
