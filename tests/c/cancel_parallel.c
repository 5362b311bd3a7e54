// Checks cancel parallel with cancellation enabled: after thread 0 cancels, no thread gets past a cancellable barrier, threads polling "cancellation point parallel" leave, a worksharing loop's end releases the other threads, if(false) cancels nothing, and later regions run normally.
// GOMP entry points: GOMP_parallel, GOMP_cancel, GOMP_cancellation_point, GOMP_barrier_cancel, GOMP_loop_nonmonotonic_dynamic_start/next, GOMP_loop_end_cancel, GOMP_barrier, GOMP_atomic_start/end (reduction merge), omp_get_cancellation.
// pomp-test: env=OMP_CANCELLATION=true
#include <omp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#define MAXT 64
#define N 200

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

static int before[MAXT], after[MAXT], iter_hits[N];
static long gave_up;

static void reset(void)
{
    for (int t = 0; t < MAXT; t++)
        before[t] = after[t] = 0;
    for (int i = 0; i < N; i++)
        iter_hits[i] = 0;
}

int main(void)
{
    check(omp_get_cancellation(), 1, "omp_get_cancellation with OMP_CANCELLATION=true");
    int nthr = omp_get_max_threads();
    if (nthr < 1 || nthr >= MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", nthr);
        return 1;
    }

    /* 1. Thread 0 cancels; it never reaches the barrier, so the barrier
       cannot complete normally and nobody runs the code after it, whether
       the others arrive before or after the cancel. */
    for (int rep = 0; rep < 20; rep++) {
        reset();
#pragma omp parallel
        {
            int me = omp_get_thread_num();
            before[me]++;
            if (me == 0) {
                /* Sometimes give the others time to block in the barrier
                   first, so the cancel has to wake them. */
                if (rep % 4 == 0) {
                    struct timespec ts = { 0, 2000000 };
                    nanosleep(&ts, NULL);
                }
#pragma omp cancel parallel
            }
#pragma omp barrier
            after[me]++;
        }
        for (int t = 0; t < nthr; t++) {
            check(before[t], 1, "barrier, rep %d: thread %d ran the start", rep, t);
            check(after[t], 0, "barrier, rep %d: thread %d got past the barrier", rep, t);
        }
    }

    /* 2. Other threads poll a cancellation point until it fires. */
    reset();
    gave_up = 0;
#pragma omp parallel
    {
        int me = omp_get_thread_num();
        before[me]++;
        if (me == 0) {
#pragma omp cancel parallel
        } else {
            double deadline = now() + 5.0;
            for (;;) {
#pragma omp cancellation point parallel
                if (now() > deadline) {
                    __atomic_fetch_add(&gave_up, 1, __ATOMIC_RELAXED);
                    break;
                }
                sched_yield();
            }
        }
        after[me]++;
    }
    check(gave_up, 0, "cancellation point: threads that timed out waiting");
    for (int t = 0; t < nthr; t++) {
        check(before[t], 1, "cancellation point: thread %d ran the start", t);
        check(after[t], 0, "cancellation point: thread %d got past it", t);
    }

    /* 3. Thread 0 cancels before a worksharing loop the others run: the
       loop's end (cancellable in this region) sends everyone out, so
       nothing after the loop runs. Dynamic and static loops. */
    for (int kind = 0; kind < 2; kind++) {
        reset();
#pragma omp parallel
        {
            int me = omp_get_thread_num();
            if (me == 0) {
#pragma omp cancel parallel
            }
            if (kind == 0) {
#pragma omp for schedule(dynamic)
                for (int i = 0; i < N; i++)
                    __atomic_fetch_add(&iter_hits[i], 1, __ATOMIC_RELAXED);
            } else {
#pragma omp for schedule(static)
                for (int i = 0; i < N; i++)
                    __atomic_fetch_add(&iter_hits[i], 1, __ATOMIC_RELAXED);
            }
            after[me]++;
        }
        for (int i = 0; i < N; i++)
            check(iter_hits[i] <= 1, 1, "loop kind %d: iteration %d ran more than once", kind, i);
        for (int t = 0; t < nthr; t++)
            check(after[t], 0, "loop kind %d: thread %d ran code after the loop", kind, t);
    }

    /* 4. if(false): nothing is cancelled, the barrier is a real barrier. */
    reset();
    volatile int no = 0;
    long stale = 0;
#pragma omp parallel reduction(+:stale)
    {
        int me = omp_get_thread_num();
        before[me] = 1;
#pragma omp cancel parallel if(no)
#pragma omp barrier
        for (int t = 0; t < omp_get_num_threads(); t++)
            stale += before[t] != 1;
        after[me]++;
    }
    check(stale, 0, "if(false): barrier did not publish");
    for (int t = 0; t < nthr; t++)
        check(after[t], 1, "if(false): thread %d finished", t);

    /* 5. A region after cancelled ones is not cancelled: its barriers hold
       and its cancellation points do not fire. */
    reset();
    long fired = 0;
    stale = 0;
#pragma omp parallel reduction(+:fired, stale)
    {
        int me = omp_get_thread_num();
        for (int r = 0; r < 25; r++) {
            before[me] = r;
#pragma omp barrier
            for (int t = 0; t < omp_get_num_threads(); t++)
                stale += before[t] != r;
#pragma omp barrier
        }
        fired++; /* undone below if the cancellation point does not fire */
#pragma omp cancellation point parallel
        fired--;
        after[me]++;
    }
    check(fired, 0, "later region: cancellation points that fired");
    check(stale, 0, "later region: barriers that did not hold");
    for (int t = 0; t < nthr; t++)
        check(after[t], 1, "later region: thread %d finished", t);
    return failures > 100 ? 100 : failures;
}
