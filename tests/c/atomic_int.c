// Checks omp atomic update, read, write and capture on integer types (unsigned char, short, int, unsigned, long, long long, pointers): every update form loses nothing under contention, bitwise updates are exact, captured fetch-and-add values form a permutation, and atomic reads never see torn writes.
// GOMP entry points: GOMP_parallel, GOMP_atomic_start/end (two-variable reduction merge; integer atomics up to 8 bytes are inline instructions).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define ITERS 3000
#define MAXT 64

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

static unsigned char uc;
static short sh;
static int in;
static unsigned un;
static long lo;
static long long ll;
static int pool[64];
static int *ptr = pool;
static unsigned bits_or, bits_and = ~0u, bits_xor;

static int ticket;
static long lticket = 1000000000000L;
static char *seen;

static long long shared64; /* written as (k << 32) | k */

int main(void)
{
    int nthr = omp_get_max_threads();
    if (nthr < 1 || nthr > MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", nthr);
        return 1;
    }
    long total = (long)ITERS * nthr;
    seen = calloc((size_t)total * 2, 1);
    if (!seen)
        return 1;
    long torn = 0, bad_ticket = 0;

#pragma omp parallel reduction(+:torn, bad_ticket)
    {
        int me = omp_get_thread_num();
        for (int i = 0; i < ITERS; i++) {
            /* Net effect per iteration is given next to each line. */
#pragma omp atomic
            uc += 3;                 /* +3 */
#pragma omp atomic update
            sh = sh - 2;             /* -2 */
#pragma omp atomic
            in++;                    /* +1 */
#pragma omp atomic
            ++in;                    /* +1 */
#pragma omp atomic
            in--;                    /* -1 */
#pragma omp atomic update
            in = 5 + in;             /* +5 */
#pragma omp atomic
            un += 0x10001u;
#pragma omp atomic
            lo += 1L << 33;
#pragma omp atomic
            ll -= 7;
#pragma omp atomic
            ptr += 1;
            if (i % 64 == 0) {
                unsigned bit = 1u << ((me * 5 + i / 64) % 32);
#pragma omp atomic
                bits_or |= bit;
#pragma omp atomic
                bits_and &= ~bit;
#pragma omp atomic
                bits_xor ^= bit;
#pragma omp atomic
                bits_xor ^= bit;     /* each thread undoes its own toggle */
            }

            /* Capture: the old value, two forms each. */
            int t;
            if (i & 1) {
#pragma omp atomic capture
                t = ticket++;
            } else {
#pragma omp atomic capture
                { t = ticket; ticket += 1; }
            }
            if (t < 0 || t >= total)
                bad_ticket++;
            else
                seen[t]++;
            long lt;
            if (i & 1) {
#pragma omp atomic capture
                lt = ++lticket;
            } else {
#pragma omp atomic capture
                { lticket += 1; lt = lticket; }
            }
            lt -= 1000000000001L;
            if (lt < 0 || lt >= total)
                bad_ticket++;
            else
                seen[total + lt]++;

            /* Write/read: every written value has equal halves. */
            if ((i + me) % 3 == 0) {
                long long k = (long long)(me * ITERS + i) & 0x7fffffff;
#pragma omp atomic write
                shared64 = (k << 32) | k;
            } else {
                long long v;
#pragma omp atomic read
                v = shared64;
                if ((v >> 32) != (v & 0xffffffff))
                    torn++;
            }
        }
    }
    check((long long)uc, (long long)(unsigned char)(3 * total), "unsigned char +=");
    check((long long)sh, (long long)(short)(-2 * total), "short = short - 2");
    check(in, 6 * total, "int ++, --, +=, = 5 + x");
    check((long long)un, (long long)(unsigned)(0x10001u * (unsigned long)total), "unsigned +=");
    check(lo, total << 33, "long += 1 << 33");
    check(ll, -7LL * total, "long long -=");
    check(ptr - pool, total, "pointer += 1");
    unsigned want_or = 0;
    for (int me = 0; me < nthr; me++)
        for (int i = 0; i < ITERS; i += 64)
            want_or |= 1u << ((me * 5 + i / 64) % 32);
    check(bits_or, want_or, "|= of all bits");
    check(bits_and, ~want_or, "&= ~bit");
    check(bits_xor, 0, "^= twice");
    check(ticket, total, "int capture final value");
    check(lticket, 1000000000000L + total, "long capture final value");
    check(bad_ticket, 0, "captured values out of range");
    long dup = 0;
    for (long k = 0; k < 2 * total; k++)
        dup += seen[k] != 1;
    check(dup, 0, "captured values not seen exactly once");
    check(torn, 0, "torn 64-bit atomic reads");
    free(seen);
    return failures > 100 ? 100 : failures;
}
