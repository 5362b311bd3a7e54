// Checks combined parallel sections: the team has the usual size (num_threads clause and if(0) included), every section runs once in a thread of that team, omp_get_level/omp_in_parallel inside, firstprivate/shared data, and nested parallel sections inside a section with nesting disabled run on a team of one.
// GOMP entry points: GOMP_parallel_sections, GOMP_sections_start, GOMP_sections_next, GOMP_sections_end_nowait, GOMP_parallel (the nested region with a reduction).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 64
#define NS 6

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

static int hits[NS], tid[NS], tsize[NS], level[NS], inpar[NS];

static void mark(int s)
{
    __atomic_fetch_add(&hits[s], 1, __ATOMIC_RELAXED);
    tid[s] = omp_get_thread_num();
    tsize[s] = omp_get_num_threads();
    level[s] = omp_get_level();
    inpar[s] = omp_in_parallel();
}

static void reset(void)
{
    for (int s = 0; s < NS; s++)
        hits[s] = 0, tid[s] = -1, tsize[s] = -1, level[s] = -1, inpar[s] = -1;
}

static void verify(const char *what, int nsec, int team)
{
    for (int s = 0; s < nsec; s++) {
        check(hits[s], 1, "%s: section %d count", what, s);
        check(tid[s] >= 0 && tid[s] < team, 1, "%s: section %d thread %d in team", what, s, tid[s]);
        check(tsize[s], team, "%s: section %d team size", what, s);
        check(level[s], 1, "%s: section %d level", what, s);
        check(inpar[s], team > 1, "%s: section %d omp_in_parallel", what, s);
    }
}

int main(void)
{
    int want = omp_get_max_threads();
    if (want < 1 || want > MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", want);
        return 1;
    }

    reset();
#pragma omp parallel sections
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
    }
    verify("default team", NS, want);

    for (int nt = 1; nt <= 5; nt++) {
        char what[64];
        snprintf(what, sizeof what, "num_threads(%d)", nt);
        reset();
#pragma omp parallel sections num_threads(nt)
        {
#pragma omp section
            mark(0);
#pragma omp section
            mark(1);
#pragma omp section
            mark(2);
        }
        verify(what, 3, nt);
    }

    int zero = 0;
    reset();
#pragma omp parallel sections if(zero)
    {
#pragma omp section
        mark(0);
#pragma omp section
        mark(1);
    }
    verify("if(0)", 2, 1);
    check(tid[0], 0, "if(0): section 0 on the encountering thread");
    check(tid[1], 0, "if(0): section 1 on the encountering thread");

    /* firstprivate and shared data. */
    int base = 40;
    int fp_bad = 0;
    int out[3] = {0, 0, 0};
#pragma omp parallel sections firstprivate(base) shared(out, fp_bad)
    {
#pragma omp section
        {
            if (base < 40)
                __atomic_fetch_add(&fp_bad, 1, __ATOMIC_RELAXED);
            out[0] = base + 1;
        }
#pragma omp section
        {
            if (base < 40)
                __atomic_fetch_add(&fp_bad, 1, __ATOMIC_RELAXED);
            out[1] = base + 2;
        }
#pragma omp section
        {
            if (base < 40)
                __atomic_fetch_add(&fp_bad, 1, __ATOMIC_RELAXED);
            out[2] = base + 3;
        }
    }
    check(fp_bad, 0, "firstprivate value seen in sections");
    for (int s = 0; s < 3; s++)
        check(out[s], 41 + s, "shared out[%d]", s);

    /* Nested parallel sections with max-active-levels 1: inner teams of one. */
    int inner_sizes[2] = {-1, -1}, inner_levels[2] = {-1, -1}, inner_hits = 0;
    omp_set_max_active_levels(1);
#pragma omp parallel sections num_threads(2)
    {
#pragma omp section
        {
#pragma omp parallel sections num_threads(3) reduction(+:inner_hits)
            {
#pragma omp section
                {
                    inner_sizes[0] = omp_get_num_threads();
                    inner_levels[0] = omp_get_level();
                    inner_hits++;
                }
#pragma omp section
                inner_hits++;
            }
        }
#pragma omp section
        {
            inner_sizes[1] = omp_get_team_size(1);
            inner_levels[1] = omp_get_level();
        }
    }
    check(inner_sizes[0], 1, "inner parallel sections team size with max-active-levels 1");
    check(inner_levels[0], 2, "inner parallel sections level");
    check(inner_hits, 2, "inner parallel sections section count");
    check(inner_sizes[1], 2, "outer team size from omp_get_team_size(1)");
    check(inner_levels[1], 1, "outer section level");

    return failures > 100 ? 100 : failures;
}
