// Checks schedule(static) with no chunk, chunk 1 and chunk 7, and schedule(auto): every iteration runs exactly once, static chunks go to threads round-robin in thread-number order, and lastprivate/loop-variable values after the loop.
// GOMP entry points: GOMP_parallel, GOMP_barrier (GCC open-codes static and auto loops with omp_get_num_threads/omp_get_thread_num).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define N 1000
#define MAXT 64

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

static int hits[N];
static int owner[N];

static void reset(void)
{
    for (int i = 0; i < N; i++) {
        hits[i] = 0;
        owner[i] = -1;
    }
}

static void check_once(const char *what)
{
    for (int i = 0; i < N; i++)
        check(hits[i], 1, "%s: hits[%d]", what, i);
}

/* Chunk k of size c goes to thread k % nthr. */
static void check_round_robin(const char *what, int c, int nthr)
{
    for (int i = 0; i < N; i++)
        check(owner[i], (i / c) % nthr, "%s: owner of iteration %d", what, i);
}

/* No chunk: at most one contiguous block per thread, in thread order,
   block sizes differing by at most one. */
static void check_blocks(const char *what, int nthr)
{
    int prev = -1;
    long size[MAXT] = {0};
    for (int i = 0; i < N; i++) {
        int o = owner[i];
        if (o < prev)
            check(o, prev, "%s: owner of iteration %d goes back", what, i);
        prev = o;
        if (o >= 0 && o < MAXT)
            size[o]++;
    }
    long mn = N, mx = 0;
    for (int t = 0; t < nthr && t < MAXT; t++) {
        if (size[t] < mn)
            mn = size[t];
        if (size[t] > mx)
            mx = size[t];
    }
    check(mx - mn <= 1, 1, "%s: block sizes differ by %ld", what, mx - mn);
}

int main(void)
{
    int nthr = 1;
    int i_last = -1, x_last = -1;

    /* schedule(static), no chunk */
    reset();
    int i;
#pragma omp parallel shared(nthr, i)
    {
#pragma omp single
        nthr = omp_get_num_threads();
#pragma omp for schedule(static) lastprivate(i)
        for (i = 0; i < N; i++) {
            hits[i]++;
            owner[i] = omp_get_thread_num();
        }
    }
    i_last = i;
    check_once("static");
    check_blocks("static", nthr);
    check(i_last, N, "static: lastprivate loop variable");

    /* schedule(static, 1) */
    reset();
    int x = -5;
#pragma omp parallel
    {
#pragma omp for schedule(static, 1) lastprivate(x)
        for (int i = 0; i < N; i++) {
            hits[i]++;
            owner[i] = omp_get_thread_num();
            x = 3 * i;
        }
    }
    x_last = x;
    check_once("static,1");
    check_round_robin("static,1", 1, nthr);
    check(x_last, 3 * (N - 1), "static,1: lastprivate x");

    /* schedule(static, 7), 3 threads, loop counting down by 2 */
    reset();
    int nthr3 = 0, k_last = 0, k;
#pragma omp parallel num_threads(3)
    {
#pragma omp for schedule(static, 7) lastprivate(k)
        for (k = 2 * N - 1; k >= 0; k -= 2) {
            int idx = (2 * N - 1 - k) / 2;
            hits[idx]++;
            owner[idx] = omp_get_thread_num();
        }
#pragma omp single
        nthr3 = omp_get_num_threads();
    }
    k_last = k;
    check_once("static,7");
    check_round_robin("static,7", 7, nthr3);
    check(k_last, -1, "static,7: lastprivate k");

    /* schedule(auto): only "exactly once" is specified */
    reset();
    long l_last = 0, l;
#pragma omp parallel
    {
#pragma omp for schedule(auto) lastprivate(l)
        for (l = 5; l < 5 + 3L * N; l += 3)
            hits[(l - 5) / 3]++;
        /* Something after the loop keeps GCC from combining it into
           GOMP_parallel_loop_static (see loop_auto_combined.c). */
        owner[omp_get_thread_num() % N] = 0;
    }
    l_last = l;
    for (int t = 0; t < N; t++)
        owner[t] = -1;
    check_once("auto");
    check(l_last, 5 + 3L * N, "auto: lastprivate l");

    /* static nowait followed by a second static loop with the same trip
       count: the same thread gets the same logical iterations. */
    reset();
    int mismatch = 0;
#pragma omp parallel reduction(+:mismatch)
    {
#pragma omp for schedule(static) nowait
        for (int i = 0; i < N; i++)
            owner[i] = omp_get_thread_num();
#pragma omp for schedule(static)
        for (int i = 100; i < N + 100; i++) {
            hits[i - 100]++;
            if (owner[i - 100] != omp_get_thread_num())
                mismatch++;
        }
    }
    check_once("static reuse");
    check(mismatch, 0, "static reuse: iterations that changed thread");

    return failures > 100 ? 100 : failures;
}
