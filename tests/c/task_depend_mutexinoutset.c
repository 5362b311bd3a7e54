// Checks mutexinoutset dependences: tasks with mutexinoutset on the same variable never run at the same time (an atomic occupancy counter), all run after a preceding out task and before a following in task, and tasks on different variables still complete.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_DEPEND, mutexinoutset in the new depend format), GOMP_taskwait, GOMP_barrier.
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

#define N 60

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 300 + 100 * (k % 5); j++)
        s += j;
}

int main(void)
{
    long x = -1, y = 0;
    int occupied = 0, overlaps = 0, occupied_y = 0, overlaps_y = 0;
    long before_writer = -1, seen_by_reader = -1;
    int started_before_out = 0;

#pragma omp parallel shared(x, y, occupied, overlaps, occupied_y, overlaps_y, before_writer, seen_by_reader, started_before_out)
#pragma omp single
    {
        int out_done = 0;
#pragma omp task depend(out: x) shared(x, out_done)
        {
            spin(7);
            x = 0;
            __atomic_store_n(&out_done, 1, __ATOMIC_RELEASE);
        }
        for (int i = 0; i < N; i++) {
#pragma omp task depend(mutexinoutset: x) shared(x, occupied, overlaps, out_done, started_before_out) firstprivate(i)
            {
                if (!__atomic_load_n(&out_done, __ATOMIC_ACQUIRE))
                    __atomic_fetch_add(&started_before_out, 1, __ATOMIC_RELAXED);
                if (__atomic_fetch_add(&occupied, 1, __ATOMIC_ACQ_REL) != 0)
                    __atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
                long v = x; /* plain read-modify-write: exclusion makes it safe */
                spin(i);
                x = v + i;
                __atomic_fetch_sub(&occupied, 1, __ATOMIC_ACQ_REL);
            }
            /* Interleaved: a second mutex set on y. */
#pragma omp task depend(mutexinoutset: y) shared(y, occupied_y, overlaps_y) firstprivate(i)
            {
                if (__atomic_fetch_add(&occupied_y, 1, __ATOMIC_ACQ_REL) != 0)
                    __atomic_fetch_add(&overlaps_y, 1, __ATOMIC_RELAXED);
                long v = y;
                spin(i + 2);
                y = v + 1;
                __atomic_fetch_sub(&occupied_y, 1, __ATOMIC_ACQ_REL);
            }
        }
#pragma omp task depend(in: x) shared(x, seen_by_reader)
        seen_by_reader = x;
#pragma omp taskwait
        before_writer = x;
    }
    check(started_before_out, 0, "mutexinoutset tasks that started before the out task finished");
    check(overlaps, 0, "mutexinoutset tasks on x that overlapped");
    check(overlaps_y, 0, "mutexinoutset tasks on y that overlapped");
    check(seen_by_reader, (long)N * (N - 1) / 2, "x seen by the in task after the set");
    check(before_writer, (long)N * (N - 1) / 2, "x after taskwait");
    check(y, N, "y after its mutexinoutset set");
    return failures > 100 ? 100 : failures;
}
