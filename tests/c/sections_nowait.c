// Checks sections nowait: many consecutive nowait sections constructs (threads may run several constructs ahead of each other) each run every section exactly once, mixed with nowait loops and singles, and an explicit barrier afterwards sees all their effects.
// GOMP entry points: GOMP_parallel, GOMP_sections_start, GOMP_sections_next, GOMP_sections_end_nowait, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_end_nowait, GOMP_single_start, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define ROUNDS 200
#define NS 5
#define N 64

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

static int sec[ROUNDS][NS];
static int loop_hits[ROUNDS][N];
static int singles[ROUNDS];

static void bump(int *p)
{
    __atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
}

int main(void)
{
    int after_barrier_ok = 0;
    int nthr = 0;
#pragma omp parallel reduction(+:after_barrier_ok)
    {
#pragma omp master
        nthr = omp_get_num_threads();
        for (int r = 0; r < ROUNDS; r++) {
#pragma omp sections nowait
            {
#pragma omp section
                bump(&sec[r][0]);
#pragma omp section
                bump(&sec[r][1]);
#pragma omp section
                bump(&sec[r][2]);
#pragma omp section
                bump(&sec[r][3]);
#pragma omp section
                bump(&sec[r][4]);
            }
            if (r % 3 == 0) {
#pragma omp for schedule(dynamic, 3) nowait
                for (int i = 0; i < N; i++)
                    bump(&loop_hits[r][i]);
            }
            if (r % 5 == 0) {
#pragma omp single nowait
                bump(&singles[r]);
            }
        }
#pragma omp barrier
        int ok = 1;
        for (int r = 0; r < ROUNDS; r++) {
            for (int s = 0; s < NS; s++)
                ok &= __atomic_load_n(&sec[r][s], __ATOMIC_RELAXED) == 1;
        }
        after_barrier_ok += ok;
    }

    for (int r = 0; r < ROUNDS; r++) {
        for (int s = 0; s < NS; s++)
            check(sec[r][s], 1, "round %d section %d count", r, s);
        for (int i = 0; i < N; i++)
            check(loop_hits[r][i], r % 3 == 0, "round %d loop iteration %d count", r, i);
        check(singles[r], r % 5 == 0, "round %d single count", r);
    }
    check(after_barrier_ok, nthr, "threads seeing every section after the barrier");

    /* Two nowait sections constructs back to back, each with fewer sections
       than threads at 4, then the region's closing barrier. */
    int a = 0, b = 0, c = 0;
    for (int r = 0; r < 30; r++) {
#pragma omp parallel
        {
#pragma omp sections nowait
            {
#pragma omp section
                bump(&a);
            }
#pragma omp sections nowait
            {
#pragma omp section
                bump(&b);
#pragma omp section
                bump(&c);
            }
        }
    }
    check(a, 30, "single-section nowait construct count");
    check(b, 30, "second nowait construct section 0 count");
    check(c, 30, "second nowait construct section 1 count");

    return failures > 100 ? 100 : failures;
}
