// Checks depend objects: a depobj initialized with inout orders tasks that name it like depend(inout: x); after update(in) the tasks naming it are readers that follow a writer and precede the next one; a mutexinoutset depobj keeps its tasks mutually exclusive; two depobjs in one clause; destroy.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_DEPEND with depobj entries), GOMP_taskwait, GOMP_barrier (depobj construct itself is inline).
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
#define NR 30

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 70 * (k % 6); j++)
        s += j;
}

int main(void)
{
    int x = 0, y = 0, w = 0;
    int log[N], pos = 0;
    int reader_bad = 0, readers_done = 0, writer_saw = -1;
    int occupied = 0, overlaps = 0;
    int both_log[N], both_pos = 0;
    omp_depend_t ox, oy, om, ow;

#pragma omp depobj(ox) depend(inout: x)
#pragma omp depobj(om) depend(mutexinoutset: y)
#pragma omp depobj(ow) depend(out: w)

#pragma omp parallel shared(x, y, w, log, pos, reader_bad, readers_done, writer_saw, occupied, overlaps, both_log, both_pos, ox, oy, om, ow)
#pragma omp single
    {
        /* 1. inout depobj chain, mixed with plain depend(inout: x). */
        for (int i = 0; i < N; i++) {
            if (i % 3 == 0) {
#pragma omp task depend(inout: x) shared(x, log, pos) firstprivate(i)
                {
                    spin(i);
                    x++;
                    log[pos++] = i;
                }
            } else {
#pragma omp task depend(depobj: ox) shared(x, log, pos) firstprivate(i)
                {
                    spin(i);
                    x++;
                    log[pos++] = i;
                }
            }
        }
#pragma omp taskwait
        check(pos, N, "depobj chain length");
        int bad = 0;
        for (int i = 0; i < N; i++)
            bad += log[i] != i;
        check(bad, 0, "depobj chain entries out of order");

        /* 2. update(in): writer, readers through the depobj, writer. */
#pragma omp depobj(ox) update(in)
#pragma omp task depend(out: x) shared(x)
        {
            spin(5);
            x = 1000;
        }
        for (int i = 0; i < NR; i++) {
#pragma omp task depend(depobj: ox) shared(x, reader_bad, readers_done) firstprivate(i)
            {
                spin(i);
                if (x != 1000)
                    __atomic_fetch_add(&reader_bad, 1, __ATOMIC_RELAXED);
                __atomic_fetch_add(&readers_done, 1, __ATOMIC_RELEASE);
            }
        }
#pragma omp task depend(inout: x) shared(x, readers_done, writer_saw)
        {
            writer_saw = __atomic_load_n(&readers_done, __ATOMIC_ACQUIRE);
            x = 2000;
        }
#pragma omp taskwait
        check(reader_bad, 0, "depobj(in) readers that did not see the writer");
        check(writer_saw, NR, "depobj(in) readers complete when the next writer ran");
        check(x, 2000, "x after the second writer");

        /* 3. mutexinoutset through a depobj. */
        for (int i = 0; i < N; i++) {
#pragma omp task depend(depobj: om) shared(y, occupied, overlaps) firstprivate(i)
            {
                if (__atomic_fetch_add(&occupied, 1, __ATOMIC_ACQ_REL) != 0)
                    __atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
                int v = y;
                spin(i + 3);
                y = v + 1;
                __atomic_fetch_sub(&occupied, 1, __ATOMIC_ACQ_REL);
            }
        }
#pragma omp taskwait
        check(overlaps, 0, "mutexinoutset depobj tasks that overlapped");
        check(y, N, "y after the mutexinoutset depobj tasks");

        /* 4. Two depobjs in one clause: every task writes both x and w,
           so they form one chain. */
#pragma omp depobj(oy) depend(inout: x)
        for (int i = 0; i < N; i++) {
            if (i % 2) {
#pragma omp task depend(depobj: oy, ow) shared(both_log, both_pos, w) firstprivate(i)
                {
                    spin(i);
                    w++;
                    both_log[both_pos++] = i;
                }
            } else {
#pragma omp task depend(inout: w) shared(both_log, both_pos, w) firstprivate(i)
                {
                    spin(i);
                    w++;
                    both_log[both_pos++] = i;
                }
            }
        }
#pragma omp taskwait
        bad = 0;
        for (int i = 0; i < N; i++)
            bad += both_log[i] != i;
        check(both_pos, N, "tasks with two depobjs");
        check(bad, 0, "tasks with two depobjs out of order");
        check(w, N, "w after the two-depobj chain");
    }
#pragma omp depobj(ox) destroy
#pragma omp depobj(oy) destroy
#pragma omp depobj(om) destroy
#pragma omp depobj(ow) destroy
    return failures > 100 ? 100 : failures;
}
