// Checks that a barrier waits for every task of the team when tasks keep creating tasks while threads steal them: each thread starts chains whose every link creates the next link (and a short side tree) from inside a task, and after each barrier every link and leaf of the round has run; the same holds at the end of the region.
// GOMP entry points: GOMP_parallel, GOMP_task, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    failures++;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#ifndef ROUNDS
#define ROUNDS 5000
#endif
#define CHAINS 3
#define LINKS 12
#define LEAVES 4

static long ran; /* links and leaves run, all rounds */

static void leaves(int n)
{
    if (n <= 1) {
        __atomic_fetch_add(&ran, 1, __ATOMIC_RELAXED);
        return;
    }
#pragma omp task firstprivate(n)
    leaves(n / 2);
#pragma omp task firstprivate(n)
    leaves(n - n / 2);
}

/* One link: counts itself, makes a side tree, and creates the next link
 * from inside this task, so the last tasks of a round are made by tasks
 * that may have been stolen. */
static void link(int left)
{
    __atomic_fetch_add(&ran, 1, __ATOMIC_RELAXED);
    leaves(LEAVES);
    if (left > 1) {
#pragma omp task firstprivate(left)
        link(left - 1);
    }
}

int main(void)
{
    int team_seen = 0;
    long per_round = 0;
#pragma omp parallel
    {
        int team = omp_get_num_threads();
#pragma omp single
        {
            team_seen = team;
            per_round = (long)team * CHAINS * LINKS * (1 + LEAVES);
        }
        for (int r = 0; r < ROUNDS; r++) {
            for (int c = 0; c < CHAINS; c++) {
#pragma omp task
                link(LINKS);
            }
#pragma omp barrier
            long got = __atomic_load_n(&ran, __ATOMIC_RELAXED);
            if (got != per_round * (r + 1)) {
#pragma omp critical
                check(got, per_round * (r + 1), "round %d: tasks run after the barrier (thread %d)", r,
                      omp_get_thread_num());
            }
#pragma omp barrier
        }
        /* Tasks still running at the region's end. */
        for (int c = 0; c < CHAINS; c++) {
#pragma omp task
            link(LINKS);
        }
    }
    check(ran, per_round * (ROUNDS + 1), "tasks run after the region (team of %d)", team_seen);
    if (failures) {
        printf("%d failure(s)\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
