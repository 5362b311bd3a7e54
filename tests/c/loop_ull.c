// Checks unsigned long long loops (variable bounds, so GCC uses the ull entry points) under every schedule: counting up and down, steps > 1, empty loops, bounds next to ULLONG_MAX, loops crossing 2^63 and spans above LONG_MAX, each iteration exactly once and the loop variable's final value.
// GOMP entry points: GOMP_parallel, GOMP_loop_ull_{nonmonotonic_dynamic,dynamic,nonmonotonic_guided,guided,maybe_nonmonotonic_runtime,runtime,nonmonotonic_runtime}_start/_next, GOMP_loop_end_nowait.
#include <limits.h>
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

typedef unsigned long long ull;

#define MAXC 256

static int hits[MAXC];
static int stray;

static void visit(ull i, ull a, ull s, int up)
{
    ull idx = (up ? i - a : a - i) / s;
    if (idx < MAXC) {
#pragma omp atomic
        hits[idx]++;
    } else {
#pragma omp atomic
        stray++;
    }
}

#define DO_PRAGMA(x) _Pragma(#x)
#define LOOPS(tag, ...)                                                       \
    static ull lt_##tag(ull a, ull b, ull s)                                  \
    {                                                                         \
        ull i = 12345;                                                        \
        DO_PRAGMA(omp parallel for schedule(__VA_ARGS__) lastprivate(i))      \
        for (i = a; i < b; i += s)                                            \
            visit(i, a, s, 1);                                                \
        return i;                                                             \
    }                                                                         \
    static ull le_##tag(ull a, ull b, ull s)                                  \
    {                                                                         \
        ull i = 12345;                                                        \
        DO_PRAGMA(omp parallel for schedule(__VA_ARGS__) lastprivate(i))      \
        for (i = a; i <= b; i += s)                                           \
            visit(i, a, s, 1);                                                \
        return i;                                                             \
    }                                                                         \
    static ull gt_##tag(ull a, ull b, ull s)                                  \
    {                                                                         \
        ull i = 12345;                                                        \
        DO_PRAGMA(omp parallel for schedule(__VA_ARGS__) lastprivate(i))      \
        for (i = a; i > b; i -= s)                                            \
            visit(i, a, s, 0);                                                \
        return i;                                                             \
    }                                                                         \
    static ull ge_##tag(ull a, ull b, ull s)                                  \
    {                                                                         \
        ull i = 12345;                                                        \
        DO_PRAGMA(omp parallel for schedule(__VA_ARGS__) lastprivate(i))      \
        for (i = a; i >= b; i -= s)                                           \
            visit(i, a, s, 0);                                                \
        return i;                                                             \
    }

LOOPS(static, static)
LOOPS(static4, static, 4)
LOOPS(dyn, dynamic)
LOOPS(dyn3, dynamic, 3)
LOOPS(mdyn, monotonic : dynamic)
LOOPS(guided, guided)
LOOPS(mguided2, monotonic : guided, 2)
LOOPS(runtime, runtime)
LOOPS(mruntime, monotonic : runtime)
LOOPS(nmruntime, nonmonotonic : runtime)

typedef ull (*loopfn)(ull, ull, ull);

static const struct {
    const char *name;
    loopfn lt, le, gt, ge;
} scheds[] = {
#define S(tag) {#tag, lt_##tag, le_##tag, gt_##tag, ge_##tag}
    S(static), S(static4), S(dyn), S(dyn3), S(mdyn), S(guided), S(mguided2),
    S(runtime), S(mruntime), S(nmruntime),
#undef S
};

#define H (1ULL << 63)
#define Q (ULLONG_MAX / 8)

/* cmp: 0 '<', 1 '<=', 2 '>', 3 '>='; s is the step's magnitude. */
static const struct {
    int cmp;
    ull a, b, s;
} loops[] = {
    {0, 0, 100, 1},
    {0, 3, 100, 7},
    {1, 3, 101, 7},
    {0, 10, 10, 1},   /* empty */
    {0, 10, 5, 1},    /* empty: bounds the wrong way round */
    {2, 5, 5, 1},     /* empty */
    {3, 5, 10, 2},    /* empty */
    {2, 100, 0, 1},
    {3, 100, 5, 9},
    {0, ULLONG_MAX - 100, ULLONG_MAX - 1, 3},
    {1, ULLONG_MAX - 50, ULLONG_MAX - 1, 1},
    {0, ULLONG_MAX - 1, ULLONG_MAX, 1},
    {2, ULLONG_MAX, ULLONG_MAX - 100, 7},
    {3, ULLONG_MAX - 2, ULLONG_MAX - 90, 11},
    {0, H - 10, H + 10, 1},
    {2, H + 10, H - 10, 3},
    {0, 5, 5 + 7 * Q + 1, Q},
    /* From here on span + step exceeds ULLONG_MAX. GCC's open-coded static
       schedule computes the trip count as (span + step - 1) / step and
       wraps, so only the runtime schedules run these (see BIG). */
    {3, ULLONG_MAX - 3, 2, ULLONG_MAX / 4},
    {2, ULLONG_MAX, 0, ULLONG_MAX / 3},
    /* chunk * step must fit in 64 bits: libgomp multiplies them and a
       wrapped product makes it hand out blocks that are not on iteration
       boundaries (dynamic,3 with step ULLONG_MAX/2 hangs on libgomp). */
    {0, 0, ULLONG_MAX - 3, ULLONG_MAX / 4},
};

#define BIG 17 /* loops[BIG..] are skipped for the static schedules */

static ull sequential(int cmp, ull a, ull b, ull s, long *count)
{
    ull i;
    long n = 0;
    switch (cmp) {
    case 0: for (i = a; i < b; i += s) n++; break;
    case 1: for (i = a; i <= b; i += s) n++; break;
    case 2: for (i = a; i > b; i -= s) n++; break;
    default: for (i = a; i >= b; i -= s) n++; break;
    }
    *count = n;
    return i;
}

int main(void)
{
    for (unsigned k = 0; k < sizeof scheds / sizeof scheds[0]; k++)
        for (unsigned l = 0; l < sizeof loops / sizeof loops[0]; l++) {
            if (l >= BIG && scheds[k].name[0] == 's')
                continue;
            long count;
            ull want = sequential(loops[l].cmp, loops[l].a, loops[l].b, loops[l].s, &count);
            for (int h = 0; h < MAXC; h++)
                hits[h] = 0;
            stray = 0;
            loopfn f = loops[l].cmp == 0 ? scheds[k].lt : loops[l].cmp == 1 ? scheds[k].le
                       : loops[l].cmp == 2 ? scheds[k].gt : scheds[k].ge;
            ull fin = f(loops[l].a, loops[l].b, loops[l].s);
            const char *what = scheds[k].name;
            for (int h = 0; h < MAXC; h++)
                check(hits[h], h < count, "%s, loop %u: hits[%d]", what, l, h);
            check(stray, 0, "%s, loop %u: iterations outside the space", what, l);
            check(fin == want, 1, "%s, loop %u: final i is %llu, want %llu", what, l, fin, want);
        }
    return failures > 100 ? 100 : failures;
}
