// Checks that every section of a sections construct runs exactly once, in one thread of the team, for fewer, as many as and more sections than threads (13 sections), for an orphaned sections construct, and that the implicit barrier at its end makes every section's effect visible to all threads.
// GOMP entry points: GOMP_parallel, GOMP_parallel_sections, GOMP_sections_start, GOMP_sections_next, GOMP_sections_end, GOMP_barrier, GOMP_single_start.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 64
#define NS 13

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

static int hits[NS];
static int who[NS];
static int team_ok[NS];

static void mark(int s)
{
    __atomic_fetch_add(&hits[s], 1, __ATOMIC_RELAXED);
    who[s] = omp_get_thread_num();
    team_ok[s] = omp_get_num_threads();
}

static void reset(void)
{
    for (int i = 0; i < NS; i++)
        hits[i] = 0, who[i] = -1, team_ok[i] = 0;
}

/* Orphaned: binds to whichever team calls it. */
static void orphan_sections(void)
{
#pragma omp sections
    {
#pragma omp section
        mark(0);
#pragma omp section
        mark(1);
#pragma omp section
        mark(2);
    }
}

int main(void)
{
    int nthr = 0;

    /* Two sections. */
    reset();
    int late_seen = 0;
#pragma omp parallel shared(nthr) reduction(+:late_seen)
    {
#pragma omp single
        nthr = omp_get_num_threads();
#pragma omp sections
        {
#pragma omp section
            mark(0);
#pragma omp section
            mark(1);
        }
        /* Implicit barrier: both sections' writes are visible now. */
        late_seen += __atomic_load_n(&hits[0], __ATOMIC_RELAXED) == 1 &&
                     __atomic_load_n(&hits[1], __ATOMIC_RELAXED) == 1;
    }
    if (nthr < 1 || nthr > MAXT) {
        printf("FAIL: team size %d out of range\n", nthr);
        return 1;
    }
    for (int s = 0; s < 2; s++) {
        check(hits[s], 1, "2 sections: section %d runs", s);
        check(who[s] >= 0 && who[s] < nthr, 1, "2 sections: section %d thread %d in team", s, who[s]);
        check(team_ok[s], nthr, "2 sections: team size seen in section %d", s);
    }
    check(late_seen, nthr, "2 sections: threads seeing both sections after the barrier");

    /* Thirteen sections, more than any team the harness uses. */
    reset();
    late_seen = 0;
#pragma omp parallel reduction(+:late_seen)
    {
#pragma omp sections
        {
#pragma omp section
            mark(0);
#pragma omp section
            mark(1);
#pragma omp section
            mark(2);
#pragma omp section
            mark(3);
#pragma omp section
            mark(4);
#pragma omp section
            mark(5);
#pragma omp section
            mark(6);
#pragma omp section
            mark(7);
#pragma omp section
            mark(8);
#pragma omp section
            mark(9);
#pragma omp section
            mark(10);
#pragma omp section
            mark(11);
#pragma omp section
            mark(12);
        }
        int all = 1;
        for (int s = 0; s < NS; s++)
            all &= __atomic_load_n(&hits[s], __ATOMIC_RELAXED) == 1;
        late_seen += all;
    }
    for (int s = 0; s < NS; s++) {
        check(hits[s], 1, "13 sections: section %d runs", s);
        check(who[s] >= 0 && who[s] < nthr, 1, "13 sections: section %d thread %d in team", s, who[s]);
    }
    check(late_seen, nthr, "13 sections: threads seeing all sections after the barrier");

    /* A single section. */
    reset();
#pragma omp parallel
    {
#pragma omp sections
        {
            mark(0);
        }
    }
    check(hits[0], 1, "1 section: runs");

    /* Orphaned sections, inside a region and outside any region. */
    reset();
#pragma omp parallel
    orphan_sections();
    for (int s = 0; s < 3; s++)
        check(hits[s], 1, "orphaned in region: section %d runs", s);
    reset();
    orphan_sections();
    for (int s = 0; s < 3; s++) {
        check(hits[s], 1, "orphaned outside: section %d runs", s);
        check(who[s], 0, "orphaned outside: section %d thread", s);
        check(team_ok[s], 1, "orphaned outside: section %d team size", s);
    }

    /* The same sections construct met many times in one region. */
    reset();
#pragma omp parallel
    {
        for (int r = 0; r < 50; r++) {
#pragma omp sections
            {
#pragma omp section
                __atomic_fetch_add(&hits[0], 1, __ATOMIC_RELAXED);
#pragma omp section
                __atomic_fetch_add(&hits[1], 1, __ATOMIC_RELAXED);
#pragma omp section
                __atomic_fetch_add(&hits[2], 1, __ATOMIC_RELAXED);
            }
        }
    }
    for (int s = 0; s < 3; s++)
        check(hits[s], 50, "50 rounds: section %d count", s);

    return failures > 100 ? 100 : failures;
}
