/* The body of the loop_runtime_env_*.c tests: each of them defines SCHED,
   KIND, CHUNK, MONOTONIC and EXTRA() for its OMP_SCHEDULE value, then
   includes this file. */
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

#define N 1000

static int hits[N];
static int owner[N];

static void reset(void)
{
    for (int i = 0; i < N; i++) {
        hits[i] = 0;
        owner[i] = -1;
    }
}

/* Checks hits[]/owner[] against what the OpenMP spec guarantees for a
   schedule of this kind (1 static, 2 dynamic, 3 guided, 4 auto) and chunk
   (0 = none) in a team of nthr threads. */
static void check_sched(const char *what, int kind, int chunk, int nthr)
{
    for (int i = 0; i < N; i++)
        check(hits[i], 1, "%s: hits[%d]", what, i);
    if (kind == 1 && chunk > 0) {
        /* chunks round-robin in thread-number order */
        for (int i = 0; i < N; i++)
            check(owner[i], (i / chunk) % nthr, "%s: owner of iteration %d", what, i);
    } else if (kind == 1) {
        /* at most one contiguous block per thread, in thread order, sizes
           approximately equal (here: within one) */
        long size[64] = {0};
        for (int i = 0; i < N; i++) {
            if (i > 0 && owner[i] < owner[i - 1])
                check(owner[i], owner[i - 1], "%s: owner of iteration %d goes back", what, i);
            if (owner[i] >= 0 && owner[i] < 64)
                size[owner[i]]++;
        }
        long mn = N, mx = 0;
        for (int t = 0; t < nthr && t < 64; t++) {
            mn = size[t] < mn ? size[t] : mn;
            mx = size[t] > mx ? size[t] : mx;
        }
        check(mx - mn <= 1, 1, "%s: static block sizes differ by %ld", what, mx - mn);
    } else if (kind == 2) {
        int c = chunk < 1 ? 1 : chunk;
        for (int i = 0; i < N; i++)
            if (i % c != 0)
                check(owner[i], owner[i - i % c], "%s: owner of %d vs start of its chunk", what, i);
    } else if (kind == 3) {
        int c = chunk < 1 ? 1 : chunk, start = 0;
        for (int i = 0; i < N; i++)
            if (i + 1 == N || owner[i + 1] != owner[i]) {
                if (i + 1 < N)
                    check(i + 1 - start >= c, 1, "%s: run [%d,%d] shorter than %d", what, start, i, c);
                start = i + 1;
            }
    }
}


static volatile int vn = N;
static volatile unsigned long long vbase = 1000000ULL;
static int nthr, back;

/* 0: schedule(runtime), 1: monotonic:runtime, 2: nonmonotonic:runtime,
   3: schedule(runtime) over an unsigned long long variable */
static long run(int variant)
{
    int n = vn;
    long i = 0;
    unsigned long long u = 0, base = vbase;
#pragma omp parallel reduction(+ : back)
    {
        long prev = -1;
        switch (variant) {
        case 0:
#pragma omp for schedule(runtime) lastprivate(i)
            for (i = 0; i < n; i++) {
                if (i <= prev)
                    back++;
                prev = i;
                hits[i]++;
                owner[i] = omp_get_thread_num();
            }
            break;
        case 1:
#pragma omp for schedule(monotonic : runtime) lastprivate(i)
            for (i = 2L * n; i > 0; i -= 2) {
                long idx = (2L * n - i) / 2;
                if (idx <= prev)
                    back++;
                prev = idx;
                hits[idx]++;
                owner[idx] = omp_get_thread_num();
            }
            break;
        case 2:
#pragma omp for schedule(nonmonotonic : runtime) lastprivate(i)
            for (i = 5; i < 5 + 3L * n; i += 3) {
                hits[(i - 5) / 3]++;
                owner[(i - 5) / 3] = omp_get_thread_num();
            }
            break;
        case 3:
#pragma omp for schedule(runtime) lastprivate(u)
            for (u = base; u < base + (unsigned long long)n; u++) {
                long idx = (long)(u - base);
                if (idx <= prev)
                    back++;
                prev = idx;
                hits[idx]++;
                owner[idx] = omp_get_thread_num();
            }
            break;
        }
#pragma omp single
        nthr = omp_get_num_threads();
    }
    if (variant == 3)
        return (long)(u - base);
    return i;
}

int main(void)
{
    static const char *names[] = {"runtime", "monotonic:runtime", "nonmonotonic:runtime", "ull runtime"};
    static const long want_last[] = {N, 0, 5 + 3L * N, N};
    omp_sched_t k;
    int c;
    omp_get_schedule(&k, &c);
    check(k & ~omp_sched_monotonic, KIND, "omp_get_schedule kind");
    if (CHUNK >= 0)
        check(c, CHUNK, "omp_get_schedule chunk");
    for (int v = 0; v < 4; v++) {
        char what[80];
        snprintf(what, sizeof what, "%s under OMP_SCHEDULE=%s", names[v], SCHED);
        reset();
        back = 0;
        long last = run(v);
        /* nonmonotonic:runtime may assign static chunks in any order */
        check_sched(what, v == 2 && KIND == 1 ? 4 : KIND, CHUNK < 0 ? 0 : CHUNK, nthr);
        if (v == 1 || MONOTONIC)
            check(back, 0, "%s: iterations seen out of order by a thread", what);
        check(last, want_last[v], "%s: lastprivate", what);
    }
    EXTRA();
    return failures > 100 ? 100 : failures;
}
