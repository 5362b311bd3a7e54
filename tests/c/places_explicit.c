// Checks that explicit OMP_PLACES lists (CPU lists, CPU intervals with strides, place intervals, exclusions inside and between places, bare CPU numbers, white space) give the place list libgomp gives, through omp_get_num_places, omp_get_place_num_procs and omp_get_place_proc_ids, and turn binding on; each value is read by a child process restricted to CPUs 0 and 1.
// GOMP entry points: none (the omp_* place queries, in child processes).
// pomp-test: threads=1,4 cflags=-D_GNU_SOURCE

/* One environment and the places libgomp makes of it on CPUs {0,1}. CPUs
   past the mask but inside the machine's CPU numbering (2, 3, 5) are
   dropped from places; a place left empty is dropped (with a warning). */
static const struct {
    const char *env[2];
    const char *want;
} cases[] = {
    {{"OMP_PLACES={0},{1}"}, "bind=1 n=2 {0},{1}"},
    {{"OMP_PLACES={1},{0}"}, "bind=1 n=2 {1},{0}"},
    {{"OMP_PLACES={0:2}"}, "bind=1 n=1 {0,1}"},
    {{"OMP_PLACES={0:2:1}"}, "bind=1 n=1 {0,1}"},
    {{"OMP_PLACES={1:2:-1}"}, "bind=1 n=1 {0,1}"},
    {{"OMP_PLACES={1,0}"}, "bind=1 n=1 {0,1}"},
    {{"OMP_PLACES={0,0}"}, "bind=1 n=1 {0}"},
    {{"OMP_PLACES={0:2:0}"}, "bind=1 n=1 {0}"},
    {{"OMP_PLACES={0:4}"}, "bind=1 n=1 {0,1}"},
    {{"OMP_PLACES={0,2},{1,3}"}, "bind=1 n=2 {0},{1}"},
    {{"OMP_PLACES={0},{1},{0},{1}"}, "bind=1 n=4 {0},{1},{0},{1}"},
    {{"OMP_PLACES={0}:2"}, "bind=1 n=2 {0},{1}"},
    {{"OMP_PLACES={0}:2:1"}, "bind=1 n=2 {0},{1}"},
    {{"OMP_PLACES={1}:2:-1"}, "bind=1 n=2 {1},{0}"},
    {{"OMP_PLACES={0}:3:0"}, "bind=1 n=3 {0},{0},{0}"},
    {{"OMP_PLACES={0:2}:2"}, "bind=1 n=2 {0,1},{1}"},
    {{"OMP_PLACES={0}:4"}, "bind=1 n=2 {0},{1}"},
    {{"OMP_PLACES={0},{5},{1}"}, "bind=1 n=2 {0},{1}"},
    {{"OMP_PLACES={0},{1},!{0}"}, "bind=1 n=1 {1}"},
    {{"OMP_PLACES={1},{0},{1},!{1}"}, "bind=1 n=2 {0},{1}"},
    {{"OMP_PLACES={0},{1},!{1},{1}"}, "bind=1 n=2 {0},{1}"},
    {{"OMP_PLACES={0:2},!{1,0},{1}"}, "bind=1 n=1 {1}"},
    {{"OMP_PLACES={0}:2,!{1}"}, "bind=1 n=1 {0}"},
    {{"OMP_PLACES={0:2,!1}"}, "bind=1 n=1 {0}"},
    {{"OMP_PLACES={0,1,!1,1}"}, "bind=1 n=1 {0}"},
    {{"OMP_PLACES={!1,0:2}"}, "bind=1 n=1 {0}"},
    {{"OMP_PLACES={0:2,!_1}"}, "bind=1 n=1 {0}"},
    {{"OMP_PLACES=0"}, "bind=1 n=1 {0}"},
    {{"OMP_PLACES=1,0"}, "bind=1 n=2 {1},{0}"},
    {{"OMP_PLACES=0:2"}, "bind=1 n=2 {0},{1}"},
    {{"OMP_PLACES=1:2:-1"}, "bind=1 n=2 {1},{0}"},
    {{"OMP_PLACES=0,1,!1"}, "bind=1 n=1 {0}"},
    {{"OMP_PLACES=_{0}_,_{1}_"}, "bind=1 n=2 {0},{1}"},
    {{"OMP_PLACES={_0_,_1_}"}, "bind=1 n=1 {0,1}"},
    {{"OMP_PLACES={0:2}_:_2"}, "bind=1 n=2 {0,1},{1}"},
    {{"OMP_PLACES={01}"}, "bind=1 n=1 {1}"},
    {{"OMP_PLACES={+1}"}, "bind=1 n=1 {1}"},
    {{"OMP_PLACES={0}:+2"}, "bind=1 n=2 {0},{1}"},
    /* With OMP_PROC_BIND: its value stays; false drops the list. */
    {{"OMP_PLACES={1},{0}", "OMP_PROC_BIND=spread"}, "bind=4 n=2 {1},{0}"},
    {{"OMP_PLACES={1},{0}", "OMP_PROC_BIND=master"}, "bind=2 n=2 {1},{0}"},
    {{"OMP_PLACES={1},{0}", "OMP_PROC_BIND=false"}, "bind=0 n=0"},
    {{"OMP_PLACES={1}", "OMP_PROC_BIND=bogus"}, "bind=1 n=1 {1}"},
};

#include "include/places_env.h"
