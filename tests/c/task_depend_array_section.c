// Checks dependences on array sections, which GCC passes by start address: tasks on a[0:10] are ordered among themselves, four disjoint sections form four independent ordered chains, and the same section named through a pointer (p[0:10] with p = a + 10) orders with a[10:10].
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_DEPEND), GOMP_taskwait, GOMP_barrier.
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

#define PER 50

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 80 * (k % 6); j++)
        s += j;
}

int main(void)
{
    int a[40];
    int log[4][PER], pos[4] = {0, 0, 0, 0};
    int reader_bad = 0, readers = 0;

    for (int k = 0; k < 40; k++)
        a[k] = 0;

#pragma omp parallel shared(a, log, pos, reader_bad, readers)
#pragma omp single
    {
        int *p = a + 10;
        for (int i = 0; i < PER; i++) {
#pragma omp task depend(inout: a[0:10]) shared(a, log, pos) firstprivate(i)
            {
                spin(i);
                for (int k = 0; k < 10; k++)
                    a[k] += 1;
                log[0][pos[0]++] = i;
            }
            /* Section 1 through two spellings of the same storage. */
            if (i % 2 == 0) {
#pragma omp task depend(inout: a[10:10]) shared(a, log, pos) firstprivate(i)
                {
                    spin(i + 1);
                    for (int k = 10; k < 20; k++)
                        a[k] += 2;
                    log[1][pos[1]++] = i;
                }
            } else {
#pragma omp task depend(inout: p[0:10]) shared(log, pos) firstprivate(i, p)
                {
                    spin(i + 1);
                    for (int k = 0; k < 10; k++)
                        p[k] += 2;
                    log[1][pos[1]++] = i;
                }
            }
#pragma omp task depend(out: a[20:10]) shared(a, log, pos) firstprivate(i)
            {
                spin(i + 2);
                for (int k = 20; k < 30; k++)
                    a[k] = i;
                log[2][pos[2]++] = i;
            }
            /* Readers of section 2 see the writer created just before. */
            if (i % 10 == 0) {
                for (int r = 0; r < 3; r++) {
#pragma omp task depend(in: a[20:10]) shared(a, reader_bad, readers) firstprivate(i)
                    {
                        for (int k = 20; k < 30; k++)
                            if (a[k] != i)
                                __atomic_fetch_add(&reader_bad, 1, __ATOMIC_RELAXED);
                        __atomic_fetch_add(&readers, 1, __ATOMIC_RELAXED);
                    }
                }
            }
#pragma omp task depend(inout: a[30:10]) shared(a, log, pos) firstprivate(i)
            {
                spin(i + 3);
                for (int k = 30; k < 40; k++)
                    a[k] = (a[k] * 3 + 1) % 1009;
                log[3][pos[3]++] = i;
            }
        }
    }
    int bad = 0;
    for (int s = 0; s < 4; s++) {
        check(pos[s], PER, "tasks on section %d", s);
        for (int i = 0; i < PER && i < pos[s]; i++)
            bad += log[s][i] != i;
    }
    check(bad, 0, "section tasks out of creation order");
    long want3 = 0;
    for (int i = 0; i < PER; i++)
        want3 = (want3 * 3 + 1) % 1009;
    for (int k = 0; k < 10; k++) {
        check(a[k], PER, "a[%d]", k);
        check(a[10 + k], 2 * PER, "a[%d]", 10 + k);
        check(a[20 + k], PER - 1, "a[%d]", 20 + k);
        check(a[30 + k], (int)want3, "a[%d]", 30 + k);
    }
    check(reader_bad, 0, "section readers that saw another writer's data");
    check(readers, 15, "section readers run");
    return failures > 100 ? 100 : failures;
}
