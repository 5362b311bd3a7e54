// Checks that malformed OMP_PLACES values (unknown names, bad counts, empty or unterminated places, zero lengths, exclusions of CPUs or places not listed, intervals leaving the CPU numbering, places with no usable CPU) leave no places and binding off, as in libgomp, and that a malformed OMP_PLACES leaves GOMP_CPU_AFFINITY or OMP_PROC_BIND in charge; each value is read by a child process restricted to CPUs 0 and 1.
// GOMP entry points: none (the omp_* place queries, in child processes).
// pomp-test: threads=1,4 cflags=-D_GNU_SOURCE

/* One environment and what libgomp makes of it on CPUs {0,1}
   (underscores stand for spaces in OMP_PLACES). */
static const struct {
    const char *env[2];
    const char *want;
} cases[] = {
    {{"OMP_PLACES=bogus"}, "bind=0 n=0"},
    {{"OMP_PLACES=threads()"}, "bind=0 n=0"},
    {{"OMP_PLACES=threads(0)"}, "bind=0 n=0"},
    {{"OMP_PLACES=threads(2"}, "bind=0 n=0"},
    {{"OMP_PLACES=threads(2)x"}, "bind=0 n=0"},
    {{"OMP_PLACES=threads,cores"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},threads"}, "bind=0 n=0"},
    {{"OMP_PLACES={}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},"}, "bind=0 n=0"},
    {{"OMP_PLACES={0}{1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:0}"}, "bind=0 n=0"},
    {{"OMP_PLACES={-1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0}:0"}, "bind=0 n=0"},
    {{"OMP_PLACES={0}:-1"}, "bind=0 n=0"},
    {{"OMP_PLACES={0x1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},{1}x"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:2},!{0:2}"}, "bind=0 n=0"},
    {{"OMP_PLACES={!0,1}"}, "bind=0 n=0"},
    {{"OMP_PLACES=!{0}"}, "bind=0 n=0"},
    {{"OMP_PLACES=!1"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},!{1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},{1},!{0:2}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},!{0}:2"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:2}:2:-1"}, "bind=0 n=0"},
    {{"OMP_PLACES={1}:2:-2"}, "bind=0 n=0"},
    {{"OMP_PLACES={1:3:-1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0::1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:}"}, "bind=0 n=0"},
    {{"OMP_PLACES={:1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:2:}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0}:2:"}, "bind=0 n=0"},
    {{"OMP_PLACES={0}:"}, "bind=0 n=0"},
    {{"OMP_PLACES=!"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},{1},!"}, "bind=0 n=0"},
    {{"OMP_PLACES={0,1,!1,!1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0,!!1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:2,_!1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:2,!0:2}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0,1,!0:2}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0,!0}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},{1},!{0},!{1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={5}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0,}"}, "bind=0 n=0"},
    {{"OMP_PLACES={,0}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0_1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:99999999999}"}, "bind=0 n=0"},
    {{"OMP_PLACES={4294967296}"}, "bind=0 n=0"},
    /* Another variable still decides. */
    {{"OMP_PLACES=bogus", "GOMP_CPU_AFFINITY=1_0"}, "bind=1 n=2 {1},{0}"},
    {{"OMP_PLACES=bogus", "OMP_PROC_BIND=spread"}, "bind=4 n=2 {0},{1}"},
    {{"OMP_PLACES={5}", "OMP_PROC_BIND=close"}, "bind=3 n=2 {0},{1}"},
    {{"OMP_PLACES=bogus", "OMP_PROC_BIND=false"}, "bind=0 n=0"},
};

#include "include/places_env.h"
