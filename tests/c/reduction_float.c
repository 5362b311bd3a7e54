// Checks floating-point reductions (+ * - min max, and && || on double) on double and float: on a parallel directive (one contribution per thread), on a dynamic worksharing loop, and on a combined parallel for, using exactly representable values so the combination order cannot change the result; also infinities as min/max initial values and zero-iteration loops.
// GOMP entry points: GOMP_parallel, GOMP_parallel_loop_nonmonotonic_dynamic, GOMP_loop_nonmonotonic_dynamic_next, GOMP_loop_end, GOMP_atomic_start, GOMP_atomic_end.
// pomp-test: ldflags=-lm
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

static void checkd(double got, double want, const char *fmt, ...)
{
    if (got == want || (isnan(got) && isnan(want)))
        return;
    failures++;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %.17g, want %.17g)\n", got, want);
    va_end(ap);
}

#define N 3000

int main(void)
{
    /* Reductions on the parallel directive: each thread contributes once. */
    for (int r = 0; r < 5; r++) {
        double dsum = 0.5, dprod = 1.0, dmin = 1e300, dmax = -1e300, dsub = 2.0;
        float fsum = 0.25f, fprod = 2.0f, fmin = 1e30f, fmax = -1e30f;
        int nthr = 0;
#pragma omp parallel reduction(+:dsum, fsum) reduction(*:dprod, fprod) reduction(min:dmin, fmin) \
        reduction(max:dmax, fmax) reduction(-:dsub)
        {
            int me = omp_get_thread_num();
            if (me == 0)
                nthr = omp_get_num_threads();
            dsum += 1.5 * (me + 1);
            fsum += 0.5f * (me + 1);
            dprod *= 2.0;
            fprod *= 0.5f;
            dmin = me * 1.25 - 3.0;
            fmin = (float)me * 0.75f;
            dmax = me * 1.25 - 3.0;
            fmax = (float)me * 0.75f;
            dsub -= 1.0;
        }
        double T = nthr;
        checkd(dsum, 0.5 + 1.5 * T * (T + 1) / 2, "parallel: double +, round %d", r);
        checkd(fsum, 0.25 + 0.5 * T * (T + 1) / 2, "parallel: float +, round %d", r);
        checkd(dprod, ldexp(1.0, nthr), "parallel: double *, round %d", r);
        checkd(fprod, ldexp(2.0, -nthr), "parallel: float *, round %d", r);
        checkd(dmin, -3.0, "parallel: double min, round %d", r);
        checkd(fmin, 0.0, "parallel: float min, round %d", r);
        checkd(dmax, (nthr - 1) * 1.25 - 3.0, "parallel: double max, round %d", r);
        checkd(fmax, (nthr - 1) * 0.75, "parallel: float max, round %d", r);
        checkd(dsub, 2.0 - T, "parallel: double -, round %d", r);
    }

    /* Worksharing loop inside a region. */
    double s = 100.0, p = 1.0, mn = 0.0, mx = 0.0;
    float fs = 0.0f, fp = 1.0f, fmn = 0.0f, fmx = 0.0f;
    double all_pos = 1.0, any_big = 0.0;
#pragma omp parallel
    {
#pragma omp for schedule(dynamic, 7) reduction(+:s, fs) reduction(*:p, fp) reduction(min:mn, fmn) \
        reduction(max:mx, fmx) reduction(&&:all_pos) reduction(||:any_big)
        for (int i = 0; i < N; i++) {
            s += 0.25 * i;
            fs += (float)(i % 8) * 0.125f;
            if (i % 500 == 3)
                p *= 2.0;
            if (i % 1000 == 7)
                fp *= 0.5f;
            double v = (i * 7919 % 1009) * 0.5 - 200.0;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
            fmn = (float)v < fmn ? (float)v : fmn;
            fmx = (float)v > fmx ? (float)v : fmx;
            all_pos = all_pos && (i + 0.5 > 0.0);
            any_big = any_big || (v > 300.0);
        }
    }
    double rs = 100.0, rmn = 0.0, rmx = 0.0;
    float rfs = 0.0f;
    for (int i = 0; i < N; i++) {
        rs += 0.25 * i;
        rfs += (float)(i % 8) * 0.125f;
        double v = (i * 7919 % 1009) * 0.5 - 200.0;
        rmn = v < rmn ? v : rmn;
        rmx = v > rmx ? v : rmx;
    }
    checkd(s, rs, "for: double +");
    checkd(fs, rfs, "for: float +");
    checkd(p, 64.0, "for: double *");
    checkd(fp, 0.125, "for: float *");
    checkd(mn, rmn, "for: double min");
    checkd(mx, rmx, "for: double max");
    checkd(fmn, (float)rmn, "for: float min");
    checkd(fmx, (float)rmx, "for: float max");
    checkd(all_pos, 1.0, "for: double &&");
    checkd(any_big, rmx > 300.0, "for: double ||");

    /* Combined parallel for, static schedule, infinities in min/max. */
    double cmin = INFINITY, cmax = -INFINITY, csum = 0.0;
#pragma omp parallel for reduction(min:cmin) reduction(max:cmax) reduction(+:csum)
    for (int i = -500; i < 500; i++) {
        double v = i * 0.5;
        if (v < cmin)
            cmin = v;
        if (v > cmax)
            cmax = v;
        csum += v;
    }
    checkd(cmin, -250.0, "parallel for: min from +inf");
    checkd(cmax, 249.5, "parallel for: max from -inf");
    checkd(csum, -250.0, "parallel for: +");

    /* Zero iterations: the originals are left as they were. */
    double zmin = 3.5, zsum = -0.0;
    float zprod = 7.0f;
    int zero = 0;
#pragma omp parallel for reduction(min:zmin) reduction(+:zsum) reduction(*:zprod)
    for (int i = 0; i < zero; i++) {
        zmin = -1.0;
        zsum += 1.0;
        zprod *= 3.0f;
    }
    checkd(zmin, 3.5, "empty loop: min");
    checkd(zprod, 7.0, "empty loop: *");
    checkd(zsum, 0.0, "empty loop: + value");

    return failures > 100 ? 100 : failures;
}
