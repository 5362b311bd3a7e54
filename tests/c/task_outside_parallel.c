// Checks tasking constructs used outside any parallel region (the initial task of an implicit one-thread team): tasks, with if(0), final and depend, run to completion in creation order, taskwait/taskgroup/taskyield return, taskloop covers its iterations, task reductions combine, and omp_in_parallel stays false.
// GOMP entry points: GOMP_task, GOMP_taskwait, GOMP_taskgroup_start, GOMP_taskgroup_end, GOMP_taskyield, GOMP_taskloop, GOMP_taskgroup_reduction_register, GOMP_task_reduction_remap, GOMP_taskgroup_reduction_unregister, GOMP_taskwait_depend.
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

int main(void)
{
    int log[50], pos = 0, in_par = -1, tid = -1, nested = 0;
    for (int i = 0; i < 50; i++) {
#pragma omp task shared(log, pos, in_par, tid, nested) firstprivate(i)
        {
            log[pos++] = i;
            if (i == 0) {
                in_par = omp_in_parallel();
                tid = omp_get_thread_num();
            }
#pragma omp task shared(nested)
            nested++;
        }
    }
#pragma omp taskwait
    check(pos, 50, "tasks run outside a region");
    int bad = 0;
    for (int i = 0; i < 50; i++)
        bad += log[i] != i;
    check(bad, 0, "tasks out of creation order outside a region");
    check(in_par, 0, "omp_in_parallel in a task outside a region");
    check(tid, 0, "omp_get_thread_num in a task outside a region");
    check(nested, 50, "nested tasks outside a region");

    int x = 0, y = -1;
#pragma omp task depend(out: x) shared(x)
    x = 5;
#pragma omp task depend(in: x) shared(x, y)
    y = x * 2;
#pragma omp taskwait depend(in: y)
    check(y, 10, "dependent tasks outside a region");

    int fin = -1;
#pragma omp task final(1) shared(fin)
    {
#pragma omp task shared(fin)
        fin = omp_in_final();
    }
    check(fin, 1, "child of a final task outside a region");

    long g = 0;
#pragma omp taskgroup
    {
        for (int i = 0; i < 10; i++) {
#pragma omp task shared(g) firstprivate(i)
            {
#pragma omp taskyield
                g += i;
            }
        }
    }
    check(g, 45, "taskgroup outside a region");

    long s = 0;
#pragma omp taskloop grainsize(3) shared(s)
    for (int i = 0; i < 100; i++)
        s += i;
    check(s, 4950, "taskloop outside a region");

    long r = 1;
#pragma omp taskgroup task_reduction(+: r)
    {
        for (int i = 0; i < 10; i++) {
#pragma omp task in_reduction(+: r) firstprivate(i)
            r += i;
        }
    }
    check(r, 46, "task reduction outside a region");
    check(omp_in_parallel(), 0, "omp_in_parallel after the tasks");
    return failures > 100 ? 100 : failures;
}
