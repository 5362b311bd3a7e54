// Checks the data environment of taskloop tasks: firstprivate scalars, a large struct, 64-byte aligned data and a variable-length array (GCC passes a copy function) are copied into every generated task with the values at the construct, per-task copies stay private, and lastprivate gets the sequentially last iteration's value; deferred and if(0).
// GOMP entry points: GOMP_taskloop (with cpyfn, arg_size and arg_align), GOMP_parallel, GOMP_single_start, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdint.h>
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

struct big {
    long v[300];
};

struct al {
    double d[2];
} __attribute__((aligned(64)));

#define N 400

int main(void)
{
    volatile int zero = 0;
    int n = 23 + zero;
    int bad_scalar = 0, bad_big = 0, bad_al = 0, misal = 0, bad_vla = 0, bad_priv = 0;
    int last = -1;

#pragma omp parallel shared(bad_scalar, bad_big, bad_al, misal, bad_vla, bad_priv, last)
#pragma omp single
    {
        for (int round = 0; round < 2; round++) {
            int deferred = round == 0;
            int k = 17;
            struct big b;
            struct al a;
            long vla[n];
            for (int j = 0; j < 300; j++)
                b.v[j] = j * 3;
            a.d[0] = 1.5;
            a.d[1] = -2.5;
            for (int j = 0; j < n; j++)
                vla[j] = j + 100;
            int counter = 0; /* per-task copy: counts that task's iterations */
#pragma omp taskloop if(deferred) grainsize(7) firstprivate(k, b, a, vla, counter) lastprivate(last) shared(bad_scalar, bad_big, bad_al, misal, bad_vla, bad_priv)
            for (int i = 0; i < N; i++) {
                if (k != 17 + counter)
                    __atomic_fetch_add(&bad_scalar, 1, __ATOMIC_RELAXED);
                k++; /* this task's own copy */
                if (b.v[299] != 897 || b.v[i % 300] != (i % 300) * 3)
                    __atomic_fetch_add(&bad_big, 1, __ATOMIC_RELAXED);
                if (a.d[0] != 1.5 || a.d[1] != -2.5)
                    __atomic_fetch_add(&bad_al, 1, __ATOMIC_RELAXED);
                if ((uintptr_t)&a % 64 != 0)
                    __atomic_fetch_add(&misal, 1, __ATOMIC_RELAXED);
                if (sizeof vla != (size_t)n * sizeof(long) || vla[n - 1] != n + 99 || vla[0] != 100 + counter)
                    __atomic_fetch_add(&bad_vla, 1, __ATOMIC_RELAXED);
                vla[0]++;
                counter++;
                if (counter > 13) /* grainsize(7): fewer than 14 per task */
                    __atomic_fetch_add(&bad_priv, 1, __ATOMIC_RELAXED);
                last = i * 2;
            }
            check(k, 17, "original of a firstprivate scalar (round %d)", round);
            check(vla[0], 100, "original VLA (round %d)", round);
            check(last, 2 * (N - 1), "lastprivate (round %d)", round);
        }
    }
    check(bad_scalar, 0, "iterations with a wrong per-task firstprivate scalar");
    check(bad_big, 0, "iterations with a wrong firstprivate struct");
    check(bad_al, 0, "iterations with wrong aligned data");
    check(misal, 0, "iterations whose aligned(64) copy was misaligned");
    check(bad_vla, 0, "iterations with a wrong VLA copy");
    check(bad_priv, 0, "tasks with more iterations than grainsize(7) allows");
    return failures > 100 ? 100 : failures;
}
