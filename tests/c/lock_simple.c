// Checks omp_lock_t: set/unset give mutual exclusion and publish protected data, omp_test_lock returns 1 and acquires a free lock, returns 0 while another thread holds it, and exactly one of several simultaneous testers wins.
// GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_single_start, GOMP_atomic_start/end (reduction merge), omp_init_lock, omp_set_lock, omp_unset_lock, omp_test_lock, omp_destroy_lock.
#include <omp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>

#define ITERS 4000
#define ROUNDS 30

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

static omp_lock_t lk;
static int inside;
static long overlaps;
static volatile long counter;
static long payload[4];

int main(void)
{
    int nthr = omp_get_max_threads();

    /* Serial basics. */
    omp_init_lock(&lk);
    check(omp_test_lock(&lk), 1, "test_lock on a fresh lock");
    omp_unset_lock(&lk);
    omp_set_lock(&lk);
    omp_unset_lock(&lk);
    check(omp_test_lock(&lk), 1, "test_lock after set/unset");
    omp_unset_lock(&lk);

    /* Mutual exclusion with set/unset and with test_lock retry loops. */
#pragma omp parallel
    {
        int me = omp_get_thread_num();
        for (int i = 0; i < ITERS; i++) {
            if ((i + me) % 4 == 0) {
                while (!omp_test_lock(&lk))
                    sched_yield();
            } else {
                omp_set_lock(&lk);
            }
            if (__atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED) != 0)
                __atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
            long c = counter;
            /* Plain (non-atomic) multi-word data: consistent under the lock. */
            long p0 = payload[0];
            if (payload[1] != p0 * 2 || payload[2] != p0 * 3 || payload[3] != -p0)
                __atomic_fetch_add(&overlaps, 1000, __ATOMIC_RELAXED);
            payload[0] = p0 + 1;
            payload[1] = (p0 + 1) * 2;
            payload[2] = (p0 + 1) * 3;
            payload[3] = -(p0 + 1);
            counter = c + 1;
            __atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
            omp_unset_lock(&lk);
        }
    }
    check(overlaps, 0, "mutual exclusion violations");
    check(counter, (long)ITERS * nthr, "counter under the lock");
    check(payload[0], (long)ITERS * nthr, "payload under the lock");

    /* test_lock fails while another thread holds the lock; with the
       holder's release, exactly one simultaneous tester succeeds. */
    long held_ok = 0, held_bad = 0, winners_bad = 0;
    int winners;
#pragma omp parallel reduction(+:held_ok, held_bad) shared(winners)
    {
        int me = omp_get_thread_num();
        int n = omp_get_num_threads();
        for (int r = 0; r < ROUNDS; r++) {
            int holder = r % n;
            if (me == holder)
                omp_set_lock(&lk);
#pragma omp barrier
            if (me != holder) {
                if (omp_test_lock(&lk)) {
                    held_bad++;
                    omp_unset_lock(&lk); /* keep going */
                } else {
                    held_ok++;
                }
            }
#pragma omp barrier
            if (me == holder) {
                omp_unset_lock(&lk);
                winners = 0;
            }
#pragma omp barrier
            int got = omp_test_lock(&lk);
            if (got)
                __atomic_fetch_add(&winners, 1, __ATOMIC_RELAXED);
#pragma omp barrier
            if (got)
                omp_unset_lock(&lk);
#pragma omp master
            if (winners != 1)
                winners_bad++;
#pragma omp barrier
        }
    }
    check(held_bad, 0, "test_lock succeeded while another thread held the lock");
    check(held_ok, (long)ROUNDS * (nthr - 1), "test_lock failures while held");
    check(winners_bad, 0, "rounds where the number of test_lock winners was not 1");

    omp_destroy_lock(&lk);

    /* Re-initialise and use a lock initialised inside a region. */
    static omp_lock_t lk2;
    long c2 = 0;
#pragma omp parallel
    {
#pragma omp single
        omp_init_lock(&lk2);
        for (int i = 0; i < 100; i++) {
            omp_set_lock(&lk2);
            c2++;
            omp_unset_lock(&lk2);
        }
#pragma omp barrier
#pragma omp single
        omp_destroy_lock(&lk2);
    }
    check(c2, 100L * nthr, "lock initialised inside a region");
    return failures > 100 ? 100 : failures;
}
