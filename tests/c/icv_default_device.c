// Checks the default-device-var ICV: omp_get_default_device starts at 0, omp_set_default_device stores non-negative values as given (no validation against the number of devices) and a negative value as 0 (GCC 12 libgomp), and the value is per thread inside a region (inherited by nested regions, discarded when the region ends).
// GOMP entry points: GOMP_parallel, GOMP_barrier (plus omp_set_default_device, omp_get_default_device).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 16

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

int main(void)
{
    check(omp_get_default_device(), 0, "initial default device");
    omp_set_default_device(3);
    check(omp_get_default_device(), 3, "after omp_set_default_device(3)");
    omp_set_default_device(1000);
    check(omp_get_default_device(), 1000, "after omp_set_default_device(1000)");
    omp_set_default_device(0);
    check(omp_get_default_device(), 0, "after omp_set_default_device(0)");

    /* Inside a region: inherited, then per thread. */
    omp_set_default_device(2);
    int inherited[MAXT], own[MAXT], nested[MAXT];
    for (int i = 0; i < MAXT; i++)
        inherited[i] = own[i] = nested[i] = -1;
    int nthr = 0;
#pragma omp parallel num_threads(3)
    {
        int me = omp_get_thread_num();
#pragma omp master
        nthr = omp_get_num_threads();
        inherited[me] = omp_get_default_device();
#pragma omp barrier
        omp_set_default_device(10 + me);
#pragma omp barrier
        own[me] = omp_get_default_device();
#pragma omp parallel num_threads(1)
        nested[me] = omp_get_default_device();
    }
    for (int t = 0; t < nthr; t++) {
        check(inherited[t], 2, "thread %d: inherited default device", t);
        check(own[t], 10 + t, "thread %d: own default device", t);
        check(nested[t], 10 + t, "thread %d: default device in a nested region", t);
    }
    check(omp_get_default_device(), 2, "default device after the region");

    /* libgomp stores 0 for a negative device number. */
    omp_set_default_device(7);
    omp_set_default_device(-5);
    check(omp_get_default_device(), 0, "after omp_set_default_device(-5)");

    return failures > 100 ? 100 : failures;
}
