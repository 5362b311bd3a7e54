// Checks in/out dependences between one writer and many readers: 100 readers after a writer all see its value, a writer after those readers starts only when every reader is complete, and this repeats over rounds with inout writers and several variables per task.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_DEPEND), GOMP_taskwait, GOMP_barrier.
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

#define NR 100
#define ROUNDS 6

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 50 * (k % 8); j++)
        s += j;
}

int main(void)
{
    int x = 0, z = 0;
    int reader_bad = 0, reader_bad_z = 0;
    int writer_saw[ROUNDS];
    int done[ROUNDS];
    for (int r = 0; r < ROUNDS; r++)
        writer_saw[r] = done[r] = -1;

#pragma omp parallel shared(x, z, reader_bad, reader_bad_z, writer_saw, done)
#pragma omp single
    {
        for (int r = 0; r < ROUNDS; r++) {
            done[r] = 0;
            /* The writer: out in even rounds, inout in odd rounds. */
            if (r % 2 == 0) {
#pragma omp task depend(out: x) depend(inout: z) shared(x, z, done, writer_saw) firstprivate(r)
                {
                    writer_saw[r] = r == 0 ? 0 : __atomic_load_n(&done[r - 1], __ATOMIC_ACQUIRE);
                    spin(5);
                    x = r + 1;
                    z = 10 * (r + 1);
                }
            } else {
#pragma omp task depend(inout: x) depend(out: z) shared(x, z, done, writer_saw) firstprivate(r)
                {
                    writer_saw[r] = __atomic_load_n(&done[r - 1], __ATOMIC_ACQUIRE);
                    spin(5);
                    x = r + 1;
                    z = 10 * (r + 1);
                }
            }
            for (int i = 0; i < NR; i++) {
#pragma omp task depend(in: x, z) shared(x, z, done, reader_bad, reader_bad_z) firstprivate(r, i)
                {
                    spin(i);
                    if (x != r + 1)
                        __atomic_fetch_add(&reader_bad, 1, __ATOMIC_RELAXED);
                    if (z != 10 * (r + 1))
                        __atomic_fetch_add(&reader_bad_z, 1, __ATOMIC_RELAXED);
                    __atomic_fetch_add(&done[r], 1, __ATOMIC_RELEASE);
                }
            }
        }
    }
    check(reader_bad, 0, "readers that saw another round's x");
    check(reader_bad_z, 0, "readers that saw another round's z");
    for (int r = 1; r < ROUNDS; r++)
        check(writer_saw[r], NR, "readers of round %d complete when the next writer ran", r - 1);
    for (int r = 0; r < ROUNDS; r++)
        check(done[r], NR, "readers run in round %d", r);
    return failures > 100 ? 100 : failures;
}
