// Checks taskloop with default clauses: every iteration runs exactly once for various trip counts (0, 1, small, large, non-unit step, non-zero start), the implied taskgroup completes them before the construct ends, and taskloops work from single, from every thread at once, from an explicit task and outside a parallel region, with firstprivate/shared data and lastprivate.
// GOMP entry points: GOMP_taskloop, GOMP_taskgroup_start/end (inside), GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define MAXN 5000
#define MAXT 64

/* Runs the loop from start (inclusive) to end (exclusive) by step and
   returns the number of iterations not run exactly once, or -1 if the
   construct ended before all of them ran. */
static int run_loop(int start, int end, int step, unsigned char *hits)
{
    int n = 0;
    memset(hits, 0, MAXN);
    int bias = 7;
#pragma omp taskloop firstprivate(bias) shared(hits, n)
    for (int i = start; i < end; i += step) {
        __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&n, bias - 6, __ATOMIC_RELAXED);
    }
    int want = 0, bad = 0;
    for (int i = start; i < end; i += step)
        want++;
    if (__atomic_load_n(&n, __ATOMIC_RELAXED) != want)
        return -1;
    for (int i = 0; i < MAXN; i++) {
        int expect = i >= start && i < end && (i - start) % step == 0;
        bad += hits[i] != expect;
    }
    return bad;
}

static const int cases[][3] = {
    {0, 0, 1}, {0, 1, 1}, {0, 3, 1}, {5, 17, 1}, {0, 1000, 1}, {3, 4999, 7}, {10, 11, 5}, {100, 50, 1},
};
#define NCASES (int)(sizeof cases / sizeof cases[0])

int main(void)
{
    static unsigned char hits_single[MAXN], hits_thr[MAXT][MAXN], hits_task[MAXN], hits_out[MAXN];
    int nthr = omp_get_max_threads();
    if (nthr > MAXT)
        return 1;

    for (int c = 0; c < NCASES; c++)
        check(run_loop(cases[c][0], cases[c][1], cases[c][2], hits_out), 0, "outside a parallel region, case %d", c);

    int res_single[NCASES], res_task[NCASES], res_thr[MAXT][NCASES];
    int last = -1;
#pragma omp parallel shared(res_single, res_task, res_thr, hits_single, hits_thr, hits_task, last)
    {
#pragma omp single
        {
            for (int c = 0; c < NCASES; c++)
                res_single[c] = run_loop(cases[c][0], cases[c][1], cases[c][2], hits_single);
#pragma omp task shared(res_task, hits_task)
            for (int c = 0; c < NCASES; c++)
                res_task[c] = run_loop(cases[c][0], cases[c][1], cases[c][2], hits_task);
            int lp = -1;
#pragma omp taskloop lastprivate(lp)
            for (int i = 0; i < 777; i++)
                lp = i * 2;
            last = lp;
        }
        int me = omp_get_thread_num();
        for (int c = 0; c < NCASES; c++)
            res_thr[me][c] = run_loop(cases[c][0], cases[c][1], cases[c][2], hits_thr[me]);
    }
    for (int c = 0; c < NCASES; c++) {
        check(res_single[c], 0, "from single, case %d", c);
        check(res_task[c], 0, "from an explicit task, case %d", c);
        for (int t = 0; t < nthr; t++)
            check(res_thr[t][c], 0, "from thread %d, case %d", t, c);
    }
    check(last, 1552, "lastprivate from the last iteration");
    return failures > 100 ? 100 : failures;
}
