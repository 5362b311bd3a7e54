// Checks a 2-D wavefront of dependent tasks: cell (i,j) reads its upper and left neighbours (depend in) and writes itself (depend out), with edge cells reading a dummy no task writes; the result equals the sequential computation, for tasks created in row order and in column order.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_DEPEND, several addresses per task), GOMP_taskwait, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

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

#define R 24
#define C 20
#define MOD 1000003L

static long g[R][C];
static long want[R][C];
static long dummy;

static long cell(long up, long left, int i, int j)
{
    return (up * 3 + left * 5 + i * 7 + j + 1) % MOD;
}

static void create(int i, int j)
{
    long *up = i > 0 ? &g[i - 1][j] : &dummy;
    long *left = j > 0 ? &g[i][j - 1] : &dummy;
#pragma omp task depend(in: *up, *left) depend(out: g[i][j]) firstprivate(i, j, up, left)
    {
        volatile long s = 0;
        for (int k = 0; k < 50 * ((i + j) % 3); k++)
            s += k;
        g[i][j] = cell(i > 0 ? *up : 0, j > 0 ? *left : 0, i, j);
    }
}

int main(void)
{
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++)
            want[i][j] = cell(i > 0 ? want[i - 1][j] : 0, j > 0 ? want[i][j - 1] : 0, i, j);

    for (int order = 0; order < 2; order++) {
        for (int i = 0; i < R; i++)
            for (int j = 0; j < C; j++)
                g[i][j] = -1;
#pragma omp parallel
#pragma omp single
        {
            if (order == 0) {
                for (int i = 0; i < R; i++)
                    for (int j = 0; j < C; j++)
                        create(i, j);
            } else {
                for (int j = 0; j < C; j++)
                    for (int i = 0; i < R; i++)
                        create(i, j);
            }
        }
        int bad = 0;
        for (int i = 0; i < R; i++)
            for (int j = 0; j < C; j++)
                bad += g[i][j] != want[i][j];
        check(bad, 0, "wavefront cells wrong (%s order)", order ? "column" : "row");
        check(g[R - 1][C - 1], want[R - 1][C - 1], "last cell (%s order)", order ? "column" : "row");
    }
    return failures > 100 ? 100 : failures;
}
