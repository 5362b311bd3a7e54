/*
 * NPB MG -- MultiGrid kernel, OpenMP C.
 *
 * Written for the pomp project from the problem definition in
 * NASA RNR-94-007 section 2.5 ("Multigrid benchmark") and the class
 * parameters and verification values of NAS-95-020 / NPB 3.x.
 *
 * V-cycle multigrid for the discrete Poisson problem  A u = v  on an
 * n x n x n periodic grid:
 *
 *     u = 0;  r = v - A u
 *     repeat nit times:  u = u + M r;  r = v - A u
 *
 * and the L2 norm  sqrt(sum r^2 / n^3)  of the final residual is
 * compared with the published value.  M is the V-cycle
 *
 *     M^k r_k:  if k > 1:  r_{k-1} = P r_k;  z_{k-1} = M^{k-1} r_{k-1};
 *                          z_k = Q z_{k-1};  r_k = r_k - A z_k;
 *                          z_k = z_k + S r_k
 *               else:      z_1 = S r_1
 *
 * over grids of 2^k points per side (k = 1 .. log2 n).  A, S (smoother),
 * P (restriction) and Q (trilinear prolongation) are 27-point operators
 * whose coefficients depend only on the distance class of the neighbour
 * (centre, 6 faces, 12 edges, 8 corners):
 *     A = (-8/3, 0, 1/6, 1/12)
 *     S = (-3/8, 1/32, -1/64, 0) for classes S, W, A;
 *         (-3/17, 1/33, -1/61, 0) for B and larger
 *     P = (1/2, 1/4, 1/8, 1/16),  Q = (1, 1/2, 1/4, 1/8)
 * The right-hand side v is zero except +1 at the ten points holding the
 * largest and -1 at the ten holding the smallest of n^3 deviates of the
 * NPB generator (seed 314159265, a = 5^13; x varies fastest).
 *
 * Arrays carry one ghost layer per side, refreshed from the opposite
 * face after every operator (periodic boundaries).  Coarse grid point J
 * sits on fine grid point 2J (ghost-inclusive indices).
 *
 * Parallelisation: every operator is a parallel region whose planes are
 * shared out by a static worksharing loop, followed by the ghost
 * exchange in the same region; norms use + and max reductions.
 */
#include "common/npb.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVELS 12
#define NUM_EXTREMES 10
#define MG_SEED 314159265.0

typedef struct {
    char klass;
    int n, nit;
    double norm_ref;
} mg_class;

/* residual norm verification values: NPB 3.x reference (see README.md) */
static const mg_class mg_classes[] = {
    {'S',  32,  4, 0.5307707005734e-04},
    {'W', 128,  4, 0.6467329375339e-05},
    {'A', 256,  4, 0.2433365309069e-05},
    {'B', 256, 20, 0.1800564401355e-05},
    {'C', 512, 20, 0.5706732285740e-06},
};

static const double coef_a[4] = {-8.0 / 3.0, 0.0, 1.0 / 6.0, 1.0 / 12.0};
static double coef_s[4];

/* per level: points per side (interior) and arrays */
static int levels;
static int side[MAX_LEVELS + 1];
static double *u_lv[MAX_LEVELS + 1], *r_lv[MAX_LEVELS + 1];
static double *v_top;

#define AT(a, m, i3, i2, i1) ((a)[((long)(i3) * (m) + (i2)) * (m) + (i1)])

/* ------------------------------------------------------------------ */
/* periodic ghost exchange: call from inside a parallel region         */
/* ------------------------------------------------------------------ */

static void exchange_ghosts(double *a, int n)
{
    const int m = n + 2;
    /* axes 1 and 2 touch one plane i3 at a time */
#pragma omp for schedule(static)
    for (int i3 = 1; i3 <= n; i3++) {
        for (int i2 = 1; i2 <= n; i2++) {
            AT(a, m, i3, i2, 0) = AT(a, m, i3, i2, n);
            AT(a, m, i3, i2, n + 1) = AT(a, m, i3, i2, 1);
        }
        for (int i1 = 0; i1 <= n + 1; i1++) {
            AT(a, m, i3, 0, i1) = AT(a, m, i3, n, i1);
            AT(a, m, i3, n + 1, i1) = AT(a, m, i3, 1, i1);
        }
    }
    /* axis 3 copies whole planes, ghosts of the other axes included */
#pragma omp for schedule(static)
    for (int i2 = 0; i2 <= n + 1; i2++) {
        for (int i1 = 0; i1 <= n + 1; i1++) {
            AT(a, m, 0, i2, i1) = AT(a, m, n, i2, i1);
            AT(a, m, n + 1, i2, i1) = AT(a, m, 1, i2, i1);
        }
    }
}

static void zero_grid(double *a, int n)
{
    const int m = n + 2;
#pragma omp parallel for schedule(static)
    for (int i3 = 0; i3 < m; i3++)
        memset(&AT(a, m, i3, 0, 0), 0, sizeof(double) * m * m);
}

/* ------------------------------------------------------------------ */
/* The 27-point operators.                                             */
/*                                                                     */
/* For a line (i3, i2) the sums over the four (i2,i3)-plane neighbours  */
/* at distance 1 ("ring") and at the diagonals ("diag") are formed once */
/* per i1; then for the point i1:                                      */
/*     faces   = a[i1-1] + a[i1+1] + ring[i1]                          */
/*     edges   = diag[i1] + ring[i1-1] + ring[i1+1]                    */
/*     corners = diag[i1-1] + diag[i1+1]                               */
/* ------------------------------------------------------------------ */

static inline void ring_and_diag(const double *a, int m, int i3, int i2,
                                 int lo, int hi, double *ring, double *diag)
{
    const double *s = &AT(a, m, i3, i2 - 1, 0), *n = &AT(a, m, i3, i2 + 1, 0);
    const double *b = &AT(a, m, i3 - 1, i2, 0), *t = &AT(a, m, i3 + 1, i2, 0);
    const double *bs = &AT(a, m, i3 - 1, i2 - 1, 0), *bn = &AT(a, m, i3 - 1, i2 + 1, 0);
    const double *ts = &AT(a, m, i3 + 1, i2 - 1, 0), *tn = &AT(a, m, i3 + 1, i2 + 1, 0);
    for (int i1 = lo; i1 <= hi; i1++) {
        ring[i1] = s[i1] + n[i1] + b[i1] + t[i1];
        diag[i1] = bs[i1] + bn[i1] + ts[i1] + tn[i1];
    }
}

/* r = v - A u  (r may be v) */
static void residual(const double *u, const double *v, double *r, int n)
{
    const int m = n + 2;
    const double a0 = coef_a[0], a2 = coef_a[2], a3 = coef_a[3];
    /* coef_a[1] is zero: the face term is left out */
#pragma omp parallel
    {
        double ring[m], diag[m];
#pragma omp for schedule(static)
        for (int i3 = 1; i3 <= n; i3++) {
            for (int i2 = 1; i2 <= n; i2++) {
                ring_and_diag(u, m, i3, i2, 0, n + 1, ring, diag);
                const double *uc = &AT(u, m, i3, i2, 0);
                const double *vc = &AT(v, m, i3, i2, 0);
                double *rc = &AT(r, m, i3, i2, 0);
                for (int i1 = 1; i1 <= n; i1++) {
                    double edges = diag[i1] + ring[i1 - 1] + ring[i1 + 1];
                    double corners = diag[i1 - 1] + diag[i1 + 1];
                    rc[i1] = vc[i1] - a0 * uc[i1] - a2 * edges - a3 * corners;
                }
            }
        }
        exchange_ghosts(r, n);
    }
}

/* u = u + S r */
static void smooth(const double *r, double *u, int n)
{
    const int m = n + 2;
    const double c0 = coef_s[0], c1 = coef_s[1], c2 = coef_s[2];
    /* coef_s[3] is zero: the corner term is left out */
#pragma omp parallel
    {
        double ring[m], diag[m];
#pragma omp for schedule(static)
        for (int i3 = 1; i3 <= n; i3++) {
            for (int i2 = 1; i2 <= n; i2++) {
                ring_and_diag(r, m, i3, i2, 0, n + 1, ring, diag);
                const double *rc = &AT(r, m, i3, i2, 0);
                double *uc = &AT(u, m, i3, i2, 0);
                for (int i1 = 1; i1 <= n; i1++) {
                    double faces = rc[i1 - 1] + rc[i1 + 1] + ring[i1];
                    double edges = diag[i1] + ring[i1 - 1] + ring[i1 + 1];
                    uc[i1] += c0 * rc[i1] + c1 * faces + c2 * edges;
                }
            }
        }
        exchange_ghosts(u, n);
    }
}

/* coarse = P fine; coarse point J is fine point 2J */
static void restrict_to(const double *fine, int nf, double *coarse, int nc)
{
    const int mf = nf + 2, mc = nc + 2;
#pragma omp parallel
    {
        double ring[mf], diag[mf];
#pragma omp for schedule(static)
        for (int j3 = 1; j3 <= nc; j3++) {
            for (int j2 = 1; j2 <= nc; j2++) {
                ring_and_diag(fine, mf, 2 * j3, 2 * j2, 1, nf + 1, ring, diag);
                const double *fc = &AT(fine, mf, 2 * j3, 2 * j2, 0);
                double *cc = &AT(coarse, mc, j3, j2, 0);
                for (int j1 = 1; j1 <= nc; j1++) {
                    int i1 = 2 * j1;
                    double faces = fc[i1 - 1] + fc[i1 + 1] + ring[i1];
                    double edges = diag[i1] + ring[i1 - 1] + ring[i1 + 1];
                    double corners = diag[i1 - 1] + diag[i1 + 1];
                    cc[j1] = 0.5 * fc[i1] + 0.25 * faces + 0.125 * edges
                           + 0.0625 * corners;
                }
            }
        }
        exchange_ghosts(coarse, nc);
    }
}

/* fine = fine + Q coarse (trilinear): fine 2J gets coarse J, fine 2J+1
 * the mean of coarse J and J+1, per axis */
static void prolongate_add(const double *coarse, int nc, double *fine, int nf)
{
    const int mf = nf + 2, mc = nc + 2;
#pragma omp parallel
    {
        double s2[mc], s3[mc], s23[mc];
#pragma omp for schedule(static)
        for (int j3 = 0; j3 <= nc; j3++) {
            for (int j2 = 0; j2 <= nc; j2++) {
                const double *c00 = &AT(coarse, mc, j3, j2, 0);
                const double *c01 = &AT(coarse, mc, j3, j2 + 1, 0);
                const double *c10 = &AT(coarse, mc, j3 + 1, j2, 0);
                const double *c11 = &AT(coarse, mc, j3 + 1, j2 + 1, 0);
                for (int j1 = 0; j1 <= nc + 1; j1++) {
                    s2[j1] = c00[j1] + c01[j1];               /* along i2 */
                    s3[j1] = c00[j1] + c10[j1];               /* along i3 */
                    s23[j1] = s2[j1] + c10[j1] + c11[j1];     /* both */
                }
                double *f00 = &AT(fine, mf, 2 * j3, 2 * j2, 0);
                double *f01 = &AT(fine, mf, 2 * j3, 2 * j2 + 1, 0);
                double *f10 = &AT(fine, mf, 2 * j3 + 1, 2 * j2, 0);
                double *f11 = &AT(fine, mf, 2 * j3 + 1, 2 * j2 + 1, 0);
                for (int j1 = 0; j1 <= nc; j1++) {
                    f00[2 * j1] += c00[j1];
                    f00[2 * j1 + 1] += 0.5 * (c00[j1] + c00[j1 + 1]);
                    f01[2 * j1] += 0.5 * s2[j1];
                    f01[2 * j1 + 1] += 0.25 * (s2[j1] + s2[j1 + 1]);
                    f10[2 * j1] += 0.5 * s3[j1];
                    f10[2 * j1 + 1] += 0.25 * (s3[j1] + s3[j1 + 1]);
                    f11[2 * j1] += 0.25 * s23[j1];
                    f11[2 * j1 + 1] += 0.125 * (s23[j1] + s23[j1 + 1]);
                }
            }
        }
        exchange_ghosts(fine, nf);
    }
}

static void norms(const double *r, int n, double *l2, double *maxabs)
{
    const int m = n + 2;
    double sum = 0.0, mx = 0.0;
#pragma omp parallel for schedule(static) reduction(+:sum) reduction(max:mx)
    for (int i3 = 1; i3 <= n; i3++) {
        for (int i2 = 1; i2 <= n; i2++) {
            const double *rc = &AT(r, m, i3, i2, 0);
            for (int i1 = 1; i1 <= n; i1++) {
                sum += rc[i1] * rc[i1];
                double a = fabs(rc[i1]);
                if (a > mx)
                    mx = a;
            }
        }
    }
    *l2 = sqrt(sum / ((double)n * n * n));
    *maxabs = mx;
}

/* ------------------------------------------------------------------ */
/* right-hand side                                                     */
/* ------------------------------------------------------------------ */

typedef struct {
    double value;
    int i1, i2, i3;
} grid_point;

/* keep the NUM_EXTREMES largest (sign=+1) or smallest (sign=-1) values,
 * best first */
static void keep_extreme(grid_point *list, int *count, double sign, grid_point p)
{
    int c = *count;
    if (c == NUM_EXTREMES && sign * p.value <= sign * list[c - 1].value)
        return;
    int at = (c < NUM_EXTREMES) ? c : NUM_EXTREMES - 1;
    while (at > 0 && sign * p.value > sign * list[at - 1].value) {
        list[at] = list[at - 1];
        at--;
    }
    list[at] = p;
    if (c < NUM_EXTREMES)
        *count = c + 1;
}

static void make_rhs(double *v, int n)
{
    const int m = n + 2;
    grid_point big[NUM_EXTREMES], small[NUM_EXTREMES];
    int nbig = 0, nsmall = 0;

    zero_grid(v, n);
#pragma omp parallel
    {
        grid_point my_big[NUM_EXTREMES], my_small[NUM_EXTREMES];
        int my_nbig = 0, my_nsmall = 0;
#pragma omp for schedule(static)
        for (int i3 = 0; i3 < n; i3++) {
            /* deviate number 1 + i1 + n*(i2 + n*i3) */
            double state = npb_rand_skip(MG_SEED, NPB_A_5POW13, (int64_t)n * n * i3);
            for (int i2 = 0; i2 < n; i2++) {
                double *row = &AT(v, m, i3 + 1, i2 + 1, 1);
                npb_rand_fill(&state, NPB_A_5POW13, row, n);
                for (int i1 = 0; i1 < n; i1++) {
                    grid_point p = {row[i1], i1 + 1, i2 + 1, i3 + 1};
                    keep_extreme(my_big, &my_nbig, +1.0, p);
                    keep_extreme(my_small, &my_nsmall, -1.0, p);
                }
            }
        }
#pragma omp critical(mg_extremes)
        {
            for (int i = 0; i < my_nbig; i++)
                keep_extreme(big, &nbig, +1.0, my_big[i]);
            for (int i = 0; i < my_nsmall; i++)
                keep_extreme(small, &nsmall, -1.0, my_small[i]);
        }
    }

    zero_grid(v, n);
    for (int i = 0; i < nsmall; i++)
        AT(v, m, small[i].i3, small[i].i2, small[i].i1) = -1.0;
    for (int i = 0; i < nbig; i++)
        AT(v, m, big[i].i3, big[i].i2, big[i].i1) = +1.0;
#pragma omp parallel
    exchange_ghosts(v, n);
}

/* ------------------------------------------------------------------ */

static void v_cycle(void)
{
    const int top = levels;
    for (int k = top; k >= 2; k--)
        restrict_to(r_lv[k], side[k], r_lv[k - 1], side[k - 1]);

    zero_grid(u_lv[1], side[1]);
    smooth(r_lv[1], u_lv[1], side[1]);

    for (int k = 2; k < top; k++) {
        zero_grid(u_lv[k], side[k]);
        prolongate_add(u_lv[k - 1], side[k - 1], u_lv[k], side[k]);
        residual(u_lv[k], r_lv[k], r_lv[k], side[k]);
        smooth(r_lv[k], u_lv[k], side[k]);
    }

    prolongate_add(u_lv[top - 1], side[top - 1], u_lv[top], side[top]);
    residual(u_lv[top], v_top, r_lv[top], side[top]);
    smooth(r_lv[top], u_lv[top], side[top]);
}

int main(int argc, char **argv)
{
    char klass = npb_class_from_args(argc, argv, "MG", "SWABC");
    const mg_class *c = NULL;
    for (size_t i = 0; i < sizeof mg_classes / sizeof mg_classes[0]; i++)
        if (mg_classes[i].klass == klass)
            c = &mg_classes[i];
    const int n = c->n;

    if (klass == 'S' || klass == 'W' || klass == 'A') {
        coef_s[0] = -3.0 / 8.0;  coef_s[1] = 1.0 / 32.0;
        coef_s[2] = -1.0 / 64.0; coef_s[3] = 0.0;
    } else {
        coef_s[0] = -3.0 / 17.0; coef_s[1] = 1.0 / 33.0;
        coef_s[2] = -1.0 / 61.0; coef_s[3] = 0.0;
    }

    levels = 0;
    while ((1 << levels) < n)
        levels++;
    for (int k = 1; k <= levels; k++) {
        side[k] = 1 << k;
        size_t pts = (size_t)(side[k] + 2) * (side[k] + 2) * (side[k] + 2);
        u_lv[k] = npb_alloc(sizeof(double) * pts);
        r_lv[k] = npb_alloc(sizeof(double) * pts);
        zero_grid(u_lv[k], side[k]);
        zero_grid(r_lv[k], side[k]);
    }
    v_top = npb_alloc(sizeof(double) * (size_t)(n + 2) * (n + 2) * (n + 2));
    double *u = u_lv[levels], *r = r_lv[levels];

    printf("\n\n NAS Parallel Benchmarks (pomp, written from the spec) - MG Benchmark\n\n");
    printf(" Size: %4dx%4dx%4d  (class %c)\n", n, n, n, klass);
    printf(" Iterations:                  %5d\n", c->nit);
    printf(" Number of available threads: %5d\n\n", omp_get_max_threads());

    double tinit = npb_wtime();
    make_rhs(v_top, n);

    /* one untimed iteration to touch everything, as NPB prescribes */
    residual(u, v_top, r, n);
    v_cycle();
    residual(u, v_top, r, n);
    zero_grid(u, n);
    printf(" Initialization time: %15.3f seconds\n\n", npb_wtime() - tinit);

    double l2, mx;
    double t0 = npb_wtime();
    residual(u, v_top, r, n);
    norms(r, n, &l2, &mx);
    double l2_start = l2;
    for (int it = 1; it <= c->nit; it++) {
        if (it == 1 || it == c->nit || it % 5 == 0)
            printf("  iter %3d\n", it);
        v_cycle();
        residual(u, v_top, r, n);
    }
    norms(r, n, &l2, &mx);
    double seconds = npb_wtime() - t0;

    double err = fabs(l2 - c->norm_ref) / c->norm_ref;
    int verified = err <= 1.0e-8;
    printf("\n Initial residual L2 norm: %20.13e\n", l2_start);
    printf(" L2 Norm is             %20.13e\n", l2);
    printf(" The reference L2 Norm  %20.13e\n", c->norm_ref);
    printf(" Relative error is      %20.13e\n", err);
    printf(" Max |r| is             %20.13e\n", mx);

    char size[48];
    snprintf(size, sizeof size, "%dx%dx%d", n, n, n);
    npb_result res = {
        .kernel = "MG",
        .klass = klass,
        .size = size,
        .iterations = c->nit,
        .seconds = seconds,
        .mops = 58.0 * c->nit * (double)n * n * n / seconds / 1.0e6,
        .op_type = "floating point",
        .verified = verified,
    };
    return npb_report(&res);
}
