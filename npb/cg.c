/*
 * NPB CG -- Conjugate Gradient kernel, OpenMP C.
 *
 * Written for the pomp project from the problem definition in
 * NASA RNR-94-007 section 2.4 ("Conjugate gradient benchmark") and the
 * class parameters and verification values of NAS-95-020 / NPB 3.x.
 *
 * Inverse power method for the smallest eigenvalue of a random sparse
 * symmetric positive definite matrix A (order n):
 *
 *     x = (1, 1, ..., 1)
 *     repeat niter times:
 *         solve A z = x approximately by 25 unpreconditioned CG steps,
 *         ||r|| = ||x - A z||
 *         zeta  = shift + 1 / (x . z)
 *         x     = z / ||z||
 *
 * and zeta after the last step is compared with the published value.
 *
 * The matrix, as the specification builds it with the NPB generator
 * (seed 314159265, a = 5^13; one deviate is drawn and discarded first):
 *     A = sum_{i=1..n} w_i v_i v_i^T  +  (rcond - shift) I
 * where w_i = rcond^((i-1)/n), rcond = 0.1, and v_i is a sparse vector
 * with `nonzer` random entries (a value deviate, then a position
 * deviate p giving index floor(2^ceil(log2 n) * p) + 1, rejected when
 * beyond n or already present) whose i-th entry is then set to 0.5.
 *
 * Parallelisation: one parallel region spans all timed iterations; the
 * CG steps use orphaned worksharing loops with reductions (sparse
 * matrix-vector products fused with the dot products that follow them).
 */
#include "common/npb.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CG_STEPS 25
#define RCOND 0.1
#define CG_SEED 314159265.0

typedef struct {
    char klass;
    int n, nonzer, niter;
    double shift, zeta_ref;
} cg_class;

/* zeta verification values: NPB reference values (see README.md) */
static const cg_class cg_classes[] = {
    {'S',   1400,  7, 15,  10.0,  8.5971775078648},
    {'W',   7000,  8, 15,  12.0, 10.362595087124},
    {'A',  14000, 11, 15,  20.0, 17.130235054029},
    {'B',  75000, 13, 75,  60.0, 22.712745482631},
    {'C', 150000, 15, 75, 110.0, 28.973605592845},
};

/* the matrix in compressed sparse rows */
static int n;
static long *row_ptr;
static int *col_of;
static double *val_of;

/* vectors */
static double *x, *z, *p, *q, *r;

/* shared reduction targets (see the barrier reasoning in conj_grad) */
static double acc_pq, acc_rr, acc_init, acc_res, acc_xz, acc_zz;

/* ------------------------------------------------------------------ */
/* Matrix generation (untimed, serial)                                 */
/* ------------------------------------------------------------------ */

static void make_matrix(const cg_class *c)
{
    const int nz_vec = c->nonzer + 1;        /* entries per outer vector */
    int *vidx = npb_alloc(sizeof(int) * (size_t)n * nz_vec);
    double *vval = npb_alloc(sizeof(double) * (size_t)n * nz_vec);
    int *vlen = npb_alloc(sizeof(int) * n);
    unsigned char *seen = calloc((size_t)n + 1, 1);

    double state = CG_SEED;
    npb_rand_next(&state, NPB_A_5POW13);      /* discarded, as specified */

    int pow2 = 1;
    while (pow2 < n)
        pow2 *= 2;

    for (int i = 1; i <= n; i++) {
        int *idx = vidx + (size_t)(i - 1) * nz_vec;
        double *val = vval + (size_t)(i - 1) * nz_vec;
        int len = 0;
        while (len < c->nonzer) {
            double value = npb_rand_next(&state, NPB_A_5POW13);
            double where = npb_rand_next(&state, NPB_A_5POW13);
            int j = (int)(pow2 * where) + 1;
            if (j > n || seen[j])
                continue;
            seen[j] = 1;
            idx[len] = j;
            val[len] = value;
            len++;
        }
        for (int e = 0; e < len; e++)
            seen[idx[e]] = 0;
        int e;
        for (e = 0; e < len && idx[e] != i; e++)
            ;
        if (e < len) {
            val[e] = 0.5;
        } else {
            idx[len] = i;
            val[len] = 0.5;
            len++;
        }
        vlen[i - 1] = len;
    }
    free(seen);

    /* row sizes before duplicates are merged (+1 for the diagonal) */
    long *fill = calloc((size_t)n + 1, sizeof(long));
    for (int i = 0; i < n; i++)
        for (int e = 0; e < vlen[i]; e++)
            fill[vidx[(size_t)i * nz_vec + e] - 1] += vlen[i];
    row_ptr = npb_alloc(sizeof(long) * ((size_t)n + 1));
    row_ptr[0] = 0;
    for (int i = 0; i < n; i++)
        row_ptr[i + 1] = row_ptr[i] + fill[i] + 1;
    long raw_nnz = row_ptr[n];
    int *rcol = npb_alloc(sizeof(int) * raw_nnz);
    double *rval = npb_alloc(sizeof(double) * raw_nnz);
    for (int i = 0; i < n; i++)
        fill[i] = row_ptr[i];

    /* w_i v_i v_i^T, in the order the specification lists the terms */
    const double ratio = pow(RCOND, 1.0 / n);
    double weight = 1.0;
    for (int i = 0; i < n; i++) {
        const int *idx = vidx + (size_t)i * nz_vec;
        const double *val = vval + (size_t)i * nz_vec;
        for (int ec = 0; ec < vlen[i]; ec++) {
            double wc = weight * val[ec];
            for (int er = 0; er < vlen[i]; er++) {
                long at = fill[idx[er] - 1]++;
                rcol[at] = idx[ec] - 1;
                rval[at] = val[er] * wc;
            }
        }
        weight *= ratio;
    }
    for (int i = 0; i < n; i++) {
        long at = fill[i]++;
        rcol[at] = i;
        rval[at] = RCOND - c->shift;
    }
    free(vidx);
    free(vval);
    free(vlen);

    /* merge duplicates within each row and sort the columns */
    int *slot = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++)
        slot[i] = -1;
    long out = 0;
    long begin = 0;
    for (int i = 0; i < n; i++) {
        long end = row_ptr[i + 1];
        long row_first = out;
        for (long k = begin; k < end; k++) {
            int col = rcol[k];
            if (slot[col] < 0) {
                slot[col] = (int)(out - row_first);
                rcol[out] = col;
                rval[out] = rval[k];
                out++;
            } else {
                rval[row_first + slot[col]] += rval[k];
            }
        }
        for (long k = row_first; k < out; k++)
            slot[rcol[k]] = -1;
        /* insertion sort by column */
        for (long k = row_first + 1; k < out; k++) {
            int cc = rcol[k];
            double vv = rval[k];
            long m = k - 1;
            while (m >= row_first && rcol[m] > cc) {
                rcol[m + 1] = rcol[m];
                rval[m + 1] = rval[m];
                m--;
            }
            rcol[m + 1] = cc;
            rval[m + 1] = vv;
        }
        begin = end;
        row_ptr[i + 1] = out;
    }
    free(slot);
    free(fill);

    /* final arrays, first touched in parallel with the loops' schedule */
    col_of = npb_alloc(sizeof(int) * out);
    val_of = npb_alloc(sizeof(double) * out);
#pragma omp parallel for schedule(static)
    for (int i = 0; i < n; i++) {
        for (long k = row_ptr[i]; k < row_ptr[i + 1]; k++) {
            col_of[k] = rcol[k];
            val_of[k] = rval[k];
        }
    }
    free(rcol);
    free(rval);
}

/* ------------------------------------------------------------------ */
/* CG (called by every thread of the team)                             */
/* ------------------------------------------------------------------ */

/*
 * Barrier reasoning for the shared reduction targets: a target may be
 * reset only after every thread has read it, and the reset must be
 * visible before the next loop that reduces into it.  acc_pq is read
 * right after loop 1 and reset after loop 2's barrier (loop 3's barrier
 * then publishes the reset); acc_rr is read right after loop 2 and reset
 * after loop 3's barrier (the next loop 1's barrier publishes it).
 */
static double conj_grad(void)
{
#pragma omp single
    {
        acc_pq = acc_rr = acc_init = acc_res = 0.0;
        acc_xz = acc_zz = 0.0;
    }

#pragma omp for schedule(static) reduction(+:acc_init)
    for (int j = 0; j < n; j++) {
        q[j] = 0.0;
        z[j] = 0.0;
        r[j] = x[j];
        p[j] = x[j];
        acc_init += x[j] * x[j];
    }
    double rho = acc_init;

    for (int step = 1; step <= CG_STEPS; step++) {
        /* loop 1: q = A p, and p.q */
#pragma omp for schedule(static) reduction(+:acc_pq)
        for (int j = 0; j < n; j++) {
            double s = 0.0;
            for (long k = row_ptr[j]; k < row_ptr[j + 1]; k++)
                s += val_of[k] * p[col_of[k]];
            q[j] = s;
            acc_pq += p[j] * s;
        }
        double alpha = rho / acc_pq;

        /* loop 2: z += alpha p, r -= alpha q, and r.r */
#pragma omp for schedule(static) reduction(+:acc_rr)
        for (int j = 0; j < n; j++) {
            z[j] += alpha * p[j];
            r[j] -= alpha * q[j];
            acc_rr += r[j] * r[j];
        }
        double rho_new = acc_rr;
        double beta = rho_new / rho;
        rho = rho_new;
#pragma omp single nowait
        acc_pq = 0.0;

        /* loop 3: p = r + beta p */
#pragma omp for schedule(static)
        for (int j = 0; j < n; j++)
            p[j] = r[j] + beta * p[j];
#pragma omp single nowait
        acc_rr = 0.0;
    }

    /* explicit residual ||x - A z|| */
#pragma omp for schedule(static) reduction(+:acc_res)
    for (int j = 0; j < n; j++) {
        double s = 0.0;
        for (long k = row_ptr[j]; k < row_ptr[j + 1]; k++)
            s += val_of[k] * z[col_of[k]];
        double d = x[j] - s;
        acc_res += d * d;
    }
    return sqrt(acc_res);
}

/* One step of the power method; returns zeta.  Every thread calls it. */
static double power_step(double shift, double *rnorm)
{
    *rnorm = conj_grad();

#pragma omp for schedule(static) reduction(+:acc_xz, acc_zz)
    for (int j = 0; j < n; j++) {
        acc_xz += x[j] * z[j];
        acc_zz += z[j] * z[j];
    }
    double zeta = shift + 1.0 / acc_xz;
    double scale = 1.0 / sqrt(acc_zz);

#pragma omp for schedule(static)
    for (int j = 0; j < n; j++)
        x[j] = scale * z[j];
    return zeta;
}

static void set_x_ones(void)
{
#pragma omp parallel for schedule(static)
    for (int j = 0; j < n; j++)
        x[j] = 1.0;
}

int main(int argc, char **argv)
{
    char klass = npb_class_from_args(argc, argv, "CG", "SWABC");
    const cg_class *c = NULL;
    for (size_t i = 0; i < sizeof cg_classes / sizeof cg_classes[0]; i++)
        if (cg_classes[i].klass == klass)
            c = &cg_classes[i];
    n = c->n;

    printf("\n\n NAS Parallel Benchmarks (pomp, written from the spec) - CG Benchmark\n\n");
    printf(" Size:  %11d  (class %c)\n", n, klass);
    printf(" Iterations:                  %5d\n", c->niter);
    printf(" Number of available threads: %5d\n\n", omp_get_max_threads());

    double tinit = npb_wtime();
    make_matrix(c);

    x = npb_alloc(sizeof(double) * n);
    z = npb_alloc(sizeof(double) * n);
    p = npb_alloc(sizeof(double) * n);
    q = npb_alloc(sizeof(double) * n);
    r = npb_alloc(sizeof(double) * n);
#pragma omp parallel for schedule(static)
    for (int j = 0; j < n; j++)
        x[j] = z[j] = p[j] = q[j] = r[j] = 0.0;

    /* one untimed step to touch everything, as NPB prescribes */
    set_x_ones();
#pragma omp parallel
    {
        double rn;
        (void)power_step(c->shift, &rn);
    }
    set_x_ones();
    printf(" Initialization time = %15.3f seconds\n", npb_wtime() - tinit);
    printf(" Nonzeros in A = %ld\n\n", row_ptr[n]);

    double zeta = 0.0;
    printf("   iteration           ||r||                 zeta\n");
    double t0 = npb_wtime();
#pragma omp parallel shared(zeta)
    {
        for (int it = 1; it <= c->niter; it++) {
            double rnorm;
            double zt = power_step(c->shift, &rnorm);
#pragma omp master
            {
                printf("    %5d       %20.14e%20.13e\n", it, rnorm, zt);
                zeta = zt;
            }
        }
    }
    double seconds = npb_wtime() - t0;

    double err = fabs(zeta - c->zeta_ref) / c->zeta_ref;
    int verified = err <= 1.0e-10;
    printf("\n Zeta is           %20.13e\n", zeta);
    printf(" Reference zeta is %20.13e\n", c->zeta_ref);
    printf(" Relative error is %20.13e\n", err);

    double nzv = (double)c->nonzer * (c->nonzer + 1);
    double ops = 2.0 * c->niter * n * (3.0 + nzv + 25.0 * (5.0 + nzv) + 3.0);
    char size[32];
    snprintf(size, sizeof size, "%d", n);
    npb_result res = {
        .kernel = "CG",
        .klass = klass,
        .size = size,
        .iterations = c->niter,
        .seconds = seconds,
        .mops = ops / seconds / 1.0e6,
        .op_type = "floating point",
        .verified = verified,
    };
    return npb_report(&res);
}
