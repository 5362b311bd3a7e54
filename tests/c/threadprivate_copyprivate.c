// Checks single copyprivate on threadprivate and private variables: the value the single thread computes is broadcast to every thread's copy (scalars, an array, a struct), 60 times in one region (more than the 16 constructs a runtime might keep in flight), interleaved with plain single nowait constructs (each single runs once and every thread receives the executor's values), across regions, and outside any region.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_single_copy_start, GOMP_single_copy_end, GOMP_barrier, GOMP_critical_name_start, GOMP_critical_name_end.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

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

static int tp = -1;
static double tpd[3];
#pragma omp threadprivate(tp, tpd)

#define ROUNDS 60
#define MAXT 64

/* Thread number of the executor of each round's single, as each thread
   received it through copyprivate. */
static int seen_who[ROUNDS][MAXT];
static int execs[ROUNDS];
static int plain_singles;

struct blob {
    int id;
    long data[5];
};

int main(void)
{
    int nthr = 0;
    int bad = 0;
    int singles_run = 0;
#pragma omp parallel reduction(+:bad)
    {
#pragma omp master
        nthr = omp_get_num_threads();
        int me = omp_get_thread_num();
        for (int r = 0; r < ROUNDS; r++) {
            int p = -2, who = -1;
            struct blob b = {-1, {0}};
            /* A plain single nowait between the broadcasts. */
#pragma omp single nowait
            __atomic_fetch_add(&plain_singles, 1, __ATOMIC_RELAXED);
#pragma omp single copyprivate(tp, tpd, p, b, who)
            {
                who = omp_get_thread_num();
                __atomic_fetch_add(&execs[r], 1, __ATOMIC_RELAXED);
                /* Linger a little so the other threads are already waiting
                   for the broadcast when it is published. */
                struct timespec ts = {0, 100000};
                nanosleep(&ts, NULL);
                tp = r * 3;
                tpd[0] = r;
                tpd[1] = r + 0.5;
                tpd[2] = -r;
                p = r;
                b.id = r;
                for (int k = 0; k < 5; k++)
                    b.data[k] = r * 10 + k;
#pragma omp atomic
                singles_run++;
            }
            if (me < MAXT)
                seen_who[r][me] = who;
            bad += tp != r * 3;
            bad += tpd[0] != r || tpd[1] != r + 0.5 || tpd[2] != -r;
            bad += p != r;
            bad += b.id != r;
            for (int k = 0; k < 5; k++)
                bad += b.data[k] != r * 10 + k;
        }
    }
    check(bad, 0, "values differing from the broadcast in some thread");
    check(singles_run, ROUNDS, "single copyprivate blocks executed");
    check(plain_singles, ROUNDS, "single nowait blocks executed");
    check(nthr >= 1 && nthr <= MAXT, 1, "team size %d in range", nthr);
    int reported = 0;
    for (int r = 0; r < ROUNDS && nthr <= MAXT; r++) {
        int disagree = 0;
        for (int t = 1; t < nthr; t++)
            disagree += seen_who[r][t] != seen_who[r][0];
        if ((execs[r] != 1 || disagree) && reported++ < 5) {
            check(execs[r], 1, "round %d: executions of the single block", r);
            check(disagree, 0, "round %d: threads whose broadcast executor differs from thread 0's", r);
        }
    }
    check(reported, 0, "rounds with a repeated single or an inconsistent broadcast");

    /* Across regions: the broadcast threadprivate value stays in every
       thread's copy for the next region of the same size. */
    int keep = 0, nthr2 = 0;
#pragma omp parallel
    {
#pragma omp single copyprivate(tp)
        tp = 4242;
    }
#pragma omp parallel reduction(+:keep)
    {
        if (omp_get_thread_num() == 0)
            nthr2 = omp_get_num_threads();
        keep += tp == 4242;
    }
    check(keep, nthr2, "threads keeping the broadcast value in the next region");
    check(tp, 4242, "initial thread's copy after the regions");

    /* Single copyprivate outside any region. */
    tp = 0;
#pragma omp single copyprivate(tp)
    tp = 9;
    check(tp, 9, "copyprivate outside a region");

    return failures > 100 ? 100 : failures;
}
