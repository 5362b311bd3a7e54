/*
 * Shared helpers for pomp's NAS Parallel Benchmark kernels: the NPB
 * linear congruential generator, class selection and the report.
 *
 * Written for the pomp project from the NPB problem definitions
 * (NASA RNR-94-007 and NAS-95-020).
 */
#define _POSIX_C_SOURCE 200112L
#include "npb.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

/* 2^23, 2^-23, 2^46, 2^-46 written out so no libm call is needed. */
#define TWO23   8388608.0
#define TWOM23  (1.0 / 8388608.0)
#define TWO46   (TWO23 * TWO23)
#define TWOM46  (TWOM23 * TWOM23)

/*
 * Exact (a*x) mod 2^46 for integers 0 <= a, x < 2^46 held in doubles.
 * With a = ah*2^23 + al and x = xh*2^23 + xl:
 *   a*x = ah*xh*2^46 + (ah*xl + al*xh)*2^23 + al*xl
 * The first term vanishes mod 2^46; the middle coefficient is reduced
 * mod 2^23 before it is shifted up.  Every intermediate value is an
 * integer below 2^53, so each double operation is exact.
 */
static inline double mulmod46(double ah, double al, double x)
{
    double xh = (double)(int64_t)(TWOM23 * x);
    double xl = x - TWO23 * xh;
    double mid = ah * xl + al * xh;                 /* < 2^47 */
    double midh = (double)(int64_t)(TWOM23 * mid);
    double midl = mid - TWO23 * midh;               /* mid mod 2^23 */
    double full = TWO23 * midl + al * xl;           /* < 2^47 */
    double fullh = (double)(int64_t)(TWOM46 * full);
    return full - TWO46 * fullh;                    /* mod 2^46 */
}

double npb_rand_next(double *x, double a)
{
    double ah = (double)(int64_t)(TWOM23 * a);
    double al = a - TWO23 * ah;
    *x = mulmod46(ah, al, *x);
    return TWOM46 * *x;
}

void npb_rand_fill(double *x, double a, double *out, long n)
{
    double ah = (double)(int64_t)(TWOM23 * a);
    double al = a - TWO23 * ah;
    double s = *x;
    long i = 0;
    if (n >= 64) {
        /* Four interleaved chains: x_{k+4} = a^4 x_k.  The numbers are the
         * same; the four independent multiplications just overlap in the
         * pipeline instead of waiting on each other. */
        double s0 = mulmod46(ah, al, s);
        double s1 = mulmod46(ah, al, s0);
        double s2 = mulmod46(ah, al, s1);
        double s3 = mulmod46(ah, al, s2);
        double a4 = npb_rand_power(a, 4);
        double bh = (double)(int64_t)(TWOM23 * a4);
        double bl = a4 - TWO23 * bh;
        for (; i + 4 <= n; i += 4) {
            out[i] = TWOM46 * s0;
            out[i + 1] = TWOM46 * s1;
            out[i + 2] = TWOM46 * s2;
            out[i + 3] = TWOM46 * s3;
            s = s3;
            if (i + 8 <= n) {
                s0 = mulmod46(bh, bl, s0);
                s1 = mulmod46(bh, bl, s1);
                s2 = mulmod46(bh, bl, s2);
                s3 = mulmod46(bh, bl, s3);
            }
        }
    }
    for (; i < n; i++) {
        s = mulmod46(ah, al, s);
        out[i] = TWOM46 * s;
    }
    *x = s;
}

double npb_rand_power(double a, int64_t e)
{
    /* square-and-multiply on the exponent's bits */
    double result = 1.0;
    double base = a;
    while (e > 0) {
        if (e & 1)
            npb_rand_next(&result, base);      /* result *= base */
        e >>= 1;
        if (e > 0)
            npb_rand_next(&base, base);        /* base *= base */
    }
    return result;
}

double npb_rand_skip(double seed, double a, int64_t e)
{
    double s = seed;
    npb_rand_next(&s, npb_rand_power(a, e));
    return s;
}

/* ------------------------------------------------------------------ */

static int class_ok(char c, const char *allowed)
{
    return c != '\0' && strchr(allowed, c) != NULL;
}

static void usage(const char *prog, const char *kernel, const char *allowed)
{
    fprintf(stderr,
            "usage: %s [CLASS]\n"
            "  NPB %s kernel; CLASS is one of %s (default: $NPB_CLASS, "
            "else the compiled-in class)\n",
            prog, kernel, allowed);
}

#ifndef CLASS
#define CLASS S
#endif
#define NPB_STR2(x) #x
#define NPB_STR(x) NPB_STR2(x)

char npb_class_from_args(int argc, char **argv, const char *kernel,
                         const char *allowed)
{
    const char *spec = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(argv[0], kernel, allowed);
            exit(0);
        } else if ((!strcmp(a, "-c") || !strcmp(a, "--class")) && i + 1 < argc) {
            spec = argv[++i];
        } else if (!strncmp(a, "CLASS=", 6)) {
            spec = a + 6;
        } else if (!strncmp(a, "--class=", 8)) {
            spec = a + 8;
        } else if (spec == NULL) {
            spec = a;
        } else {
            usage(argv[0], kernel, allowed);
            exit(2);
        }
    }
    if (spec == NULL)
        spec = getenv("NPB_CLASS");
    if (spec == NULL || spec[0] == '\0')
        spec = NPB_STR(CLASS);
    if (strlen(spec) != 1 || !class_ok((char)toupper((unsigned char)spec[0]), allowed)) {
        fprintf(stderr, "%s: unknown class '%s'\n", argv[0], spec);
        usage(argv[0], kernel, allowed);
        exit(2);
    }
    return (char)toupper((unsigned char)spec[0]);
}

/* ------------------------------------------------------------------ */

int npb_report(const npb_result *r)
{
    int threads = omp_get_max_threads();
    char lower[16];
    size_t n = strlen(r->kernel);
    if (n >= sizeof lower)
        n = sizeof lower - 1;
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)tolower((unsigned char)r->kernel[i]);
    lower[n] = '\0';

    printf("\n %s Benchmark Completed.\n", r->kernel);
    printf(" Class           = %24c\n", r->klass);
    printf(" Size            = %24s\n", r->size);
    printf(" Iterations      = %24d\n", r->iterations);
    printf(" Time in seconds = %24.3f\n", r->seconds);
    printf(" Total threads   = %24d\n", threads);
    printf(" Mop/s total     = %24.2f\n", r->mops);
    printf(" Mop/s/thread    = %24.2f\n", r->mops / threads);
    printf(" Operation type  = %24s\n", r->op_type);
    printf(" Verification    = %24s\n", r->verified ? "SUCCESSFUL" : "UNSUCCESSFUL");
    printf(" Implementation  = %24s\n", "pomp npb (from the spec)");
    printf("\nRESULT kernel=%s class=%c threads=%d time=%.3f mops=%.1f verified=%d iters=%d\n",
           lower, r->klass, threads, r->seconds, r->mops, r->verified ? 1 : 0,
           r->iterations);
    fflush(stdout);
    return r->verified ? 0 : 1;
}

double npb_wtime(void)
{
    return omp_get_wtime();
}

void *npb_alloc_pages(size_t bytes)
{
    void *p = NULL;
    if (bytes == 0)
        bytes = 4096;
    if (posix_memalign(&p, 4096, bytes) != 0 || p == NULL) {
        fprintf(stderr, "npb: out of memory allocating %zu bytes\n", bytes);
        exit(3);
    }
    return p;
}

void *npb_alloc(size_t bytes)
{
    void *p = NULL;
    if (bytes == 0)
        bytes = 64;
    bytes = (bytes + 63) & ~(size_t)63;
    if (posix_memalign(&p, 64, bytes) != 0 || p == NULL) {
        fprintf(stderr, "npb: out of memory allocating %zu bytes\n", bytes);
        exit(3);
    }
    return p;
}
