// Checks data clauses on sections: lastprivate takes the values from the lexically last section whichever thread ran it (also on combined parallel sections with more sections than threads), firstprivate copies the original into each thread, and private copies leave the original untouched.
// GOMP entry points: GOMP_parallel_sections, GOMP_sections_next, GOMP_sections_end, GOMP_sections_end_nowait.
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
    for (int round = 0; round < 20; round++) {
        int last = -1;
        long lastl = -1;
        double lastd = -1.0;
        int first = 100 + round;
        int fp_ok = 0;
        int priv = 7;
#pragma omp parallel shared(fp_ok)
        {
#pragma omp sections lastprivate(last, lastl, lastd) firstprivate(first) private(priv)
            {
#pragma omp section
                {
                    priv = 1;
                    if (first == 100 + round)
                        __atomic_fetch_add(&fp_ok, 1, __ATOMIC_RELAXED);
                    last = 1;
                    lastl = 10;
                    lastd = 0.5;
                }
#pragma omp section
                {
                    priv = 2;
                    if (first == 100 + round)
                        __atomic_fetch_add(&fp_ok, 1, __ATOMIC_RELAXED);
                    last = 2;
                    lastl = 20;
                    lastd = 1.5;
                }
#pragma omp section
                {
                    priv = 3;
                    if (first == 100 + round)
                        __atomic_fetch_add(&fp_ok, 1, __ATOMIC_RELAXED);
                    last = 3 + round;
                    lastl = 30000000000L + round;
                    lastd = 2.25 + round;
                }
            }
        }
        check(last, 3 + round, "round %d: lastprivate int", round);
        check(lastl, 30000000000L + round, "round %d: lastprivate long", round);
        check(lastd == 2.25 + round, 1, "round %d: lastprivate double", round);
        check(fp_ok, 3, "round %d: sections that saw the firstprivate value", round);
        check(first, 100 + round, "round %d: firstprivate original unchanged", round);
        check(priv, 7, "round %d: private original unchanged", round);
    }

    /* Combined parallel sections with lastprivate and more sections than
       threads; the last section is not the last one to finish. */
    int x = 0;
    int order[5] = {0};
#pragma omp parallel sections lastprivate(x)
    {
#pragma omp section
        {
            x = 11;
            order[0] = 1;
        }
#pragma omp section
        {
            x = 22;
            order[1] = 1;
        }
#pragma omp section
        {
            x = 33;
            order[2] = 1;
        }
#pragma omp section
        {
            x = 44;
            order[3] = 1;
        }
#pragma omp section
        {
            /* Do a little work so another section may finish later. */
            volatile int spin = 0;
            for (int i = 0; i < 1000; i++)
                spin += i;
            x = 55 + (spin != 499500);
            order[4] = 1;
        }
    }
    check(x, 55, "parallel sections: lastprivate from the last section");
    for (int s = 0; s < 5; s++)
        check(order[s], 1, "parallel sections: section %d ran", s);

    return failures > 100 ? 100 : failures;
}
