/* fork() on node 0 of a distributed job: the child gets a private copy of
   the memory (its writes to the stack, globals and the heap never reach the
   parent), and the parent and its job go on unchanged. (No region in the
   child: libgomp hangs there.) Prints OK. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int g = 5;

int main(void) {
  int local = 7, bad = 0;
  int *h = malloc(64);
  *h = 9;
  #pragma omp parallel
  {
    if (omp_get_thread_num() == omp_get_num_threads() - 1) g = 6;
  }
  for (int round = 0; round < 3; round++) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return 2;
    if (pid == 0) {
      int cbad = local != 7 || *h != 9;
      local = 70;
      g = 60;
      *h = 90;
      cbad |= local != 70 || g != 60 || *h != 90;
      _exit(cbad ? 1 : 3);
    }
    int st = 0;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 3) {
      printf("round %d: the child ended with status %#x\n", round, st);
      bad++;
    }
    if (local != 7 || g != 6 || *h != 9) {
      printf("round %d: the parent sees local %d g %d h %d\n", round, local, g, *h);
      bad++;
    }
  }
  #pragma omp parallel
  {
    if (omp_get_thread_num() == omp_get_num_threads() - 1) g = 8;
  }
  if (g != 8) bad++;
  free(h);
  printf("bad %d\n", bad);
  printf(bad ? "FAIL\n" : "OK\n");
  return bad != 0;
}
