// Checks GOMP_CPU_AFFINITY as libgomp reads it: CPU numbers and ranges with strides separated by white space or commas give one place per CPU in the order listed (kept even past the process's mask, dropped past the machine's CPU numbering), turn binding on, lose to a valid OMP_PLACES and to OMP_PROC_BIND=false, and are refused whole when malformed; each value is read by a child process restricted to CPUs 0 and 1.
// GOMP entry points: none (the omp_* place queries, in child processes).
// pomp-test: threads=1,4 cflags=-D_GNU_SOURCE

/* One environment and what libgomp makes of it on CPUs {0,1}
   (underscores stand for spaces). */
static const struct {
    const char *env[2];
    const char *want;
} cases[] = {
    {{"GOMP_CPU_AFFINITY=0_1"}, "bind=1 n=2 {0},{1}"},
    {{"GOMP_CPU_AFFINITY=1_0"}, "bind=1 n=2 {1},{0}"},
    {{"GOMP_CPU_AFFINITY=0-1"}, "bind=1 n=2 {0},{1}"},
    {{"GOMP_CPU_AFFINITY=1,0"}, "bind=1 n=2 {1},{0}"},
    {{"GOMP_CPU_AFFINITY=1_,_0"}, "bind=1 n=2 {1},{0}"},
    {{"GOMP_CPU_AFFINITY=_0__1_"}, "bind=1 n=2 {0},{1}"},
    {{"GOMP_CPU_AFFINITY=0\t1"}, "bind=1 n=2 {0},{1}"},
    {{"GOMP_CPU_AFFINITY=1_1_0"}, "bind=1 n=3 {1},{1},{0}"},
    {{"GOMP_CPU_AFFINITY=0-3"}, "bind=1 n=4 {0},{1},{2},{3}"},
    {{"GOMP_CPU_AFFINITY=0-3:2"}, "bind=1 n=2 {0},{2}"},
    {{"GOMP_CPU_AFFINITY=0-3:3_1"}, "bind=1 n=3 {0},{3},{1}"},
    {{"GOMP_CPU_AFFINITY=+1"}, "bind=1 n=1 {1}"},
    {{"GOMP_CPU_AFFINITY=0-1:1"}, "bind=1 n=2 {0},{1}"},
    {{"GOMP_CPU_AFFINITY=1", "OMP_PROC_BIND=spread"}, "bind=4 n=1 {1}"},
    {{"GOMP_CPU_AFFINITY=1", "OMP_PROC_BIND=primary"}, "bind=2 n=1 {1}"},
    {{"GOMP_CPU_AFFINITY=1", "OMP_PROC_BIND=false"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=0_1", "OMP_PLACES={1}"}, "bind=1 n=1 {1}"},
    {{"GOMP_CPU_AFFINITY=x", "OMP_PLACES={1}"}, "bind=1 n=1 {1}"},
    {{"GOMP_CPU_AFFINITY=x", "OMP_PROC_BIND=true"}, "bind=1 n=2 {0},{1}"},
    {{"GOMP_CPU_AFFINITY=x"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY="}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=1-0"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=0-1:0"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=0:2"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=0-"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=-1"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=0,,1"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=1,"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=,1"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=1_-_2"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=0-1:"}, "bind=0 n=0"},
    {{"GOMP_CPU_AFFINITY=1x"}, "bind=0 n=0"},
};

#include "include/places_env.h"
