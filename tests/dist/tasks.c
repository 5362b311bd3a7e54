/* Tasks across nodes: a task runs on the node that created it, and its
   data (the firstprivate block) is memory every node can read: a thread on
   the last node reads a running task's firstprivate array through a
   pointer the task publishes. Also fib with tasks, many small tasks from
   every thread, taskgroup, and a dependence chain. Prints OK, exits 0. */
#include <omp.h>
#include <stdio.h>
#include <string.h>

static long fib(int n) {
  if (n < 2) return n;
  long a, b;
  #pragma omp task shared(a)
  a = fib(n - 1);
  #pragma omp task shared(b)
  b = fib(n - 2);
  #pragma omp taskwait
  return a + b;
}

struct big { long v[40]; };
static struct big *volatile published;
static volatile long seen_sum = -1;
static long counter;
static int chain[64];
static int nchain;

int main(void) {
  long f = 0;
  int nt = 0, bad = 0;
  #pragma omp parallel
  {
    int me = omp_get_thread_num();
    #pragma omp single
    nt = omp_get_num_threads();
    #pragma omp single
    f = fib(20);

    for (int i = 0; i < 50; i++) {
      #pragma omp task firstprivate(i)
      {
        #pragma omp atomic
        counter += i;
      }
    }
    #pragma omp taskwait

    #pragma omp single
    {
      #pragma omp taskgroup
      {
        for (int i = 0; i < 32; i++) {
          #pragma omp task depend(inout: nchain) firstprivate(i)
          chain[nchain++] = i;
        }
      }
    }

    /* The task's copy of `b` is read from the last thread's node while the
       task still runs. */
    if (nt > 1) {
      if (me == 0) {
        struct big b;
        for (int k = 0; k < 40; k++) b.v[k] = 1000 + k;
        #pragma omp task firstprivate(b)
        {
          published = &b;
          __sync_synchronize();
          while (seen_sum < 0) __sync_synchronize();
        }
        #pragma omp taskwait
      } else if (me == nt - 1) {
        while (published == NULL) __sync_synchronize();
        long s = 0;
        for (int k = 0; k < 40; k++) s += published->v[k];
        seen_sum = s;
        __sync_synchronize();
      }
    }
  }
  if (f != 6765) {
    printf("fib(20) = %ld\n", f);
    bad++;
  }
  if (counter != (long)nt * (49 * 50 / 2)) {
    printf("counter %ld\n", counter);
    bad++;
  }
  if (nchain != 32) bad++;
  for (int i = 0; i < nchain; i++)
    if (chain[i] != i) {
      printf("chain[%d] = %d\n", i, chain[i]);
      bad++;
      break;
    }
  if (nt > 1 && seen_sum != 40 * 1000 + 39 * 40 / 2) {
    printf("the task's data read from another thread: sum %ld\n", seen_sum);
    bad++;
  }
  printf("threads %d bad %d\n", nt, bad);
  printf(bad ? "FAIL\n" : "OK\n");
  return bad != 0;
}
