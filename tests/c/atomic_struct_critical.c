// Checks the fallbacks for values omp atomic cannot handle: complex numbers and multi-word structs updated under named critical and under the runtime's atomic lock (GOMP_atomic_start/end called directly, as GCC does for 16-byte atomics) stay consistent (no torn snapshot is ever observed) and lose no updates.
// GOMP entry points: GOMP_parallel, GOMP_critical_name_start/end, GOMP_atomic_start, GOMP_atomic_end.
#include <complex.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define ITERS 3000

/* Not in omp.h: libgomp's lock for atomics GCC cannot do inline. */
extern void GOMP_atomic_start(void);
extern void GOMP_atomic_end(void);

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

/* Invariants: a + b + c == 0 and tag == a. */
struct triple {
    long a, b, c, tag;
};

static double complex zsum;
static float complex fz = 1.0f;
static struct triple tcrit, tatom;
static volatile long atom_plain; /* updated under GOMP_atomic_start only */

int main(void)
{
    int nthr = omp_get_max_threads();
    long total = (long)ITERS * nthr;
    long torn_c = 0, torn_a = 0, torn_z = 0;

#pragma omp parallel reduction(+:torn_c, torn_a, torn_z)
    {
        int me = omp_get_thread_num();
        for (int i = 0; i < ITERS; i++) {
#pragma omp critical(cplx)
            zsum += 0.5 + 0.25 * I;
            if (i % 500 == 0) {
                /* multiplying by i rotates by 90 degrees, exactly */
#pragma omp critical(cplx)
                fz *= I;
            }
            double complex snap;
#pragma omp critical(cplx)
            snap = zsum;
            /* re and im always move together: re == 2 * im */
            if (creal(snap) != 2 * cimag(snap))
                torn_z++;

            struct triple s;
            if ((i + me) % 2) {
#pragma omp critical(triple)
                {
                    tcrit.a += 1;
                    tcrit.b -= 3;
                    tcrit.c += 2;
                    tcrit.tag = tcrit.a;
                }
            } else {
#pragma omp critical(triple)
                s = tcrit;
                if (s.a + s.b + s.c != 0 || s.tag != s.a)
                    torn_c++;
            }

            GOMP_atomic_start();
            if ((i + me) % 2) {
                tatom.a += 2;
                tatom.b -= 1;
                tatom.c -= 1;
                tatom.tag = tatom.a;
                atom_plain = atom_plain + 1;
                GOMP_atomic_end();
            } else {
                s = tatom;
                GOMP_atomic_end();
                if (s.a + s.b + s.c != 0 || s.tag != s.a)
                    torn_a++;
            }
        }
    }
    check((long long)(creal(zsum) * 2), total, "complex sum real part (times 2)");
    check((long long)(cimag(zsum) * 4), total, "complex sum imaginary part (times 4)");
    /* fz rotated (number of i%500==0 iterations) * nthr times */
    int rot = (int)(((ITERS + 499) / 500 * (long)nthr) % 4);
    float complex fwant = 1.0f;
    for (int k = 0; k < rot; k++)
        fwant *= I;
    check((long long)crealf(fz), (long long)crealf(fwant), "float complex rotation real part");
    check((long long)cimagf(fz), (long long)cimagf(fwant), "float complex rotation imaginary part");
    check(torn_z, 0, "inconsistent complex snapshots");
    long writes = 0;
    for (int me = 0; me < nthr; me++)
        for (int i = 0; i < ITERS; i++)
            writes += (i + me) % 2;
    check(tcrit.a, writes, "struct under critical: a");
    check(tcrit.b, -3 * writes, "struct under critical: b");
    check(tcrit.c, 2 * writes, "struct under critical: c");
    check(torn_c, 0, "inconsistent struct snapshots under critical");
    check(tatom.a, 2 * writes, "struct under GOMP_atomic_start: a");
    check(tatom.tag, 2 * writes, "struct under GOMP_atomic_start: tag");
    check(atom_plain, writes, "counter under GOMP_atomic_start");
    check(torn_a, 0, "inconsistent struct snapshots under GOMP_atomic_start");

    /* Outside a parallel region the atomic lock still works. */
    GOMP_atomic_start();
    atom_plain = 0;
    GOMP_atomic_end();
    check(atom_plain, 0, "GOMP_atomic_start/end outside a parallel region");
    return failures > 100 ? 100 : failures;
}
