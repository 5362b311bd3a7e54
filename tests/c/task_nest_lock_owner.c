// Checks that nestable locks belong to tasks: the owning task can re-acquire and test a lock it holds (nesting count grows), while a different task running on the same thread (an undeferred child, or a child run at the owner's taskwait) sees the lock as unavailable; locks set and unset inside tasks exclude each other across threads.
// GOMP entry points: omp_init_nest_lock, omp_set_nest_lock, omp_test_nest_lock, omp_unset_nest_lock, omp_destroy_nest_lock, omp_set_lock, omp_test_lock, omp_unset_lock, GOMP_task, GOMP_taskwait, GOMP_parallel, GOMP_single_start, GOMP_barrier.
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

static volatile int zero = 0;

int main(void)
{
    omp_nest_lock_t nl;
    omp_lock_t sl;
    omp_init_nest_lock(&nl);
    omp_init_lock(&sl);

    /* The implicit task outside any region owns the lock. */
    omp_set_nest_lock(&nl);
    check(omp_test_nest_lock(&nl), 2, "owner re-tests the lock outside a region");
    int child_test = -1;
#pragma omp task if(zero) shared(child_test, nl)
    child_test = omp_test_nest_lock(&nl);
    check(child_test, 0, "undeferred child task tests its parent's nest lock");
    omp_unset_nest_lock(&nl);
    omp_unset_nest_lock(&nl);

    int explicit_counts[3] = {0, 0, 0};
    int child_saw = -1, deferred_child_saw = -1, simple_child = -1;
    long counter = 0;
    int counter_bad = 0;

#pragma omp parallel shared(nl, sl, explicit_counts, child_saw, deferred_child_saw, simple_child, counter, counter_bad)
    {
#pragma omp single
        {
            /* An explicit task owns it and nests. */
#pragma omp task shared(nl, explicit_counts, child_saw, deferred_child_saw)
            {
                omp_set_nest_lock(&nl);
                omp_set_nest_lock(&nl);
                explicit_counts[0] = omp_test_nest_lock(&nl); /* 3 */
#pragma omp task if(zero) shared(nl, child_saw)
                child_saw = omp_test_nest_lock(&nl);
#pragma omp task shared(nl, deferred_child_saw)
                deferred_child_saw = omp_test_nest_lock(&nl);
#pragma omp taskwait
                omp_unset_nest_lock(&nl);
                omp_unset_nest_lock(&nl);
                explicit_counts[1] = omp_test_nest_lock(&nl); /* 2 */
                omp_unset_nest_lock(&nl);
                omp_unset_nest_lock(&nl);
            }
#pragma omp taskwait
            /* Free again: a fresh owner gets count 1. */
            explicit_counts[2] = omp_test_nest_lock(&nl);
            omp_unset_nest_lock(&nl);

            /* A simple lock held by a task: another task on the same
               thread cannot take it either. */
#pragma omp task shared(sl, simple_child)
            {
                omp_set_lock(&sl);
#pragma omp task if(zero) shared(sl, simple_child)
                {
                    simple_child = omp_test_lock(&sl);
                    if (simple_child)
                        omp_unset_lock(&sl);
                }
                omp_unset_lock(&sl);
            }
#pragma omp taskwait

            /* Many tasks on all threads, nesting the lock twice around a
               non-atomic update. */
            for (int i = 0; i < 400; i++) {
#pragma omp task shared(nl, counter, counter_bad)
                {
                    omp_set_nest_lock(&nl);
                    omp_set_nest_lock(&nl);
                    long v = counter;
                    if (omp_test_nest_lock(&nl) != 3)
                        counter_bad++;
                    counter = v + 1;
                    omp_unset_nest_lock(&nl);
                    omp_unset_nest_lock(&nl);
                    omp_unset_nest_lock(&nl);
                }
            }
        }
    }
    check(explicit_counts[0], 3, "nesting count seen by the owning explicit task");
    check(child_saw, 0, "undeferred child of the owning task tests the lock");
    check(deferred_child_saw, 0, "deferred child (run while the owner waits) tests the lock");
    check(explicit_counts[1], 2, "nesting count after partial unset");
    check(explicit_counts[2], 1, "test of the free lock by a new owner");
    check(simple_child, 0, "omp_test_lock by a child while the parent task holds the lock");
    check(counter, 400, "updates under the nest lock");
    check(counter_bad, 0, "wrong nesting counts inside tasks");
    omp_destroy_nest_lock(&nl);
    omp_destroy_lock(&sl);
    return failures > 100 ? 100 : failures;
}
