// Checks user-defined reductions (declare reduction): a struct combiner with an initializer expression, an initializer function that reads omp_orig, and a gcd combiner on int, on a worksharing loop, a combined parallel for and a parallel directive (one private copy per thread), including a zero-iteration loop where the original is kept.
// GOMP entry points: GOMP_parallel, GOMP_parallel_loop_nonmonotonic_dynamic, GOMP_loop_nonmonotonic_dynamic_next, GOMP_loop_end, GOMP_barrier, GOMP_atomic_start, GOMP_atomic_end.
#include <limits.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

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

/* Running statistics: count, sum, min, max. */
struct stats {
    long count, sum;
    int lo, hi;
};

static void stats_merge(struct stats *out, const struct stats *in)
{
    out->count += in->count;
    out->sum += in->sum;
    if (in->lo < out->lo)
        out->lo = in->lo;
    if (in->hi > out->hi)
        out->hi = in->hi;
}

#pragma omp declare reduction(merge : struct stats : stats_merge(&omp_out, &omp_in)) \
    initializer(omp_priv = (struct stats){0, 0, INT_MAX, INT_MIN})

static void stats_add(struct stats *s, int v)
{
    s->count++;
    s->sum += v;
    if (v < s->lo)
        s->lo = v;
    if (v > s->hi)
        s->hi = v;
}

/* Initializer through a function that sees the original: the private copy
   takes the original's "scale" field but a zero accumulator. */
struct scaled {
    int scale;
    long acc;
    int inits;
};

static int init_calls;

static void scaled_init(struct scaled *priv, const struct scaled *orig)
{
    priv->scale = orig->scale;
    priv->acc = 0;
    priv->inits = 1;
    __atomic_fetch_add(&init_calls, 1, __ATOMIC_RELAXED);
}

#pragma omp declare reduction(sacc : struct scaled : omp_out.acc += omp_in.acc, omp_out.inits += omp_in.inits) \
    initializer(scaled_init(&omp_priv, &omp_orig))

/* A reduction on a plain int named like an operator: gcd. */
static int gcd(int a, int b)
{
    while (b) {
        int t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}

#pragma omp declare reduction(gcd : int : omp_out = gcd(omp_out, omp_in)) initializer(omp_priv = 0)

#define N 5000

static int value(int i) { return (i * 7919 + 13) % 2001 - 1000; }

int main(void)
{
    struct stats ref = {0, 0, INT_MAX, INT_MIN};
    for (int i = 0; i < N; i++)
        stats_add(&ref, value(i));

    /* On a worksharing loop, with a non-empty original. */
    struct stats st = {10, 1, 0, 0};
#pragma omp parallel
    {
#pragma omp for schedule(dynamic, 16) reduction(merge : st)
        for (int i = 0; i < N; i++)
            stats_add(&st, value(i));
    }
    check(st.count, ref.count + 10, "merge on for: count");
    check(st.sum, ref.sum + 1, "merge on for: sum");
    check(st.lo, ref.lo < 0 ? ref.lo : 0, "merge on for: lo");
    check(st.hi, ref.hi > 0 ? ref.hi : 0, "merge on for: hi");

    /* On a combined parallel for. */
    struct stats st2 = {0, 0, INT_MAX, INT_MIN};
#pragma omp parallel for reduction(merge : st2)
    for (int i = 0; i < N; i++)
        stats_add(&st2, value(i));
    check(st2.count, ref.count, "merge on parallel for: count");
    check(st2.sum, ref.sum, "merge on parallel for: sum");
    check(st2.lo, ref.lo, "merge on parallel for: lo");
    check(st2.hi, ref.hi, "merge on parallel for: hi");

    /* Zero iterations: the original is unchanged. */
    struct stats st3 = {3, 4, 5, 6};
    int zero = 0;
#pragma omp parallel for reduction(merge : st3)
    for (int i = 0; i < zero; i++)
        stats_add(&st3, i);
    check(st3.count, 3, "merge on empty loop: count");
    check(st3.sum, 4, "merge on empty loop: sum");
    check(st3.lo, 5, "merge on empty loop: lo");
    check(st3.hi, 6, "merge on empty loop: hi");

    /* Initializer using omp_orig, on the parallel directive: one private copy
       per thread. */
    struct scaled sc = {7, 100, 0};
    int nthr = 0;
    init_calls = 0;
#pragma omp parallel reduction(sacc : sc)
    {
        if (omp_get_thread_num() == 0)
            nthr = omp_get_num_threads();
        sc.acc += sc.scale * (omp_get_thread_num() + 1);
    }
    check(sc.scale, 7, "sacc: scale kept");
    check(sc.acc, 100 + 7L * nthr * (nthr + 1) / 2, "sacc: accumulated");
    check(sc.inits, nthr, "sacc: private copies merged");
    check(init_calls, nthr, "sacc: initializer calls");

    /* gcd reduction over multiples of 30. */
    int g = 0;
#pragma omp parallel for reduction(gcd : g) schedule(static, 3)
    for (int i = 1; i <= 600; i++)
        g = gcd(g, i == 300 ? 6 * 4 * 25 : 6 * i * 5);
    check(g, 30, "gcd reduction");

    return failures > 100 ? 100 : failures;
}
