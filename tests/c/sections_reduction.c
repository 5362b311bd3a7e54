// Checks reduction clauses on sections (orphaned-style sections inside a region and combined parallel sections): +, *, max, min and bitwise-or reductions combine the contributions of every section exactly once with the original value, whatever the team size.
// GOMP entry points: GOMP_parallel, GOMP_parallel_sections, GOMP_sections_start, GOMP_sections_next, GOMP_sections_end, GOMP_sections_end_nowait, GOMP_barrier, GOMP_single_start, GOMP_atomic_start, GOMP_atomic_end.
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
    for (int round = 0; round < 10; round++) {
        long sum = 1000;
        long prod = 2;
        int mx = -50, mn = 50;
        unsigned bits = 0x100;
        double dsum = 0.5;
        int seen_team = 0;
#pragma omp parallel shared(seen_team)
        {
#pragma omp single
            seen_team = omp_get_num_threads();
#pragma omp sections reduction(+:sum, dsum) reduction(*:prod) reduction(max:mx) reduction(min:mn) reduction(|:bits)
            {
#pragma omp section
                {
                    sum += 1;
                    prod *= 3;
                    mx = mx > 7 ? mx : 7;
                    mn = mn < 9 ? mn : 9;
                    bits |= 1u;
                    dsum += 0.25;
                }
#pragma omp section
                {
                    sum += 20;
                    prod *= 5;
                    mx = mx > 3 + round ? mx : 3 + round;
                    mn = mn < -round ? mn : -round;
                    bits |= 2u;
                    dsum += 1.0;
                }
#pragma omp section
                {
                    sum += 300;
                    prod *= 7;
                    mx = mx > -1 ? mx : -1;
                    mn = mn < 4 ? mn : 4;
                    bits |= 4u;
                    dsum += 2.0;
                }
#pragma omp section
                {
                    sum += 4000;
                    prod *= 11;
                    bits |= 8u;
                }
            }
        }
        check(sum, 1000 + 4321, "round %d: + reduction", round);
        check(prod, 2L * 3 * 5 * 7 * 11, "round %d: * reduction", round);
        check(mx, round + 3 > 7 ? round + 3 : 7, "round %d: max reduction", round);
        check(mn, -round < 4 ? -round : 4, "round %d: min reduction", round);
        check(bits, 0x10f, "round %d: | reduction", round);
        check(dsum == 3.75, 1, "round %d: double + reduction", round);
        check(seen_team >= 1, 1, "round %d: team size", round);
    }

    /* Combined parallel sections with a reduction and more sections than
       threads. */
    int count = 0;
    long weighted = 0;
#pragma omp parallel sections reduction(+:count, weighted)
    {
#pragma omp section
        {
            count++;
            weighted += 1;
        }
#pragma omp section
        {
            count++;
            weighted += 2;
        }
#pragma omp section
        {
            count++;
            weighted += 4;
        }
#pragma omp section
        {
            count++;
            weighted += 8;
        }
#pragma omp section
        {
            count++;
            weighted += 16;
        }
#pragma omp section
        {
            count++;
            weighted += 32;
        }
#pragma omp section
        {
            count++;
            weighted += 64;
        }
    }
    check(count, 7, "parallel sections: section count");
    check(weighted, 127, "parallel sections: each section once");

    /* Sections with a reduction on a shared variable, 10 regions of 3 threads. */
    long total = 0;
    for (int r = 0; r < 10; r++) {
#pragma omp parallel num_threads(3) shared(total)
        {
#pragma omp sections reduction(+:total)
            {
#pragma omp section
                total += r;
#pragma omp section
                total += 1000;
            }
        }
    }
    check(total, 10L * 9 / 2 + 10L * 1000, "sections reduction into a shared variable, 10 regions");

    return failures > 100 ? 100 : failures;
}
