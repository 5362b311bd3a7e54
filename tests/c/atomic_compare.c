// Checks OpenMP 5.1 atomic compare forms under contention: compare-and-swap "if (x == e) x = d" claims each slot exactly once, the capture form reports success, compare capture of the old value implements a lock-free counter, and min/max compare forms are exact.
// GOMP entry points: GOMP_parallel, GOMP_atomic_start/end (reduction merge); the compare forms compile to inline compare-and-swap.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define SLOTS 2000
#define ITERS 2000
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

static int slot[SLOTS];      /* 0 = free, else claimer's thread number + 1 */
static long claims_by[MAXT];
static int counter;
static long lmax = -1, lmin = 1L << 40;

int main(void)
{
    int nthr = omp_get_max_threads();
    if (nthr < 1 || nthr > MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", nthr);
        return 1;
    }
    long wins = 0, bad = 0;
#pragma omp parallel reduction(+:wins, bad)
    {
        int me = omp_get_thread_num();
        /* Every thread tries every slot; exactly one claim per slot wins. */
        for (int k = 0; k < SLOTS; k++) {
            int i = (k + me * 101) % SLOTS;
            int won;
            if (k & 1) {
#pragma omp atomic compare capture
                { won = slot[i] == 0; if (won) { slot[i] = me + 1; } }
            } else {
                int old;
#pragma omp atomic compare capture
                { old = slot[i]; if (slot[i] == 0) { slot[i] = me + 1; } }
                won = old == 0;
                if (!won && (old < 1 || old > omp_get_num_threads()))
                    bad++;
            }
            if (won) {
                wins++;
                claims_by[me]++;
            }
        }
        /* Lock-free increment by compare-and-swap retry loops. */
        for (int k = 0; k < ITERS; k++) {
            int seen;
#pragma omp atomic read
            seen = counter;
            for (;;) {
                int old;
#pragma omp atomic compare capture
                { old = counter; if (counter == seen) { counter = seen + 1; } }
                if (old == seen)
                    break;
                seen = old;
            }
            long v = (long)k * nthr + me;
#pragma omp atomic compare
            lmax = lmax < v ? v : lmax;
#pragma omp atomic compare
            lmin = v < lmin ? v : lmin;
        }
        /* Plain compare on a claimed slot never overwrites it. */
        for (int k = 0; k < SLOTS; k += 7) {
#pragma omp atomic compare
            if (slot[k] == 0) { slot[k] = -1; }
        }
    }
    check(wins, SLOTS, "successful claims");
    check(bad, 0, "failed claims reporting an impossible old value");
    long by = 0, empty = 0;
    for (int t = 0; t < MAXT; t++)
        by += claims_by[t];
    for (int i = 0; i < SLOTS; i++)
        empty += slot[i] < 1 || slot[i] > nthr;
    check(by, SLOTS, "claims counted per thread");
    check(empty, 0, "slots without a valid owner");
    check(counter, (long)ITERS * nthr, "compare-and-swap counter");
    check(lmax, (long)(ITERS - 1) * nthr + nthr - 1, "compare max");
    check(lmin, 0, "compare min");
    return failures > 100 ? 100 : failures;
}
