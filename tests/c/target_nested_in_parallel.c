// Checks target regions encountered by the threads of a parallel region that have tasks in flight: the target region's own parallel regions and tasks (with or without a taskwait) complete before it ends, and the enclosing region's tasks, taskgroup and taskwait are not disturbed by it.
// Entry points: GOMP_target_ext, GOMP_parallel, GOMP_parallel_loop_*, GOMP_task, GOMP_taskwait, GOMP_taskgroup_start, GOMP_taskgroup_end.
#include <omp.h>
#include <stdio.h>

int main(void)
{
    int bad = 0;
    long grouped = 0, threads = 0;
    for (int it = 0; it < 50; it++) {
#pragma omp parallel num_threads(3) reduction(+ : bad, threads)
        {
            int done = 0;
            threads++;
#pragma omp task shared(done)
            {
                for (volatile int i = 0; i < 1000; i++)
                    ;
                done = 1;
            }
#pragma omp taskgroup
            {
#pragma omp task shared(grouped)
                {
#pragma omp atomic
                    grouped++;
                }
                long s = 0, t = 0;
#pragma omp target map(tofrom : s, t)
                {
#pragma omp parallel for reduction(+ : s) num_threads(2)
                    for (int i = 0; i < 100; i++)
                        s += i;
#pragma omp task shared(s)
                    s += 1;
#pragma omp taskwait
                    /* No taskwait: the region still ends with its tasks done. */
#pragma omp task shared(t)
                    t = 7;
                }
                bad += (s != 4951) + (t != 7);
            }
#pragma omp taskwait
            bad += done != 1;
        }
    }
    if (bad)
        printf("FAIL: target regions in a parallel region with tasks (%d wrong)\n", bad);
    if (grouped != threads) {
        printf("FAIL: taskgroup tasks (got %ld, want %ld)\n", grouped, threads);
        bad++;
    }
    return bad > 100 ? 100 : bad;
}
