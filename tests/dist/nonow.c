/* Built without -z now (lazy binding): pomp run must refuse it. */
#include <omp.h>
#include <stdio.h>
int g = 1;
int main(void) {
  #pragma omp parallel
  g = 1;
  printf("ran\n");
  return 0;
}
