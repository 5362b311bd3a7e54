// Checks cancel for on a schedule(static, 1) loop (open-coded by GCC, no loop entry points) with cancellation enabled: the cancelling thread stops at once, every other thread polling a cancellation point leaves the loop once cancellation is active, exactly each thread's first iteration starts and none passes the cancellation, the team continues after the loop, a later loop is not cancelled, and cancel for if(false) cancels nothing.
// GOMP entry points: GOMP_parallel, GOMP_cancel, GOMP_cancellation_point, GOMP_barrier, omp_get_cancellation.
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

    /* schedule(static, 1): thread t's first iteration is t, so exactly
       iterations 0..nthr-1 start and none of them finishes. */
    reset();
    int n_static = 0;
#pragma omp parallel
    {
        int me = omp_get_thread_num();
#pragma omp master
        n_static = omp_get_num_threads();
#pragma omp for schedule(static, 1)
        for (int i = 0; i < N; i++)
            BODY(i);
        after_loop[me]++;
        /* A later loop in the same region is not cancelled. */
#pragma omp for schedule(static, 1)
        for (int i = 0; i < N; i++) {
#pragma omp cancellation point for
            second_hits[i]++;
        }
    }
    check(gave_up, 0, "static: iterations that timed out waiting for the cancellation");
    for (int i = 0; i < N; i++) {
        check(started[i], i < n_static, "static: iteration %d started", i);
        check(finished[i], 0, "static: iteration %d ran past the cancellation", i);
        check(second_hits[i], 1, "static: second loop iteration %d", i);
    }
    for (int t = 0; t < n_static; t++)
        check(after_loop[t], 1, "static: thread %d continued after the loop", t);

    /* if(false) on cancel for: acts only as a cancellation point. */
    reset();
    volatile int never = 0;
#pragma omp parallel
    {
#pragma omp for schedule(static)
        for (int i = 0; i < N; i++) {
            __atomic_fetch_add(&started[i], 1, __ATOMIC_RELAXED);
#pragma omp cancel for if(never)
            __atomic_fetch_add(&finished[i], 1, __ATOMIC_RELAXED);
        }
    }
    for (int i = 0; i < N; i++)
        check(finished[i], 1, "cancel for if(false): iteration %d", i);
    return failures > 100 ? 100 : failures;
}
