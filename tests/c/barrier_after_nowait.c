// Checks an explicit barrier after nowait worksharing (static, dynamic and guided loops, sections, single): once past the barrier every thread sees every write made inside the nowait constructs, and every iteration ran exactly once.
// GOMP entry points: GOMP_parallel, GOMP_loop_nonmonotonic_dynamic_start/next, GOMP_loop_nonmonotonic_guided_start/next, GOMP_loop_end_nowait, GOMP_sections_start/next, GOMP_sections_end_nowait, GOMP_single_start, GOMP_barrier, GOMP_atomic_start/end.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define N 2000
#define ROUNDS 40

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

static int a[N], b[N], c[N];
static int sec[4];
static int single_val;

int main(void)
{
    long bad_a = 0, bad_b = 0, bad_c = 0, bad_sec = 0, bad_single = 0;

#pragma omp parallel reduction(+:bad_a, bad_b, bad_c, bad_sec, bad_single)
    {
        int me = omp_get_thread_num();
        for (int r = 1; r <= ROUNDS; r++) {
#pragma omp for schedule(static) nowait
            for (int i = 0; i < N; i++)
                a[i] += r;
#pragma omp for schedule(dynamic, 7) nowait
            for (int i = 0; i < N; i++)
                b[i] += r;
#pragma omp for schedule(guided, 3) nowait
            for (int i = 0; i < N; i++)
                c[i] += r;
#pragma omp sections nowait
            {
#pragma omp section
                sec[0] += r;
#pragma omp section
                sec[1] += r;
#pragma omp section
                sec[2] += r;
#pragma omp section
                sec[3] += r;
            }
#pragma omp single nowait
            single_val += r;
#pragma omp barrier
            /* Every thread checks everything (the reads are spread out by
               thread number so they do not all scan the same cache lines). */
            int want = r * (r + 1) / 2;
            for (int k = 0; k < N; k++) {
                int i = (k + me * 97) % N;
                if (a[i] != want)
                    bad_a++;
                if (b[i] != want)
                    bad_b++;
                if (c[i] != want)
                    bad_c++;
            }
            for (int s = 0; s < 4; s++)
                if (sec[s] != want)
                    bad_sec++;
            if (single_val != want)
                bad_single++;
            /* Nobody may start the next round's writes before all reads. */
#pragma omp barrier
        }
    }
    check(bad_a, 0, "static nowait: wrong values seen after the barrier");
    check(bad_b, 0, "dynamic nowait: wrong values seen after the barrier");
    check(bad_c, 0, "guided nowait: wrong values seen after the barrier");
    check(bad_sec, 0, "sections nowait: wrong values seen after the barrier");
    check(bad_single, 0, "single nowait: wrong values seen after the barrier");
    int want = ROUNDS * (ROUNDS + 1) / 2;
    for (int i = 0; i < N; i++) {
        check(a[i], want, "a[%d] after the region", i);
        check(b[i], want, "b[%d] after the region", i);
        check(c[i], want, "c[%d] after the region", i);
    }
    check(single_val, want, "single_val after the region");
    return failures > 100 ? 100 : failures;
}
