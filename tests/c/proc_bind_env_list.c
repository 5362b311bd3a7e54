// Checks OMP_PROC_BIND=spread,close without proc_bind clauses over 4 places ({0},{1} twice): bind-var is spread at the start, the outermost region spreads its threads, its implicit tasks get close from the list and their nested regions place threads close within their subpartitions; a proc_bind clause overrides the policy of its own region only.
// GOMP entry points: GOMP_parallel without and with a proc_bind flag, nested (plus the omp_* place queries and omp_get_proc_bind).
// pomp-test: env=OMP_PLACES={0},{1},{0},{1};OMP_PROC_BIND=spread,close cflags=-D_GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>

#define P 4
#define MAXT 8

#include "include/proc_bind_seats.h"

int main(void)
{
    static struct rec outer[MAXT], inner[MAXT][MAXT];
    struct seat all = {0, 0, P};

    if (omp_get_num_places() != P || omp_get_proc_bind() != omp_proc_bind_spread) {
        printf("FAIL: setup (got %d places, bind %d; want %d, spread)\n", omp_get_num_places(),
               (int)omp_get_proc_bind(), P);
        return 1;
    }
    /* The list asks for nesting (OpenMP 5.0: max-active-levels > 1). */
    if (omp_get_max_active_levels() < 2) {
        printf("FAIL: max_active_levels %d with a bind list\n", omp_get_max_active_levels());
        failures++;
    }
    /* spread, then close inside each subpartition. */
#pragma omp parallel num_threads(2)
    {
        int o = omp_get_thread_num();
        record(&outer[o]);
#pragma omp parallel num_threads(2)
        record(&inner[o][omp_get_thread_num()]);
    }
    for (int o = 0; o < 2; o++) {
        struct seat so = spread_seat(2, all, o);
        check("outer", 2, &outer[o], so, o, omp_proc_bind_close);
        for (int t = 0; t < 2; t++)
            check("inner", 2, &inner[o][t], close_seat(2, so, t), t, omp_proc_bind_close);
    }
    /* A clause changes its region's policy; the list still gives the
       implicit tasks of level 1 close, and past the list's end the clause
       becomes the implicit tasks' bind-var. */
#pragma omp parallel num_threads(3) proc_bind(close)
    record(&outer[omp_get_thread_num()]);
    for (int t = 0; t < 3; t++)
        check("close clause", 3, &outer[t], close_seat(3, all, t), t, omp_proc_bind_close);
#pragma omp parallel num_threads(2) proc_bind(primary)
    {
        int o = omp_get_thread_num();
        record(&outer[o]);
#pragma omp parallel num_threads(3) proc_bind(spread)
        record(&inner[o][omp_get_thread_num()]);
    }
    for (int o = 0; o < 2; o++) {
        check("primary clause", 2, &outer[o], all, o, omp_proc_bind_close);
        for (int t = 0; t < 3; t++)
            check("primary/spread clause", 3, &inner[o][t], spread_seat(3, all, t), t,
                  omp_proc_bind_spread);
    }
    if (omp_get_proc_bind() != omp_proc_bind_spread || omp_get_place_num() != 0) {
        failures++;
        printf("FAIL: after the regions (got bind %d place %d)\n", (int)omp_get_proc_bind(),
               omp_get_place_num());
    }
    return failures > 100 ? 100 : failures;
}
