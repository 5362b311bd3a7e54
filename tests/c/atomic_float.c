// Checks omp atomic on float and double: update forms (+=, -=, *=, x = expr op x) with exactly representable values give exact totals, capture returns distinct old values, atomic compare computes exact max/min, and reads never see torn writes.
// GOMP entry points: GOMP_parallel, GOMP_atomic_start/end (reduction merge; float and double atomics are inline compare-and-swap loops).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define ITERS 2000
#define MAXT 64

static int failures;

static void check_d(double got, double want, const char *fmt, ...)
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
    printf(" (got %.17g, want %.17g)\n", got, want);
    va_end(ap);
}

static float fsum;
static double dsum, dsub = 1e6, dmul = 1.0, drev;
static double dticket;
static double dmax = -1.0, dmin = 1e300;
static float fmax_ = -1.0f;
static double shared_d = 1.0;

int main(void)
{
    int nthr = omp_get_max_threads();
    if (nthr < 1 || nthr > MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", nthr);
        return 1;
    }
    long total = (long)ITERS * nthr;
    char *seen = calloc((size_t)total, 1);
    if (!seen)
        return 1;
    long bad = 0, torn = 0;

#pragma omp parallel reduction(+:bad, torn)
    {
        int me = omp_get_thread_num();
        for (int i = 0; i < ITERS; i++) {
#pragma omp atomic
            fsum += 0.25f;
#pragma omp atomic
            dsum += 0.125;
#pragma omp atomic update
            dsub = dsub - 0.5;
#pragma omp atomic update
            drev = 0.75 + drev;
            if (i < 8) {
                /* 8 * nthr doublings stay exact */
#pragma omp atomic
                dmul *= 2.0;
            }
            /* Capture of the old value: 0, 1, 2, ... each seen once. */
            double old;
#pragma omp atomic capture
            { old = dticket; dticket += 1.0; }
            long k = (long)old;
            if (k < 0 || k >= total || (double)k != old)
                bad++;
            else
                seen[k]++;

            double val = (double)(me * ITERS + i) * 0.5;
#pragma omp atomic compare
            dmax = dmax < val ? val : dmax;
#pragma omp atomic compare
            dmin = dmin > val ? val : dmin;
            float fval = (float)(i * nthr + me);
#pragma omp atomic compare
            fmax_ = fmax_ < fval ? fval : fmax_;

            /* Written values are 2^k; a torn read would not be a power of two. */
            if ((i + me) % 4 == 0) {
#pragma omp atomic write
                shared_d = (double)(1LL << ((me * 7 + i) % 60));
            } else {
                double r;
#pragma omp atomic read
                r = shared_d;
                long long bitsr;
                __builtin_memcpy(&bitsr, &r, sizeof r);
                if ((bitsr & 0x000fffffffffffffLL) != 0 || r < 1.0 || r > 1.2e18)
                    torn++;
            }
        }
    }
    check_d(fsum, 0.25f * total, "float +=");
    check_d(dsum, 0.125 * total, "double +=");
    check_d(dsub, 1e6 - 0.5 * total, "double = double - 0.5");
    check_d(drev, 0.75 * total, "double = 0.75 + double");
    double want_mul = 1.0;
    for (int k = 0; k < 8 * nthr; k++)
        want_mul *= 2.0;
    check_d(dmul, want_mul, "double *= 2");
    check_d(dticket, (double)total, "double capture final value");
    long dup = 0;
    for (long k = 0; k < total; k++)
        dup += seen[k] != 1;
    check_d((double)dup, 0, "captured double values not seen exactly once");
    check_d((double)bad, 0, "captured double values out of range");
    check_d(dmax, (double)(nthr * ITERS - 1) * 0.5, "atomic compare max");
    check_d(dmin, 0.0, "atomic compare min");
    check_d(fmax_, (float)(ITERS * nthr - 1), "float atomic compare max");
    check_d((double)torn, 0, "torn double reads");
    free(seen);
    return failures > 100 ? 100 : failures;
}
