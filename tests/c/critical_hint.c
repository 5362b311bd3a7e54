// Checks named critical sections with hint clauses (contended, uncontended, speculative, nonspeculative, combinations): hints never weaken mutual exclusion, counters are exact, and two critical sections with the same name but different hints still share one lock.
// GOMP entry points: GOMP_parallel, GOMP_critical_name_start, GOMP_critical_name_end (the hint is not passed to the runtime).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define ITERS 3000

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

struct guarded {
    int inside;
    long overlaps;
    volatile long count;
};

static struct guarded g1, g2, g3, g4;

static inline void guarded_inc(struct guarded *g)
{
    if (__atomic_fetch_add(&g->inside, 1, __ATOMIC_RELAXED) != 0)
        __atomic_fetch_add(&g->overlaps, 1, __ATOMIC_RELAXED);
    long c = g->count;
    for (volatile int s = 0; s < 2; s++)
        ;
    g->count = c + 1;
    __atomic_fetch_sub(&g->inside, 1, __ATOMIC_RELAXED);
}

int main(void)
{
    int nthr = omp_get_max_threads();
#pragma omp parallel
    {
        for (int i = 0; i < ITERS; i++) {
#pragma omp critical(hc) hint(omp_sync_hint_contended)
            guarded_inc(&g1);
#pragma omp critical(hu) hint(omp_sync_hint_uncontended)
            guarded_inc(&g2);
            if (i & 1) {
#pragma omp critical(hs) hint(omp_sync_hint_speculative)
                guarded_inc(&g3);
            } else {
                /* Same name, different hint: still the same lock. */
#pragma omp critical(hs) hint(omp_sync_hint_nonspeculative | omp_sync_hint_contended)
                guarded_inc(&g3);
            }
#pragma omp critical(hn) hint(omp_sync_hint_none)
            guarded_inc(&g4);
        }
    }
    check(g1.overlaps, 0, "hint(contended) overlaps");
    check(g2.overlaps, 0, "hint(uncontended) overlaps");
    check(g3.overlaps, 0, "hint(speculative)/hint(nonspeculative|contended) overlaps");
    check(g4.overlaps, 0, "hint(none) overlaps");
    check(g1.count, (long)ITERS * nthr, "hint(contended) count");
    check(g2.count, (long)ITERS * nthr, "hint(uncontended) count");
    check(g3.count, (long)ITERS * nthr, "mixed-hint same-name count");
    check(g4.count, (long)ITERS * nthr, "hint(none) count");
    return failures > 100 ? 100 : failures;
}
