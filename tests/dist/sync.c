/* Distributed synchronisation: locks, nestable locks, named critical, atomic, barriers,
   single with copyprivate, sections, a guided loop, and thread numbers that
   are unique and contiguous across nodes. Prints OK and exits 0 if right. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 20000
static long counter;         /* updated under an OpenMP lock */
static long named;           /* under a named critical */
static long atom;            /* with #pragma omp atomic */
static int seen[256];        /* one slot per thread number */
static int sect[4];
static long phase[256];
static long nested;          /* under a nestable lock taken twice */
static omp_nest_lock_t nlock;

int main(void) {
  omp_lock_t lock;
  omp_init_lock(&lock);
  omp_init_nest_lock(&nlock);
  int nt = 0, bad = 0;
  long *v = calloc(N, sizeof(long));
  #pragma omp parallel
  {
    int me = omp_get_thread_num(), n = omp_get_num_threads();
    #pragma omp single
    nt = n;
    seen[me]++;
    for (int i = 0; i < 50; i++) {
      omp_set_lock(&lock);
      counter++;
      omp_unset_lock(&lock);
      #pragma omp critical(names)
      named += 2;
      #pragma omp atomic
      atom += 3;
    }
    for (int i = 0; i < 20; i++) {
      omp_set_nest_lock(&nlock);
      omp_set_nest_lock(&nlock);
      long v = nested;
      if (omp_test_nest_lock(&nlock) != 3) {
        #pragma omp atomic
        bad++;
      }
      nested = v + 1;
      omp_unset_nest_lock(&nlock);
      omp_unset_nest_lock(&nlock);
      omp_unset_nest_lock(&nlock);
    }
    /* Barriers order phases across nodes. */
    for (int p = 1; p <= 3; p++) {
      phase[me] = p;
      #pragma omp barrier
      for (int t = 0; t < n; t++)
        if (phase[t] != p) {
          #pragma omp atomic
          bad++;
        }
      #pragma omp barrier
    }
    int token;
    #pragma omp single copyprivate(token)
    token = 4242;
    if (token != 4242) {
      #pragma omp atomic
      bad++;
    }
    #pragma omp sections
    {
      #pragma omp section
      sect[0]++;
      #pragma omp section
      sect[1]++;
      #pragma omp section
      sect[2]++;
      #pragma omp section
      sect[3]++;
    }
    #pragma omp for schedule(guided, 3)
    for (int i = 0; i < N; i++) v[i] += i + 1;
  }
  omp_destroy_lock(&lock);
  omp_destroy_nest_lock(&nlock);
  long vs = 0;
  for (int i = 0; i < N; i++) vs += v[i];
  int ok = nt >= 1 && counter == 50L * nt && named == 100L * nt && atom == 150L * nt && bad == 0 &&
           nested == 20L * nt &&
           vs == (long)N * (N + 1) / 2;
  for (int t = 0; t < nt; t++) ok &= seen[t] == 1;
  for (int s = 0; s < 4; s++) ok &= sect[s] == 1;
  printf("threads %d counter %ld named %ld atom %ld nested %ld bad %d vs %ld\n", nt, counter, named,
         atom, nested, bad, vs);
  if (!ok) {
    for (int t = 0; t < nt; t++) printf("seen[%d]=%d ", t, seen[t]);
    for (int s = 0; s < 4; s++) printf("sect[%d]=%d ", s, sect[s]);
    printf("\n");
  }
  printf(ok ? "OK\n" : "FAIL\n");
  free(v);
  return !ok;
}
