// Checks detached tasks whose own body fulfils the event: deferred ones complete for taskwait, undeferred ones (if(0), or outside any parallel region) return from the construct once the body has fulfilled the event, and a detached final task's included children run normally.
// GOMP entry points: GOMP_task (GOMP_TASK_FLAG_DETACH, with and without if_clause), omp_fulfill_event, GOMP_taskwait, GOMP_parallel, GOMP_single_start, GOMP_barrier.
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

static int undeferred_self(void)
{
    int done = 0;
    omp_event_handle_t ev;
#pragma omp task detach(ev) if(zero) shared(done)
    {
        done = 1;
        omp_fulfill_event(ev);
    }
    return done;
}

int main(void)
{
    /* Outside a parallel region every task is undeferred. */
    check(undeferred_self(), 1, "undeferred detached task outside a region");
    int done = 0;
    omp_event_handle_t ev0;
#pragma omp task detach(ev0) shared(done)
    {
        done = 2;
        omp_fulfill_event(ev0);
    }
    check(done, 2, "detached task outside a region (no if clause)");

    int deferred_done = 0, undeferred_ok = 0, child_count = 0;
#pragma omp parallel shared(deferred_done, undeferred_ok, child_count)
    {
#pragma omp single
        {
            for (int i = 0; i < 100; i++) {
                omp_event_handle_t ev;
#pragma omp task detach(ev) shared(deferred_done)
                {
                    __atomic_fetch_add(&deferred_done, 1, __ATOMIC_RELAXED);
                    omp_fulfill_event(ev);
                }
            }
#pragma omp taskwait
            check(deferred_done, 100, "self-fulfilled deferred detached tasks after taskwait");
            for (int i = 0; i < 20; i++)
                undeferred_ok += undeferred_self();
            omp_event_handle_t evf;
#pragma omp task detach(evf) final(1) shared(child_count)
            {
                for (int i = 0; i < 10; i++) {
#pragma omp task shared(child_count)
                    child_count++;
                }
                omp_fulfill_event(evf);
            }
#pragma omp taskwait
        }
        /* Every thread: an undeferred detached task of its own. */
        if (undeferred_self() != 1)
            __atomic_fetch_add(&undeferred_ok, -1000, __ATOMIC_RELAXED);
    }
    check(undeferred_ok, 20, "undeferred self-fulfilled detached tasks in a region");
    check(child_count, 10, "children of a detached final task");
    return failures > 100 ? 100 : failures;
}
