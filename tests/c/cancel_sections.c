// Checks cancel sections with cancellation enabled: the first section cancels, every other section that starts polls "cancellation point sections" and leaves once it fires, no thread starts more than one section, the team continues after the construct, a later sections construct is not cancelled, and the combined parallel sections form behaves the same.
// GOMP entry points: GOMP_parallel, GOMP_sections_start/next, GOMP_sections_end, GOMP_sections_end_nowait, GOMP_parallel_sections, GOMP_cancel, GOMP_cancellation_point, omp_get_cancellation.
// pomp-test: env=OMP_CANCELLATION=true
#include <omp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#define MAXT 64
#define NS 6

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

static int started[NS], finished[NS], per_thread[MAXT], after[MAXT], second[NS];
static long gave_up;

static void reset(void)
{
    for (int s = 0; s < NS; s++)
        started[s] = finished[s] = second[s] = 0;
    for (int t = 0; t < MAXT; t++)
        per_thread[t] = after[t] = 0;
    gave_up = 0;
}

/* Section k > 0 waits for the cancellation; a safety deadline turns a
   missing cancellation into a failure instead of a hang. */
#define WAITER(k)                                                             \
    do {                                                                      \
        __atomic_fetch_add(&started[k], 1, __ATOMIC_RELAXED);                 \
        __atomic_fetch_add(&per_thread[omp_get_thread_num()], 1, __ATOMIC_RELAXED); \
        double deadline = now() + 5.0;                                        \
        for (;;) {                                                            \
            _Pragma("omp cancellation point sections")                        \
            if (__atomic_load_n(&gave_up, __ATOMIC_RELAXED) || now() > deadline) { \
                __atomic_fetch_add(&gave_up, 1, __ATOMIC_RELAXED);            \
                break;                                                        \
            }                                                                 \
            sched_yield();                                                    \
        }                                                                     \
        __atomic_fetch_add(&finished[k], 1, __ATOMIC_RELAXED);                \
    } while (0)

#define CANCELLER()                                                           \
    do {                                                                      \
        __atomic_fetch_add(&started[0], 1, __ATOMIC_RELAXED);                 \
        __atomic_fetch_add(&per_thread[omp_get_thread_num()], 1, __ATOMIC_RELAXED); \
        _Pragma("omp cancel sections")                                        \
        __atomic_fetch_add(&finished[0], 1, __ATOMIC_RELAXED);                \
    } while (0)

static void check_run(const char *what, int nthr)
{
    long nstarted = 0;
    check(gave_up, 0, "%s: sections that timed out waiting for the cancellation", what);
    check(started[0], 1, "%s: cancelling section started", what);
    for (int s = 0; s < NS; s++) {
        nstarted += started[s];
        check(started[s] <= 1, 1, "%s: section %d started more than once", what, s);
        check(finished[s], 0, "%s: section %d ran past the cancellation", what, s);
    }
    check(nstarted <= nthr, 1, "%s: more sections started (%ld) than threads", what, nstarted);
    for (int t = 0; t < MAXT; t++)
        check(per_thread[t] <= 1, 1, "%s: thread %d started several sections", what, t);
}

int main(void)
{
    check(omp_get_cancellation(), 1, "omp_get_cancellation with OMP_CANCELLATION=true");
    int nthr = omp_get_max_threads();
    if (nthr < 1 || nthr >= MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", nthr);
        return 1;
    }

    for (int rep = 0; rep < 5; rep++) {
        reset();
#pragma omp parallel
        {
            int me = omp_get_thread_num();
#pragma omp sections
            {
#pragma omp section
                CANCELLER();
#pragma omp section
                WAITER(1);
#pragma omp section
                WAITER(2);
#pragma omp section
                WAITER(3);
#pragma omp section
                WAITER(4);
#pragma omp section
                WAITER(5);
            }
            after[me]++;
            /* Not cancelled: every section runs. */
#pragma omp sections
            {
#pragma omp section
                {
#pragma omp cancellation point sections
                    second[0]++;
                }
#pragma omp section
                {
#pragma omp cancellation point sections
                    second[1]++;
                }
#pragma omp section
                {
#pragma omp cancellation point sections
                    second[2]++;
                }
            }
        }
        check_run("sections", nthr);
        for (int t = 0; t < nthr; t++)
            check(after[t], 1, "sections: thread %d continued after the construct", t);
        for (int s = 0; s < 3; s++)
            check(second[s], 1, "sections: later construct's section %d", s);
    }

    for (int rep = 0; rep < 5; rep++) {
        reset();
#pragma omp parallel sections
        {
#pragma omp section
            CANCELLER();
#pragma omp section
            WAITER(1);
#pragma omp section
            WAITER(2);
#pragma omp section
            WAITER(3);
#pragma omp section
            WAITER(4);
#pragma omp section
            WAITER(5);
        }
        check_run("parallel sections", nthr);
    }
    return failures > 100 ? 100 : failures;
}
