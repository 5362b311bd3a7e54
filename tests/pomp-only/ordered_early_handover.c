/* A chunk hands the ordered turn on as soon as every iteration of it has
   run its ordered region, not only when the thread asks for its next chunk:
   in `for ordered schedule(static, 1)` the thread of iteration 1 may run
   its ordered region while iteration 0 is still busy after its own. This
   test makes iteration 0 wait (at most 10 s) for iteration 1's ordered
   region. libgomp passes the turn only at the next chunk, so here it waits
   out the 10 s and fails both loops; libomp (14) passes the dynamic loop's
   turn at the end of the region, as pomp does, but fails the static one.  */
// pomp-test: threads=2,4 timeout=60
#include <omp.h>
#include <stdio.h>

static int flag;

static int wait_flag (void)
{
  double t0 = omp_get_wtime ();
  while (!__atomic_load_n (&flag, __ATOMIC_ACQUIRE))
    if (omp_get_wtime () - t0 > 10.0)
      return 0;
  return 1;
}

int main (void)
{
  int fails = 0;
  for (int v = 0; v < 2; v++)
    {
      int n = 0, seq[64], waited = 1, nthr = 0;
      __atomic_store_n (&flag, 0, __ATOMIC_RELAXED);
#pragma omp parallel
      {
#pragma omp single
        nthr = omp_get_num_threads ();
        if (v == 0)
          {
#pragma omp for ordered schedule(static, 1)
            for (int i = 0; i < 16; i++)
              {
#pragma omp ordered
                {
                  seq[n++] = i;
                  if (i == 1)
                    __atomic_store_n (&flag, 1, __ATOMIC_RELEASE);
                }
                if (i == 0)
                  waited = wait_flag ();
              }
          }
        else
          {
#pragma omp for ordered schedule(dynamic)
            for (int i = 0; i < 16; i++)
              {
#pragma omp ordered
                {
                  seq[n++] = i;
                  if (i == 1)
                    __atomic_store_n (&flag, 1, __ATOMIC_RELEASE);
                }
                if (i == 0)
                  waited = wait_flag ();
              }
          }
      }
      if (nthr < 2)
        {
          printf ("FAIL: team of %d, want at least 2\n", nthr);
          return 1;
        }
      if (!waited)
        {
          printf ("FAIL: loop %d: iteration 1's ordered region did not run while iteration 0 was busy\n", v);
          fails++;
        }
      if (n != 16)
        {
          printf ("FAIL: loop %d: %d ordered regions, want 16\n", v, n);
          fails++;
        }
      for (int i = 0; i < n && i < 16; i++)
        if (seq[i] != i)
          {
            printf ("FAIL: loop %d: ordered region %d ran iteration %d\n", v, i, seq[i]);
            fails++;
          }
    }
  if (fails)
    return 1;
  printf ("OK\n");
  return 0;
}
