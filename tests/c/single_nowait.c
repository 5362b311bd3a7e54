// Checks single nowait: 2000 consecutive nowait singles, interleaved with nowait loops, each run exactly once even though threads reach them at different times, with the bodies' writes visible after a closing barrier.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_loop_nonmonotonic_dynamic_start/next, GOMP_loop_end_nowait, GOMP_barrier, GOMP_critical_start/end.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define ENC 2000
#define M 64

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

static int runs[ENC];
static int loop_hits[ENC / 100][M];

int main(void)
{
#pragma omp parallel
    {
        int me = omp_get_thread_num();
        for (int k = 0; k < ENC; k++) {
            /* Uneven work before the single so threads drift apart. */
            if ((k + me) % 7 == 0) {
                volatile int spin = 0;
                for (int s = 0; s < 200; s++)
                    spin += s;
            }
#pragma omp single nowait
            __atomic_fetch_add(&runs[k], 1, __ATOMIC_RELAXED);
            if (k % 100 == 0) {
#pragma omp for schedule(dynamic, 3) nowait
                for (int i = 0; i < M; i++)
                    loop_hits[k / 100][i]++;
            }
        }
#pragma omp barrier
        /* After the barrier every thread sees every body's write. */
        int bad = 0;
        for (int k = 0; k < ENC; k++)
            bad += __atomic_load_n(&runs[k], __ATOMIC_RELAXED) != 1;
        if (bad) {
#pragma omp critical
            printf("FAIL: thread %d saw %d singles not run exactly once\n", me, bad);
            __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
        }
    }
    for (int k = 0; k < ENC; k++)
        check(runs[k], 1, "nowait single %d: body runs", k);
    for (int j = 0; j < ENC / 100; j++)
        for (int i = 0; i < M; i++)
            check(loop_hits[j][i], 1, "nowait loop %d iteration %d", j, i);

    /* Two singles in a row, both nowait, in a region with a team larger
       than the CPU count: still once each. */
    int a = 0, b = 0;
#pragma omp parallel num_threads(5)
    {
#pragma omp single nowait
        __atomic_fetch_add(&a, 1, __ATOMIC_RELAXED);
#pragma omp single nowait
        __atomic_fetch_add(&b, 1, __ATOMIC_RELAXED);
    }
    check(a, 1, "first of two nowait singles");
    check(b, 1, "second of two nowait singles");
    return failures > 100 ? 100 : failures;
}
