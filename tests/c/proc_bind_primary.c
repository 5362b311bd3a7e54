// Checks proc_bind(primary) and its old spelling proc_bind(master) over 3 places ({1},{0},{1}): every thread of the team sits on the primary thread's place, bound to its CPUs, with the primary thread's partition, also in nested teams started from threads of close and spread teams.
// GOMP entry points: GOMP_parallel with proc_bind(master/primary), proc_bind(close) and proc_bind(spread) flags, nested (plus the omp_* place queries).
// pomp-test: env=OMP_PLACES={1},{0},{1} cflags=-D_GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>

#define P 3
#define MAXT 8

#include "include/proc_bind_seats.h"

int main(void)
{
    static struct rec rec[MAXT], nested[MAXT][MAXT];
    struct seat all = {0, 0, P};

    if (omp_get_num_places() != P || omp_get_place_num() != 0) {
        printf("FAIL: setup (got %d places, place %d; want %d, 0)\n", omp_get_num_places(),
               omp_get_place_num(), P);
        return 1;
    }
    for (int n = 5; n >= 1; n -= 2) {
#pragma omp parallel num_threads(n) proc_bind(primary)
        record(&rec[omp_get_thread_num()]);
        for (int t = 0; t < n; t++)
            check("primary", n, &rec[t], all, t, omp_proc_bind_primary);
#pragma omp parallel num_threads(n) proc_bind(master)
        record(&rec[omp_get_thread_num()]);
        for (int t = 0; t < n; t++)
            check("master", n, &rec[t], all, t, omp_proc_bind_master);
    }

    omp_set_max_active_levels(2);
#pragma omp parallel num_threads(3) proc_bind(close)
    {
        int o = omp_get_thread_num();
#pragma omp parallel num_threads(4) proc_bind(primary)
        record(&nested[o][omp_get_thread_num()]);
    }
    for (int o = 0; o < 3; o++)
        for (int t = 0; t < 4; t++)
            check("close/primary", 4, &nested[o][t], close_seat(3, all, o), t,
                  omp_proc_bind_primary);
#pragma omp parallel num_threads(2) proc_bind(spread)
    {
        int o = omp_get_thread_num();
#pragma omp parallel num_threads(3) proc_bind(primary)
        record(&nested[o][omp_get_thread_num()]);
    }
    for (int o = 0; o < 2; o++)
        for (int t = 0; t < 3; t++)
            check("spread/primary", 3, &nested[o][t], spread_seat(2, all, o), t,
                  omp_proc_bind_primary);
    return failures > 100 ? 100 : failures;
}
