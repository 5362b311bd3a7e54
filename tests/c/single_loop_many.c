// Checks 300 rounds of mixed single constructs in one region (nowait, plain, and copyprivate, in orphaned and inline form): each body runs exactly once per round, and copyprivate delivers that round's value to every thread.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_single_copy_start, GOMP_single_copy_end, GOMP_barrier, GOMP_atomic_start/end (reduction merge).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define ROUNDS 300

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

static int nowait_runs[ROUNDS], plain_runs[ROUNDS], copy_runs[ROUNDS], orphan_runs[ROUNDS];
static int plain_val[ROUNDS];

static int __attribute__((noinline)) orphan_broadcast(int r)
{
    int v = -1;
#pragma omp single copyprivate(v)
    {
        __atomic_fetch_add(&orphan_runs[r], 1, __ATOMIC_RELAXED);
        v = r * 11;
    }
    return v;
}

int main(void)
{
    long bad_copy = 0, bad_plain = 0, bad_orphan = 0;
#pragma omp parallel reduction(+:bad_copy, bad_plain, bad_orphan)
    {
        for (int r = 0; r < ROUNDS; r++) {
#pragma omp single nowait
            __atomic_fetch_add(&nowait_runs[r], 1, __ATOMIC_RELAXED);

            long v = -1;
#pragma omp single copyprivate(v)
            {
                __atomic_fetch_add(&copy_runs[r], 1, __ATOMIC_RELAXED);
                v = (long)r * r;
            }
            bad_copy += v != (long)r * r;

#pragma omp single
            {
                __atomic_fetch_add(&plain_runs[r], 1, __ATOMIC_RELAXED);
                plain_val[r] = r + 5;
            }
            bad_plain += plain_val[r] != r + 5;

            if (r % 3 == 0)
                bad_orphan += orphan_broadcast(r) != r * 11;
        }
    }
    long n_nowait = 0, n_plain = 0, n_copy = 0, n_orphan = 0;
    for (int r = 0; r < ROUNDS; r++) {
        n_nowait += nowait_runs[r] != 1;
        n_plain += plain_runs[r] != 1;
        n_copy += copy_runs[r] != 1;
        n_orphan += orphan_runs[r] != (r % 3 == 0);
    }
    check(n_nowait, 0, "nowait singles not run exactly once");
    check(n_plain, 0, "plain singles not run exactly once");
    check(n_copy, 0, "copyprivate singles not run exactly once");
    check(n_orphan, 0, "orphaned copyprivate singles not run exactly once");
    check(bad_copy, 0, "threads with a wrong copyprivate value");
    check(bad_plain, 0, "threads that missed a plain single's write");
    check(bad_orphan, 0, "threads with a wrong orphaned copyprivate value");
    return failures > 100 ? 100 : failures;
}
