// Checks OMP_PROC_BIND=false with OMP_PLACES and GOMP_CPU_AFFINITY set: binding stays off (no places, omp_get_place_num -1, bind-var false), proc_bind clauses are ignored, and threads keep the process's affinity mask.
// GOMP entry points: GOMP_parallel with proc_bind flags, nested (plus the omp_* place queries).
// pomp-test: env=OMP_PROC_BIND=false;OMP_PLACES={0},{1};GOMP_CPU_AFFINITY=1 cflags=-D_GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>

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
    check("proc_bind", omp_get_proc_bind(), omp_proc_bind_false);
    cpu_set_t now;
    check("mask", sched_getaffinity(0, sizeof now, &now) == 0 && CPU_EQUAL(&now, &initial), 1);
}

int main(void)
{
    sched_getaffinity(0, sizeof initial, &initial);
    unbound();
    omp_set_max_active_levels(2);
#pragma omp parallel num_threads(3) proc_bind(spread)
    {
        unbound();
#pragma omp parallel num_threads(2) proc_bind(primary)
        unbound();
    }
#pragma omp parallel num_threads(2) proc_bind(close)
    unbound();
    return failures > 100 ? 100 : failures;
}
