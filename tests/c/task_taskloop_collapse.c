// Checks taskloop collapse(2) and collapse(3): every (i, j[, k]) combination runs exactly once for rectangular nests with odd extents, non-unit steps and an empty inner loop, and with grainsize and num_tasks the collapsed iteration space is what gets divided.
// GOMP entry points: GOMP_taskloop (collapsed iteration count), GOMP_parallel, GOMP_single_start, GOMP_barrier.
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

static int hits2[37][23];
static int hits3[9][11][13];

static int count_bad2(int ni, int nj, int si, int sj)
{
    int bad = 0;
    for (int i = 0; i < 37; i++)
        for (int j = 0; j < 23; j++) {
            int want = i < ni && j < nj && i % si == 0 && j % sj == 0;
            bad += hits2[i][j] != want;
        }
    return bad;
}

int main(void)
{
#pragma omp parallel
#pragma omp single
    {
        memset(hits2, 0, sizeof hits2);
#pragma omp taskloop collapse(2)
        for (int i = 0; i < 37; i++)
            for (int j = 0; j < 23; j++)
                __atomic_fetch_add(&hits2[i][j], 1, __ATOMIC_RELAXED);
        check(count_bad2(37, 23, 1, 1), 0, "collapse(2) 37x23");

        memset(hits2, 0, sizeof hits2);
#pragma omp taskloop collapse(2) grainsize(5)
        for (int i = 0; i < 37; i += 3)
            for (int j = 0; j < 23; j += 2)
                __atomic_fetch_add(&hits2[i][j], 1, __ATOMIC_RELAXED);
        check(count_bad2(37, 23, 3, 2), 0, "collapse(2) with steps 3 and 2, grainsize(5)");

        /* Collapsed grainsize divides i*j iterations, not the outer loop:
           with 13*11 = 143 iterations and grainsize(10), every task has
           10..19 iterations. */
        int owner[13][11], first = -1;
#pragma omp taskloop collapse(2) grainsize(10) firstprivate(first) shared(owner)
        for (int i = 0; i < 13; i++)
            for (int j = 0; j < 11; j++) {
                if (first < 0)
                    first = i * 11 + j;
                owner[i][j] = first;
            }
        int size_of[143] = {0}, bad = 0;
        for (int i = 0; i < 13; i++)
            for (int j = 0; j < 11; j++) {
                if (owner[i][j] < 0 || owner[i][j] >= 143)
                    bad++;
                else
                    size_of[owner[i][j]]++;
            }
        for (int k = 0; k < 143; k++)
            if (size_of[k] != 0 && (size_of[k] < 10 || size_of[k] > 19))
                bad++;
        check(bad, 0, "collapse(2) grainsize(10): tasks outside 10..19 iterations");

        /* num_tasks over a collapsed space larger than the outer loop. */
        int tasks = 0, first2 = -1, cnt[60] = {0};
        int own2[3][20];
#pragma omp taskloop collapse(2) num_tasks(12) firstprivate(first2) shared(own2)
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 20; j++) {
                if (first2 < 0)
                    first2 = i * 20 + j;
                own2[i][j] = first2;
            }
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 20; j++)
                if (own2[i][j] >= 0 && own2[i][j] < 60 && cnt[own2[i][j]]++ == 0)
                    tasks++;
        check(tasks, 12, "collapse(2) num_tasks(12) over 3x20 iterations");

        memset(hits3, 0, sizeof hits3);
#pragma omp taskloop collapse(3) num_tasks(17)
        for (int i = 0; i < 9; i++)
            for (int j = 1; j < 11; j++)
                for (int k = 12; k >= 0; k--)
                    __atomic_fetch_add(&hits3[i][j][k], 1, __ATOMIC_RELAXED);
        bad = 0;
        for (int i = 0; i < 9; i++)
            for (int j = 0; j < 11; j++)
                for (int k = 0; k < 13; k++)
                    bad += hits3[i][j][k] != (j >= 1);
        check(bad, 0, "collapse(3) 9x10x13 with a descending inner loop");

        /* Empty inner loop: no iteration at all. */
        int any = 0;
        volatile int zero = 0;
#pragma omp taskloop collapse(2) shared(any)
        for (int i = 0; i < 10; i++)
            for (int j = 0; j < zero; j++)
                __atomic_fetch_add(&any, 1, __ATOMIC_RELAXED);
        check(any, 0, "collapse(2) with an empty inner loop");
    }
    return failures > 100 ? 100 : failures;
}
