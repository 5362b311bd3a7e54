// Checks taskloop num_tasks(k) (non-strict): every iteration runs once and exactly min(k, trip count) tasks are generated, each with at least one iteration, as the spec requires; tasks are told apart by a firstprivate marker set in their first iteration.
// GOMP entry points: GOMP_taskloop (num_tasks), GOMP_parallel, GOMP_single_start, GOMP_barrier.
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

#define MAXN 3000

static int owner[MAXN];
static int hits[MAXN];
static int size_of[MAXN];

static void run(int n, int k)
{
    for (int i = 0; i < n; i++)
        owner[i] = -1, hits[i] = 0, size_of[i] = 0;
    int first = -1;
#pragma omp taskloop num_tasks(k) firstprivate(first)
    for (int i = 0; i < n; i++) {
        if (first < 0)
            first = i;
        owner[i] = first;
        __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
    }
    int bad = 0, tasks = 0;
    for (int i = 0; i < n; i++) {
        bad += hits[i] != 1;
        if (owner[i] >= 0 && owner[i] < n)
            size_of[owner[i]]++;
        else
            bad++;
    }
    for (int i = 0; i < n; i++)
        tasks += size_of[i] != 0;
    check(bad, 0, "n=%d num_tasks(%d): iterations not run once or without a task", n, k);
    check(tasks, k < n ? k : n, "n=%d num_tasks(%d): tasks generated", n, k);
}

int main(void)
{
    static const int ns[] = {0, 1, 2, 7, 16, 100, 101, 1000, 2999};
    static const int ks[] = {1, 2, 3, 4, 7, 16, 64, 100, 1000, 5000};
#pragma omp parallel
#pragma omp single
    {
        for (unsigned a = 0; a < sizeof ns / sizeof ns[0]; a++)
            for (unsigned b = 0; b < sizeof ks / sizeof ks[0]; b++)
                run(ns[a], ks[b]);
    }
    /* From every thread at once, each with its own arrays. */
    int bad = 0;
#pragma omp parallel reduction(+: bad)
    {
        int mine[200], first = -1, cnt[200] = {0};
#pragma omp taskloop num_tasks(5) firstprivate(first) shared(mine)
        for (int i = 0; i < 200; i++) {
            if (first < 0)
                first = i;
            mine[i] = first;
        }
        int tasks = 0;
        for (int i = 0; i < 200; i++)
            if (mine[i] >= 0 && mine[i] < 200 && cnt[mine[i]]++ == 0)
                tasks++;
        bad += tasks != 5;
    }
    check(bad, 0, "threads whose num_tasks(5) taskloop did not make 5 tasks");
    run(100, 3); /* outside a parallel region */
    return failures > 100 ? 100 : failures;
}
