/*
 * NPB FT -- 3-D FFT PDE kernel, OpenMP C.
 *
 * Written for the pomp project from the problem definition in
 * NASA RNR-94-007 section 2.7 ("3-D FFT PDE benchmark") and the class
 * parameters and checksums of NAS-95-020 / NPB 3.x.
 *
 * Solves the diffusion equation du/dt = alpha Lap(u) spectrally:
 *   u0(x,y,z) is filled with complex deviates of the NPB generator
 *   (seed 314159265, a = 5^13; real then imaginary part, x fastest);
 *   U = FFT3(u0);
 *   for t = 1..niter:
 *       W = U * exp(-4 alpha pi^2 |kbar|^2 t),   alpha = 1e-6,
 *           kbar per axis = k for k < n/2, else k - n;
 *       w = inverse FFT3(W) (unnormalised);
 *       checksum_t = sum_{j=1..1024} w(j mod nx, 3j mod ny, 5j mod nz)
 *                    / (nx ny nz)
 * and every checksum is compared with the published one.
 *
 * The 1-D transforms are radix-2 Stockham FFTs run on blocks of
 * FFT_BLOCK lines at once (lines gathered into a split real/imaginary
 * scratch, the block index innermost so the butterflies vectorise).
 * Each thread keeps its scratch in a threadprivate pointer.
 *
 * Parallelisation: each 3-D transform is one parallel region with a
 * static worksharing loop over line blocks per axis; the spectral
 * update is a parallel loop; the checksum a parallel reduction.
 */
#include "common/npb.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FFT_BLOCK 16
#define FT_SEED 314159265.0
#define FT_ALPHA 1.0e-6
#define CHECK_POINTS 1024
#define MAX_ITER 20

typedef struct {
    double re, im;
} cplx;

typedef struct {
    char klass;
    int nx, ny, nz, niter;
    double ref[MAX_ITER][2];
} ft_class;

/* checksum verification values: NPB reference values (see README.md) */
static const ft_class ft_classes[] = {
    {'S', 64, 64, 64, 6, {
        {5.546087004964e+02, 4.845363331978e+02},
        {5.546385409189e+02, 4.865304269511e+02},
        {5.546148406171e+02, 4.883910722336e+02},
        {5.545423607415e+02, 4.901273169046e+02},
        {5.544255039624e+02, 4.917475857993e+02},
        {5.542683411902e+02, 4.932597244941e+02}}},
    {'W', 128, 128, 32, 6, {
        {5.673612178944e+02, 5.293246849175e+02},
        {5.631436885271e+02, 5.282149986629e+02},
        {5.594024089970e+02, 5.270996558037e+02},
        {5.560698047020e+02, 5.260027904925e+02},
        {5.530898991250e+02, 5.249400845633e+02},
        {5.504159734538e+02, 5.239212247086e+02}}},
    {'A', 256, 256, 128, 6, {
        {5.046735008193e+02, 5.114047905510e+02},
        {5.059412319734e+02, 5.098809666433e+02},
        {5.069376896287e+02, 5.098144042213e+02},
        {5.077892868474e+02, 5.101336130759e+02},
        {5.085233095391e+02, 5.104914655194e+02},
        {5.091487099959e+02, 5.107917842803e+02}}},
    {'B', 512, 256, 256, 20, {
        {5.177643571579e+02, 5.077803458597e+02},
        {5.154521291263e+02, 5.088249431599e+02},
        {5.146409228649e+02, 5.096208912659e+02},
        {5.142378756213e+02, 5.101023387619e+02},
        {5.139626667737e+02, 5.103976610617e+02},
        {5.137423460082e+02, 5.105948019802e+02},
        {5.135547056878e+02, 5.107404165783e+02},
        {5.133910925466e+02, 5.108576573661e+02},
        {5.132470705390e+02, 5.109577278523e+02},
        {5.131197729984e+02, 5.110460304483e+02},
        {5.130070319283e+02, 5.111252433800e+02},
        {5.129070537032e+02, 5.111968077718e+02},
        {5.128182883502e+02, 5.112616233064e+02},
        {5.127393733383e+02, 5.113203605551e+02},
        {5.126691062020e+02, 5.113735928093e+02},
        {5.126064276004e+02, 5.114218460548e+02},
        {5.125504076570e+02, 5.114656139760e+02},
        {5.125002331720e+02, 5.115053595966e+02},
        {5.124551951846e+02, 5.115415130407e+02},
        {5.124146770029e+02, 5.115744692211e+02}}},
    {'C', 512, 512, 512, 20, {
        {5.195078707457e+02, 5.149019699238e+02},
        {5.155422171134e+02, 5.127578201997e+02},
        {5.144678022222e+02, 5.122251847514e+02},
        {5.140150594328e+02, 5.121090289018e+02},
        {5.137550426810e+02, 5.121143685824e+02},
        {5.135811056728e+02, 5.121496764568e+02},
        {5.134569343165e+02, 5.121870921893e+02},
        {5.133651975661e+02, 5.122193250322e+02},
        {5.132955192805e+02, 5.122454735794e+02},
        {5.132410471738e+02, 5.122663649603e+02},
        {5.131971141679e+02, 5.122830879827e+02},
        {5.131605205716e+02, 5.122965869718e+02},
        {5.131290734194e+02, 5.123075927445e+02},
        {5.131012720314e+02, 5.123166486553e+02},
        {5.130760908195e+02, 5.123241541685e+02},
        {5.130528295923e+02, 5.123304037599e+02},
        {5.130310107773e+02, 5.123356167976e+02},
        {5.130103090133e+02, 5.123399592211e+02},
        {5.129905029333e+02, 5.123435588985e+02},
        {5.129714421109e+02, 5.123465164008e+02}}},
};

static int nx, ny, nz, nmax;
static long ntotal;

/* twiddles exp(-2 pi i k / n), k < n/2, one table per axis */
static double *tw_re[3], *tw_im[3];
static int axis_len[3];

/* per-thread split scratch: 4 arrays of nmax * FFT_BLOCK doubles */
static double *scratch;
#pragma omp threadprivate(scratch)

/* per-axis damping factors for the current time step */
static double *damp[3];

/* ------------------------------------------------------------------ */

static void make_twiddles(void)
{
    const double two_pi = 8.0 * atan(1.0);
    for (int a = 0; a < 3; a++) {
        int n = axis_len[a];
        for (int k = 0; k < n / 2; k++) {
            double ang = two_pi * k / n;
            tw_re[a][k] = cos(ang);
            tw_im[a][k] = -sin(ang);
        }
    }
}

/*
 * Radix-2 Stockham transform of FFT_BLOCK sequences of length n held as
 * x[i*FFT_BLOCK + b] (split real/imaginary).  dir = -1 forward,
 * +1 inverse.  Returns 0 if the result is in x, 1 if it is in y.
 */
static int stockham(int n, double *xr, double *xi, double *yr, double *yi,
                    const double *wr, const double *wi, double dir)
{
    const int B = FFT_BLOCK;
    int in_y = 0;
    for (int half = n / 2, m = 1; half >= 1; half /= 2, m *= 2) {
        for (int j = 0; j < half; j++) {
            /* wi holds -sin: forward uses exp(-i.) = (cos, -sin),
             * inverse exp(+i.) = (cos, +sin) */
            const double wcr = wr[j * m];
            const double wci = (dir < 0) ? wi[j * m] : -wi[j * m];
            for (int k = 0; k < m; k++) {
                const double *ar = xr + (long)(j * m + k) * B;
                const double *ai = xi + (long)(j * m + k) * B;
                const double *br = xr + (long)(j * m + k + half * m) * B;
                const double *bi = xi + (long)(j * m + k + half * m) * B;
                double *sr = yr + (long)(2 * j * m + k) * B;
                double *si = yi + (long)(2 * j * m + k) * B;
                double *dr = yr + (long)(2 * j * m + k + m) * B;
                double *di = yi + (long)(2 * j * m + k + m) * B;
                for (int b = 0; b < B; b++) {
                    double tr = ar[b] - br[b], ti = ai[b] - bi[b];
                    sr[b] = ar[b] + br[b];
                    si[b] = ai[b] + bi[b];
                    dr[b] = wcr * tr - wci * ti;
                    di[b] = wcr * ti + wci * tr;
                }
            }
        }
        double *t;
        t = xr; xr = yr; yr = t;
        t = xi; xi = yi; yi = t;
        in_y = !in_y;
    }
    return in_y;
}

/* Transform u along one axis; called by every thread of a team. */
static void fft_axis(cplx *u, int axis, double dir)
{
    const int B = FFT_BLOCK;
    const int n = axis_len[axis];
    long estride, bstride;
    int blocks_per_row, rows;
    if (axis == 0) {            /* lines along x, blocks of consecutive y */
        estride = 1;
        bstride = nx;
        blocks_per_row = ny / B;
        rows = nz;
    } else if (axis == 1) {     /* lines along y, blocks of consecutive x */
        estride = nx;
        bstride = 1;
        blocks_per_row = nx / B;
        rows = nz;
    } else {                    /* lines along z, blocks of consecutive x */
        estride = (long)nx * ny;
        bstride = 1;
        blocks_per_row = nx / B;
        rows = ny;
    }

    if (scratch == NULL)
        scratch = npb_alloc(sizeof(double) * 4 * (size_t)nmax * B);
    double *xr = scratch, *xi = xr + (size_t)nmax * B;
    double *yr = xi + (size_t)nmax * B, *yi = yr + (size_t)nmax * B;

#pragma omp for schedule(static)
    for (int g = 0; g < blocks_per_row * rows; g++) {
        int row = g / blocks_per_row, blk = g % blocks_per_row;
        long base;
        if (axis == 0)
            base = (long)row * nx * ny + (long)blk * B * nx;
        else if (axis == 1)
            base = (long)row * nx * ny + (long)blk * B;
        else
            base = (long)row * nx + (long)blk * B;

        for (int i = 0; i < n; i++) {
            const cplx *src = u + base + i * estride;
            for (int b = 0; b < B; b++) {
                xr[i * B + b] = src[b * bstride].re;
                xi[i * B + b] = src[b * bstride].im;
            }
        }
        int in_y = stockham(n, xr, xi, yr, yi, tw_re[axis], tw_im[axis], dir);
        const double *rr = in_y ? yr : xr, *ri = in_y ? yi : xi;
        for (int i = 0; i < n; i++) {
            cplx *dst = u + base + i * estride;
            for (int b = 0; b < B; b++) {
                dst[b * bstride].re = rr[i * B + b];
                dst[b * bstride].im = ri[i * B + b];
            }
        }
    }
}

static void fft3d(cplx *u, double dir)
{
#pragma omp parallel
    {
        fft_axis(u, 0, dir);
        fft_axis(u, 1, dir);
        fft_axis(u, 2, dir);
    }
}

/* ------------------------------------------------------------------ */

static void initial_conditions(cplx *u)
{
    const long plane = (long)nx * ny;
#pragma omp parallel for schedule(static)
    for (int k = 0; k < nz; k++) {
        double state = npb_rand_skip(FT_SEED, NPB_A_5POW13, 2 * plane * k);
        npb_rand_fill(&state, NPB_A_5POW13, (double *)(u + k * plane), 2 * plane);
    }
}

static double kbar_sq(int i, int n)
{
    int k = (i < n / 2) ? i : i - n;
    return (double)k * k;
}

/* w = U * exp(-4 alpha pi^2 |kbar|^2 t), factorised per axis */
static void evolve(const cplx *spec, cplx *w, int t)
{
    const double pi = 4.0 * atan(1.0);
    const double ap = -4.0 * FT_ALPHA * pi * pi * t;
    const int len[3] = {nx, ny, nz};
    for (int a = 0; a < 3; a++)
        for (int i = 0; i < len[a]; i++)
            damp[a][i] = exp(ap * kbar_sq(i, len[a]));

#pragma omp parallel for schedule(static)
    for (int k = 0; k < nz; k++) {
        for (int j = 0; j < ny; j++) {
            const double fjk = damp[2][k] * damp[1][j];
            long at = ((long)k * ny + j) * nx;
            for (int i = 0; i < nx; i++) {
                double f = fjk * damp[0][i];
                w[at + i].re = spec[at + i].re * f;
                w[at + i].im = spec[at + i].im * f;
            }
        }
    }
}

static cplx checksum(const cplx *w)
{
    double sr = 0.0, si = 0.0;
#pragma omp parallel for schedule(static) reduction(+:sr, si)
    for (int j = 1; j <= CHECK_POINTS; j++) {
        long q = j % nx, r = (3L * j) % ny, s = (5L * j) % nz;
        const cplx *c = w + (s * ny + r) * nx + q;
        sr += c->re;
        si += c->im;
    }
    cplx out = {sr / (double)ntotal, si / (double)ntotal};
    return out;
}

int main(int argc, char **argv)
{
    char klass = npb_class_from_args(argc, argv, "FT", "SWABC");
    const ft_class *c = NULL;
    for (size_t i = 0; i < sizeof ft_classes / sizeof ft_classes[0]; i++)
        if (ft_classes[i].klass == klass)
            c = &ft_classes[i];
    nx = c->nx;
    ny = c->ny;
    nz = c->nz;
    ntotal = (long)nx * ny * nz;
    axis_len[0] = nx;
    axis_len[1] = ny;
    axis_len[2] = nz;
    nmax = nx > ny ? nx : ny;
    nmax = nmax > nz ? nmax : nz;
    for (int a = 0; a < 3; a++) {
        tw_re[a] = npb_alloc(sizeof(double) * axis_len[a] / 2);
        tw_im[a] = npb_alloc(sizeof(double) * axis_len[a] / 2);
        damp[a] = npb_alloc(sizeof(double) * axis_len[a]);
    }

    cplx *spec = npb_alloc(sizeof(cplx) * ntotal);
    cplx *work = npb_alloc(sizeof(cplx) * ntotal);

    printf("\n\n NAS Parallel Benchmarks (pomp, written from the spec) - FT Benchmark\n\n");
    printf(" Size                : %4dx%4dx%4d  (class %c)\n", nx, ny, nz, klass);
    printf(" Iterations          :     %10d\n", c->niter);
    printf(" Number of available threads :     %10d\n\n", omp_get_max_threads());

    /* untimed pass to touch the memory, as NPB prescribes */
    initial_conditions(spec);
    make_twiddles();
    fft3d(spec, -1.0);
    evolve(spec, work, 1);

    /* everything from here on is timed */
    cplx sums[MAX_ITER];
    double t0 = npb_wtime();
    make_twiddles();
    initial_conditions(spec);
    fft3d(spec, -1.0);
    for (int t = 1; t <= c->niter; t++) {
        evolve(spec, work, t);
        fft3d(work, +1.0);
        sums[t - 1] = checksum(work);
    }
    double seconds = npb_wtime() - t0;

    int verified = 1;
    for (int t = 1; t <= c->niter; t++) {
        const double *ref = c->ref[t - 1];
        double dr = sums[t - 1].re - ref[0], di = sums[t - 1].im - ref[1];
        double err = sqrt(dr * dr + di * di) / sqrt(ref[0] * ref[0] + ref[1] * ref[1]);
        if (!(err <= 1.0e-12))
            verified = 0;
        printf(" T = %5d     Checksum = %22.12e %22.12e   (rel. err %8.2e)\n",
               t, sums[t - 1].re, sums[t - 1].im, err);
    }

    double logn = log((double)ntotal);
    double ops = (double)ntotal * (14.8157 + 7.19641 * logn
                                   + (5.23518 + 7.21113 * logn) * c->niter);
    char size[48];
    snprintf(size, sizeof size, "%dx%dx%d", nx, ny, nz);
    npb_result res = {
        .kernel = "FT",
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
