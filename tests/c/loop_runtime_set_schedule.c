// Checks schedule(runtime), schedule(monotonic:runtime) and schedule(nonmonotonic:runtime) loops under every schedule set with omp_set_schedule (static with and without chunk, dynamic, guided, auto, monotonic dynamic): exactly-once execution, the distribution the chosen kind guarantees, per-thread increasing order where monotonic, lastprivate.
// GOMP entry points: GOMP_loop_maybe_nonmonotonic_runtime_start/_next, GOMP_loop_runtime_start/_next, GOMP_loop_nonmonotonic_runtime_start/_next, GOMP_loop_end, GOMP_parallel.
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
static int nthr, back, icv_bad;
static long lastv;

static void run_plain(omp_sched_t kind, int chunk)
{
    int n = vn;
    long i;
#pragma omp parallel reduction(+ : back, icv_bad)
    {
        omp_sched_t k;
        int c;
        omp_get_schedule(&k, &c);
        /* omp_get_schedule's chunk is implementation defined for auto */
        if (k != kind || (c != chunk && (kind & ~omp_sched_monotonic) != omp_sched_auto))
            icv_bad++;
        long prev = -1;
#pragma omp for schedule(runtime) lastprivate(i)
        for (i = 0; i < n; i++) {
            if (i <= prev)
                back++;
            prev = i;
            hits[i]++;
            owner[i] = omp_get_thread_num();
        }
#pragma omp single
        nthr = omp_get_num_threads();
    }
    lastv = i;
}

static void run_monotonic(void)
{
    int n = vn;
    long i;
#pragma omp parallel reduction(+ : back)
    {
        long prev = -1;
#pragma omp for schedule(monotonic : runtime) lastprivate(i)
        for (i = 3L * n; i > 0; i -= 3) {
            long idx = (3L * n - i) / 3;
            if (idx <= prev)
                back++;
            prev = idx;
            hits[idx]++;
            owner[idx] = omp_get_thread_num();
        }
#pragma omp single
        nthr = omp_get_num_threads();
    }
    lastv = i;
}

static void run_nonmonotonic(void)
{
    int n = vn;
    long i;
#pragma omp parallel
    {
#pragma omp for schedule(nonmonotonic : runtime) lastprivate(i)
        for (i = -n; i < 0; i++) {
            hits[i + n]++;
            owner[i + n] = omp_get_thread_num();
        }
#pragma omp single
        nthr = omp_get_num_threads();
    }
    lastv = i;
}

int main(void)
{
    static const struct {
        omp_sched_t kind;
        int chunk;
        const char *name;
    } cases[] = {
        {omp_sched_static, 0, "static"},
        {omp_sched_static, 3, "static,3"},
        {omp_sched_dynamic, 1, "dynamic"},
        {omp_sched_dynamic, 2, "dynamic,2"},
        {omp_sched_guided, 4, "guided,4"},
        {omp_sched_auto, 1, "auto"},
        {(omp_sched_t)(omp_sched_dynamic | omp_sched_monotonic), 3, "monotonic:dynamic,3"},
        {(omp_sched_t)(omp_sched_guided | omp_sched_monotonic), 2, "monotonic:guided,2"},
    };
    char what[80];
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int kind = (int)(cases[c].kind & ~omp_sched_monotonic);
        int mono = (cases[c].kind & omp_sched_monotonic) || kind == 1;
        omp_set_schedule(cases[c].kind, cases[c].chunk);

        reset();
        back = icv_bad = 0;
        run_plain(cases[c].kind, cases[c].chunk);
        snprintf(what, sizeof what, "runtime under %s", cases[c].name);
        check_sched(what, kind, cases[c].chunk, nthr);
        check(icv_bad, 0, "%s: threads whose omp_get_schedule differs", what);
        if (mono)
            check(back, 0, "%s: iterations seen out of order by a thread", what);
        check(lastv, N, "%s: lastprivate i", what);

        reset();
        back = 0;
        run_monotonic();
        snprintf(what, sizeof what, "monotonic:runtime under %s", cases[c].name);
        check_sched(what, kind, cases[c].chunk, nthr);
        check(back, 0, "%s: iterations seen out of order by a thread", what);
        check(lastv, 0, "%s: lastprivate i", what);

        reset();
        run_nonmonotonic();
        snprintf(what, sizeof what, "nonmonotonic:runtime under %s", cases[c].name);
        /* nonmonotonic may hand chunks out in any order, but chunk shapes
           for dynamic/guided still hold; static assignment is only
           checked for exactly-once. */
        check_sched(what, kind == 1 ? 4 : kind, cases[c].chunk, nthr);
        check(lastv, 0, "%s: lastprivate i", what);
    }
    return failures > 100 ? 100 : failures;
}
