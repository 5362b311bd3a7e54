// Checks untied tasks: they run once with the right data, may create children, wait for them with taskwait and call taskyield (scheduling points where an untied task may move to another thread), and see a valid thread number before and after each scheduling point.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_UNTIED), GOMP_taskwait, GOMP_taskyield, GOMP_barrier.
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

static int bad_tid;

static void check_tid(int team)
{
    int t = omp_get_thread_num();
    if (t < 0 || t >= team)
        __atomic_fetch_add(&bad_tid, 1, __ATOMIC_RELAXED);
}

static long tree(int depth, int team)
{
    check_tid(team);
    if (depth == 0)
        return 1;
    long a = 0, b = 0;
#pragma omp task untied shared(a) firstprivate(depth, team)
    a = tree(depth - 1, team);
#pragma omp taskyield
    check_tid(team);
#pragma omp task untied shared(b) firstprivate(depth, team)
    b = tree(depth - 1, team);
#pragma omp taskwait
    check_tid(team);
    return a + b + 1;
}

int main(void)
{
    long total = 0, tree_nodes = 0;
    int children_done = 0;

#pragma omp parallel shared(total, tree_nodes, children_done)
    {
        int team = omp_get_num_threads();
#pragma omp single
        {
            for (int i = 0; i < 100; i++) {
#pragma omp task untied firstprivate(i, team) shared(total, children_done)
                {
                    long local = 0;
                    for (int k = 0; k < 4; k++) {
#pragma omp task firstprivate(i, k) shared(local)
                        __atomic_fetch_add(&local, i + k, __ATOMIC_RELAXED);
                        check_tid(team);
#pragma omp taskyield
                        check_tid(team);
                    }
#pragma omp taskwait
                    check_tid(team);
                    if (local == 4L * i + 6)
                        __atomic_fetch_add(&children_done, 1, __ATOMIC_RELAXED);
                    __atomic_fetch_add(&total, local, __ATOMIC_RELAXED);
                }
            }
#pragma omp task untied shared(tree_nodes) firstprivate(team)
            tree_nodes = tree(10, team);
        }
    }
    check(total, 4L * 4950 + 600, "sum over untied tasks' children");
    check(children_done, 100, "untied tasks whose children were complete after taskwait");
    check(tree_nodes, (1L << 11) - 1, "untied recursion node count");
    check(bad_tid, 0, "thread numbers outside the team seen by untied tasks");
    return failures > 100 ? 100 : failures;
}
