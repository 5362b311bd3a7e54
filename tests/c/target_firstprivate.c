// Checks firstprivate data of target regions: the region works on a copy of an array or struct (the original is unchanged), with the value at the construct even when the region is a deferred nowait task and the original changes before it runs, and scalars are passed by value.
// Entry points: GOMP_target_ext (GOMP_MAP_FIRSTPRIVATE, GOMP_MAP_FIRSTPRIVATE_INT), GOMP_parallel, GOMP_single_start, GOMP_taskwait.
#include <omp.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *what)
{
    if (got != want) {
        failures++;
        printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
    }
}

struct big {
    double d[5];
    char c;
    long l[9];
};

int main(void)
{
    int arr[32];
    for (int i = 0; i < 32; i++)
        arr[i] = i;
    int scalar = 5;
    long got = 0;
#pragma omp target firstprivate(arr, scalar) map(from : got)
    {
        for (int i = 0; i < 32; i++) {
            got += arr[i];
            arr[i] = -1;
        }
        got += scalar * 1000;
        scalar = 0;
    }
    check(got, 496 + 5000, "values seen in the region");
    check(arr[0] + arr[31], 31, "the original array is unchanged");
    check(scalar, 5, "the original scalar is unchanged");

    struct big s = {{1, 2, 3, 4, 5}, 'x', {10, 20, 30, 40, 50, 60, 70, 80, 90}};
    double dsum = 0;
#pragma omp target firstprivate(s) map(from : dsum)
    {
        for (int i = 0; i < 5; i++)
            dsum += s.d[i];
        dsum += s.l[8] + (s.c == 'x');
        s.l[8] = 0;
    }
    check((long)dsum, 15 + 90 + 1, "struct copy");
    check(s.l[8], 90, "the original struct is unchanged");

    /* nowait: the copy is taken at the construct. */
    long seen[16];
    int bad = 0;
#pragma omp parallel
#pragma omp single
    {
        int v[4] = {0, 0, 0, 0};
        for (int k = 0; k < 16; k++) {
            v[0] = k;
            v[3] = 3 * k;
#pragma omp target nowait firstprivate(v) map(tofrom : seen[k : 1])
            seen[k] = v[0] * 100 + v[3];
            v[0] = -1;
            v[3] = -1;
        }
#pragma omp taskwait
        for (int k = 0; k < 16; k++)
            bad += seen[k] != k * 100 + 3 * k;
    }
    check(bad, 0, "nowait regions see the value at the construct");
    return failures > 100 ? 100 : failures;
}
