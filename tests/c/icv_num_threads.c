// Checks the nthreads-var ICV: omp_set_num_threads/omp_get_max_threads at the initial thread (non-positive values become 1), the team size that follows, inheritance of the value into nested regions, and that a call inside a region changes only the calling thread's value (seen by its own nested regions) and is discarded when the region ends.
// GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_critical_name_start, GOMP_critical_name_end (plus omp_set_num_threads, omp_get_max_threads, omp_set_max_active_levels).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 16

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
#pragma omp atomic
    failures++;
    va_list ap;
    va_start(ap, fmt);
#pragma omp critical(report)
    {
        printf("FAIL: ");
        vprintf(fmt, ap);
        printf(" (got %ld, want %ld)\n", got, want);
    }
    va_end(ap);
}

static int team_size(void)
{
    int n = 0;
#pragma omp parallel
    {
#pragma omp master
        n = omp_get_num_threads();
    }
    return n;
}

int main(void)
{
    int initial = omp_get_max_threads();
    check(initial >= 1, 1, "initial omp_get_max_threads %d >= 1", initial);
    check(team_size(), initial, "team size with the initial ICV");

    for (int n = 1; n <= 6; n++) {
        omp_set_num_threads(n);
        check(omp_get_max_threads(), n, "omp_get_max_threads after omp_set_num_threads(%d)", n);
        check(team_size(), n, "team size after omp_set_num_threads(%d)", n);
        /* The num_threads clause does not change the ICV. */
#pragma omp parallel num_threads(2)
        {
        }
        check(omp_get_max_threads(), n, "ICV after num_threads(2) region, set to %d", n);
    }

    /* libgomp stores 1 for a non-positive argument. */
    omp_set_num_threads(0);
    check(omp_get_max_threads(), 1, "omp_set_num_threads(0)");
    omp_set_num_threads(-3);
    check(omp_get_max_threads(), 1, "omp_set_num_threads(-3)");

    /* Inside a region every thread starts with the encountering thread's
       value; each one sets its own; nested regions use it. */
    omp_set_max_active_levels(2);
    omp_set_num_threads(3);
    int inner_size[MAXT], after_set[MAXT], seen_inherited[MAXT], others_ok[MAXT];
    for (int i = 0; i < MAXT; i++)
        inner_size[i] = after_set[i] = seen_inherited[i] = others_ok[i] = -1;
#pragma omp parallel
    {
        int me = omp_get_thread_num();
        seen_inherited[me] = omp_get_max_threads();
#pragma omp barrier
        omp_set_num_threads(me + 1);
        after_set[me] = omp_get_max_threads();
#pragma omp barrier
        /* Every other thread's call happened before this barrier; this
           thread's value is still its own. */
        others_ok[me] = omp_get_max_threads();
#pragma omp parallel
        {
#pragma omp master
            inner_size[me] = omp_get_num_threads();
            /* The nested implicit tasks inherit the value too. */
            if (omp_get_max_threads() != me + 1)
                check(omp_get_max_threads(), me + 1, "nested max threads under thread %d", me);
        }
    }
    for (int t = 0; t < 3; t++) {
        check(seen_inherited[t], 3, "thread %d: inherited omp_get_max_threads", t);
        check(after_set[t], t + 1, "thread %d: own value after omp_set_num_threads", t);
        check(others_ok[t], t + 1, "thread %d: own value after other threads set theirs", t);
        check(inner_size[t], t + 1, "thread %d: nested team size", t);
    }
    check(omp_get_max_threads(), 3, "initial thread's value after the region");

    /* Thread 0 (the initial thread's implicit task in the region) setting the
       value does not leak out of the region either. */
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 0)
            omp_set_num_threads(5);
    }
    check(omp_get_max_threads(), 3, "value after thread 0 set 5 inside a region");

    /* Inactive region (one thread): the same rules. */
    int in_inactive = -1, nested_of_inactive = -1;
#pragma omp parallel num_threads(1)
    {
        omp_set_num_threads(2);
        in_inactive = omp_get_max_threads();
#pragma omp parallel
        {
#pragma omp master
            nested_of_inactive = omp_get_num_threads();
        }
    }
    check(in_inactive, 2, "value set inside an inactive region");
    check(nested_of_inactive, 2, "team size nested in an inactive region");
    check(omp_get_max_threads(), 3, "value after the inactive region");

    return failures > 100 ? 100 : failures;
}
