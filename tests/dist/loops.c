/* Loops across nodes: every schedule runs each iteration exactly once;
   static schedules give iterations to threads exactly as the spec says
   (by global thread number); ordered regions run in iteration order across
   nodes; sections run once each; nowait loops and a loop inside a single
   region's worth of constructs keep their numbering. Prints OK, exits 0. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define N 3000
#define NSEC 7
static int hits[8][N];       /* per loop kind: times each iteration ran */
static int owner[N];         /* static,5: the thread that ran iteration i */
static int order[N];         /* ordered: the sequence of iterations seen */
static int norder;
static int order2[N];
static int norder2;
static int sec[NSEC];
static int nt;

static int check_once(int k, const char *what) {
  int bad = 0;
  for (int i = 0; i < N; i++)
    if (hits[k][i] != 1) {
      if (bad < 3) printf("%s: iteration %d ran %d times\n", what, i, hits[k][i]);
      bad++;
    }
  return bad;
}

int main(void) {
  #pragma omp parallel
  {
    #pragma omp single
    nt = omp_get_num_threads();
    #pragma omp for schedule(dynamic, 7)
    for (int i = 0; i < N; i++) hits[0][i]++;
    #pragma omp for schedule(guided, 4)
    for (int i = 0; i < N; i++) hits[1][i]++;
    #pragma omp for schedule(runtime)
    for (int i = 0; i < N; i++) hits[2][i]++;
    #pragma omp for schedule(static, 5)
    for (int i = 0; i < N; i++) {
      hits[3][i]++;
      owner[i] = omp_get_thread_num();
    }
    #pragma omp for schedule(dynamic) nowait
    for (int i = 0; i < N; i++) hits[4][i]++;
    #pragma omp for schedule(guided) nowait
    for (int i = N - 1; i >= 0; i--) hits[5][i]++;
    #pragma omp barrier
    #pragma omp for ordered schedule(dynamic, 3)
    for (int i = 0; i < N; i++) {
      hits[6][i]++;
      #pragma omp ordered
      order[norder++] = i;
    }
    #pragma omp for ordered schedule(static, 2)
    for (int i = 0; i < N; i++) {
      hits[7][i]++;
      if (i % 3 == 0) { /* ordered regions may be skipped */
        #pragma omp ordered
        order2[norder2++] = i;
      }
    }
    #pragma omp sections
    {
      #pragma omp section
      sec[0]++;
      #pragma omp section
      sec[1]++;
      #pragma omp section
      sec[2]++;
      #pragma omp section
      sec[3]++;
      #pragma omp section
      sec[4]++;
      #pragma omp section
      sec[5]++;
      #pragma omp section
      sec[6]++;
    }
  }
  /* unsigned long long iterations, a combined construct, a negative step */
  static int ull[N];
  #pragma omp parallel for schedule(dynamic, 11)
  for (unsigned long long u = 0; u < N; u++) ull[u]++;
  static int neg[N];
  #pragma omp parallel for schedule(guided, 2)
  for (long i = N - 1; i >= 0; i -= 1) neg[i]++;

  int bad = 0;
  const char *names[8] = {"dynamic", "guided", "runtime", "static5", "dynamic nowait",
                          "guided nowait", "ordered dynamic", "ordered static"};
  for (int k = 0; k < 8; k++) bad += check_once(k, names[k]);
  for (int i = 0; i < N; i++) {
    if (owner[i] != (i / 5) % nt) {
      if (bad < 5) printf("static,5: iteration %d ran on thread %d, not %d\n", i, owner[i], (i / 5) % nt);
      bad++;
    }
    if (ull[i] != 1 || neg[i] != 1) bad++;
  }
  if (norder != N) bad++;
  for (int i = 0; i < norder; i++)
    if (order[i] != i) {
      if (bad < 5) printf("ordered: position %d holds %d\n", i, order[i]);
      bad++;
      break;
    }
  if (norder2 != N / 3) bad++;
  for (int i = 0; i < norder2; i++)
    if (order2[i] != 3 * i) {
      if (bad < 5) printf("ordered static: position %d holds %d\n", i, order2[i]);
      bad++;
      break;
    }
  for (int s = 0; s < NSEC; s++)
    if (sec[s] != 1) bad++;
  printf("threads %d bad %d\n", nt, bad);
  printf(bad ? "FAIL\n" : "OK\n");
  return bad != 0;
}
