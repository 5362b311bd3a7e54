// Checks taskloop grainsize(g) (non-strict): every iteration runs once and each generated task gets at least min(g, trip count) and fewer than 2g iterations, over a range of trip counts and grain sizes, including trip counts below g; tasks are told apart by a firstprivate marker set in their first iteration.
// GOMP entry points: GOMP_taskloop (GOMP_TASK_FLAG_GRAINSIZE), GOMP_parallel, GOMP_single_start, GOMP_barrier.
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

/* Runs a taskloop over [0, n) with grainsize(g); checks its task sizes. */
static void run(int n, int g)
{
    for (int i = 0; i < n; i++)
        owner[i] = -1, hits[i] = 0, size_of[i] = 0;
    int first = -1;
#pragma omp taskloop grainsize(g) firstprivate(first)
    for (int i = 0; i < n; i++) {
        if (first < 0)
            first = i;
        owner[i] = first;
        __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
    }
    int bad_hits = 0, tasks = 0;
    for (int i = 0; i < n; i++) {
        bad_hits += hits[i] != 1;
        if (owner[i] >= 0 && owner[i] < n)
            size_of[owner[i]]++;
        else
            bad_hits++;
    }
    check(bad_hits, 0, "n=%d grainsize(%d): iterations not run once or without a task", n, g);
    int lo = g < n ? g : n;
    int min = n, max = 0;
    for (int i = 0; i < n; i++) {
        if (size_of[i] == 0)
            continue;
        tasks++;
        if (size_of[i] < min)
            min = size_of[i];
        if (size_of[i] > max)
            max = size_of[i];
    }
    if (n > 0 && min < lo)
        check(min, lo, "n=%d grainsize(%d): smallest task", n, g);
    if (n > 0 && max >= 2 * g)
        check(max, 2 * g - 1, "n=%d grainsize(%d): largest task", n, g);
    if (n > 0 && tasks < 1)
        check(tasks, 1, "n=%d grainsize(%d): tasks", n, g);
}

int main(void)
{
    static const int ns[] = {0, 1, 5, 16, 17, 33, 79, 100, 101, 255, 1000, 2999};
    static const int gs[] = {1, 2, 3, 7, 16, 17, 50, 64, 500, 5000};
#pragma omp parallel
#pragma omp single
    {
        for (unsigned a = 0; a < sizeof ns / sizeof ns[0]; a++)
            for (unsigned b = 0; b < sizeof gs / sizeof gs[0]; b++)
                run(ns[a], gs[b]);
    }
    /* Outside a parallel region too. */
    run(100, 7);
    run(5, 10);
    return failures > 100 ? 100 : failures;
}
