/* After fork(), the child (which has only the forking thread) can start
   parallel regions again. libgomp hangs here: the child's next region waits
   for workers that were not copied. pomp forgets them in a pthread_atfork
   child handler and starts new ones.  */
// pomp-test: timeout=20
#include <omp.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main (void)
{
  int fails = 0, n = 0;
#pragma omp parallel reduction(+:n)
  n++;
  if (n != omp_get_max_threads ())
    {
      printf ("FAIL: parent region had %d threads, want %d\n", n, omp_get_max_threads ());
      fails++;
    }
  for (int round = 0; round < 3; round++)
    {
      pid_t p = fork ();
      if (p < 0)
        {
          printf ("FAIL: fork\n");
          return 1;
        }
      if (p == 0)
        {
          int m = 0;
#pragma omp parallel reduction(+:m)
          m++;
          long s = 0;
#pragma omp parallel for reduction(+:s) schedule(dynamic, 3)
          for (int i = 0; i < 1000; i++)
            s += i;
          _exit (m == omp_get_max_threads () && s == 499500 ? 0 : 1);
        }
      int st = 0;
      waitpid (p, &st, 0);
      if (!WIFEXITED (st) || WEXITSTATUS (st) != 0)
        {
          printf ("FAIL: child %d exited with status %d\n", round, st);
          fails++;
        }
      /* The parent's team still works after each fork.  */
      n = 0;
#pragma omp parallel reduction(+:n)
      n++;
      if (n != omp_get_max_threads ())
        fails++;
    }
  return fails;
}
