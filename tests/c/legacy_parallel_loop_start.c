// Checks the GOMP_1.0 split combined-loop ABI called directly: GOMP_parallel_loop_{dynamic,guided,static,runtime}_start set up the team and the loop, every thread (the caller included) fetches chunks with GOMP_loop_*_next and ends with GOMP_loop_end_nowait, then GOMP_parallel_end; every iteration runs exactly once for up and down counting loops, chunk sizes are respected, static chunks go round-robin, and empty loops give no chunk.
// GOMP entry points: GOMP_parallel_loop_dynamic_start, GOMP_parallel_loop_guided_start, GOMP_parallel_loop_static_start, GOMP_parallel_loop_runtime_start, GOMP_loop_dynamic_next, GOMP_loop_guided_next, GOMP_loop_static_next, GOMP_loop_runtime_next, GOMP_loop_end_nowait, GOMP_parallel_end.
#include <omp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef void (*body_fn)(void *);
extern void GOMP_parallel_loop_dynamic_start(body_fn, void *, unsigned, long, long, long, long);
extern void GOMP_parallel_loop_guided_start(body_fn, void *, unsigned, long, long, long, long);
extern void GOMP_parallel_loop_static_start(body_fn, void *, unsigned, long, long, long, long);
extern void GOMP_parallel_loop_runtime_start(body_fn, void *, unsigned, long, long, long);
extern bool GOMP_loop_dynamic_next(long *, long *);
extern bool GOMP_loop_guided_next(long *, long *);
extern bool GOMP_loop_static_next(long *, long *);
extern bool GOMP_loop_runtime_next(long *, long *);
extern void GOMP_loop_end_nowait(void);
extern void GOMP_parallel_end(void);

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

struct loop {
    bool (*next)(long *, long *);
    long start, end, incr, chunk; /* chunk 0: do not check chunk sizes */
    int hits[N];
    int owner[N];
    int bad_index;
    int oversized_chunks;
    int threads;
    int team[MAXT];
};

static long idx_of(const struct loop *l, long i)
{
    return (i - l->start) / l->incr;
}

static void body(void *p)
{
    struct loop *l = p;
    int me = omp_get_thread_num();
    if (me == 0)
        l->threads = omp_get_num_threads();
    if (me >= 0 && me < MAXT)
        l->team[me] = 1;
    long s, e;
    while (l->next(&s, &e)) {
        long len = (e - s) / l->incr;
        if (l->chunk > 0 && len > l->chunk)
            __atomic_fetch_add(&l->oversized_chunks, 1, __ATOMIC_RELAXED);
        for (long i = s; l->incr > 0 ? i < e : i > e; i += l->incr) {
            long k = idx_of(l, i);
            if (k < 0 || k >= N) {
                __atomic_fetch_add(&l->bad_index, 1, __ATOMIC_RELAXED);
                continue;
            }
            __atomic_fetch_add(&l->hits[k], 1, __ATOMIC_RELAXED);
            l->owner[k] = me;
        }
    }
    GOMP_loop_end_nowait();
}

static struct loop L;

static void prepare(bool (*next)(long *, long *), long start, long end, long incr, long chunk)
{
    memset(&L, 0, sizeof L);
    L.next = next;
    L.start = start;
    L.end = end;
    L.incr = incr;
    L.chunk = chunk;
    for (int k = 0; k < N; k++)
        L.owner[k] = -1;
}

static void verify(const char *what, long count, int want_threads)
{
    for (long k = 0; k < N; k++)
        check(L.hits[k], k < count, "%s: hits of logical iteration %ld", what, k);
    check(L.bad_index, 0, "%s: iterations outside the loop", what);
    check(L.oversized_chunks, 0, "%s: chunks larger than the chunk size", what);
    check(L.threads, want_threads, "%s: team size", what);
    int distinct = 0;
    for (int t = 0; t < MAXT; t++)
        distinct += L.team[t];
    check(distinct, want_threads, "%s: threads that ran the body", what);
}

int main(void)
{
    int def = omp_get_max_threads();

    /* dynamic, up, chunk 4, default team */
    prepare(GOMP_loop_dynamic_next, 0, N, 1, 4);
    GOMP_parallel_loop_dynamic_start(body, &L, 0, 0, N, 1, 4);
    body(&L);
    GOMP_parallel_end();
    verify("dynamic 0..N step 1 chunk 4", N, def);

    /* dynamic, down by 3, chunk 1, 3 threads */
    prepare(GOMP_loop_dynamic_next, 3 * N - 1, -1, -3, 1);
    GOMP_parallel_loop_dynamic_start(body, &L, 3, 3 * N - 1, -1, -3, 1);
    body(&L);
    GOMP_parallel_end();
    verify("dynamic down by 3 chunk 1", N, 3);

    /* dynamic, many regions in a row */
    for (int r = 0; r < 10; r++) {
        prepare(GOMP_loop_dynamic_next, 10, 10 + 7 * 100, 7, 9);
        GOMP_parallel_loop_dynamic_start(body, &L, 2, 10, 10 + 7 * 100, 7, 9);
        body(&L);
        GOMP_parallel_end();
        verify("dynamic repeated", 100, 2);
    }

    /* empty loop */
    prepare(GOMP_loop_dynamic_next, 5, 5, 1, 2);
    GOMP_parallel_loop_dynamic_start(body, &L, 2, 5, 5, 1, 2);
    body(&L);
    GOMP_parallel_end();
    verify("dynamic empty", 0, 2);

    /* guided, chunk 5 is a minimum, so no size check */
    prepare(GOMP_loop_guided_next, 0, N, 1, 0);
    GOMP_parallel_loop_guided_start(body, &L, 4, 0, N, 1, 5);
    body(&L);
    GOMP_parallel_end();
    verify("guided chunk 5", N, 4);

    /* static, chunk 10: round-robin owners */
    prepare(GOMP_loop_static_next, 0, 2 * N, 2, 10);
    GOMP_parallel_loop_static_start(body, &L, 3, 0, 2 * N, 2, 10);
    body(&L);
    GOMP_parallel_end();
    verify("static chunk 10", N, 3);
    for (long k = 0; k < N; k++)
        check(L.owner[k], (k / 10) % 3, "static chunk 10: owner of iteration %ld", k);

    /* static, no chunk (0): one contiguous block per thread, in order */
    prepare(GOMP_loop_static_next, 0, N, 1, 0);
    GOMP_parallel_loop_static_start(body, &L, 4, 0, N, 1, 0);
    body(&L);
    GOMP_parallel_end();
    verify("static no chunk", N, 4);
    for (long k = 1; k < N; k++)
        check(L.owner[k] >= L.owner[k - 1], 1, "static no chunk: owner order at %ld", k);

    /* runtime, with the run-sched-var set to dynamic,3 then static */
    omp_set_schedule(omp_sched_dynamic, 3);
    prepare(GOMP_loop_runtime_next, 0, N, 1, 3);
    GOMP_parallel_loop_runtime_start(body, &L, 2, 0, N, 1);
    body(&L);
    GOMP_parallel_end();
    verify("runtime dynamic,3", N, 2);
    omp_set_schedule(omp_sched_static, 1);
    prepare(GOMP_loop_runtime_next, 0, N, 1, 1);
    GOMP_parallel_loop_runtime_start(body, &L, 2, 0, N, 1);
    body(&L);
    GOMP_parallel_end();
    verify("runtime static,1", N, 2);
    for (long k = 0; k < N; k++)
        check(L.owner[k], k % 2, "runtime static,1: owner of iteration %ld", k);

    check(omp_get_level(), 0, "level after the split regions");
    return failures > 100 ? 100 : failures;
}
