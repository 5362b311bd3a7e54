// Checks taskwait with depend clauses: taskwait depend(in: x) returns only after the sibling that writes x completed, taskwait depend(out: y) only after every sibling reader of y completed, taskwait depend(inout: z) only after the whole inout chain on z; a depend naming an address no task uses returns.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_DEPEND), GOMP_taskwait_depend, GOMP_taskwait, GOMP_barrier.
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

#define NR 40
#define NZ 50

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 150 * (1 + k % 5); j++)
        s += j;
}

static void scenarios(const char *where)
{
    for (int round = 0; round < 5; round++) {
        int x = 0, y = 0, z = 0, unused = 0;
        int readers_done = 0, chain_done = 0;
        (void)y; /* only named in depend clauses */
        (void)unused;
#pragma omp task depend(out: x) shared(x)
        {
            spin(4);
            __atomic_store_n(&x, 42, __ATOMIC_RELEASE);
        }
        for (int i = 0; i < NR; i++) {
#pragma omp task depend(in: y) shared(y, readers_done) firstprivate(i)
            {
                spin(i);
                __atomic_fetch_add(&readers_done, 1, __ATOMIC_RELEASE);
            }
        }
        for (int i = 0; i < NZ; i++) {
#pragma omp task depend(inout: z) shared(z, chain_done) firstprivate(i)
            {
                spin(i);
                z++;
                __atomic_fetch_add(&chain_done, 1, __ATOMIC_RELEASE);
            }
        }
#pragma omp taskwait depend(in: unused)
#pragma omp taskwait depend(in: x)
        check(__atomic_load_n(&x, __ATOMIC_ACQUIRE), 42, "%s: x after taskwait depend(in: x), round %d", where, round);
#pragma omp taskwait depend(out: y)
        check(__atomic_load_n(&readers_done, __ATOMIC_ACQUIRE), NR, "%s: readers of y done after taskwait depend(out: y), round %d", where, round);
#pragma omp taskwait depend(inout: z)
        check(__atomic_load_n(&chain_done, __ATOMIC_ACQUIRE), NZ, "%s: chain on z done after taskwait depend(inout: z), round %d", where, round);
        check(z, NZ, "%s: z after the chain, round %d", where, round);
#pragma omp taskwait
    }
}

int main(void)
{
#pragma omp parallel
    {
#pragma omp single
        scenarios("implicit parent");
#pragma omp single
        {
#pragma omp task
            scenarios("explicit parent A");
#pragma omp task
            scenarios("explicit parent B");
        }
    }
    return failures > 100 ? 100 : failures;
}
