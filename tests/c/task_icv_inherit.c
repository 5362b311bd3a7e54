// Checks that explicit tasks have their own copies of the data-environment ICVs: a task starts with its generating task's nthreads-var, dyn-var and run-sched-var (including values set just before creation), changes made inside a task affect only that task and the regions it opens (a nested region gets the task's own thread count), and the generating task's values are unchanged after the task ran.
// GOMP entry points: GOMP_task, GOMP_taskwait, GOMP_parallel (also nested in tasks), GOMP_single_start, GOMP_barrier, omp_set_num_threads, omp_get_max_threads, omp_set_dynamic, omp_get_dynamic, omp_set_schedule, omp_get_schedule.
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

#define NT 30

int main(void)
{
    int seen_nthr[NT], seen_dyn[NT], seen_chunk[NT], seen_kind[NT], inner_team[NT];
    int after_nthr = -1, after_dyn = -1, after_chunk = -1;
    omp_set_max_active_levels(2);

#pragma omp parallel shared(seen_nthr, seen_dyn, seen_chunk, seen_kind, inner_team, after_nthr, after_dyn, after_chunk)
#pragma omp single
    {
        for (int t = 0; t < NT; t++) {
            /* Values of the generating task at creation time. */
            omp_set_num_threads(2 + t % 3);
            omp_set_dynamic(0);
            omp_set_schedule(t % 2 ? omp_sched_dynamic : omp_sched_static, 1 + t);
#pragma omp task firstprivate(t) shared(seen_nthr, seen_dyn, seen_chunk, seen_kind, inner_team)
            {
                seen_nthr[t] = omp_get_max_threads();
                seen_dyn[t] = omp_get_dynamic();
                omp_sched_t k;
                int c;
                omp_get_schedule(&k, &c);
                seen_kind[t] = (int)k;
                seen_chunk[t] = c;
                /* Change this task's copy; it must not leak. */
                omp_set_num_threads(3);
                omp_set_schedule(omp_sched_guided, 99);
                /* A region the task opens uses the task's nthreads-var
                   (max-active-levels is 2, so it is active). */
                int n = -1;
#pragma omp parallel shared(n)
                n = omp_get_num_threads();
                inner_team[t] = n;
            }
        }
        omp_set_num_threads(3);
        omp_set_schedule(omp_sched_static, 5);
#pragma omp taskwait
        after_nthr = omp_get_max_threads();
        after_dyn = omp_get_dynamic();
        omp_sched_t k;
        omp_get_schedule(&k, &after_chunk);
    }
    for (int t = 0; t < NT; t++) {
        check(seen_nthr[t], 2 + t % 3, "task %d's nthreads-var", t);
        check(seen_dyn[t], 0, "task %d's dyn-var", t);
        check(seen_kind[t], t % 2 ? omp_sched_dynamic : omp_sched_static, "task %d's schedule kind", t);
        check(seen_chunk[t], 1 + t, "task %d's schedule chunk", t);
        check(inner_team[t], 3, "team size of the region opened by task %d after it set nthreads-var to 3", t);
    }
    check(after_nthr, 3, "generating task's nthreads-var after its tasks ran");
    check(after_dyn, 0, "generating task's dyn-var after its tasks ran");
    check(after_chunk, 5, "generating task's schedule chunk after its tasks ran");
    return failures > 100 ? 100 : failures;
}
