/* Where each thread of a region may run: every thread prints its process
   (one per node; thread 0 is on node 0) and its affinity mask (CPUs 0..63
   as a hexadecimal bit mask). The launcher's test compares the masks with
   the CPUs the job was given. */
#define _GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#define MAX 64
static unsigned long long mask[MAX];
static int pid[MAX];
static int seen[MAX];

static unsigned long long my_mask(void) {
  cpu_set_t s;
  unsigned long long m = 0;
  if (sched_getaffinity(0, sizeof s, &s) != 0) return 0;
  for (int c = 0; c < 64; c++)
    if (CPU_ISSET(c, &s)) m |= 1ULL << c;
  return m;
}

int main(void) {
  int nt = 0;
  #pragma omp parallel
  {
    int t = omp_get_thread_num();
    if (t < MAX) {
      mask[t] = my_mask();
      pid[t] = getpid();
      seen[t] = 1;
    }
    #pragma omp single
    nt = omp_get_num_threads();
  }
  int ok = nt > 0;
  for (int t = 0; t < nt && t < MAX; t++) {
    printf("thread %d pid %d mask %llx\n", t, pid[t], mask[t]);
    ok = ok && seen[t] && mask[t] != 0;
  }
  printf(ok ? "OK\n" : "FAIL\n");
  return !ok;
}
