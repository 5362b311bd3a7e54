// Checks that without OMP_PROC_BIND, OMP_PLACES or GOMP_CPU_AFFINITY nothing is bound: no places (omp_get_num_places 0, omp_get_place_num -1, empty partition, omp_get_place_num_procs 0 for any number), bind-var false everywhere, proc_bind clauses change nothing, and every team thread keeps the process's affinity mask.
// GOMP entry points: GOMP_parallel without and with proc_bind flags, nested (plus the omp_* place queries).
// pomp-test: cflags=-D_GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

static int failures;
static cpu_set_t initial;

static void check(const char *what, int got, int want)
{
    if (got != want) {
#pragma omp critical(report)
        {
            failures++;
            printf("FAIL: %s in thread %d at level %d (got %d, want %d)\n", what,
                   omp_get_thread_num(), omp_get_level(), got, want);
        }
    }
}

static void unbound(void)
{
    check("num_places", omp_get_num_places(), 0);
    check("place_num", omp_get_place_num(), -1);
    check("partition_num_places", omp_get_partition_num_places(), 0);
    check("place_num_procs(0)", omp_get_place_num_procs(0), 0);
    check("place_num_procs(-1)", omp_get_place_num_procs(-1), 0);
    check("proc_bind", omp_get_proc_bind(), omp_proc_bind_false);
    int ids[4] = {-7, -7, -7, -7};
    omp_get_place_proc_ids(0, ids);
    omp_get_partition_place_nums(ids + 1);
    check("place_proc_ids(0) wrote", ids[0], -7);
    check("partition_place_nums wrote", ids[1], -7);
    cpu_set_t now;
    check("mask", sched_getaffinity(0, sizeof now, &now) == 0 && CPU_EQUAL(&now, &initial), 1);
}

int main(void)
{
    sched_getaffinity(0, sizeof initial, &initial);
    unbound();
    omp_set_max_active_levels(2);
#pragma omp parallel
    {
        unbound();
#pragma omp parallel num_threads(2)
        unbound();
    }
#pragma omp parallel num_threads(3) proc_bind(spread)
    {
        unbound();
#pragma omp parallel num_threads(2) proc_bind(close)
        unbound();
    }
#pragma omp parallel num_threads(2) proc_bind(primary)
    unbound();
    unbound();
    return failures > 100 ? 100 : failures;
}
