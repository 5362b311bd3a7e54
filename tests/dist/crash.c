/* A node dies in the middle of a region: the job must end, on every node,
   within 5 s, with a non-zero status and a message naming the node. */
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  #pragma omp parallel
  {
    if (omp_get_thread_num() == omp_get_num_threads() - 1)
      raise(SIGKILL);
    sleep(30);
  }
  printf("not reached\n");
  return 0;
}
