// Checks locks initialised with synchronisation hints (omp_init_lock_with_hint, omp_init_nest_lock_with_hint; falls back to the plain initialisers where the runtime lacks them): every hint still gives mutual exclusion, test_lock fails while another thread holds the lock, and nest locks count nesting.
// GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_atomic_start/end (reduction merge), omp_init_lock_with_hint, omp_init_nest_lock_with_hint, omp_set/unset/test/destroy_lock, omp_set/unset/test/destroy_nest_lock.
#include <omp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>

#define ITERS 2000
#define NHINTS 6

/* Weak: GCC 12's system libgomp may not export these. */
extern void omp_init_lock_with_hint(omp_lock_t *, omp_sync_hint_t) __attribute__((weak));
extern void omp_init_nest_lock_with_hint(omp_nest_lock_t *, omp_sync_hint_t) __attribute__((weak));

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

static const omp_sync_hint_t hints[NHINTS] = {
    omp_sync_hint_none,
    omp_sync_hint_uncontended,
    omp_sync_hint_contended,
    omp_sync_hint_nonspeculative,
    omp_sync_hint_speculative,
    omp_sync_hint_contended | omp_sync_hint_speculative,
};

static omp_lock_t locks[NHINTS];
static omp_nest_lock_t nlocks[NHINTS];
static int inside[NHINTS], ninside[NHINTS];
static long overlaps[NHINTS], noverlaps[NHINTS];
static volatile long count[NHINTS], ncount[NHINTS];

int main(void)
{
    int nthr = omp_get_max_threads();
    for (int h = 0; h < NHINTS; h++) {
        if (omp_init_lock_with_hint)
            omp_init_lock_with_hint(&locks[h], hints[h]);
        else
            omp_init_lock(&locks[h]);
        if (omp_init_nest_lock_with_hint)
            omp_init_nest_lock_with_hint(&nlocks[h], hints[h]);
        else
            omp_init_nest_lock(&nlocks[h]);
    }

    /* Serial: plain test/unset and nesting counts for each hint. */
    for (int h = 0; h < NHINTS; h++) {
        check(omp_test_lock(&locks[h]), 1, "hint %d: test on a fresh lock", h);
        omp_unset_lock(&locks[h]);
        check(omp_test_nest_lock(&nlocks[h]), 1, "hint %d: nest test depth 1", h);
        check(omp_test_nest_lock(&nlocks[h]), 2, "hint %d: nest test depth 2", h);
        omp_unset_nest_lock(&nlocks[h]);
        omp_unset_nest_lock(&nlocks[h]);
    }

    long held_bad = 0, held_ok = 0;
#pragma omp parallel reduction(+:held_bad, held_ok)
    {
        int me = omp_get_thread_num();
        int n = omp_get_num_threads();
        for (int i = 0; i < ITERS; i++) {
            int h = (i + me) % NHINTS;
            if (i % 3 == 0) {
                while (!omp_test_lock(&locks[h]))
                    sched_yield();
            } else {
                omp_set_lock(&locks[h]);
            }
            if (__atomic_fetch_add(&inside[h], 1, __ATOMIC_RELAXED) != 0)
                __atomic_fetch_add(&overlaps[h], 1, __ATOMIC_RELAXED);
            long c = count[h];
            count[h] = c + 1;
            __atomic_fetch_sub(&inside[h], 1, __ATOMIC_RELAXED);
            omp_unset_lock(&locks[h]);

            omp_set_nest_lock(&nlocks[h]);
            omp_set_nest_lock(&nlocks[h]);
            if (__atomic_fetch_add(&ninside[h], 1, __ATOMIC_RELAXED) != 0)
                __atomic_fetch_add(&noverlaps[h], 1, __ATOMIC_RELAXED);
            c = ncount[h];
            ncount[h] = c + 1;
            __atomic_fetch_sub(&ninside[h], 1, __ATOMIC_RELAXED);
            omp_unset_nest_lock(&nlocks[h]);
            omp_unset_nest_lock(&nlocks[h]);
        }

        /* Thread 0 holds every lock; the others' tests must fail. */
#pragma omp barrier
        if (me == 0)
            for (int h = 0; h < NHINTS; h++) {
                omp_set_lock(&locks[h]);
                omp_set_nest_lock(&nlocks[h]);
            }
#pragma omp barrier
        if (me != 0 && n > 1)
            for (int h = 0; h < NHINTS; h++) {
                if (omp_test_lock(&locks[h])) {
                    held_bad++;
                    omp_unset_lock(&locks[h]);
                } else {
                    held_ok++;
                }
                if (omp_test_nest_lock(&nlocks[h])) {
                    held_bad++;
                    omp_unset_nest_lock(&nlocks[h]);
                } else {
                    held_ok++;
                }
            }
#pragma omp barrier
        if (me == 0)
            for (int h = 0; h < NHINTS; h++) {
                omp_unset_lock(&locks[h]);
                omp_unset_nest_lock(&nlocks[h]);
            }
    }
    long want[NHINTS] = {0};
    for (int t = 0; t < nthr; t++)
        for (int i = 0; i < ITERS; i++)
            want[(i + t) % NHINTS]++;
    for (int h = 0; h < NHINTS; h++) {
        check(overlaps[h], 0, "hint %d: lock held by two threads", h);
        check(noverlaps[h], 0, "hint %d: nest lock held by two threads", h);
        check(count[h], want[h], "hint %d: lock counter", h);
        check(ncount[h], want[h], "hint %d: nest lock counter", h);
    }
    check(held_bad, 0, "tests that succeeded while another thread held the lock");
    check(held_ok, 2L * NHINTS * (nthr - 1), "tests that failed while held");

    for (int h = 0; h < NHINTS; h++) {
        check(omp_test_lock(&locks[h]), 1, "hint %d: lock free at the end", h);
        omp_unset_lock(&locks[h]);
        omp_destroy_lock(&locks[h]);
        omp_destroy_nest_lock(&nlocks[h]);
    }
    return failures > 100 ? 100 : failures;
}
