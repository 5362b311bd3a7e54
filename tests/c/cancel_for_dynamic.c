// Checks cancel for on a schedule(dynamic) loop with cancellation enabled: iteration 0 cancels, every other started iteration (each polling a cancellation point) leaves via the cancellation, no thread starts more than one iteration, the team continues after the loop, and a later dynamic loop in the same region is not cancelled.
// GOMP entry points: GOMP_parallel, GOMP_cancel, GOMP_cancellation_point, GOMP_loop_nonmonotonic_dynamic_start/next, GOMP_loop_end, GOMP_loop_end_nowait, omp_get_cancellation.
// pomp-test: env=OMP_CANCELLATION=true
#include <omp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#define N 400
#define MAXT 64

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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int started[N], finished[N];
static int after_loop[MAXT], second_hits[N];
static long gave_up;

/* Iteration 0 cancels. Every other iteration polls the cancellation point
   until it fires (which the spec guarantees once iteration 0 has
   cancelled: iteration 0 was handed out first). A safety deadline turns a
   missing cancellation into a failure instead of a hang (after the first
   timeout no other iteration waits). */
#define BODY(i)                                                               \
    do {                                                                      \
        __atomic_fetch_add(&started[i], 1, __ATOMIC_RELAXED);                 \
        if ((i) == 0) {                                                       \
            _Pragma("omp cancel for")                                         \
        } else {                                                              \
            double deadline = now() + 5.0;                                    \
            for (;;) {                                                        \
                _Pragma("omp cancellation point for")                         \
                if (__atomic_load_n(&gave_up, __ATOMIC_RELAXED) ||            \
                    now() > deadline) {                                       \
                    __atomic_fetch_add(&gave_up, 1, __ATOMIC_RELAXED);        \
                    break;                                                    \
                }                                                             \
                sched_yield();                                                \
            }                                                                 \
        }                                                                     \
        __atomic_fetch_add(&finished[i], 1, __ATOMIC_RELAXED);                \
    } while (0)

static void reset(void)
{
    for (int i = 0; i < N; i++)
        started[i] = finished[i] = second_hits[i] = 0;
    for (int t = 0; t < MAXT; t++)
        after_loop[t] = 0;
    gave_up = 0;
}

int main(void)
{
    check(omp_get_cancellation(), 1, "omp_get_cancellation with OMP_CANCELLATION=true");
    int nthr = omp_get_max_threads();
    if (nthr < 1 || nthr > MAXT || nthr > N) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", nthr);
        return 1;
    }

    /* schedule(dynamic): which thread takes what is open, but every
       started iteration other than 0 must leave via the cancellation,
       iteration 0 must start, and each thread starts at most one. */
    reset();
#pragma omp parallel
    {
        int me = omp_get_thread_num();
#pragma omp for schedule(dynamic)
        for (int i = 0; i < N; i++)
            BODY(i);
        after_loop[me]++;
#pragma omp for schedule(dynamic, 4)
        for (int i = 0; i < N; i++) {
#pragma omp cancellation point for
            second_hits[i]++;
        }
    }
    check(gave_up, 0, "dynamic: iterations that timed out waiting for the cancellation");
    long nstarted = 0;
    for (int i = 0; i < N; i++) {
        nstarted += started[i];
        check(started[i] <= 1, 1, "dynamic: iteration %d started more than once", i);
        check(finished[i], 0, "dynamic: iteration %d ran past the cancellation", i);
        check(second_hits[i], 1, "dynamic: second loop iteration %d", i);
    }
    check(started[0], 1, "dynamic: iteration 0 started");
    check(nstarted <= nthr, 1, "dynamic: at most one iteration per thread (started %ld)", nstarted);
    for (int t = 0; t < nthr; t++)
        check(after_loop[t], 1, "dynamic: thread %d continued after the loop", t);

    return failures > 100 ? 100 : failures;
}
