/*
 * Shared helpers for pomp's NAS Parallel Benchmark kernels.
 *
 * Written for the pomp project from the NPB problem definitions
 * (NASA RNR-94-007 and NAS-95-020); no code from NASA's reference
 * implementations is used.
 */
#ifndef POMP_NPB_H
#define POMP_NPB_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Pseudo-random numbers (RNR-94-007, section 2.2)                     */
/*                                                                     */
/*   x_{k+1} = a * x_k  (mod 2^46),   r_k = 2^-46 * x_k                */
/*                                                                     */
/* a and x are odd integers below 2^46 held in doubles; the product is */
/* formed exactly by splitting both factors into 23-bit halves, so the */
/* sequence is bit-identical on any IEEE-754 machine.                  */
/* ------------------------------------------------------------------ */

#define NPB_A_5POW13 1220703125.0 /* 5^13, the multiplier of every kernel */

/* x <- a*x mod 2^46; returns the new x scaled into (0,1). */
double npb_rand_next(double *x, double a);

/* Fill out[0..n-1] with the next n uniform deviates of the stream x. */
void npb_rand_fill(double *x, double a, double *out, long n);

/* a^e mod 2^46 (e >= 0), for jumping ahead in a stream:
 * seed after e steps = seed * a^e. */
double npb_rand_power(double a, int64_t e);

/* seed * a^e mod 2^46: the state e steps after "seed". */
double npb_rand_skip(double seed, double a, int64_t e);

/* ------------------------------------------------------------------ */
/* Problem class selection                                             */
/* ------------------------------------------------------------------ */

/* Class from argv[1] (or "-c X"/"--class X"/"CLASS=X"), else the
 * NPB_CLASS environment variable, else the compiled-in default
 * (-DCLASS=X, S if absent).  Exits with a usage message on a bad
 * argument or on a class not in "allowed". */
char npb_class_from_args(int argc, char **argv, const char *kernel,
                         const char *allowed);

/* ------------------------------------------------------------------ */
/* Report                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *kernel;      /* "EP", "IS", ... */
    char klass;              /* 'S', 'W', 'A', 'B', ... */
    const char *size;        /* human readable problem size */
    int iterations;          /* NPB's iteration count (0 for EP) */
    double seconds;          /* timed section only */
    double mops;             /* NPB operation count / seconds / 1e6 */
    const char *op_type;     /* what an "operation" is */
    int verified;            /* 1 = SUCCESSFUL */
} npb_result;

/* Print the NPB-style report and the trailing machine-readable line
 *   RESULT kernel=ep class=A threads=2 time=1.234 mops=567.8 verified=1
 * Returns the process exit status to use (0 if verified). */
int npb_report(const npb_result *r);

/* Wall clock (omp_get_wtime). */
double npb_wtime(void);

/* malloc that aborts on failure, 64-byte aligned. */
void *npb_alloc(size_t bytes);
/* The same, starting on a 4 KiB page (data that threads on different
   nodes of a distributed run write should not share a page). */
void *npb_alloc_pages(size_t bytes);

#endif
