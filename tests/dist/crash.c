/* A node dies in the middle of a region (or, with the argument "stop",
   goes silent: stopped, its connections open): the job must end, on every
   node, within 5 s, with a non-zero status and a message naming the node. */
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int sig = argc > 1 && argv[1][0] == 's' ? SIGSTOP : SIGKILL;
  #pragma omp parallel
  {
    if (omp_get_thread_num() == omp_get_num_threads() - 1)
      raise(sig);
    sleep(30);
  }
  printf("not reached\n");
  return 0;
}
