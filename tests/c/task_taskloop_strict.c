// Checks the OpenMP 5.1 strict modifier: grainsize(strict: g) gives every task exactly g iterations except the one with the last iteration, which may have fewer; num_tasks(strict: k) generates exactly min(k, trip count) tasks; every iteration runs once.
// GOMP entry points: GOMP_taskloop (GOMP_TASK_FLAG_GRAINSIZE | GOMP_TASK_FLAG_STRICT, and num_tasks with STRICT), GOMP_parallel, GOMP_single_start, GOMP_barrier.
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

static int tally(int n)
{
    int bad = 0;
    for (int i = 0; i < n; i++) {
        bad += hits[i] != 1;
        if (owner[i] >= 0 && owner[i] < n)
            size_of[owner[i]]++;
        else
            bad++;
    }
    return bad;
}

static void run_grain(int n, int g)
{
    for (int i = 0; i < n; i++)
        owner[i] = -1, hits[i] = 0, size_of[i] = 0;
    int first = -1;
#pragma omp taskloop grainsize(strict: g) firstprivate(first)
    for (int i = 0; i < n; i++) {
        if (first < 0)
            first = i;
        owner[i] = first;
        __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
    }
    check(tally(n), 0, "n=%d grainsize(strict: %d): iterations not run once", n, g);
    if (n == 0)
        return;
    int last_owner = owner[n - 1], tasks = 0, bad = 0;
    for (int i = 0; i < n; i++) {
        if (size_of[i] == 0)
            continue;
        tasks++;
        if (i == last_owner)
            bad += size_of[i] > g;
        else
            bad += size_of[i] != g;
    }
    check(bad, 0, "n=%d grainsize(strict: %d): tasks with a wrong size", n, g);
    check(tasks, (n + g - 1) / g, "n=%d grainsize(strict: %d): tasks", n, g);
}

static void run_num(int n, int k)
{
    for (int i = 0; i < n; i++)
        owner[i] = -1, hits[i] = 0, size_of[i] = 0;
    int first = -1;
#pragma omp taskloop num_tasks(strict: k) firstprivate(first)
    for (int i = 0; i < n; i++) {
        if (first < 0)
            first = i;
        owner[i] = first;
        __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
    }
    check(tally(n), 0, "n=%d num_tasks(strict: %d): iterations not run once", n, k);
    int tasks = 0;
    for (int i = 0; i < n; i++)
        tasks += size_of[i] != 0;
    check(tasks, k < n ? k : n, "n=%d num_tasks(strict: %d): tasks", n, k);
}

int main(void)
{
    static const int ns[] = {0, 1, 5, 16, 17, 79, 100, 1000, 2999};
    static const int gs[] = {1, 2, 3, 7, 16, 17, 50, 64, 500, 5000};
#pragma omp parallel
#pragma omp single
    {
        for (unsigned a = 0; a < sizeof ns / sizeof ns[0]; a++)
            for (unsigned b = 0; b < sizeof gs / sizeof gs[0]; b++) {
                run_grain(ns[a], gs[b]);
                run_num(ns[a], gs[b]);
            }
    }
    return failures > 100 ? 100 : failures;
}
