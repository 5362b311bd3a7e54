// Checks one + reduction carried through each construct that accepts it: the parallel directive, a worksharing loop with and without nowait (the result is complete after the next barrier), a combined parallel for with num_threads, an orphaned loop called inside and outside a region, a reduction in an inner region nested in an outer loop reduction, and many back-to-back regions.
// GOMP entry points: GOMP_parallel (static loops are open-coded), GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_end, GOMP_barrier, GOMP_atomic_start, GOMP_atomic_end.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    failures++;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

static long orphan_total;

/* Orphaned worksharing loop: the reduction goes into a static variable that
   is shared in the binding region. */
static void orphan_sum(int n)
{
#pragma omp for reduction(+:orphan_total)
    for (int i = 0; i < n; i++)
        orphan_total += i;
}

int main(void)
{
    /* Parallel directive: one contribution per thread. */
    long per_thread = 10;
    int nthr = 0;
#pragma omp parallel reduction(+:per_thread)
    {
#pragma omp master
        nthr = omp_get_num_threads();
        per_thread += 1;
    }
    check(per_thread, 10 + nthr, "parallel: one contribution per thread");

    /* For with nowait: the value is complete after an explicit barrier. */
    long nw = 0;
    int seen_complete = 0;
#pragma omp parallel shared(nw) reduction(+:seen_complete)
    {
#pragma omp for nowait reduction(+:nw) schedule(static)
        for (int i = 0; i < 1000; i++)
            nw += i;
#pragma omp barrier
        seen_complete += __atomic_load_n(&nw, __ATOMIC_RELAXED) == 499500;
    }
    check(nw, 499500, "for nowait: total");
    check(seen_complete, nthr, "for nowait: threads seeing the total after the barrier");

    /* For without nowait: complete right after the loop in every thread. */
    long wt = 0;
    int seen_after_loop = 0;
#pragma omp parallel shared(wt) reduction(+:seen_after_loop)
    {
#pragma omp for reduction(+:wt) schedule(dynamic, 13)
        for (int i = 0; i < 777; i++)
            wt += 2;
        seen_after_loop += __atomic_load_n(&wt, __ATOMIC_RELAXED) == 1554;
    }
    check(wt, 1554, "for: total");
    check(seen_after_loop, nthr, "for: threads seeing the total after the loop's barrier");

    /* Combined parallel for with num_threads 1..5. */
    for (int t = 1; t <= 5; t++) {
        long s = 0;
#pragma omp parallel for num_threads(t) reduction(+:s)
        for (int i = 0; i < 100 * t; i++)
            s += 1;
        check(s, 100 * t, "parallel for num_threads(%d): total", t);
    }

    /* Orphaned loop, inside a region and outside any region. */
    orphan_total = 5;
#pragma omp parallel
    orphan_sum(200);
    check(orphan_total, 5 + 19900, "orphaned for inside a region");
    orphan_total = 1;
    orphan_sum(10);
    check(orphan_total, 1 + 45, "orphaned for outside any region");

    /* Nested: an inner parallel region with its own reduction inside each
       iteration of an outer reduction loop; the inner total is the inner
       team's size, whatever it is. */
    long outer = 0;
    int inner_bad = 0;
#pragma omp parallel for reduction(+:outer, inner_bad) schedule(static, 1)
    for (int i = 0; i < 8; i++) {
        long inner = 0;
        int inner_size = 0;
#pragma omp parallel num_threads(2) reduction(+:inner)
        {
            if (omp_get_thread_num() == 0)
                inner_size = omp_get_num_threads();
            inner += 1;
        }
        inner_bad += inner != inner_size;
        outer += i;
    }
    check(outer, 28, "nested: outer total");
    check(inner_bad, 0, "nested: inner totals that differ from the inner team size");

    /* Many back-to-back regions with a reduction; stale partial sums from a
       previous region must not leak into the next. */
    long acc = 0;
    for (int r = 0; r < 30; r++) {
        long x = r;
#pragma omp parallel for reduction(+:x)
        for (int i = 0; i < 16; i++)
            x += 1;
        acc += x - r;
    }
    check(acc, 30 * 16, "30 regions: sum of increments");

    return failures > 100 ? 100 : failures;
}
