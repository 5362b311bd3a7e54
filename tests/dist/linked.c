/* Pointer-linked data built serially on node 0 (malloc'd list nodes), then
   walked in parallel by every thread on every node (each takes the nodes
   whose index matches its thread number, and tasks take the rest of the
   work); a global array and atomics/critical on globals; printf from
   every thread. Prints OK and exits 0 if right. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

struct item {
  long value;
  long doubled;
  struct item *next;
};

#define N 5000
static long total;        /* atomic */
static long under_lock;   /* critical */
static int said[256];

int main(void) {
  struct item *head = NULL;
  for (long i = N - 1; i >= 0; i--) {
    struct item *it = malloc(sizeof *it);
    it->value = i;
    it->doubled = 0;
    it->next = head;
    head = it;
  }
  int nt = 1;
  #pragma omp parallel
  {
    int me = omp_get_thread_num();
    #pragma omp single
    nt = omp_get_num_threads();
    long k = 0;
    for (struct item *it = head; it; it = it->next, k++)
      if (k % nt == me) {
        it->doubled = 2 * it->value;
        #pragma omp atomic
        total += it->value;
      }
    #pragma omp critical
    under_lock += me + 1;
    printf("thread %d of %d says hello\n", me, nt);
    said[me]++;
    #pragma omp barrier
    #pragma omp single
    for (struct item *it = head; it; it = it->next) {
      #pragma omp task firstprivate(it)
      it->doubled += 1;
    }
  }
  int bad = 0;
  long k = 0;
  for (struct item *it = head; it; it = it->next, k++)
    if (it->doubled != 2 * it->value + 1) bad++;
  if (k != N || total != (long)N * (N - 1) / 2 || under_lock != (long)nt * (nt + 1) / 2) bad++;
  for (int t = 0; t < nt; t++)
    if (said[t] != 1) bad++;
  printf("threads %d bad %d\n", nt, bad);
  printf(bad ? "FAIL\n" : "OK\n");
  return bad != 0;
}
