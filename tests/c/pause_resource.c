// Checks omp_pause_resource and omp_pause_resource_all as libgomp 12 answers them: 0 on the host device outside any parallel region (for either kind), -1 inside a parallel region (even an inactive one) and for devices that do not exist, 0 in a target region even when it is inside a parallel region, and parallel regions still work after a pause.
// Entry points: omp_pause_resource, omp_pause_resource_all, GOMP_parallel, GOMP_target_ext.
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

int main(void)
{
    const int host = omp_get_initial_device();
    check(omp_pause_resource(omp_pause_soft, host), 0, "soft pause of the host");
    check(omp_pause_resource(omp_pause_hard, host), 0, "hard pause of the host");
    check(omp_pause_resource_all(omp_pause_soft), 0, "soft pause of all devices");
    check(omp_pause_resource_all(omp_pause_hard), 0, "hard pause of all devices");
    check(omp_pause_resource(omp_pause_soft, host + 1), -1, "pause of a missing device");
    check(omp_pause_resource(omp_pause_soft, -1), -1, "pause of device -1");

    int n = 0;
#pragma omp parallel reduction(+ : n)
    n++;
    check(n, omp_get_max_threads(), "a region after a hard pause");

    int in_region = 0, in_region_all = 0;
#pragma omp parallel reduction(+ : in_region, in_region_all)
    {
        in_region += omp_pause_resource(omp_pause_soft, host) == -1;
        in_region_all += omp_pause_resource_all(omp_pause_soft) == -1;
    }
    check(in_region, n, "pause inside a parallel region fails");
    check(in_region_all, n, "pause_all inside a parallel region fails");
    int inactive = 0;
#pragma omp parallel num_threads(1)
    inactive = omp_pause_resource(omp_pause_hard, host);
    check(inactive, -1, "pause inside an inactive parallel region fails");

    int in_target = 1, in_par_target = 0;
#pragma omp target map(from : in_target)
    in_target = omp_pause_resource(omp_pause_soft, omp_get_initial_device());
    check(in_target, 0, "pause in a target region");
#pragma omp parallel reduction(+ : in_par_target)
    {
        int r = 1;
#pragma omp target map(from : r)
        r = omp_pause_resource_all(omp_pause_soft);
        in_par_target += r == 0;
    }
    check(in_par_target, n, "pause in a target region inside a parallel region");

    check(omp_pause_resource(omp_pause_soft, host), 0, "pause again");
    n = 0;
#pragma omp parallel reduction(+ : n)
    n++;
    check(n, omp_get_max_threads(), "a region after pausing again");
    return failures > 100 ? 100 : failures;
}
