// Checks every built-in reduction operator (+ * - & | ^ && || min max) on int, long and unsigned variables in a worksharing loop inside a parallel region, combined with each variable's original value, for several loop lengths including zero iterations and fewer iterations than threads.
// GOMP entry points: GOMP_parallel, GOMP_atomic_start, GOMP_atomic_end (GCC merges multi-variable reductions under the global atomic lock).
#include <limits.h>
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

/* Deterministic per-iteration values. */
static int val(int i) { return (i * 37 + 11) % 101 - 50; }
static int factor(int i) { return i % 17 == 0 ? 2 : (i % 29 == 5 ? -1 : 1); }

static void run(int n)
{
    int isum = 5, iprod = 3, isub = -7, iand = -1, ior = 0, ixor = 0x55, iland = 1, ilor = 0;
    int imin = INT_MAX, imax = INT_MIN;
    long lsum = 1L << 40, lprod = 1, lsub = 0, land = ~0L, lor = 1L << 50, lxor = 0, lland = 1, llor = 0;
    long lmin = 0, lmax = 0;
    unsigned usum = 1u, uprod = 1u, uand = 0xffffffffu, uor = 0, uxor = 0, umin = 0xffffffffu, umax = 0;

#pragma omp parallel
    {
#pragma omp for reduction(+:isum, lsum, usum) reduction(*:iprod, lprod, uprod) reduction(-:isub, lsub) \
        reduction(&:iand, land, uand) reduction(|:ior, lor, uor) reduction(^:ixor, lxor, uxor) \
        reduction(&&:iland, lland) reduction(||:ilor, llor) reduction(min:imin, lmin, umin) \
        reduction(max:imax, lmax, umax)
        for (int i = 0; i < n; i++) {
            int v = val(i);
            isum += v;
            lsum += (long)v * 1000000L;
            usum += (unsigned)i * 3u;
            iprod *= factor(i);
            lprod *= factor(i);
            uprod *= (unsigned)(i % 31 == 1 ? 3 : 1);
            isub -= v;
            lsub += v;
            iand &= ~(1 << (i % 20));
            land &= ~(1L << (i % 40 + 10));
            uand &= ~(1u << (i % 32));
            ior |= 1 << (i % 25);
            lor |= 1L << (i % 45);
            uor |= 1u << ((i * 7) % 32);
            ixor ^= v;
            lxor ^= (long)i << 20;
            uxor ^= (unsigned)i * 2654435761u;
            iland = iland && (v != 49);
            lland = lland && (i < 1000);
            ilor = ilor || (v == 49);
            llor = llor || (i == n - 1);
            imin = v < imin ? v : imin;
            lmin = (long)v * i < lmin ? (long)v * i : lmin;
            umin = (unsigned)(i + 3) < umin ? (unsigned)(i + 3) : umin;
            imax = v > imax ? v : imax;
            lmax = (long)v * i > lmax ? (long)v * i : lmax;
            umax = (unsigned)i * 5u > umax ? (unsigned)i * 5u : umax;
        }
    }

    /* Sequential reference. */
    int r_isum = 5, r_iprod = 3, r_isub = -7, r_iand = -1, r_ior = 0, r_ixor = 0x55, r_iland = 1, r_ilor = 0;
    int r_imin = INT_MAX, r_imax = INT_MIN;
    long r_lsum = 1L << 40, r_lprod = 1, r_lsub = 0, r_land = ~0L, r_lor = 1L << 50, r_lxor = 0, r_lland = 1, r_llor = 0;
    long r_lmin = 0, r_lmax = 0;
    unsigned r_usum = 1u, r_uprod = 1u, r_uand = 0xffffffffu, r_uor = 0, r_uxor = 0, r_umin = 0xffffffffu, r_umax = 0;
    for (int i = 0; i < n; i++) {
        int v = val(i);
        r_isum += v;
        r_lsum += (long)v * 1000000L;
        r_usum += (unsigned)i * 3u;
        r_iprod *= factor(i);
        r_lprod *= factor(i);
        r_uprod *= (unsigned)(i % 31 == 1 ? 3 : 1);
        r_isub -= v;
        r_lsub += v;
        r_iand &= ~(1 << (i % 20));
        r_land &= ~(1L << (i % 40 + 10));
        r_uand &= ~(1u << (i % 32));
        r_ior |= 1 << (i % 25);
        r_lor |= 1L << (i % 45);
        r_uor |= 1u << ((i * 7) % 32);
        r_ixor ^= v;
        r_lxor ^= (long)i << 20;
        r_uxor ^= (unsigned)i * 2654435761u;
        r_iland = r_iland && (v != 49);
        r_lland = r_lland && (i < 1000);
        r_ilor = r_ilor || (v == 49);
        r_llor = r_llor || (i == n - 1);
        r_imin = v < r_imin ? v : r_imin;
        r_lmin = (long)v * i < r_lmin ? (long)v * i : r_lmin;
        r_umin = (unsigned)(i + 3) < r_umin ? (unsigned)(i + 3) : r_umin;
        r_imax = v > r_imax ? v : r_imax;
        r_lmax = (long)v * i > r_lmax ? (long)v * i : r_lmax;
        r_umax = (unsigned)i * 5u > r_umax ? (unsigned)i * 5u : r_umax;
    }

    check(isum, r_isum, "n=%d: int +", n);
    check(lsum, r_lsum, "n=%d: long +", n);
    check(usum, r_usum, "n=%d: unsigned +", n);
    check(iprod, r_iprod, "n=%d: int *", n);
    check(lprod, r_lprod, "n=%d: long *", n);
    check(uprod, r_uprod, "n=%d: unsigned *", n);
    /* reduction(-:x) combines the private copies with +. */
    check(isub, r_isub, "n=%d: int -", n);
    check(lsub, r_lsub, "n=%d: long -", n);
    check(iand, r_iand, "n=%d: int &", n);
    check(land, r_land, "n=%d: long &", n);
    check(uand, r_uand, "n=%d: unsigned &", n);
    check(ior, r_ior, "n=%d: int |", n);
    check(lor, r_lor, "n=%d: long |", n);
    check(uor, r_uor, "n=%d: unsigned |", n);
    check(ixor, r_ixor, "n=%d: int ^", n);
    check(lxor, r_lxor, "n=%d: long ^", n);
    check(uxor, r_uxor, "n=%d: unsigned ^", n);
    check(iland, r_iland, "n=%d: int &&", n);
    check(lland, r_lland, "n=%d: long &&", n);
    check(ilor, r_ilor, "n=%d: int ||", n);
    check(llor, r_llor, "n=%d: long ||", n);
    check(imin, r_imin, "n=%d: int min", n);
    check(lmin, r_lmin, "n=%d: long min", n);
    check(umin, r_umin, "n=%d: unsigned min", n);
    check(imax, r_imax, "n=%d: int max", n);
    check(lmax, r_lmax, "n=%d: long max", n);
    check(umax, r_umax, "n=%d: unsigned max", n);
}

int main(void)
{
    static const int sizes[] = {0, 1, 2, 3, 5, 64, 257, 1000, 4099};
    for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        run(sizes[k]);
    return failures > 100 ? 100 : failures;
}
