// Checks deeply nested tasks: a binary tree of depth 13 where each node is its own task, completed only through the barrier (no taskwait), and a 3-ary tree with taskwait at each level; each node runs once and results match.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_taskwait, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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

#define DEPTH 13
#define NODES ((1 << (DEPTH + 1)) - 1)

static unsigned char *visits;
static long depth_sum;

/* Heap numbering: node k has children 2k+1 and 2k+2. */
static void spawn(long k, int depth)
{
    __atomic_fetch_add(&visits[k], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&depth_sum, depth, __ATOMIC_RELAXED);
    if (depth == DEPTH)
        return;
#pragma omp task firstprivate(k, depth)
    spawn(2 * k + 1, depth + 1);
#pragma omp task firstprivate(k, depth)
    spawn(2 * k + 2, depth + 1);
}

static long tern(int depth)
{
    if (depth == 0)
        return 1;
    long r[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
#pragma omp task shared(r) firstprivate(i, depth)
        r[i] = tern(depth - 1);
    }
#pragma omp taskwait
    return r[0] + r[1] + r[2];
}

int main(void)
{
    visits = calloc(NODES, 1);
    if (!visits)
        return 1;
    long leaves = 0;
#pragma omp parallel shared(leaves)
    {
#pragma omp single nowait
        spawn(0, 0);
        /* Only the barrier waits for the whole tree. */
#pragma omp barrier
#pragma omp single
        leaves = tern(8);
    }
    long bad = 0;
    for (long k = 0; k < NODES; k++)
        bad += visits[k] != 1;
    check(bad, 0, "tree nodes not visited exactly once");
    long want = 0;
    for (int d = 0; d <= DEPTH; d++)
        want += (long)d << d;
    check(depth_sum, want, "sum of node depths");
    check(leaves, 6561, "leaves of the 3-ary tree (3^8)");
    free(visits);
    return failures > 100 ? 100 : failures;
}
