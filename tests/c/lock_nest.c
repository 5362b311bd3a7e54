// Checks omp_nest_lock_t: omp_test_nest_lock returns the new nesting count for the owner and 0 for other threads while the lock is held at any depth, the lock frees only when the count returns to zero, and recursive set/unset gives mutual exclusion between threads.
// GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_atomic_start/end (reduction merge), omp_init_nest_lock, omp_set_nest_lock, omp_unset_nest_lock, omp_test_nest_lock, omp_destroy_nest_lock.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define ROUNDS 25
#define ITERS 1500

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

static omp_nest_lock_t nl;
static int owner = -1;
static long overlaps;
static volatile long counter;

/* Take the lock `depth` more times recursively; check ownership at every
   level, and do the protected update at the innermost level. */
static void recurse(int depth, int me)
{
    if (depth == 0) {
        long c = counter;
        counter = c + 1;
        return;
    }
    if (depth % 2)
        omp_set_nest_lock(&nl);
    else if (omp_test_nest_lock(&nl) == 0) {
        /* Only possible at the outermost level (not held yet); block then. */
        omp_set_nest_lock(&nl);
    }
    int prev = __atomic_exchange_n(&owner, me, __ATOMIC_RELAXED);
    if (prev != -1 && prev != me)
        __atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
    recurse(depth - 1, me);
    if (__atomic_load_n(&owner, __ATOMIC_RELAXED) != me)
        __atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
    /* The outermost level gives up ownership before the last unset. */
    if (prev == -1)
        __atomic_store_n(&owner, -1, __ATOMIC_RELAXED);
    omp_unset_nest_lock(&nl);
}

int main(void)
{
    int nthr = omp_get_max_threads();
    omp_init_nest_lock(&nl);

    /* Serial nesting counts. */
    check(omp_test_nest_lock(&nl), 1, "test on a free nest lock");
    check(omp_test_nest_lock(&nl), 2, "test by the owner, depth 2");
    omp_set_nest_lock(&nl);
    check(omp_test_nest_lock(&nl), 4, "test by the owner after a set, depth 4");
    for (int k = 0; k < 4; k++)
        omp_unset_nest_lock(&nl);
    check(omp_test_nest_lock(&nl), 1, "test after unwinding to zero");
    omp_unset_nest_lock(&nl);

    long others_ok = 0, others_bad = 0, win_bad = 0, depth_bad = 0;
    int winners;
#pragma omp parallel reduction(+:others_ok, others_bad, depth_bad) shared(winners)
    {
        int me = omp_get_thread_num();
        int n = omp_get_num_threads();
        for (int r = 0; r < ROUNDS; r++) {
            int holder = r % n;
            if (me == holder) {
                omp_set_nest_lock(&nl);
                if (omp_test_nest_lock(&nl) != 2)
                    depth_bad++;
                omp_set_nest_lock(&nl);
                winners = 0;
            }
#pragma omp barrier
            /* Held at depth 3 by another thread. */
            if (me != holder) {
                int got = omp_test_nest_lock(&nl);
                if (got) {
                    others_bad++;
                    omp_unset_nest_lock(&nl);
                } else {
                    others_ok++;
                }
            }
#pragma omp barrier
            if (me == holder) {
                omp_unset_nest_lock(&nl);
                omp_unset_nest_lock(&nl);
            }
#pragma omp barrier
            /* Still held at depth 1. */
            if (me != holder) {
                int got = omp_test_nest_lock(&nl);
                if (got) {
                    others_bad++;
                    omp_unset_nest_lock(&nl);
                } else {
                    others_ok++;
                }
            }
#pragma omp barrier
            if (me == holder)
                omp_unset_nest_lock(&nl);
#pragma omp barrier
            /* Free now: exactly one simultaneous tester wins, at depth 1. */
            int got = omp_test_nest_lock(&nl);
            if (got) {
                __atomic_fetch_add(&winners, 1, __ATOMIC_RELAXED);
                if (got != 1)
                    depth_bad++;
                if (omp_test_nest_lock(&nl) != 2)
                    depth_bad++;
            }
#pragma omp barrier
            if (got) {
                omp_unset_nest_lock(&nl);
                omp_unset_nest_lock(&nl);
            }
#pragma omp master
            if (winners != 1)
                win_bad++;
#pragma omp barrier
        }
    }
    check(others_bad, 0, "test_nest_lock succeeded while another thread held the lock");
    check(others_ok, 2L * ROUNDS * (nthr - 1), "test_nest_lock failures while held");
    check(depth_bad, 0, "wrong nesting counts from test_nest_lock");
    check(win_bad, 0, "rounds where the number of winners was not 1");

    /* Recursive acquisition from several threads. */
#pragma omp parallel
    {
        int me = omp_get_thread_num();
        for (int i = 0; i < ITERS; i++)
            recurse(1 + (i + me) % 4, me);
    }
    check(overlaps, 0, "nest lock held by two threads at once");
    check(counter, (long)ITERS * nthr, "counter under the nest lock");

    check(omp_test_nest_lock(&nl), 1, "nest lock free after the region");
    omp_unset_nest_lock(&nl);
    omp_destroy_nest_lock(&nl);
    return failures > 100 ? 100 : failures;
}
