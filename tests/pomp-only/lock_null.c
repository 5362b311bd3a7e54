/* A null lock handed to the lock routines ends the program with one line
   naming the routine, then SIGABRT. libgomp dereferences the pointer and
   dies of SIGSEGV with no message.  */
// pomp-test: timeout=20
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

typedef void (*lock_fn) (omp_lock_t *);

static int
check (const char *name, lock_fn f)
{
  int fd[2];
  if (pipe (fd) != 0)
    {
      printf ("FAIL: pipe\n");
      return 1;
    }
  fflush (stdout);
  pid_t p = fork ();
  if (p < 0)
    {
      printf ("FAIL: fork\n");
      return 1;
    }
  if (p == 0)
    {
      dup2 (fd[1], 2);
      close (fd[0]);
      f (NULL);
      _exit (0);
    }
  close (fd[1]);
  char buf[512];
  size_t n = 0;
  ssize_t r;
  while (n < sizeof buf - 1 && (r = read (fd[0], buf + n, sizeof buf - 1 - n)) > 0)
    n += r;
  buf[n] = 0;
  close (fd[0]);
  int st;
  if (waitpid (p, &st, 0) != p)
    {
      printf ("FAIL: waitpid\n");
      return 1;
    }
  char want[128];
  snprintf (want, sizeof want, "%s: null lock", name);
  int fails = 0;
  if (!WIFSIGNALED (st) || WTERMSIG (st) != SIGABRT)
    {
      printf ("FAIL: %s(NULL): status %#x, want SIGABRT\n", name, st);
      fails++;
    }
  if (!strstr (buf, want) || strchr (buf, '\n') != buf + n - 1)
    {
      printf ("FAIL: %s(NULL) said '%s', want one line with '%s'\n", name, buf, want);
      fails++;
    }
  return fails;
}

int
main (void)
{
  int fails = 0;
  fails += check ("omp_set_lock", omp_set_lock);
  fails += check ("omp_unset_lock", omp_unset_lock);
  fails += check ("omp_init_lock", omp_init_lock);
  /* The routines still work on a real lock.  */
  omp_lock_t l;
  omp_init_lock (&l);
  int count = 0;
#pragma omp parallel
  for (int i = 0; i < 1000; i++)
    {
      omp_set_lock (&l);
      count++;
      omp_unset_lock (&l);
    }
  omp_destroy_lock (&l);
  if (count != 1000 * omp_get_max_threads ())
    {
      printf ("FAIL: count %d, want %d\n", count, 1000 * omp_get_max_threads ());
      fails++;
    }
  if (fails)
    return 1;
  printf ("OK\n");
  return 0;
}
