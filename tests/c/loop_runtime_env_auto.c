// Checks schedule(runtime) loops (plain, monotonic:, nonmonotonic:, and over unsigned long long) when run-sched-var comes from OMP_SCHEDULE=auto: omp_get_schedule, exactly-once execution, the distribution the kind guarantees, per-thread order where monotonic, lastprivate.
// pomp-test: env=OMP_SCHEDULE=auto
// GOMP entry points: GOMP_loop_maybe_nonmonotonic_runtime_start/_next, GOMP_loop_runtime_start/_next, GOMP_loop_nonmonotonic_runtime_start/_next, GOMP_loop_ull_maybe_nonmonotonic_runtime_start/_next, GOMP_loop_end, GOMP_parallel.
#define SCHED "auto"
#define KIND 4
#define CHUNK -1
#define MONOTONIC 0
#define EXTRA() ((void)0)
#include "include/loop_runtime_env.h"
