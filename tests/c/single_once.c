// Checks that a single construct runs its body exactly once per encounter (300 encounters in a loop and in an orphaned function), that its implicit barrier makes the body's writes visible to every thread afterwards, and that single outside a parallel region simply runs the body.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_barrier, GOMP_atomic_start/end (two-variable reduction merge).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 64
#define ENC 300

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    failures++;
    if (failures > 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

static int runs[ENC];
static int executor[ENC];
static int value[ENC];
static int ovalue[ENC];
static int orphan_runs[ENC];

static void __attribute__((noinline)) orphan_single(int k)
{
#pragma omp single
    {
        orphan_runs[k]++;
        ovalue[k] = -k - 1;
    }
}

int main(void)
{
    int nthr = omp_get_max_threads();
    long stale = 0, bad_exec = 0;
    long per_thread[MAXT] = {0};

#pragma omp parallel reduction(+:stale, bad_exec)
    {
        int me = omp_get_thread_num();
        for (int k = 0; k < ENC; k++) {
#pragma omp single
            {
                runs[k]++;
                executor[k] = me;
                value[k] = k * 3 + 1;
                if (me < MAXT)
                    per_thread[me]++;
            }
            /* The implicit barrier: the value is visible to everyone. */
            if (value[k] != k * 3 + 1)
                stale++;
            if (executor[k] < 0 || executor[k] >= omp_get_num_threads())
                bad_exec++;
            orphan_single(k);
            if (ovalue[k] != -k - 1)
                stale++;
        }
    }
    for (int k = 0; k < ENC; k++) {
        check(runs[k], 1, "encounter %d: body runs", k);
        check(orphan_runs[k], 1, "orphaned encounter %d: body runs", k);
    }
    check(stale, 0, "threads that did not see the single's write after it");
    check(bad_exec, 0, "encounters run by a thread number outside the team");
    long total = 0;
    for (int t = 0; t < MAXT; t++) {
        total += per_thread[t];
        if (t >= nthr)
            check(per_thread[t], 0, "singles run by nonexistent thread %d", t);
    }
    check(total, ENC, "singles run in total");

    /* Outside any parallel region the body runs on the initial thread. */
    int serial_runs = 0;
    for (int k = 0; k < 5; k++) {
#pragma omp single
        serial_runs++;
    }
    check(serial_runs, 5, "single outside a parallel region");
    ovalue[0] = 0;
    orphan_single(0);
    check(ovalue[0], -1, "orphaned single from serial code: value");
    check(orphan_runs[0], 2, "orphaned single from serial code: runs");

    /* Inactive region: the single thread runs every body. */
    int if0_runs = 0;
#pragma omp parallel if(0)
    for (int k = 0; k < 5; k++) {
#pragma omp single
        if0_runs++;
    }
    check(if0_runs, 5, "single in an if(0) region");
    return failures > 100 ? 100 : failures;
}
