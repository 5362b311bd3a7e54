// Checks `ordered` regions in work-sharing loops under every schedule (static with and without a chunk, dynamic, guided, runtime, auto), with positive, negative and non-unit steps, unsigned long long bounds, iterations that skip their ordered region, and the combined `parallel for ordered`: every iteration runs once, and the ordered regions run one at a time in iteration order.
// GOMP entry points: GOMP_parallel, GOMP_loop_ordered_static_start/_next, GOMP_loop_ordered_dynamic_start/_next, GOMP_loop_ordered_guided_start/_next, GOMP_loop_ordered_runtime_start/_next, GOMP_loop_ull_ordered_static_start/_next, GOMP_loop_ull_ordered_dynamic_start/_next, GOMP_loop_ull_ordered_guided_start/_next, GOMP_ordered_start/_end, GOMP_loop_end.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

/* Called by one thread at a time. */
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

#define N 257

static int hits[N];
static long seq[N];
static int nseq;
static int inside; /* threads inside an ordered region right now */
static int overlap; /* times a thread found another one inside */

static void reset(void)
{
    for (int i = 0; i < N; i++) {
        hits[i] = 0;
        seq[i] = -1;
    }
    nseq = 0;
    inside = 0;
    overlap = 0;
}

/* The body of an ordered region: record the iteration, and that no other
 * thread is inside an ordered region of the same loop at the same time. */
static void record(long i)
{
    if (__atomic_fetch_add(&inside, 1, __ATOMIC_ACQ_REL) != 0)
        __atomic_fetch_add(&overlap, 1, __ATOMIC_RELAXED);
    if (nseq < N)
        seq[nseq] = i;
    nseq++;
    /* A little work, so that a region that is not exclusive shows. */
    for (volatile int k = 0; k < 20; k++)
        ;
    __atomic_fetch_sub(&inside, 1, __ATOMIC_ACQ_REL);
}

/* Every iteration ran once; the ordered regions ran alone, for the
 * iterations `want[0..n)` in that order. */
static void verify(const char *what, const long *want, int n)
{
    for (int i = 0; i < N; i++)
        check(hits[i], 1, "%s: iteration %d ran", what, i);
    check(overlap, 0, "%s: ordered regions overlapping", what);
    check(nseq, n, "%s: ordered regions", what);
    for (int k = 0; k < n && k < N; k++)
        check(seq[k], want[k], "%s: ordered region %d", what, k);
}

static long up[N], down[N];
static volatile unsigned long long ull_base = 0x8000000000000000ULL + 11;

#define ORDERED_LOOP(what, sched)                                        \
    do {                                                                 \
        reset();                                                         \
        _Pragma("omp parallel")                                          \
        {                                                                \
            _Pragma(sched)                                               \
            for (long i = 0; i < N; i++) {                               \
                __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);       \
                _Pragma("omp ordered")                                   \
                record(i);                                               \
            }                                                            \
        }                                                                \
        verify(what, up, N);                                             \
    } while (0)

/* Over unsigned long long bounds from `base`. */
#define ULL_LOOP(sched)                                                  \
    _Pragma("omp parallel")                                              \
    {                                                                    \
        _Pragma(sched)                                                   \
        for (unsigned long long u = base; u < base + N; u++) {           \
            __atomic_fetch_add(&hits[u - base], 1, __ATOMIC_RELAXED);    \
            _Pragma("omp ordered")                                       \
            record((long)(u - base));                                    \
        }                                                                \
    }

/* Only every third iteration runs its ordered region. */
#define SKIP_LOOP(sched)                                                 \
    _Pragma("omp parallel")                                              \
    {                                                                    \
        _Pragma(sched)                                                   \
        for (long i = 0; i < N; i++) {                                   \
            __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);           \
            if (i % 3 == 0) {                                            \
                _Pragma("omp ordered")                                   \
                record(i);                                               \
            }                                                            \
        }                                                                \
    }

int main(void)
{
    for (int i = 0; i < N; i++) {
        up[i] = i;
        down[i] = N - 1 - i;
    }

    ORDERED_LOOP("static", "omp for ordered schedule(static)");
    ORDERED_LOOP("static,1", "omp for ordered schedule(static, 1)");
    ORDERED_LOOP("static,7", "omp for ordered schedule(static, 7)");
    ORDERED_LOOP("dynamic", "omp for ordered schedule(dynamic)");
    ORDERED_LOOP("dynamic,5", "omp for ordered schedule(dynamic, 5)");
    ORDERED_LOOP("guided", "omp for ordered schedule(guided)");
    ORDERED_LOOP("guided,4", "omp for ordered schedule(guided, 4)");
    ORDERED_LOOP("auto", "omp for ordered schedule(auto)");
    ORDERED_LOOP("monotonic:dynamic,3", "omp for ordered schedule(monotonic: dynamic, 3)");

    /* schedule(runtime) under each kind omp_set_schedule can set. */
    static const omp_sched_t kinds[] = {omp_sched_static, omp_sched_dynamic, omp_sched_guided,
                                        omp_sched_auto};
    for (int k = 0; k < 4; k++)
        for (int chunk = 0; chunk <= 3; chunk += 3) {
            char what[64];
            snprintf(what, sizeof what, "runtime kind %d chunk %d", (int)kinds[k], chunk);
            omp_set_schedule(kinds[k], chunk);
            ORDERED_LOOP(what, "omp for ordered schedule(runtime)");
        }

    /* Negative step: the ordered regions run from N-1 down to 0. */
    reset();
#pragma omp parallel
    {
#pragma omp for ordered schedule(dynamic, 3)
        for (long i = N - 1; i >= 0; i--) {
            __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
#pragma omp ordered
            record(i);
        }
    }
    verify("negative step", down, N);

    /* Step 3 over [0, 3N): iteration i is index i / 3. */
    reset();
#pragma omp parallel
    {
#pragma omp for ordered schedule(guided, 2)
        for (long i = 0; i < 3 * N; i += 3) {
            __atomic_fetch_add(&hits[i / 3], 1, __ATOMIC_RELAXED);
#pragma omp ordered
            record(i / 3);
        }
    }
    verify("step 3", up, N);

    /* Only every third iteration has its ordered region: the others skip
     * it, and must not hold the rest up. */
    {
        static long thirds[N];
        int n = 0;
        for (int i = 0; i < N; i++)
            if (i % 3 == 0)
                thirds[n++] = i;
        const char *names[] = {"skip static,1", "skip dynamic,2", "skip guided"};
        for (int v = 0; v < 3; v++) {
            reset();
            if (v == 0) {
                SKIP_LOOP("omp for ordered schedule(static, 1)")
            } else if (v == 1) {
                SKIP_LOOP("omp for ordered schedule(dynamic, 2)")
            } else {
                SKIP_LOOP("omp for ordered schedule(guided)")
            }
            verify(names[v], thirds, n);
        }
    }

    /* unsigned long long bounds above 2^63. */
    {
        /* Read at run time: with constant bounds GCC counts the
         * iterations itself and may call the `long` entry points. */
        const unsigned long long base = ull_base;
        const char *names[] = {"ull static,2", "ull dynamic,3", "ull guided"};
        for (int v = 0; v < 3; v++) {
            reset();
            if (v == 0) {
                ULL_LOOP("omp for ordered schedule(static, 2)")
            } else if (v == 1) {
                ULL_LOOP("omp for ordered schedule(dynamic, 3)")
            } else {
                ULL_LOOP("omp for ordered schedule(guided)")
            }
            verify(names[v], up, N);
        }
    }

    /* Two ordered loops back to back with nowait: pomp-only, see
     * tests/pomp-only/ordered_nowait_pair.c (libgomp fails it). */

    reset();
#pragma omp parallel for ordered schedule(dynamic, 2)
    for (long i = 0; i < N; i++) {
        __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
#pragma omp ordered
        record(i);
    }
    verify("parallel for ordered", up, N);

    if (failures)
        printf("%d failure(s)\n", failures);
    return failures > 100 ? 100 : failures;
}
