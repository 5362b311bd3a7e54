// Checks long chains of nowait work-sharing constructs in one region (14 loops with different schedules and types, plus sections and single, repeated 30 times) so that threads run several constructs apart: every construct still runs each iteration/section/single exactly once.
// GOMP entry points: GOMP_parallel, GOMP_loop_{nonmonotonic_dynamic,dynamic,nonmonotonic_guided,guided,maybe_nonmonotonic_runtime}_start/_next, GOMP_loop_ull_nonmonotonic_dynamic_start/_next, GOMP_loop_ordered_dynamic_start/_next, GOMP_ordered_start/_end, GOMP_loop_end_nowait, GOMP_sections_start/_next, GOMP_sections_end_nowait, GOMP_single_start, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

/* Called outside parallel regions (or by one thread at a time). */
static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    if (++failures > 30)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define REPS 30
#define NL 16 /* counters: 14 loops, sections, single */
#define N 64

static int cnt[REPS][NL][N];
static int ord[REPS][N];
static int ordn[REPS];
static volatile int vn = N;

static void spin(int amount)
{
    volatile int x = 0;
    for (int i = 0; i < amount; i++)
        x++;
}

int main(void)
{
    int n = vn;
    unsigned long long un = (unsigned long long)n;
#pragma omp parallel
    {
        /* Let the last thread start late so others run ahead. */
        if (omp_get_thread_num() == omp_get_num_threads() - 1)
            spin(20000);
        for (int r = 0; r < REPS; r++) {
            int (*c)[N] = cnt[r];
#pragma omp for schedule(dynamic) nowait
            for (int i = 0; i < n; i++)
                c[0][i]++;
#pragma omp for schedule(dynamic, 5) nowait
            for (int i = n - 1; i >= 0; i--)
                c[1][i]++;
#pragma omp for schedule(guided) nowait
            for (int i = 0; i < n; i++)
                c[2][i]++;
#pragma omp for schedule(monotonic : dynamic, 2) nowait
            for (int i = 0; i < n; i++)
                c[3][i]++;
#pragma omp for schedule(static) nowait
            for (int i = 0; i < n; i++)
                c[4][i]++;
#pragma omp sections nowait
            {
#pragma omp section
                c[14][0]++;
#pragma omp section
                c[14][1]++;
#pragma omp section
                c[14][2]++;
            }
#pragma omp for schedule(runtime) nowait
            for (long i = 0; i < n; i++)
                c[5][i]++;
#pragma omp for schedule(monotonic : guided, 3) nowait
            for (int i = 0; i < 2 * n; i += 2)
                c[6][i / 2]++;
#pragma omp single nowait
            c[15][0]++;
#pragma omp for schedule(dynamic, 3) nowait
            for (unsigned long long u = 0; u < un; u++)
                c[7][u]++;
#pragma omp for schedule(static, 2) nowait
            for (int i = 0; i < n; i++)
                c[8][i]++;
#pragma omp for schedule(dynamic, 4) ordered nowait
            for (int i = 0; i < n; i++) {
                c[9][i]++;
#pragma omp ordered
                ord[r][ordn[r]++] = i;
            }
#pragma omp for schedule(nonmonotonic : dynamic) nowait
            for (int i = 0; i < n; i++) {
                if (i % 7 == 0)
                    spin(200);
                c[10][i]++;
            }
#pragma omp single nowait
            c[15][1]++;
#pragma omp for schedule(guided, 4) nowait
            for (int i = 0; i < n; i++)
                c[11][i]++;
#pragma omp for schedule(dynamic) nowait
            for (int i = 0; i < n; i++)
                c[12][i]++;
#pragma omp for schedule(dynamic, 1) nowait
            for (int i = 0; i < n; i++)
                c[13][i]++;
        }
    }
    for (int r = 0; r < REPS; r++) {
        for (int l = 0; l < 14; l++)
            for (int i = 0; i < N; i++)
                check(cnt[r][l][i], 1, "rep %d loop %d: iteration %d", r, l, i);
        for (int s = 0; s < 3; s++)
            check(cnt[r][14][s], 1, "rep %d sections: section %d", r, s);
        for (int s = 0; s < 2; s++)
            check(cnt[r][15][s], 1, "rep %d single %d", r, s);
        check(ordn[r], N, "rep %d ordered loop: ordered regions", r);
        for (int i = 0; i < N; i++)
            check(ord[r][i], i, "rep %d ordered loop: ordered region %d", r, i);
    }
    return failures > 100 ? 100 : failures;
}
