// Checks schedule(runtime) loops (plain, monotonic:, nonmonotonic:, and over unsigned long long) when run-sched-var comes from OMP_SCHEDULE=monotonic:dynamic,4: omp_get_schedule, exactly-once execution, the distribution the kind guarantees, per-thread order where monotonic, lastprivate.
// pomp-test: env=OMP_SCHEDULE=monotonic:dynamic,4
// GOMP entry points: GOMP_loop_maybe_nonmonotonic_runtime_start/_next, GOMP_loop_runtime_start/_next, GOMP_loop_nonmonotonic_runtime_start/_next, GOMP_loop_ull_maybe_nonmonotonic_runtime_start/_next, GOMP_loop_end, GOMP_parallel.
#define SCHED "monotonic:dynamic,4"
#define KIND 2
#define CHUNK 4
#define MONOTONIC 1
#define EXTRA() ((void)0)
#include "include/loop_runtime_env.h"
