// Checks the OpenMP 5.1 scope construct with reduction and private clauses: every thread of the team executes the scope once, the reduction combines all threads' contributions with the original shared value, the implicit barrier at its end (and its absence with nowait followed by an explicit barrier), a task-modifier reduction on scope, and scope outside any region.
// GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_atomic_start, GOMP_atomic_end (GCC 12 open-codes a plain scope), GOMP_scope_start and GOMP_workshare_task_reduction_unregister (task modifier).
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

static long solo;

int main(void)
{
    for (int r = 0; r < 10; r++) {
        long sum = 1000;
        int mx = -1;
        int nthr = 0;
        int complete_after = 0;
        int priv = 77;
#pragma omp parallel shared(sum, mx, nthr) reduction(+:complete_after)
        {
            int me = omp_get_thread_num();
#pragma omp master
            nthr = omp_get_num_threads();
#pragma omp scope reduction(+:sum) reduction(max:mx) private(priv)
            {
                priv = me;
                sum += me + 1;
                if (me > mx)
                    mx = me;
                sum += priv - me; /* 0: private copy belongs to this thread */
            }
            /* After the scope's barrier every contribution is in. */
            complete_after += __atomic_load_n(&sum, __ATOMIC_RELAXED) ==
                              1000 + (long)omp_get_num_threads() * (omp_get_num_threads() + 1) / 2;
        }
        check(sum, 1000 + (long)nthr * (nthr + 1) / 2, "round %d: scope + reduction", r);
        check(mx, nthr - 1, "round %d: scope max reduction", r);
        check(complete_after, nthr, "round %d: threads seeing the total after the scope", r);
        check(priv, 77, "round %d: private original unchanged", r);
    }

    /* nowait scope followed by an explicit barrier. */
    long t = 0;
    int ok = 0, nthr2 = 0;
#pragma omp parallel shared(t) reduction(+:ok)
    {
#pragma omp master
        nthr2 = omp_get_num_threads();
#pragma omp scope reduction(+:t) nowait
        t += 3;
#pragma omp barrier
        ok += __atomic_load_n(&t, __ATOMIC_RELAXED) == 3L * omp_get_num_threads();
    }
    check(t, 3L * nthr2, "nowait scope: total");
    check(ok, nthr2, "nowait scope: threads seeing the total after the barrier");

    /* Task modifier on scope (no explicit tasks take part). */
    long tm = 5;
    int nthr3 = 0;
#pragma omp parallel shared(tm)
    {
#pragma omp master
        nthr3 = omp_get_num_threads();
#pragma omp scope reduction(task, +:tm)
        tm += omp_get_thread_num() + 1;
    }
    check(tm, 5 + (long)nthr3 * (nthr3 + 1) / 2, "task-modifier scope: total");

    /* Scope outside any parallel region: one thread, one contribution. */
    solo = 4;
#pragma omp scope reduction(+:solo)
    solo += 6;
    check(solo, 10, "scope outside a region");

    return failures > 100 ? 100 : failures;
}
