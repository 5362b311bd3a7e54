// Checks doacross loops (`ordered(n)` with `depend(sink:)` and `depend(source)`): a one-dimensional chain under every schedule, two- and three-dimensional wavefronts with sinks before and after the current inner iteration, sinks outside the iteration space, negative and non-unit steps, and unsigned long long bounds; each loop computes what the sequential loop computes, and no iteration runs before an iteration it waits for.
// GOMP entry points: GOMP_parallel, GOMP_loop_doacross_static_start, GOMP_loop_doacross_dynamic_start, GOMP_loop_doacross_guided_start, GOMP_loop_doacross_runtime_start, GOMP_loop_ull_doacross_static_start, GOMP_loop_ull_doacross_dynamic_start, GOMP_loop_ull_doacross_guided_start, GOMP_loop_*_next, GOMP_doacross_post, GOMP_doacross_wait, GOMP_doacross_ull_post, GOMP_doacross_ull_wait, GOMP_loop_end, GOMP_loop_end_nowait.
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

#define N 300
#define M 1000003L

/* done[i] is set once iteration i has finished; an iteration that finds an
 * iteration it waits for not yet done counts an early start. */
static int done[N];
static int early;

static void reset(void)
{
    for (int i = 0; i < N; i++)
        done[i] = 0;
    early = 0;
}

static void needs(int i)
{
    if (!__atomic_load_n(&done[i], __ATOMIC_ACQUIRE))
        __atomic_fetch_add(&early, 1, __ATOMIC_RELAXED);
}

static void finish(int i)
{
    __atomic_store_n(&done[i], 1, __ATOMIC_RELEASE);
}

static long a[N], want_a[N];

#define CHAIN(what, sched)                                               \
    do {                                                                 \
        reset();                                                         \
        for (int i = 0; i < N; i++)                                      \
            a[i] = 0;                                                    \
        a[0] = 1;                                                        \
        finish(0);                                                       \
        _Pragma("omp parallel")                                          \
        {                                                                \
            _Pragma(sched)                                               \
            for (long i = 1; i < N; i++) {                               \
                _Pragma("omp ordered depend(sink : i - 1)")              \
                needs(i - 1);                                            \
                a[i] = (a[i - 1] * 3 + i) % M;                           \
                finish(i);                                               \
                _Pragma("omp ordered depend(source)")                    \
            }                                                            \
        }                                                                \
        check(early, 0, "%s: iterations started early", what);           \
        for (int i = 0; i < N; i++)                                      \
            check(a[i], want_a[i], "%s: a[%d]", what, i);                \
    } while (0)

static volatile unsigned long long ull_base = 0x8000000000000000ULL + 5;

#define NI 24
#define NJ 20
static long b[NI][NJ], want_b[NI][NJ];
static int bdone[NI][NJ], bearly;

/* One run of the 2-d wavefront below under schedule `sched`. */
#define WAVE(sched)                                                              \
    _Pragma("omp parallel")                                                      \
    {                                                                            \
        _Pragma(sched)                                                           \
        for (int i = 0; i < NI; i++)                                             \
            for (int j = 0; j < NJ; j++) {                                       \
                _Pragma("omp ordered depend(sink : i - 1, j + 1) depend(sink : i, j - 1)") \
                if (i > 0 && j + 1 < NJ &&                                       \
                    !__atomic_load_n(&bdone[i - 1][j + 1], __ATOMIC_ACQUIRE))    \
                    __atomic_fetch_add(&bearly, 1, __ATOMIC_RELAXED);            \
                long up = i > 0 && j + 1 < NJ ? b[i - 1][j + 1] : 1;             \
                long left = j > 0 ? b[i][j - 1] : 2;                             \
                b[i][j] = (up * 7 + left + i * NJ + j) % M;                      \
                __atomic_store_n(&bdone[i][j], 1, __ATOMIC_RELEASE);             \
                _Pragma("omp ordered depend(source)")                            \
            }                                                                    \
    }

/* One run of the unsigned long long chain below under schedule `sched`. */
#define ULL_CHAIN(sched)                                                         \
    _Pragma("omp parallel")                                                      \
    {                                                                            \
        _Pragma(sched)                                                           \
        for (unsigned long long u = base + 1; u < base + N; u++) {               \
            _Pragma("omp ordered depend(sink : u - 1)")                          \
            long i = (long)(u - base);                                           \
            needs(i - 1);                                                        \
            a[i] = (a[i - 1] * 3 + i) % M;                                       \
            finish(i);                                                           \
            _Pragma("omp ordered depend(source)")                                \
        }                                                                        \
    }

#define NK 6
static long c[8][NJ][NK], want_c[8][NJ][NK];

int main(void)
{
    want_a[0] = 1;
    for (int i = 1; i < N; i++)
        want_a[i] = (want_a[i - 1] * 3 + i) % M;

    CHAIN("static", "omp for ordered(1) schedule(static)");
    CHAIN("static,1", "omp for ordered(1) schedule(static, 1)");
    CHAIN("static,8", "omp for ordered(1) schedule(static, 8)");
    CHAIN("dynamic", "omp for ordered(1) schedule(dynamic)");
    CHAIN("dynamic,3", "omp for ordered(1) schedule(dynamic, 3)");
    CHAIN("guided", "omp for ordered(1) schedule(guided)");
    CHAIN("guided,5", "omp for ordered(1) schedule(guided, 5)");
    omp_set_schedule(omp_sched_dynamic, 2);
    CHAIN("runtime dynamic,2", "omp for ordered(1) schedule(runtime)");
    omp_set_schedule(omp_sched_static, 0);
    CHAIN("runtime static", "omp for ordered(1) schedule(runtime)");
    omp_set_schedule(omp_sched_guided, 3);
    CHAIN("runtime guided,3", "omp for ordered(1) schedule(runtime)");

    /* Negative step: iteration i waits for i + 1 (the sink of i = N - 1,
     * at N, is outside the iteration space and is ignored). */
    reset();
    for (int i = 0; i < N; i++)
        a[i] = 0;
#pragma omp parallel
    {
#pragma omp for ordered(1) schedule(dynamic, 2)
        for (long i = N - 1; i >= 0; i--) {
#pragma omp ordered depend(sink : i + 1)
            if (i + 1 < N)
                needs(i + 1);
            a[i] = i + 1 < N ? (a[i + 1] * 3 + i) % M : 1;
            finish(i);
#pragma omp ordered depend(source)
        }
    }
    check(early, 0, "negative step: iterations started early");
    {
        long w = 1;
        check(a[N - 1], w, "negative step: a[%d]", N - 1);
        for (int i = N - 2; i >= 0; i--) {
            w = (w * 3 + i) % M;
            check(a[i], w, "negative step: a[%d]", i);
        }
    }

    /* Step 3: iteration i waits for i - 3 (the first one's sink, -3, is
     * outside the space). Also a sink two iterations back, i - 6. */
    reset();
    for (int i = 0; i < N; i++)
        a[i] = 0;
#pragma omp parallel
    {
#pragma omp for ordered(1) schedule(static, 1)
        for (long i = 0; i < 3 * N; i += 3) {
#pragma omp ordered depend(sink : i - 3) depend(sink : i - 6)
            long k = i / 3;
            if (k > 0)
                needs(k - 1);
            if (k > 1)
                needs(k - 2);
            a[k] = k > 0 ? (a[k - 1] * 3 + k) % M : 1;
            finish(k);
#pragma omp ordered depend(source)
        }
    }
    check(early, 0, "step 3: iterations started early");
    for (int i = 0; i < N; i++)
        check(a[i], want_a[i], "step 3: a[%d]", i);

    /* unsigned long long, above 2^63: starts at base + 1, so that the first
     * iteration's sink (base) is outside the space. */
    {
        /* Read at run time: with constant bounds GCC counts the
         * iterations itself and calls the `long` entry points. */
        const unsigned long long base = ull_base;
        const char *names[] = {"ull static,1", "ull dynamic,4", "ull guided"};
        for (int v = 0; v < 3; v++) {
            reset();
            for (int i = 0; i < N; i++)
                a[i] = 0;
            a[0] = 1;
            finish(0);
            if (v == 0) {
                ULL_CHAIN("omp for ordered(1) schedule(static, 1)")
            } else if (v == 1) {
                ULL_CHAIN("omp for ordered(1) schedule(dynamic, 4)")
            } else {
                ULL_CHAIN("omp for ordered(1) schedule(guided)")
            }
            check(early, 0, "%s: iterations started early", names[v]);
            for (int i = 0; i < N; i++)
                check(a[i], want_a[i], "%s: a[%d]", names[v], i);
        }
    }

    /* Two dimensions: (i, j) waits for (i - 1, j + 1) and (i, j - 1); the
     * sinks past the edges are ignored. */
    for (int i = 0; i < NI; i++)
        for (int j = 0; j < NJ; j++) {
            long up = i > 0 && j + 1 < NJ ? want_b[i - 1][j + 1] : 1;
            long left = j > 0 ? want_b[i][j - 1] : 2;
            want_b[i][j] = (up * 7 + left + i * NJ + j) % M;
        }
    for (int v = 0; v < 2; v++) {
        for (int i = 0; i < NI; i++)
            for (int j = 0; j < NJ; j++) {
                b[i][j] = 0;
                bdone[i][j] = 0;
            }
        bearly = 0;
        if (v == 0) {
            WAVE("omp for ordered(2) schedule(static, 1)")
        } else {
            WAVE("omp for ordered(2) schedule(dynamic, 2)")
        }
        check(bearly, 0, "2-d wavefront %d: iterations started early", v);
        for (int i = 0; i < NI; i++)
            for (int j = 0; j < NJ; j++)
                check(b[i][j], want_b[i][j], "2-d wavefront %d: b[%d][%d]", v, i, j);
    }

    /* Three dimensions, the outer two collapsed: (i, j, k) waits for
     * (i - 1, j, k) and (i, j - 1, k + 1). */
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < NJ; j++)
            for (int k = 0; k < NK; k++) {
                long p = i > 0 ? want_c[i - 1][j][k] : 3;
                long q = j > 0 && k + 1 < NK ? want_c[i][j - 1][k + 1] : 5;
                want_c[i][j][k] = (p * 5 + q * 3 + k) % M;
            }
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < NJ; j++)
            for (int k = 0; k < NK; k++)
                c[i][j][k] = 0;
#pragma omp parallel
    {
#pragma omp for collapse(2) ordered(3) schedule(dynamic)
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < NJ; j++)
                for (int k = 0; k < NK; k++) {
#pragma omp ordered depend(sink : i - 1, j, k) depend(sink : i, j - 1, k + 1)
                    long p = i > 0 ? c[i - 1][j][k] : 3;
                    long q = j > 0 && k + 1 < NK ? c[i][j - 1][k + 1] : 5;
                    c[i][j][k] = (p * 5 + q * 3 + k) % M;
#pragma omp ordered depend(source)
                }
    }
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < NJ; j++)
            for (int k = 0; k < NK; k++)
                check(c[i][j][k], want_c[i][j][k], "3-d collapse(2): c[%d][%d][%d]", i, j, k);

    if (failures)
        printf("%d failure(s)\n", failures);
    return failures > 100 ? 100 : failures;
}
