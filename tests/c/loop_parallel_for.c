// Checks combined `parallel for` loops with constant bounds, which GCC lowers to GOMP_parallel_loop_* (the runtime sets up the work share before the team starts): every schedule kind and modifier, num_threads/proc_bind/if clauses, exactly-once execution, chunk shapes, per-thread order for monotonic schedules, lastprivate.
// GOMP entry points: GOMP_parallel_loop_nonmonotonic_dynamic, GOMP_parallel_loop_nonmonotonic_guided, GOMP_parallel_loop_dynamic, GOMP_parallel_loop_guided, GOMP_parallel_loop_maybe_nonmonotonic_runtime, GOMP_parallel_loop_nonmonotonic_runtime, GOMP_parallel_loop_runtime, GOMP_loop_*_next for each, GOMP_loop_end_nowait.
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

#define MAXT 64
static int nthr[N]; /* team size seen by the thread that ran iteration i */
static long prevs[MAXT];
static int backs[MAXT];

static void reset_all(void)
{
    reset();
    for (int i = 0; i < N; i++)
        nthr[i] = 0;
    for (int t = 0; t < MAXT; t++)
        backs[t] = 0;
}

#define BODY(idx)                                                             \
    do {                                                                      \
        hits[idx]++;                                                          \
        owner[idx] = omp_get_thread_num();                                    \
        nthr[idx] = omp_get_num_threads();                                    \
    } while (0)

int main(void)
{
    long i;
    int x;

    reset_all();
#pragma omp parallel for schedule(dynamic) lastprivate(i)
    for (i = 0; i < N; i++)
        BODY(i);
    check_sched("dynamic", 2, 1, nthr[0]);
    check(i, N, "dynamic: lastprivate i");

    reset_all();
#pragma omp parallel for schedule(dynamic, 3) num_threads(3) proc_bind(close) lastprivate(x)
    for (long k = N - 1; k >= 0; k--) {
        BODY(N - 1 - k);
        x = (int)k;
    }
    check_sched("dynamic,3 num_threads(3)", 2, 3, nthr[0]);
    check(x, 0, "dynamic,3 num_threads(3): lastprivate x");
    for (int k = 0; k < N; k++)
        check(nthr[k], 3, "dynamic,3 num_threads(3): team size at iteration %d", k);

    reset_all();
#pragma omp parallel for schedule(guided) lastprivate(i)
    for (i = 5; i < 5 + 3 * N; i += 3)
        BODY((i - 5) / 3);
    check_sched("guided", 3, 1, nthr[0]);
    check(i, 5 + 3 * N, "guided: lastprivate i");

    reset_all();
#pragma omp parallel for schedule(guided, 5) lastprivate(i)
    for (i = -N; i < 0; i++)
        BODY(i + N);
    check_sched("guided,5", 3, 5, nthr[0]);
    check(i, 0, "guided,5: lastprivate i");

    /* monotonic: each thread's iterations increase; per-thread slots */
    reset_all();
    for (int t = 0; t < MAXT; t++)
        prevs[t] = -1;
#pragma omp parallel for schedule(monotonic : dynamic)
    for (int k = 0; k < N; k++) {
        int t = omp_get_thread_num() % MAXT;
        if (k <= prevs[t])
            backs[t]++;
        prevs[t] = k;
        BODY(k);
    }
    check_sched("monotonic:dynamic", 2, 1, nthr[0]);
    for (int t = 0; t < MAXT; t++)
        check(backs[t], 0, "monotonic:dynamic: thread %d saw iterations out of order", t);

    reset_all();
    for (int t = 0; t < MAXT; t++)
        prevs[t] = -1;
#pragma omp parallel for schedule(monotonic : guided, 7) lastprivate(i)
    for (i = 2 * N; i > 0; i -= 2) {
        int t = omp_get_thread_num() % MAXT;
        if ((2 * N - i) / 2 <= prevs[t])
            backs[t]++;
        prevs[t] = (2 * N - i) / 2;
        BODY((2 * N - i) / 2);
    }
    check_sched("monotonic:guided,7", 3, 7, nthr[0]);
    check(i, 0, "monotonic:guided,7: lastprivate i");
    for (int t = 0; t < MAXT; t++)
        check(backs[t], 0, "monotonic:guided,7: thread %d saw iterations out of order", t);

    /* runtime variants, with run-sched-var set to three different kinds */
    static const struct {
        omp_sched_t kind;
        int chunk;
    } rs[] = {{omp_sched_dynamic, 2}, {omp_sched_guided, 3}, {omp_sched_static, 4}};
    for (int s = 0; s < 3; s++) {
        char what[64];
        omp_set_schedule(rs[s].kind, rs[s].chunk);

        reset_all();
#pragma omp parallel for schedule(runtime) lastprivate(i)
        for (i = 0; i < N; i++)
            BODY(i);
        snprintf(what, sizeof what, "runtime (kind %d)", (int)rs[s].kind);
        check_sched(what, rs[s].kind, rs[s].chunk, nthr[0]);
        check(i, N, "%s: lastprivate i", what);

        reset_all();
#pragma omp parallel for schedule(nonmonotonic : runtime) lastprivate(i)
        for (i = 0; i < 3 * N; i += 3)
            BODY(i / 3);
        snprintf(what, sizeof what, "nonmonotonic:runtime (kind %d)", (int)rs[s].kind);
        check_sched(what, rs[s].kind == omp_sched_static ? 4 : (int)rs[s].kind, rs[s].chunk, nthr[0]);
        check(i, 3 * N, "%s: lastprivate i", what);

        reset_all();
#pragma omp parallel for schedule(monotonic : runtime) lastprivate(i)
        for (i = 2 * N; i > 0; i -= 2)
            BODY((2 * N - i) / 2);
        snprintf(what, sizeof what, "monotonic:runtime (kind %d)", (int)rs[s].kind);
        check_sched(what, rs[s].kind, rs[s].chunk, nthr[0]);
        check(i, 0, "%s: lastprivate i", what);
    }

    /* if(0): a team of one still runs every iteration */
    reset_all();
    volatile int cond = 0;
#pragma omp parallel for schedule(dynamic, 2) if (cond)
    for (int k = 0; k < N; k++)
        BODY(k);
    check_sched("if(0) dynamic,2", 2, 2, 1);
    check(nthr[N - 1], 1, "if(0): team size");

    return failures > 100 ? 100 : failures;
}
