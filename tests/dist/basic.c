/* Distributed basics: a reduction over a heap array, single, critical, a
   dynamic loop writing globals; the team spans every node. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
double g[1000];
int main(void) {
  int n = 100000; double sum = 0; long cnt = 0;
  double *a = malloc(n * sizeof(double));
  for (int i = 0; i < n; i++) a[i] = i;
  int nt = 0;
  #pragma omp parallel reduction(+:sum)
  {
    #pragma omp single
    nt = omp_get_num_threads();
    #pragma omp for
    for (int i = 0; i < n; i++) sum += a[i];
    #pragma omp critical
    cnt++;
    #pragma omp for schedule(dynamic, 7)
    for (int i = 0; i < 1000; i++) g[i] = i * 2.0;
  }
  double gs = 0; for (int i = 0; i < 1000; i++) gs += g[i];
  printf("threads %d sum %.0f cnt %ld gs %.0f\n", nt, sum, cnt, gs);
  /* A child process is not a node of the job: it runs on its own. */
  int rc = system("exit 3");
  printf("system: %d\n", rc);
  int ok = sum == (double)n*(n-1)/2 && cnt == nt && gs == 999000.0 &&
           WIFEXITED(rc) && WEXITSTATUS(rc) == 3;
  printf(ok ? "OK\n" : "FAIL\n");
  return !ok;
}
