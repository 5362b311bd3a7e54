// Checks taskgroup: its end waits for the tasks created in it and for all their descendants (children that finish after their parent), nested taskgroups each wait for their own tasks, a taskgroup with no tasks ends at once, and taskgroups work in every thread and inside explicit tasks.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_taskgroup_start, GOMP_taskgroup_end, GOMP_barrier.
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

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 100 * (1 + k % 4); j++)
        s += j;
}

/* A task whose descendants outlive it: nobody waits inside the tree. */
static void grow(int depth, long *count)
{
    __atomic_fetch_add(count, 1, __ATOMIC_RELAXED);
    if (depth == 0)
        return;
    for (int i = 0; i < 3; i++) {
#pragma omp task firstprivate(depth, count, i)
        {
            spin(i + depth);
            grow(depth - 1, count);
        }
    }
}

/* (3^(d+1) - 1) / 2 nodes in a 3-ary tree of depth d. */
static long tree_size(int d)
{
    long n = 1, p = 1;
    for (int k = 0; k < d; k++) {
        p *= 3;
        n += p;
    }
    return n;
}

int main(void)
{
    long single_count = 0;
    int mine_bad = 0;
    int nested_bad = 0, in_task_bad = 0;

#pragma omp taskgroup
    {
    } /* outside a parallel region, empty */

#pragma omp parallel shared(single_count, mine_bad, nested_bad, in_task_bad)
    {
#pragma omp single
        {
            for (int r = 0; r < 3; r++) {
                long count = 0;
#pragma omp taskgroup
                grow(6, &count);
                check(__atomic_load_n(&count, __ATOMIC_RELAXED), tree_size(6), "tree nodes complete after taskgroup, round %d", r);
                single_count += count;
            }
#pragma omp taskgroup
            {
            } /* empty */

            /* Nested taskgroups: the inner end waits for the inner tasks,
               the outer end for everything. */
            long outer = 0, inner = 0;
#pragma omp taskgroup
            {
                for (int i = 0; i < 20; i++) {
#pragma omp task shared(outer) firstprivate(i)
                    {
                        spin(i);
                        __atomic_fetch_add(&outer, 1, __ATOMIC_RELAXED);
                    }
                }
#pragma omp taskgroup
                {
                    for (int i = 0; i < 20; i++) {
#pragma omp task shared(inner) firstprivate(i)
                        {
                            spin(i);
#pragma omp task shared(inner)
                            __atomic_fetch_add(&inner, 1, __ATOMIC_RELAXED);
                        }
                    }
                }
                if (__atomic_load_n(&inner, __ATOMIC_RELAXED) != 20)
                    nested_bad++;
            }
            if (__atomic_load_n(&outer, __ATOMIC_RELAXED) != 20)
                nested_bad++;

            /* A taskgroup inside an explicit task. */
            for (int t = 0; t < 4; t++) {
#pragma omp task shared(in_task_bad)
                {
                    long c = 0;
#pragma omp taskgroup
                    grow(4, &c);
                    if (__atomic_load_n(&c, __ATOMIC_RELAXED) != tree_size(4))
                        __atomic_fetch_add(&in_task_bad, 1, __ATOMIC_RELAXED);
                }
            }
        }

        /* Every thread with its own taskgroup. */
        long c = 0;
#pragma omp taskgroup
        grow(3, &c);
        if (__atomic_load_n(&c, __ATOMIC_RELAXED) != tree_size(3))
            __atomic_fetch_add(&mine_bad, 1, __ATOMIC_RELAXED);
    }
    check(single_count, 3 * tree_size(6), "tree nodes over three rounds");
    check(nested_bad, 0, "nested taskgroups that ended early");
    check(in_task_bad, 0, "taskgroups in explicit tasks that ended early");
    check(mine_bad, 0, "per-thread taskgroups that ended early");
    return failures > 100 ? 100 : failures;
}
