// Checks that threadprivate variables (int, array, struct, a function-scope static) start with their static initializer in every thread, keep each thread's value across consecutive regions with the same team size and dyn-var false (so each thread number maps to the same thread), and that the initial thread's copy is the one seen outside regions.
// GOMP entry points: GOMP_parallel, GOMP_critical_name_start, GOMP_critical_name_end (threadprivate itself is TLS: the runtime must keep each thread number on the same thread).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 64
#define ROUNDS 10

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
#pragma omp atomic
    failures++;
    va_list ap;
    va_start(ap, fmt);
#pragma omp critical(report)
    {
        printf("FAIL: ");
        vprintf(fmt, ap);
        printf(" (got %ld, want %ld)\n", got, want);
    }
    va_end(ap);
}

static int tp_int = 17;
static long tp_arr[4] = {1, 2, 3, 4};
struct pair {
    int a;
    double b;
};
static struct pair tp_pair = {5, 0.5};
#pragma omp threadprivate(tp_int, tp_arr, tp_pair)

static int *counter_addr(void)
{
    static int calls = 100;
#pragma omp threadprivate(calls)
    calls++;
    return &calls;
}

static void run(int nthr)
{
    char label[32];
    snprintf(label, sizeof label, "%d threads", nthr);
    /* Fresh start for the initial thread; other threads keep whatever a
       previous run() with a different size left, so only this thread's
       values and the per-round values below are checked. */
    tp_int = -1;
    int first_seen_ok = 0;
    int team = 0;

    for (int r = 0; r < ROUNDS; r++) {
#pragma omp parallel num_threads(nthr) reduction(+:first_seen_ok)
        {
            int me = omp_get_thread_num();
            if (me == 0)
                team = omp_get_num_threads();
            if (r > 0) {
                check(tp_int, me * 1000 + r - 1, "%s round %d thread %d: tp_int persisted", label, r, me);
                check(tp_arr[me % 4], me * 10 + r - 1, "%s round %d thread %d: tp_arr persisted", label, r, me);
                check(tp_pair.a, me + r - 1, "%s round %d thread %d: tp_pair.a persisted", label, r, me);
                check(tp_pair.b == me * 0.25 + r - 1, 1, "%s round %d thread %d: tp_pair.b persisted", label, r, me);
            } else if (me == 0) {
                check(tp_int, -1, "%s: initial thread's copy is the one set outside", label);
            }
            first_seen_ok += 1;
            tp_int = me * 1000 + r;
            tp_arr[me % 4] = me * 10 + r;
            tp_pair.a = me + r;
            tp_pair.b = me * 0.25 + r;
        }
    }
    check(first_seen_ok, (long)team * ROUNDS, "%s: implicit tasks run", label);
    check(team, nthr, "%s: team size", label);
    check(tp_int, 0 * 1000 + ROUNDS - 1, "%s: initial thread's tp_int after the regions", label);
    check(tp_pair.a, ROUNDS - 1, "%s: initial thread's tp_pair.a after the regions", label);
}

int main(void)
{
    /* First region ever: every thread sees the static initializers. */
    int init_ok = 0, nthr0 = 0;
#pragma omp parallel reduction(+:init_ok)
    {
        if (omp_get_thread_num() == 0)
            nthr0 = omp_get_num_threads();
        init_ok += tp_int == 17 && tp_arr[0] == 1 && tp_arr[3] == 4 && tp_pair.a == 5 && tp_pair.b == 0.5;
    }
    check(init_ok, nthr0, "threads seeing the static initializers in the first region");

    /* Function-scope threadprivate static: each thread counts its own calls. */
    int calls_ok = 0;
#pragma omp parallel reduction(+:calls_ok)
    {
        int *p = NULL;
        for (int i = 0; i < 5; i++)
            p = counter_addr();
        int v = *p;
        calls_ok += v == 105;
    }
    check(calls_ok, nthr0, "threads whose threadprivate call counter is 105");
    check(*counter_addr(), 106, "initial thread's call counter outside");

    run(omp_get_max_threads());
    run(2);
    run(3);
    run(1);
    run(4);

    return failures > 100 ? 100 : failures;
}
