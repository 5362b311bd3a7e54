// Checks long iteration spaces under every schedule: negative steps, steps > 1, <=/>= bounds, empty loops (equal bounds and bounds the wrong way round), bounds next to LONG_MAX/LONG_MIN and a span of nearly 2^63, each iteration exactly once and the loop variable's final value.
// GOMP entry points: GOMP_parallel, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_nonmonotonic_guided_start/_next, GOMP_loop_dynamic_start/_next, GOMP_loop_maybe_nonmonotonic_runtime_start/_next, GOMP_loop_end_nowait (static is open-coded).
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

#define MAXC 256

static int hits[MAXC];
static int stray;

static void visit(long i, long a, long s)
{
    unsigned long dist = s > 0 ? (unsigned long)i - (unsigned long)a : (unsigned long)a - (unsigned long)i;
    long idx = (long)(dist / (s > 0 ? (unsigned long)s : -(unsigned long)s));
    if (idx >= 0 && idx < MAXC) {
#pragma omp atomic
        hits[idx]++;
    } else {
#pragma omp atomic
        stray++;
    }
}

#define DO_PRAGMA(x) _Pragma(#x)
/* One function per (schedule, comparison): runs the loop and returns the
   loop variable's value after it (lastprivate). */
#define LOOPS(tag, ...)                                                         \
    static long lt_##tag(long a, long b, long s)                              \
    {                                                                         \
        long i = 12345;                                                       \
        DO_PRAGMA(omp parallel for schedule(__VA_ARGS__) lastprivate(i))          \
        for (i = a; i < b; i += s)                                            \
            visit(i, a, s);                                                   \
        return i;                                                             \
    }                                                                         \
    static long le_##tag(long a, long b, long s)                              \
    {                                                                         \
        long i = 12345;                                                       \
        DO_PRAGMA(omp parallel for schedule(__VA_ARGS__) lastprivate(i))          \
        for (i = a; i <= b; i += s)                                           \
            visit(i, a, s);                                                   \
        return i;                                                             \
    }                                                                         \
    static long gt_##tag(long a, long b, long s)                              \
    {                                                                         \
        long i = 12345;                                                       \
        DO_PRAGMA(omp parallel for schedule(__VA_ARGS__) lastprivate(i))          \
        for (i = a; i > b; i -= s)                                            \
            visit(i, a, -s);                                                  \
        return i;                                                             \
    }                                                                         \
    static long ge_##tag(long a, long b, long s)                              \
    {                                                                         \
        long i = 12345;                                                       \
        DO_PRAGMA(omp parallel for schedule(__VA_ARGS__) lastprivate(i))          \
        for (i = a; i >= b; i -= s)                                           \
            visit(i, a, -s);                                                  \
        return i;                                                             \
    }

LOOPS(static, static)
LOOPS(static5, static, 5)
LOOPS(dyn, dynamic)
LOOPS(dyn3, dynamic, 3)
LOOPS(mdyn2, monotonic : dynamic, 2)
LOOPS(guided, guided)
LOOPS(guided2, guided, 2)
LOOPS(runtime, runtime)

typedef long (*loopfn)(long, long, long);

static const struct {
    const char *name;
    loopfn lt, le, gt, ge;
} scheds[] = {
#define S(tag) {#tag, lt_##tag, le_##tag, gt_##tag, ge_##tag}
    S(static), S(static5), S(dyn), S(dyn3), S(mdyn2), S(guided), S(guided2), S(runtime),
#undef S
};

/* cmp: 0 '<', 1 '<=', 2 '>', 3 '>='; s is the step's magnitude. */
static const struct {
    int cmp;
    long a, b, s;
} loops[] = {
    {0, 0, 100, 1},
    {0, -50, 50, 7},
    {1, -50, 50, 7},
    {0, 10, 10, 1},    /* empty */
    {0, 10, 5, 3},     /* empty: bounds the wrong way round */
    {1, 10, 9, 1},     /* empty */
    {2, 100, 0, 1},
    {3, 100, -100, 9},
    {2, 5, 5, 1},      /* empty */
    {3, 5, 10, 2},     /* empty */
    {0, LONG_MAX - 100, LONG_MAX - 1, 3},
    {1, LONG_MAX - 50, LONG_MAX - 1, 1},
    {0, LONG_MAX - 1, LONG_MAX, 1},
    {2, LONG_MIN + 98, LONG_MIN, 7},
    {3, LONG_MIN + 98, LONG_MIN + 7, 7},
    {0, LONG_MIN, LONG_MIN + 100, 3},
    {0, -(LONG_MAX / 4), LONG_MAX / 4, LONG_MAX / 16},
    {2, LONG_MAX / 4, -(LONG_MAX / 4), LONG_MAX / 32},
    {0, 0, 200, 200},
    {2, 0, -200, 1000},
    {1, LONG_MAX - 40, LONG_MAX - 3, 4},
    {3, LONG_MIN + 40, LONG_MIN + 3, 4},
};

/* The same loop run sequentially: its trip count and final value. */
static long sequential(int cmp, long a, long b, long s, long *count)
{
    long i, n = 0;
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
            long count, want = sequential(loops[l].cmp, loops[l].a, loops[l].b, loops[l].s, &count);
            for (int h = 0; h < MAXC; h++)
                hits[h] = 0;
            stray = 0;
            loopfn f = loops[l].cmp == 0 ? scheds[k].lt : loops[l].cmp == 1 ? scheds[k].le
                       : loops[l].cmp == 2 ? scheds[k].gt : scheds[k].ge;
            long fin = f(loops[l].a, loops[l].b, loops[l].s);
            const char *what = scheds[k].name;
            for (int h = 0; h < MAXC; h++)
                check(hits[h], h < count, "%s, loop %u: hits[%d]", what, l, h);
            check(stray, 0, "%s, loop %u: iterations outside the space", what, l);
            /* lastprivate of the loop variable: its sequential final value
               (the start value for an empty loop) */
            check(fin, want, "%s, loop %u: final i", what, l);
        }
    return failures > 100 ? 100 : failures;
}
