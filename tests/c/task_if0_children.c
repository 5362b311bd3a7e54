// Checks undeferred tasks that outlive nothing but leave things behind: deferred children and grandchildren created inside (nested) if(0) tasks complete and are awaited by an enclosing taskgroup, also at depth 200; a nestable lock set by an undeferred task before and after it created a deferred child stays its own (nesting count 2); a detached child of an undeferred task is fulfilled after that task returned; final and ICVs of undeferred tasks; omp_set_num_threads inside (nested) undeferred tasks, before and after they acquired children, does not leak to their creators.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (if_clause false, final, detach), GOMP_taskgroup_start, GOMP_taskgroup_end, GOMP_taskwait, omp_set_nest_lock, omp_test_nest_lock, omp_unset_nest_lock, omp_in_final, omp_fulfill_event, omp_set_num_threads, omp_get_max_threads.
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

static volatile int zero = 0, one = 1;
static long leaves;

/* Overwrites the stack below the caller, where the frames of undeferred
   tasks that returned were: a runtime that left its children pointing
   there would now see garbage. */
static __attribute__((noinline)) void scribble(void)
{
    volatile unsigned char buf[64 * 1024];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = 0xa5;
}

static void spin(void)
{
    volatile long s = 0;
    for (int j = 0; j < 2000; j++)
        s += j;
}

/* d levels of undeferred tasks, the innermost creating four deferred
   tasks that each create a deferred child. */
static void chain(int d)
{
    if (d == 0) {
        for (int i = 0; i < 4; i++) {
#pragma omp task if(one)
            {
#pragma omp task if(one)
                {
                    spin();
                    __atomic_fetch_add(&leaves, 1, __ATOMIC_RELAXED);
                }
                spin();
                __atomic_fetch_add(&leaves, 1, __ATOMIC_RELAXED);
            }
        }
        return;
    }
#pragma omp task if(zero) firstprivate(d)
    chain(d - 1);
}

int main(void)
{
    omp_nest_lock_t nl;
    omp_init_nest_lock(&nl);

#pragma omp parallel
#pragma omp single
    {
        /* Deferred grandchildren of two nested undeferred tasks, awaited by
           the outer one's taskgroup. */
        for (int depth = 1; depth <= 200; depth = depth * 3 + 1) {
            leaves = 0;
#pragma omp taskgroup
            {
                chain(depth);
                scribble();
            }
            check(__atomic_load_n(&leaves, __ATOMIC_RELAXED), 8, "descendants of %d undeferred levels done at the taskgroup's end", depth);
        }

        long got_inside = -1;
#pragma omp task if(zero) shared(got_inside)
        {
            long after = -1;
#pragma omp taskgroup
            {
#pragma omp task if(zero) shared(after)
                {
#pragma omp task if(one) shared(after)
                    {
                        spin();
                        after = 7;
                    }
                }
                scribble();
            }
            got_inside = after;
        }
        check(got_inside, 7, "grandchild done at the end of a taskgroup inside an undeferred task");

        /* Nestable lock ownership across the moment the task acquires a
           deferred child. */
        long nest = -1, child_saw = -1;
#pragma omp task if(zero) shared(nest, child_saw, nl)
        {
            omp_set_nest_lock(&nl);
#pragma omp task if(one) shared(child_saw, nl)
            child_saw = omp_test_nest_lock(&nl);
            nest = omp_test_nest_lock(&nl);
#pragma omp taskwait
            omp_unset_nest_lock(&nl);
            omp_unset_nest_lock(&nl);
        }
        check(nest, 2, "nesting count of an undeferred task's lock after it created a child");
        check(child_saw, 0, "a child task does not own its parent's nestable lock");
        check(omp_test_nest_lock(&nl), 1, "lock free after the undeferred task unset it twice");
        omp_unset_nest_lock(&nl);

        /* A detached child of an undeferred task, fulfilled after the
           undeferred task returned (possibly before the child ran). */
        omp_event_handle_t ev;
        long detached_ran = 0;
#pragma omp taskgroup
        {
#pragma omp task if(zero) shared(ev, detached_ran)
            {
#pragma omp task detach(ev) shared(detached_ran)
                detached_ran = 1;
            }
            scribble();
            omp_fulfill_event(ev);
        }
        check(detached_ran, 1, "detached child of an undeferred task done at the taskgroup's end");

        /* final and ICVs. */
        long in_final = -1, inner_final = -1, inside_max = -1;
        int before = omp_get_max_threads();
#pragma omp task if(zero) final(one) shared(in_final, inner_final)
        {
            in_final = omp_in_final();
#pragma omp task shared(inner_final)
            inner_final = omp_in_final();
        }
#pragma omp task if(zero) shared(inside_max)
        {
            omp_set_num_threads(before + 3);
            inside_max = omp_get_max_threads();
        }
        /* ICV changes around the moment nested undeferred tasks move
           (their child makes them): each level gets its creator's values
           back. */
        long mid = -1, mid_after = -1;
#pragma omp task if(zero) shared(mid, mid_after)
        {
            omp_set_num_threads(before + 5);
#pragma omp task if(zero)
            {
                omp_set_num_threads(before + 7);
#pragma omp task if(one)
                spin();
                omp_set_num_threads(before + 8);
            }
            mid = omp_get_max_threads();
#pragma omp task if(zero)
            {
#pragma omp task if(zero)
                {
#pragma omp task if(one)
                    spin();
                }
                omp_set_num_threads(before + 9);
            }
            mid_after = omp_get_max_threads();
#pragma omp taskwait
        }
        check(mid, before + 5, "nthreads-var of an undeferred task after its undeferred child changed and moved");
        check(mid_after, before + 5, "nthreads-var after a moved undeferred child changed it");
        check(in_final, 1, "omp_in_final in an undeferred final task");
        check(inner_final, 1, "omp_in_final in a task created in a final task");
        check(inside_max, before + 3, "omp_set_num_threads inside an undeferred task");
        check(omp_get_max_threads(), before, "creator's nthreads-var after the undeferred task");
    }
    omp_destroy_nest_lock(&nl);
    return failures > 100 ? 100 : failures;
}
