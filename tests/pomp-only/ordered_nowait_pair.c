/* Two ordered loops back to back, the first with nowait: a thread that has
   run out of the first loop's iterations starts on the second while the
   others still run the first one's ordered regions. Each loop's ordered
   regions must still run one at a time in its own iteration order.

   pomp-only because libgomp (GCC 12) fails it: its ordered hand-over wakes
   a thread through a semaphore that belongs to the team, not to the loop,
   so the second loop's start (static schedule: it posts to thread 0's
   semaphore) releases thread 0 inside the first loop out of turn. At 4
   threads on 2 CPUs, one run of the pair in 100 or so runs iteration 256
   of the first loop before 252, and some runs deadlock with every thread
   in GOMP_ordered_start. Here the pair runs 40 times per process.  */
// pomp-test: threads=2,4 timeout=60
#include <stdio.h>

#define N 257
#define ROUNDS 40

static int hits[2][N];
static long seq[2][N];
static int nseq[2];
static int inside[2];
static int overlap[2];
static int failures;

static void record (int loop, long i)
{
  if (__atomic_fetch_add (&inside[loop], 1, __ATOMIC_ACQ_REL) != 0)
    __atomic_fetch_add (&overlap[loop], 1, __ATOMIC_RELAXED);
  if (nseq[loop] < N)
    seq[loop][nseq[loop]] = i;
  nseq[loop]++;
  for (volatile int k = 0; k < 20; k++)
    ;
  __atomic_fetch_sub (&inside[loop], 1, __ATOMIC_ACQ_REL);
}

static void verify (int round)
{
  for (int l = 0; l < 2; l++)
    {
      int bad = overlap[l] != 0 || nseq[l] != N;
      for (int i = 0; i < N; i++)
        bad |= hits[l][i] != 1 || seq[l][i] != i;
      if (bad && ++failures <= 5)
        {
          printf ("FAIL: round %d, loop %d: %d regions, %d overlapping;"
                  " order:", round, l + 1, nseq[l], overlap[l]);
          for (int i = 0; i < N; i++)
            if (seq[l][i] != i)
              printf (" [%d]=%ld", i, seq[l][i]);
          printf ("\n");
        }
    }
}

int main (void)
{
  for (int round = 0; round < ROUNDS; round++)
    {
      for (int l = 0; l < 2; l++)
        {
          for (int i = 0; i < N; i++)
            {
              hits[l][i] = 0;
              seq[l][i] = -1;
            }
          nseq[l] = inside[l] = overlap[l] = 0;
        }
#pragma omp parallel
      {
#pragma omp for ordered schedule(dynamic, 4) nowait
        for (long i = 0; i < N; i++)
          {
            __atomic_fetch_add (&hits[0][i], 1, __ATOMIC_RELAXED);
#pragma omp ordered
            record (0, i);
          }
#pragma omp for ordered schedule(static, 5)
        for (long i = 0; i < N; i++)
          {
            __atomic_fetch_add (&hits[1][i], 1, __ATOMIC_RELAXED);
#pragma omp ordered
            record (1, i);
          }
      }
      verify (round);
    }
  if (failures)
    printf ("%d failing round(s)\n", failures);
  return failures != 0;
}
