// Checks omp atomic on 16-byte types that GCC routes through the runtime's global atomic lock (long double, __int128, unsigned __int128, __float128): update, capture, read, write and compare are exact under contention and reads never see a torn value.
// GOMP entry points: GOMP_parallel, GOMP_atomic_start, GOMP_atomic_end.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define ITERS 2000
#define MAXT 64
#define NV 16

static int failures;

static void check(long long got, long long want, const char *fmt, ...)
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
    printf(" (got %lld, want %lld)\n", got, want);
    va_end(ap);
}

static long double ld_sum, ld_ticket, ld_max = -1.0L;
static __int128 q_sum;
static unsigned __int128 uq_bits;
static __float128 f128_sum;

/* Shared values written whole; each legal value differs from the others in
   both its sign/exponent word and its mantissa. */
static long double ld_shared;
static __int128 q_shared;
static __float128 f128_shared;
static long double ld_vals[NV];
static __float128 f128_vals[NV];

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

    long double p2 = 1.0L, eps = 1.0L;
    __float128 p2q = 1, epsq = 1;
    for (int k = 0; k < 60; k++)
        eps /= 2; /* 2^-60: still exact in the 64-bit x87 mantissa */
    for (int k = 0; k < 100; k++)
        epsq /= 2; /* 2^-100: exact in the 113-bit binary128 mantissa */
    for (int k = 0; k < NV; k++) {
        ld_vals[k] = p2 * (1.0L + k * eps);
        f128_vals[k] = p2q * (1 + k * epsq);
        p2 *= 4;
        p2q *= 4;
    }
    ld_shared = ld_vals[0];
    f128_shared = f128_vals[0];

    long bad = 0, torn_ld = 0, torn_q = 0, torn_f = 0;
#pragma omp parallel reduction(+:bad, torn_ld, torn_q, torn_f)
    {
        int me = omp_get_thread_num();
        for (int i = 0; i < ITERS; i++) {
#pragma omp atomic
            ld_sum += 0.5L;
#pragma omp atomic update
            q_sum = q_sum + ((__int128)1 << 63); /* carries into the high word */
#pragma omp atomic
            f128_sum += 0.25;
            if (i % 128 == 0) {
                unsigned __int128 bit = (unsigned __int128)1 << ((me * 17 + i / 128) % 128);
#pragma omp atomic
                uq_bits |= bit;
            }

            long double old;
#pragma omp atomic capture
            { old = ld_ticket; ld_ticket += 1.0L; }
            long k = (long)old;
            if (k < 0 || k >= total || (long double)k != old)
                bad++;
            else
                seen[k]++;

            long double cand = (long double)(i * nthr + me) + 0.5L;
#pragma omp atomic compare
            ld_max = ld_max < cand ? cand : ld_max;

            int w = (i + me) % 3 == 0;
            int idx = (me * 5 + i) % NV;
            if (w) {
#pragma omp atomic write
                ld_shared = ld_vals[idx];
#pragma omp atomic write
                q_shared = ((__int128)(idx + 1) << 64) | (unsigned)(idx + 1);
#pragma omp atomic write
                f128_shared = f128_vals[idx];
            } else {
                long double r;
#pragma omp atomic read
                r = ld_shared;
                int ok = 0;
                for (int v = 0; v < NV; v++)
                    ok |= r == ld_vals[v];
                torn_ld += !ok;
                __int128 rq;
#pragma omp atomic read
                rq = q_shared;
                long long hi = (long long)(rq >> 64), lo = (long long)(unsigned long long)rq;
                torn_q += hi != lo;
                __float128 rf;
#pragma omp atomic read
                rf = f128_shared;
                ok = 0;
                for (int v = 0; v < NV; v++)
                    ok |= rf == f128_vals[v];
                torn_f += !ok;
            }
        }
    }
    check((long long)(ld_sum * 2), total, "long double += 0.5 (times 2)");
    check((long long)(q_sum >> 63), total, "__int128 += 2^63 (in units of 2^63)");
    check((long long)(q_sum & (((__int128)1 << 63) - 1)), 0, "__int128 low bits");
    check((long long)(f128_sum * 4), total, "__float128 += 0.25 (times 4)");
    unsigned __int128 want_bits = 0;
    for (int me = 0; me < nthr; me++)
        for (int i = 0; i < ITERS; i += 128)
            want_bits |= (unsigned __int128)1 << ((me * 17 + i / 128) % 128);
    check((long long)(unsigned long long)(uq_bits >> 64), (long long)(unsigned long long)(want_bits >> 64), "unsigned __int128 |= high word");
    check((long long)(unsigned long long)uq_bits, (long long)(unsigned long long)want_bits, "unsigned __int128 |= low word");
    check((long long)ld_ticket, total, "long double capture final value");
    check(bad, 0, "long double captured values out of range");
    long dup = 0;
    for (long k = 0; k < total; k++)
        dup += seen[k] != 1;
    check(dup, 0, "long double captured values not seen exactly once");
    check((long long)(ld_max * 2), (long long)(total - 1) * 2 + 1, "long double atomic compare max (times 2)");
    check(torn_ld, 0, "torn long double reads");
    check(torn_q, 0, "torn __int128 reads");
    check(torn_f, 0, "torn __float128 reads");
    free(seen);
    return failures > 100 ? 100 : failures;
}
