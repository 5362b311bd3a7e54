/*
 * NPB EP -- "Embarrassingly Parallel" kernel, OpenMP C.
 *
 * Written for the pomp project from the problem definition in
 * NASA RNR-94-007 section 2.3 ("Embarrassingly parallel benchmark")
 * and the class parameters of NAS-95-020 / NPB 3.x.
 *
 * 2^(M+1) uniform deviates r_1, r_2, ... come from the NPB generator
 * (seed 271828183, a = 5^13).  Pair j is (x, y) = (2 r_{2j-1} - 1,
 * 2 r_{2j} - 1); pairs with t = x^2 + y^2 <= 1 are turned into two
 * independent Gaussian deviates by the Marsaglia polar method,
 *     X = x sqrt(-2 ln t / t),  Y = y sqrt(-2 ln t / t),
 * whose sums sx, sy and the counts of pairs falling in each square
 * annulus l <= max(|X|,|Y|) < l+1 are the result.
 *
 * Parallelisation: the 2^M pairs are cut into batches of 2^16 pairs;
 * each batch's first seed is found by jumping ahead in the stream, so
 * batches are independent.  Each thread generates its batches into a
 * threadprivate buffer and keeps threadprivate annulus counts.
 */
#include "common/npb.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define BATCH_LOG2 16
#define BATCH_PAIRS (1L << BATCH_LOG2)
#define NUM_ANNULI 10

#define EP_SEED 271828183.0

/* per-thread scratch: one batch of uniform deviates, and the counts */
static double batch_uniforms[2 * BATCH_PAIRS];
static double annulus_count[NUM_ANNULI];
#pragma omp threadprivate(batch_uniforms, annulus_count)

typedef struct {
    char klass;
    int m;              /* 2^m pairs */
    double sx_ref, sy_ref;
} ep_class;

/* verification sums: NPB 3.x reference values (see README.md) */
static const ep_class ep_classes[] = {
    {'S', 24, -3.247834652034740e+3, -6.958407078382297e+3},
    {'W', 25, -2.863319731645753e+3, -6.320053679109499e+3},
    {'A', 28, -4.295875165629892e+3, -1.580732573678431e+4},
    {'B', 30,  4.033815542441498e+4, -2.660669192809235e+4},
    {'C', 32,  4.764367927995374e+4, -8.084072988043731e+4},
};

int main(int argc, char **argv)
{
    char klass = npb_class_from_args(argc, argv, "EP", "SWABC");
    const ep_class *cls = NULL;
    for (size_t i = 0; i < sizeof ep_classes / sizeof ep_classes[0]; i++)
        if (ep_classes[i].klass == klass)
            cls = &ep_classes[i];

    const int m = cls->m;
    const long nbatches = 1L << (m - BATCH_LOG2);
    double total_counts[NUM_ANNULI] = {0};
    double sx = 0.0, sy = 0.0;

    printf("\n\n NAS Parallel Benchmarks (pomp, written from the spec) - EP Benchmark\n\n");
    printf(" Number of random numbers generated: %15.0f\n", ldexp(1.0, m + 1));
    printf(" Number of available threads:        %15d\n", omp_get_max_threads());

    double t0 = npb_wtime();

    /* the stream advances by 2 * BATCH_PAIRS per batch */
    const double batch_stride = npb_rand_power(NPB_A_5POW13, 2 * BATCH_PAIRS);

#pragma omp parallel default(none) shared(total_counts) firstprivate(nbatches, batch_stride) reduction(+:sx, sy)
    {
        for (int l = 0; l < NUM_ANNULI; l++)
            annulus_count[l] = 0.0;

#pragma omp for schedule(static)
        for (long b = 0; b < nbatches; b++) {
            /* first state of batch b: seed * (a^(2*BATCH_PAIRS))^b */
            double state = EP_SEED;
            npb_rand_next(&state, npb_rand_power(batch_stride, b));
            npb_rand_fill(&state, NPB_A_5POW13, batch_uniforms, 2 * BATCH_PAIRS);

            double bx = 0.0, by = 0.0;
            for (long i = 0; i < BATCH_PAIRS; i++) {
                double x = 2.0 * batch_uniforms[2 * i] - 1.0;
                double y = 2.0 * batch_uniforms[2 * i + 1] - 1.0;
                double t = x * x + y * y;
                if (t <= 1.0) {
                    double f = sqrt(-2.0 * log(t) / t);
                    double gx = x * f, gy = y * f;
                    double ax = fabs(gx), ay = fabs(gy);
                    int l = (int)(ax > ay ? ax : ay);
                    if (l >= NUM_ANNULI)
                        l = NUM_ANNULI - 1;
                    annulus_count[l] += 1.0;
                    bx += gx;
                    by += gy;
                }
            }
            sx += bx;
            sy += by;
        }

        for (int l = 0; l < NUM_ANNULI; l++) {
#pragma omp atomic
            total_counts[l] += annulus_count[l];
        }
    }

    double seconds = npb_wtime() - t0;

    double gaussian_pairs = 0.0;
    for (int l = 0; l < NUM_ANNULI; l++)
        gaussian_pairs += total_counts[l];

    double ex = fabs((sx - cls->sx_ref) / cls->sx_ref);
    double ey = fabs((sy - cls->sy_ref) / cls->sy_ref);
    int verified = ex <= 1.0e-8 && ey <= 1.0e-8;

    printf("\n EP Benchmark Results:\n\n");
    printf(" CPU Time =%10.4f\n", seconds);
    printf(" N = 2^%5d\n", m);
    printf(" No. Gaussian Pairs = %15.0f\n", gaussian_pairs);
    printf(" Sums = %25.15e %25.15e\n", sx, sy);
    printf(" Reference sums = %25.15e %25.15e\n", cls->sx_ref, cls->sy_ref);
    printf(" Relative errors = %10.3e %10.3e\n", ex, ey);
    printf(" Counts:\n");
    for (int l = 0; l < NUM_ANNULI; l++)
        printf("%3d%15.0f\n", l, total_counts[l]);

    char size[32];
    snprintf(size, sizeof size, "%.0f", ldexp(1.0, m + 1));
    npb_result r = {
        .kernel = "EP",
        .klass = klass,
        .size = size,
        .iterations = 0,
        .seconds = seconds,
        .mops = ldexp(1.0, m + 1) / seconds / 1.0e6,
        .op_type = "Random numbers generated",
        .verified = verified,
    };
    return npb_report(&r);
}
