// Checks parallelism inside target regions on the host: a target region starts from the initial ICVs (not the encountering task's), its thread_limit clause sets thread-limit-var and bounds nested teams, parallel regions and worksharing inside it work, and ICV changes inside it do not leak out.
// Entry points: GOMP_target_ext (args with thread_limit), GOMP_parallel, GOMP_loop_*, omp_get_thread_limit, omp_get_max_threads, omp_set_num_threads.
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

__attribute__((noinline)) static void icvs(int out[3])
{
    out[0] = omp_get_max_threads();
    out[1] = omp_get_thread_limit();
    out[2] = omp_get_dynamic();
}

int main(void)
{
    int initial[3];
    icvs(initial);

    omp_set_num_threads(initial[0] + 3);
    omp_set_dynamic(!initial[2]);
    int inside[3];
#pragma omp target map(from : inside)
    {
        icvs(inside);
        omp_set_num_threads(1);
    }
    check(inside[0], initial[0], "max threads in a target region: the initial value");
    check(inside[2], initial[2], "dyn-var in a target region: the initial value");
    check(omp_get_max_threads(), initial[0] + 3, "ICV changes in the region stay there");
    omp_set_dynamic(initial[2]);

    int limited[3], team = 0;
#pragma omp target thread_limit(2) map(from : limited, team)
    {
        icvs(limited);
#pragma omp parallel num_threads(4)
        {
#pragma omp master
            team = omp_get_num_threads();
        }
    }
    check(limited[1], 2, "thread_limit clause gives thread-limit-var");
    check(team <= 2 && team >= 1, 1, "a team inside thread_limit(2) has at most 2 threads");
    check(omp_get_thread_limit(), initial[1], "thread-limit-var outside is unchanged");

    long sum = 0;
    int nthr = 0;
#pragma omp target map(tofrom : sum, nthr)
#pragma omp parallel for reduction(+ : sum) num_threads(3)
    for (int i = 0; i < 10000; i++) {
        sum += i;
        if (i == 0)
            nthr = omp_get_num_threads();
    }
    check(sum, 49995000L, "parallel for in a target region");
    check(nthr >= 1 && nthr <= 3, 1, "team size in a target region");

    /* Combined construct: target parallel. */
    int count = 0;
#pragma omp target parallel num_threads(2) map(tofrom : count)
    {
#pragma omp atomic
        count++;
    }
    check(count >= 1 && count <= 2, 1, "target parallel");

    /* Target regions from every thread of a team, with nested work. */
    long total = 0;
#pragma omp parallel reduction(+ : total)
    {
        long mine = 0;
#pragma omp target map(tofrom : mine)
        {
#pragma omp parallel for reduction(+ : mine) num_threads(2)
            for (int i = 1; i <= 100; i++)
                mine += i;
        }
        total += mine - 5050;
    }
    check(total, 0, "target regions in a parallel region, each with a team");
    return failures > 100 ? 100 : failures;
}
