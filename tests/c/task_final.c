// Checks final tasks: omp_in_final is false outside, true in a final task and in all its descendants (which are included: run at once by the encountering thread, in order), false in a final(0) task and its children; a final clause with a run-time expression; a final recursion computes the right result.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_FINAL), GOMP_taskwait, GOMP_barrier.
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

static long sum_tree(int depth, int cutoff, int *final_bad)
{
    if (depth == 0)
        return 1;
    long a = 0, b = 0;
    int in_final = omp_in_final();
#pragma omp task shared(a) final(depth <= cutoff) firstprivate(depth, cutoff)
    {
        if (omp_in_final() != (depth <= cutoff || in_final))
            __atomic_fetch_add(final_bad, 1, __ATOMIC_RELAXED);
        a = sum_tree(depth - 1, cutoff, final_bad);
    }
#pragma omp task shared(b) final(depth <= cutoff) firstprivate(depth, cutoff)
    b = sum_tree(depth - 1, cutoff, final_bad);
#pragma omp taskwait
    return a + b + 1;
}

int main(void)
{
    volatile int yes = 1, no = 0;
    check(omp_in_final(), 0, "omp_in_final outside any task");

#pragma omp parallel
    {
        check(omp_in_final(), 0, "omp_in_final in an implicit task");
#pragma omp single
        {
            int in_final_task = -1, child_final = -1, grandchild_final = -1;
            int child_tid_same = 0, order_ok = 1;
            int log[10], pos = 0;
#pragma omp task final(1) shared(in_final_task, child_final, grandchild_final, child_tid_same, order_ok, log, pos)
            {
                in_final_task = omp_in_final();
                int me = omp_get_thread_num();
                for (int i = 0; i < 10; i++) {
                    /* Included task: runs now, on this thread. */
#pragma omp task shared(child_final, grandchild_final, child_tid_same, log, pos) firstprivate(me, i)
                    {
                        child_final = omp_in_final();
                        if (omp_get_thread_num() == me)
                            child_tid_same++;
                        log[pos++] = i;
#pragma omp task shared(grandchild_final)
                        grandchild_final = omp_in_final();
                    }
                    if (pos != i + 1)
                        order_ok = 0;
                }
            }
#pragma omp taskwait
            check(in_final_task, 1, "omp_in_final in a final(1) task");
            check(child_final, 1, "omp_in_final in a child of a final task");
            check(grandchild_final, 1, "omp_in_final in a grandchild of a final task");
            check(child_tid_same, 10, "included tasks run by the encountering thread");
            check(order_ok, 1, "included tasks complete before the construct ends");
            for (int i = 0; i < 10; i++)
                check(log[i], i, "included task order at %d", i);

            int f0 = -1, f0child = -1, frt = -1, frt0 = -1;
#pragma omp task final(0) shared(f0, f0child)
            {
                f0 = omp_in_final();
#pragma omp task shared(f0child)
                f0child = omp_in_final();
#pragma omp taskwait
            }
#pragma omp task final(yes) shared(frt)
            frt = omp_in_final();
#pragma omp task final(no) shared(frt0)
            frt0 = omp_in_final();
#pragma omp taskwait
            check(f0, 0, "omp_in_final in a final(0) task");
            check(f0child, 0, "omp_in_final in a child of a final(0) task");
            check(frt, 1, "omp_in_final with final(run-time true)");
            check(frt0, 0, "omp_in_final with final(run-time false)");

            int bad = 0;
            long r = sum_tree(10, 4, &bad);
            check(r, (1L << 11) - 1, "tree with final cutoff: node count");
            check(bad, 0, "tasks with a wrong omp_in_final in the tree");
        }
        check(omp_in_final(), 0, "omp_in_final in an implicit task after the tasks");
    }
    return failures > 100 ? 100 : failures;
}
