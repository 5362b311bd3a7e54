// Checks taskwait: it returns only when every child of the current task is complete (in implicit and explicit tasks, with children that take a while); a taskwait with no children returns; grandchildren are only asserted complete after a barrier, as the spec does not make taskwait wait for them.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_taskwait, GOMP_barrier.
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

#define NP 20
#define NC 10

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 200 * (1 + k % 5); j++)
        s += j;
}

int main(void)
{
    int child_done[NP][NC] = {{0}};
    int grand_done[NP][NC] = {{0}};
    int seen_after_wait[NP] = {0};
    int implicit_ok = 0;

#pragma omp taskwait /* no task at all: returns */

#pragma omp parallel shared(child_done, grand_done, seen_after_wait, implicit_ok)
    {
#pragma omp taskwait /* no children yet */
#pragma omp single
        {
            for (int p = 0; p < NP; p++) {
#pragma omp task firstprivate(p) shared(child_done, grand_done, seen_after_wait)
                {
                    for (int c = 0; c < NC; c++) {
#pragma omp task firstprivate(p, c) shared(child_done, grand_done)
                        {
#pragma omp task firstprivate(p, c) shared(grand_done)
                            {
                                spin(c);
                                __atomic_store_n(&grand_done[p][c], 1, __ATOMIC_RELEASE);
                            }
                            spin(c + p);
                            __atomic_store_n(&child_done[p][c], 1, __ATOMIC_RELEASE);
                        }
                    }
#pragma omp taskwait
                    int n = 0;
                    for (int c = 0; c < NC; c++)
                        n += __atomic_load_n(&child_done[p][c], __ATOMIC_ACQUIRE);
                    seen_after_wait[p] = n;
                }
            }
#pragma omp taskwait
            /* The parents are complete, so what they recorded is final. */
            int ok = 1;
            for (int p = 0; p < NP; p++)
                if (seen_after_wait[p] != NC)
                    ok = 0;
            implicit_ok = ok;
        }
    }
    check(implicit_ok, 1, "parents complete after the implicit task's taskwait");
    for (int p = 0; p < NP; p++)
        check(seen_after_wait[p], NC, "children of task %d complete after its taskwait", p);
    int g = 0;
    for (int p = 0; p < NP; p++)
        for (int c = 0; c < NC; c++)
            g += grand_done[p][c];
    check(g, NP * NC, "grandchildren complete after the region");

    /* Every thread waits for its own children. */
    int own_bad = 0;
#pragma omp parallel shared(own_bad)
    {
        int mine[8] = {0};
        for (int r = 0; r < 10; r++) {
            for (int k = 0; k < 8; k++) {
#pragma omp task firstprivate(k) shared(mine)
                {
                    spin(k);
                    __atomic_store_n(&mine[k], r + 1, __ATOMIC_RELEASE);
                }
            }
#pragma omp taskwait
            for (int k = 0; k < 8; k++)
                if (__atomic_load_n(&mine[k], __ATOMIC_ACQUIRE) != r + 1)
                    __atomic_fetch_add(&own_bad, 1, __ATOMIC_RELAXED);
        }
    }
    check(own_bad, 0, "children incomplete after their thread's taskwait");
    return failures > 100 ? 100 : failures;
}
