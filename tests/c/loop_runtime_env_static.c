// Checks schedule(runtime) loops (plain, monotonic:, nonmonotonic:, and over unsigned long long) when run-sched-var comes from OMP_SCHEDULE=static,3: omp_get_schedule, exactly-once execution, the distribution the kind guarantees, per-thread order where monotonic, lastprivate. Also checks that an open-coded schedule(static,3) loop with the same trip count gives every thread the same iterations as the runtime one.
// pomp-test: env=OMP_SCHEDULE=static,3
// GOMP entry points: GOMP_loop_maybe_nonmonotonic_runtime_start/_next, GOMP_loop_runtime_start/_next, GOMP_loop_nonmonotonic_runtime_start/_next, GOMP_loop_ull_maybe_nonmonotonic_runtime_start/_next, GOMP_loop_end, GOMP_parallel.
#define SCHED "static,3"
#define KIND 1
#define CHUNK 3
#define MONOTONIC 1

static void same_assignment(void);
#define EXTRA() same_assignment()
#include "include/loop_runtime_env.h"

/* OpenMP guarantees the same iteration-to-thread assignment for two static
   loops with the same trip count and chunk size bound to the same parallel
   region: compare GCC's open-coded static,3 with runtime static,3. */
static void same_assignment(void)
{
    int n = vn, moved = 0;
    reset();
#pragma omp parallel reduction(+ : moved)
    {
#pragma omp for schedule(static, 3) nowait
        for (int i = 0; i < n; i++)
            owner[i] = omp_get_thread_num();
#pragma omp for schedule(runtime)
        for (int i = 7; i < 7 + 2 * n; i += 2)
            if (owner[(i - 7) / 2] != omp_get_thread_num())
                moved++;
    }
    check(moved, 0, "open-coded static,3 vs runtime static,3: iterations on another thread");
}
