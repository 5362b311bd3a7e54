// Checks reductions with the task modifier when no explicit task takes part: reduction(task, op:x) on parallel, on a worksharing loop (static and dynamic), on a combined parallel for and on sections must still combine every implicit task's contribution with the original, several variables and operators at once.
// GOMP entry points: GOMP_parallel_reductions, GOMP_parallel, GOMP_loop_start (with reductions), GOMP_loop_nonmonotonic_dynamic_next, GOMP_loop_nonmonotonic_guided_next, GOMP_loop_end, GOMP_sections2_start, GOMP_sections_next, GOMP_sections_end, GOMP_taskgroup_reduction_unregister, GOMP_workshare_task_reduction_unregister.
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

int main(void)
{
    /* On parallel. */
    for (int r = 0; r < 10; r++) {
        long sum = 100;
        int mx = -5;
        unsigned bits = 0;
        double d = 0.5;
        int nthr = 0;
#pragma omp parallel reduction(task, +:sum) reduction(task, max:mx) reduction(task, |:bits) reduction(task, +:d)
        {
            int me = omp_get_thread_num();
            if (me == 0)
                nthr = omp_get_num_threads();
            sum += me + 1;
            if (me * 3 > mx)
                mx = me * 3;
            bits |= 1u << me;
            d += 0.25;
        }
        check(sum, 100 + (long)nthr * (nthr + 1) / 2, "parallel: + round %d", r);
        check(mx, (nthr - 1) * 3 > -5 ? (nthr - 1) * 3 : -5, "parallel: max round %d", r);
        check(bits, (1u << nthr) - 1, "parallel: | round %d", r);
        check(d == 0.5 + 0.25 * nthr, 1, "parallel: double + round %d", r);
    }

    /* On a static worksharing loop inside a region. */
    for (int r = 0; r < 5; r++) {
        long s = 7;
        long p = 1;
#pragma omp parallel
        {
#pragma omp for reduction(task, +:s) reduction(task, *:p) schedule(static)
            for (int i = 0; i < 1000; i++) {
                s += i;
                if (i % 100 == 0)
                    p *= 2;
            }
        }
        check(s, 7 + 499500, "static for: + round %d", r);
        check(p, 1024, "static for: * round %d", r);
    }

    /* On a dynamic worksharing loop, twice in the same region. */
    long a = 0, b = 0;
#pragma omp parallel
    {
#pragma omp for reduction(task, +:a) schedule(dynamic, 3)
        for (int i = 0; i < 300; i++)
            a += i;
#pragma omp for reduction(task, +:b) schedule(guided)
        for (int i = 0; i < 300; i++)
            b += 2 * i;
    }
    check(a, 44850, "dynamic for: +");
    check(b, 89700, "guided for: +");

    /* Combined parallel for. */
    long c = -1;
#pragma omp parallel for reduction(task, +:c)
    for (int i = 1; i <= 100; i++)
        c += i;
    check(c, 5049, "parallel for: +");

    /* Sections. */
    int sc = 0;
#pragma omp parallel
    {
#pragma omp sections reduction(task, +:sc)
        {
#pragma omp section
            sc += 1;
#pragma omp section
            sc += 10;
#pragma omp section
            sc += 100;
        }
    }
    check(sc, 111, "sections: +");

    return failures > 100 ? 100 : failures;
}
