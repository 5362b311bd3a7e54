// Checks that target regions run on the host as libgomp runs them without an offload device: mapped data is the host's own, the region runs as a new initial task (thread 0 of 1, not in a parallel region, on the initial device), the if clause and device(omp_get_initial_device()) work, and the data constructs (target data, update, enter/exit data) leave host data as it is.
// Entry points: GOMP_target_ext, GOMP_target_data_ext, GOMP_target_end_data, GOMP_target_update_ext, GOMP_target_enter_exit_data, omp_get_num_devices, omp_get_initial_device, omp_is_initial_device.
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

/* What a region sees; called from the regions so that GCC does not fold
   the queries. */
__attribute__((noinline)) static void observe(int out[6])
{
    out[0] = omp_is_initial_device();
    out[1] = omp_get_thread_num();
    out[2] = omp_get_num_threads();
    out[3] = omp_in_parallel();
    out[4] = omp_get_active_level();
    out[5] = omp_get_device_num();
}

int main(void)
{
    check(omp_get_num_devices(), 0, "omp_get_num_devices");
    check(omp_get_initial_device(), omp_get_num_devices(), "omp_get_initial_device");
    check(omp_is_initial_device(), 1, "omp_is_initial_device on the host");

    int a[100], sum = 0;
    for (int i = 0; i < 100; i++)
        a[i] = i;
#pragma omp target map(to : a) map(tofrom : sum)
    for (int i = 0; i < 100; i++)
        sum += a[i];
    check(sum, 4950, "map(to/tofrom)");

    int seen[6];
#pragma omp target map(from : seen)
    observe(seen);
    check(seen[0], 1, "omp_is_initial_device in a target region");
    check(seen[1], 0, "thread number in a target region");
    check(seen[2], 1, "team size in a target region");
    check(seen[3], 0, "omp_in_parallel in a target region");
    check(seen[4], 0, "active level in a target region");
    check(seen[5], omp_get_initial_device(), "omp_get_device_num in a target region");

    /* Inside a parallel region too: every thread runs its own region. */
    int regions = 0, wrong = 0;
#pragma omp parallel reduction(+ : regions, wrong)
    {
        int s[6];
#pragma omp target map(from : s)
        observe(s);
        regions++;
        wrong += s[0] != 1 || s[1] != 0 || s[2] != 1 || s[3] != 0 || s[4] != 0;
    }
    check(wrong, 0, "target regions inside a parallel region start a new initial task");

    int hits = 0;
    int cond = 0;
#pragma omp target if (cond) map(tofrom : hits)
    hits++;
#pragma omp target device(omp_get_initial_device()) map(tofrom : hits)
    hits++;
#pragma omp target device(0) map(tofrom : hits)
    hits++;
    check(hits, 3, "if(0), device(initial) and device(0)");

    /* The data constructs do nothing to host memory. */
    int b[10];
    for (int i = 0; i < 10; i++)
        b[i] = i;
#pragma omp target data map(tofrom : b)
    {
        b[0] = 100;
#pragma omp target update to(b)
#pragma omp target map(tofrom : b)
        b[1] += b[0];
#pragma omp target update from(b)
    }
    check(b[0], 100, "target data: host writes stay");
    check(b[1], 101, "target data: region writes are the host's");
#pragma omp target enter data map(to : b)
    b[2] = 50;
#pragma omp target map(tofrom : b)
    b[3] = b[2];
#pragma omp target exit data map(from : b)
    check(b[3], 50, "enter/exit data share the host's memory");
    check(b[9], 9, "untouched elements");
    return failures > 100 ? 100 : failures;
}
