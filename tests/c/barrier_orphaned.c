// Checks orphaned barriers (in a function called from a parallel region) bind to the calling thread's team for teams of several sizes, and are no-ops when called from serial code or from an inactive (if(0)) region.
// GOMP entry points: GOMP_parallel, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 64
#define ROUNDS 150

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

static long counter;
static long stale;

/* The barrier here is orphaned: which team it synchronises is decided at
   run time by the caller. */
static void __attribute__((noinline)) sync_point(void)
{
#pragma omp barrier
}

static void __attribute__((noinline)) phase_loop(int rounds)
{
    int n = omp_get_num_threads();
    for (int r = 0; r < rounds; r++) {
        __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
        sync_point();
        long c = __atomic_load_n(&counter, __ATOMIC_RELAXED);
        /* Everyone has arrived for round r; nobody beyond round r+1. */
        if (c < (long)(r + 1) * n || c > (long)(r + 2) * n - 1)
            __atomic_fetch_add(&stale, 1, __ATOMIC_RELAXED);
    }
}

int main(void)
{
    /* From serial code: a no-op that returns immediately. */
    for (int i = 0; i < 10; i++)
        sync_point();
    check(omp_in_parallel(), 0, "in parallel after serial orphaned barriers");

    int sizes[3] = { omp_get_max_threads(), 3, 2 };
    for (int s = 0; s < 3; s++) {
        counter = 0;
        stale = 0;
        int nthr = 0;
#pragma omp parallel num_threads(sizes[s])
        {
#pragma omp master
            nthr = omp_get_num_threads();
            phase_loop(ROUNDS);
        }
        check(nthr, sizes[s], "team size %d: omp_get_num_threads", sizes[s]);
        check(counter, (long)ROUNDS * nthr, "team size %d: arrivals", sizes[s]);
        check(stale, 0, "team size %d: barriers that did not hold the team", sizes[s]);
    }

    /* An inactive region: the team has one thread, barriers pass at once. */
    counter = 0;
    stale = 0;
    int n_if0 = 0;
#pragma omp parallel if(0)
    {
        n_if0 = omp_get_num_threads();
        phase_loop(50);
    }
    check(n_if0, 1, "if(0) region: team size");
    check(counter, 50, "if(0) region: arrivals");
    check(stale, 0, "if(0) region: bad counter values");

    /* The same function used both ways inside one region: serial code
       around a region that calls it. */
    long seen = 0;
#pragma omp parallel reduction(+:seen)
    {
        int me = omp_get_thread_num();
        static int slot[MAXT];
        if (me < MAXT)
            slot[me] = me + 1;
        sync_point();
        for (int t = 0; t < omp_get_num_threads() && t < MAXT; t++)
            seen += slot[t] == t + 1;
        sync_point();
    }
    int n = omp_get_max_threads();
    check(seen, (long)n * n, "slots seen after an orphaned barrier");
    return failures > 100 ? 100 : failures;
}
