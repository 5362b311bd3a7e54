// Checks task reductions with different operators and types: * on long and double, max and min, &, |, ^, && and ||, and whole arrays and array sections with +, through taskgroup task_reduction and in_reduction tasks.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_taskgroup_start, GOMP_taskgroup_reduction_register, GOMP_task, GOMP_task_reduction_remap, GOMP_taskgroup_end, GOMP_taskgroup_reduction_unregister, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define N 64

int main(void)
{
    long prod = 3, mx = -1000, mn = 1000;
    double dprod = 1.0;
    unsigned band = ~0u, bor = 0, bxor = 0;
    int land = 1, lor = 0, land2 = 1;
    long arr[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int sec[16];
    for (int k = 0; k < 16; k++)
        sec[k] = 100;

#pragma omp parallel
#pragma omp single
    {
#pragma omp taskgroup task_reduction(*: prod, dprod) task_reduction(max: mx) task_reduction(min: mn)
        {
            for (int i = 0; i < N; i++) {
#pragma omp task in_reduction(*: prod, dprod) in_reduction(max: mx) in_reduction(min: mn) firstprivate(i)
                {
                    if (i % 16 == 0)
                        prod *= 2;
                    dprod *= (i % 4 == 0) ? 0.5 : 1.0; /* exact in any order */
                    if (i * 7 % 61 > mx)
                        mx = i * 7 % 61;
                    if (i - 20 < mn)
                        mn = i - 20;
                }
            }
        }
#pragma omp taskgroup task_reduction(&: band) task_reduction(|: bor) task_reduction(^: bxor) task_reduction(&&: land, land2) task_reduction(||: lor)
        {
            for (int i = 0; i < N; i++) {
#pragma omp task in_reduction(&: band) in_reduction(|: bor) in_reduction(^: bxor) in_reduction(&&: land, land2) in_reduction(||: lor) firstprivate(i)
                {
                    band &= ~(1u << (i % 8));
                    bor |= 1u << (i % 20);
                    bxor ^= 1u << (i % 5);
                    land = land && (i < N);
                    land2 = land2 && (i != 33);
                    lor = lor || (i == 40);
                }
            }
        }
#pragma omp taskgroup task_reduction(+: arr, sec[4:8])
        {
            for (int i = 0; i < N; i++) {
#pragma omp task in_reduction(+: arr, sec[4:8]) firstprivate(i)
                {
                    for (int k = 0; k < 8; k++)
                        arr[k] += k * i;
                    sec[4 + i % 8] += 1;
                }
            }
        }
    }
    check(prod, 3 * 16, "* on long");
    check(dprod == 1.0 / 65536, 1, "* on double (0.5^16)");
    check(mx, 60, "max");
    check(mn, -20, "min");
    check(band, ~0xffu, "&");
    check(bor, 0xfffffu, "|");
    /* Each of bits 0..4 flips N/5 or N/5+1 times: 13,13,13,13,12 for N=64. */
    check(bxor, 0x0fu, "^");
    check(land, 1, "&& (all true)");
    check(land2, 0, "&& (one false)");
    check(lor, 1, "||");
    for (int k = 0; k < 8; k++)
        check(arr[k], k * (long)N * (N - 1) / 2, "array element %d", k);
    for (int k = 0; k < 16; k++)
        check(sec[k], (k >= 4 && k < 12) ? 100 + N / 8 : 100, "array section element %d", k);
    return failures > 100 ? 100 : failures;
}
