// Checks explicit tasks that open a nested parallel region: with max-active-levels 2 the inner team has the requested 2 threads at level 2, the inner region's own tasks complete at its end, the task's data and omp_in_final are right inside and after the inner region, and many such tasks run at once.
// GOMP entry points: GOMP_parallel (nested, from inside a task), GOMP_task, GOMP_taskwait, GOMP_single_start, GOMP_barrier, omp_set_max_active_levels.
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

#define NT 8

int main(void)
{
    omp_set_max_active_levels(2);
    int inner_size[NT], inner_level[NT], inner_tasks[NT], inner_seen[NT];
    int after_level[NT], after_tid_ok[NT], final_inner[NT];
    long payload[NT];
    int final_region = -1;

#pragma omp parallel shared(inner_size, inner_level, inner_tasks, inner_seen, after_level, after_tid_ok, final_inner, payload, final_region)
#pragma omp single
    {
        for (int t = 0; t < NT; t++) {
            long data = 1000L * t;
#pragma omp task firstprivate(t, data) shared(inner_size, inner_level, inner_tasks, inner_seen, after_level, after_tid_ok, final_inner, payload)
            {
                int size = -1, level = -1, tasks = 0, seen = 0, infinal = -1;
#pragma omp parallel num_threads(2) shared(size, level, tasks, seen, infinal)
                {
#pragma omp single
                    {
                        size = omp_get_num_threads();
                        level = omp_get_level();
                        infinal = omp_in_final();
                    }
                    /* Tasks of the inner team, done by its end. */
                    for (int i = 0; i < 20; i++) {
#pragma omp task shared(tasks)
                        __atomic_fetch_add(&tasks, 1, __ATOMIC_RELAXED);
                    }
                    __atomic_fetch_add(&seen, 1, __ATOMIC_RELAXED);
                }
                inner_size[t] = size;
                inner_level[t] = level;
                inner_tasks[t] = tasks;
                inner_seen[t] = seen;
                final_inner[t] = infinal;
                after_level[t] = omp_get_level();
                int tid = omp_get_thread_num();
                after_tid_ok[t] = tid >= 0 && tid < omp_get_num_threads();
                payload[t] = data + 1;
            }
        }
        /* A final task opening a region: its implicit tasks are not final. */
#pragma omp task final(1) shared(final_region)
        {
            int f = -1;
#pragma omp parallel num_threads(2) shared(f)
#pragma omp master
            f = omp_in_final();
            final_region = f;
        }
    }
    for (int t = 0; t < NT; t++) {
        check(inner_size[t], 2, "inner team size in task %d", t);
        check(inner_level[t], 2, "omp_get_level in the inner region of task %d", t);
        check(inner_tasks[t], 40, "inner region's tasks done at its end (task %d)", t);
        check(inner_seen[t], 2, "inner threads that ran the inner region (task %d)", t);
        check(after_level[t], 1, "omp_get_level in task %d after its inner region", t);
        check(after_tid_ok[t], 1, "thread number valid in task %d after its inner region", t);
        check(payload[t], 1000L * t + 1, "firstprivate data of task %d", t);
    }
    check(final_region, 0, "omp_in_final in implicit tasks of a region opened by a final task");
    for (int t = 0; t < NT; t++)
        check(final_inner[t], 0, "omp_in_final in the inner region of task %d", t);
    return failures > 100 ? 100 : failures;
}
