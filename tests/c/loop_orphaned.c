// Checks orphaned work-sharing loops: `for` constructs in a function called from a parallel region (bind to that team) and called outside any region (team of one), and `parallel for` in a function called from inside a parallel region (inactive nested team, then active nesting with max-active-levels 2): exactly-once execution and lastprivate.
// GOMP entry points: GOMP_parallel, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_nonmonotonic_guided_start/_next, GOMP_loop_maybe_nonmonotonic_runtime_start/_next, GOMP_loop_ordered_static_start/_next, GOMP_ordered_start/_end, GOMP_parallel_loop_nonmonotonic_dynamic, GOMP_loop_end, GOMP_loop_end_nowait.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

/* Called outside parallel regions (or by one thread at a time). */
static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    if (++failures > 30)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define N 300
#define MAXT 8

static int hits[MAXT][N];
static int seq[N], nseq;
static long lastv;

static void clear(void)
{
    for (int t = 0; t < MAXT; t++)
        for (int i = 0; i < N; i++)
            hits[t][i] = 0;
    nseq = 0;
}

/* Orphaned loops: they bind to whatever team the caller is in. */
static void work(int n)
{
    /* lastv is a file-scope (shared) variable */
#pragma omp for schedule(dynamic, 4) lastprivate(lastv)
    for (lastv = 0; lastv < n; lastv++)
        hits[0][lastv]++;
#pragma omp for schedule(guided) nowait
    for (int k = n - 1; k >= 0; k--)
        hits[1][k]++;
#pragma omp for schedule(runtime)
    for (int k = 0; k < n; k++)
        hits[2][k]++;
#pragma omp for ordered schedule(static)
    for (int k = 0; k < n; k++) {
        hits[3][k]++;
#pragma omp ordered
        seq[nseq++] = k;
    }
}

/* A combined parallel for: nested when called from a region. */
static void inner(int row, int n)
{
#pragma omp parallel for schedule(dynamic, 3) num_threads(2)
    for (int k = 0; k < 64; k++)
        hits[4 + row % 4][k + 64 * (n % 4)]++;
}

static void check_work(const char *what)
{
    for (int l = 0; l < 4; l++)
        for (int i = 0; i < N; i++)
            check(hits[l][i], 1, "%s: loop %d hits[%d]", what, l, i);
    check(lastv, N, "%s: lastprivate i", what);
    check(nseq, N, "%s: ordered regions", what);
    for (int i = 0; i < N; i++)
        check(seq[i], i, "%s: ordered region %d", what, i);
}

static volatile int vn = N;

int main(void)
{
    /* orphaned, from a parallel region */
    clear();
#pragma omp parallel
    work(vn);
    check_work("orphaned in region");

    /* orphaned, no enclosing region: the encountering thread does it all */
    clear();
    work(vn);
    check_work("orphaned, serial");

    /* parallel for in a function called by every thread of a region:
       each call is its own (inactive, team of one) nested region */
    clear();
#pragma omp parallel
    {
        /* each outer thread t does rows t, t+nthr, ... */
        for (int r = omp_get_thread_num(); r < 4; r += omp_get_num_threads())
            for (int c = 0; c < 4; c++)
                inner(r, c);
    }
    for (int r = 0; r < 4; r++)
        for (int i = 0; i < 256; i++)
            check(hits[4 + r][i], 1, "nested parallel for (inactive): row %d hits[%d]", r, i);

    /* the same with active nesting */
    clear();
    omp_set_max_active_levels(2);
#pragma omp parallel num_threads(2)
    {
        for (int r = omp_get_thread_num(); r < 4; r += omp_get_num_threads())
            for (int c = 0; c < 4; c++)
                inner(r, c);
    }
    for (int r = 0; r < 4; r++)
        for (int i = 0; i < 256; i++)
            check(hits[4 + r][i], 1, "nested parallel for (active): row %d hits[%d]", r, i);

    return failures > 100 ? 100 : failures;
}
