// Checks proc_bind(spread) over 7 places ({0},{1} repeated): with T <= P threads the partition is cut into T runs of consecutive places (the first P mod T one longer), thread i gets the i-th run after the primary thread's (wrapping) and sits on its first place (the primary thread keeps its place); with T > P each place is a partition of its own, filled in equal consecutive groups; threads are bound to their places; nested spread and close teams work inside the subpartitions.
// GOMP entry points: GOMP_parallel with proc_bind(spread) and proc_bind(close) flags, nested (plus the omp_* place queries).
// pomp-test: env=OMP_PLACES={0},{1},{0},{1},{0},{1},{0} cflags=-D_GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>

#define P 7
#define MAXT 16

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
    /* Largest team first (see proc_bind_close.c). */
    static const int sizes[] = {16, 9, 8, 7, 5, 4, 3, 2, 1};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int n = sizes[i];
#pragma omp parallel num_threads(n) proc_bind(spread)
        record(&rec[omp_get_thread_num()]);
        for (int t = 0; t < n; t++)
            check("spread", n, &rec[t], spread_seat(n, all, t), t, omp_proc_bind_spread);
    }

    /* Nested: spread teams of 3 and 2, then inside each subpartition a
       spread or close team; also from primary threads that do not sit on
       the first place of their partition (an outer close team). */
    omp_set_max_active_levels(2);
    static const struct {
        int outer, outer_spread, inner, inner_spread;
    } plans[] = {{3, 1, 3, 1}, {3, 1, 2, 0}, {2, 1, 2, 1}, {2, 1, 5, 1}, {7, 0, 3, 1}, {5, 0, 2, 1}};
    for (unsigned i = 0; i < sizeof plans / sizeof plans[0]; i++) {
        int no = plans[i].outer, ni = plans[i].inner, os = plans[i].outer_spread,
            is = plans[i].inner_spread;
        if (os) {
#pragma omp parallel num_threads(no) proc_bind(spread)
            {
                int o = omp_get_thread_num();
                if (is) {
#pragma omp parallel num_threads(ni) proc_bind(spread)
                    record(&nested[o][omp_get_thread_num()]);
                } else {
#pragma omp parallel num_threads(ni) proc_bind(close)
                    record(&nested[o][omp_get_thread_num()]);
                }
            }
        } else {
#pragma omp parallel num_threads(no) proc_bind(close)
            {
                int o = omp_get_thread_num();
#pragma omp parallel num_threads(ni) proc_bind(spread)
                record(&nested[o][omp_get_thread_num()]);
            }
        }
        for (int o = 0; o < no; o++) {
            struct seat primary = os ? spread_seat(no, all, o) : close_seat(no, all, o);
            for (int t = 0; t < ni; t++)
                check(os ? (is ? "spread/spread" : "spread/close") : "close/spread", ni,
                      &nested[o][t],
                      is ? spread_seat(ni, primary, t) : close_seat(ni, primary, t), t,
                      is ? omp_proc_bind_spread : omp_proc_bind_close);
        }
    }
    struct rec me;
    record(&me);
    if (me.s.place != 0 || me.s.off != 0 || me.s.len != P) {
        failures++;
        printf("FAIL: initial thread after the regions (got place %d partition %d+%d)\n",
               me.s.place, me.s.off, me.s.len);
    }
    return failures > 100 ? 100 : failures;
}
