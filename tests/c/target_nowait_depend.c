// Checks target nowait and depend: deferred target regions complete by taskwait and by the end of the region, depend clauses order target regions with tasks and with each other, and target update / enter data / exit data with depend wait for what they depend on.
// Entry points: GOMP_target_ext (nowait, depend), GOMP_target_update_ext, GOMP_target_enter_exit_data, GOMP_task, GOMP_taskwait, GOMP_parallel, GOMP_single_start.
#include <omp.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *what)
{
    if (got != want) {
        failures++;
        printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
    }
}

int main(void)
{
    int done[32] = {0};
#pragma omp parallel
#pragma omp single
    {
        for (int k = 0; k < 32; k++) {
#pragma omp target nowait map(tofrom : done[k : 1])
            done[k] = k + 1;
        }
#pragma omp taskwait
        int bad = 0;
        for (int k = 0; k < 32; k++)
            bad += done[k] != k + 1;
        check(bad, 0, "nowait regions complete by taskwait");
    }

    /* A chain through one variable: task -> target -> target -> task. */
    long x = 0, order_bad = 0;
#pragma omp parallel
#pragma omp single
    {
        for (int round = 0; round < 20; round++) {
#pragma omp task depend(inout : x) shared(x)
            x = x * 10 + 1;
#pragma omp target nowait depend(inout : x) map(tofrom : x)
            x = x * 10 + 2;
#pragma omp target nowait depend(inout : x) map(tofrom : x)
            x = x * 10 + 3;
#pragma omp task depend(in : x) shared(x, order_bad)
            order_bad += x % 1000 != 123;
#pragma omp task depend(inout : x) shared(x)
            x = 0;
        }
    }
    check(order_bad, 0, "depend orders target regions and tasks");
    check(x, 0, "every task of the chain ran");

    /* Without nowait, depend makes the encountering task wait. */
    int y = 0, seen = -1;
#pragma omp parallel
#pragma omp single
    {
#pragma omp task depend(out : y) shared(y)
        {
            for (volatile int spin = 0; spin < 100000; spin++)
                ;
            y = 42;
        }
#pragma omp target depend(in : y) map(tofrom : y, seen)
        seen = y;
        check(seen, 42, "target with depend waits for its dependence");
    }

    /* Data constructs with depend. */
    int z = 0, z_bad = 0;
#pragma omp parallel
#pragma omp single
    {
        for (int round = 0; round < 10; round++) {
#pragma omp task depend(out : z) shared(z)
            z = round;
#pragma omp target update to(z) depend(in : z) nowait
#pragma omp target enter data map(to : z) depend(inout : z) nowait
#pragma omp task depend(in : z) shared(z, z_bad) firstprivate(round)
            z_bad += z != round;
#pragma omp target exit data map(from : z) depend(inout : z) nowait
#pragma omp target update from(z) depend(inout : z)
            z_bad += z != round;
        }
#pragma omp taskwait
    }
    check(z_bad, 0, "data constructs with depend");
    return failures > 100 ? 100 : failures;
}
