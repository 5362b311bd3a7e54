// Checks lastprivate(conditional:) on work-sharing loops (dynamic, static, runtime, guided, nowait, two variables, unsigned long long, ordered, doacross, combined parallel for): the original gets the value from the sequentially last iteration that assigned it, or keeps its value when none did.
// GOMP entry points: GOMP_loop_start (with a mem block; also with istart == NULL for open-coded static), GOMP_loop_ull_start, GOMP_loop_ordered_start, GOMP_loop_ull_ordered_start, GOMP_loop_doacross_start, GOMP_loop_ull_doacross_start, GOMP_loop_*_next, GOMP_ordered_start/_end, GOMP_doacross_post/_wait, GOMP_parallel_loop_dynamic, GOMP_atomic_start/_end, GOMP_loop_end, GOMP_loop_end_nowait.
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

#define N 600

static volatile int vn = N;
static volatile int vmod = 37;

/* assigns in iterations that are multiples of m; the last such is the
   largest multiple of m below n */
static int want_last(int n, int m)
{
    return ((n - 1) / m) * m;
}

int main(void)
{
    int n = vn, m = vmod;
    int x, y;
    long z;

    /* dynamic: GOMP_loop_start with sched monotonic|dynamic and mem */
    x = -1;
#pragma omp parallel
    {
#pragma omp for schedule(dynamic, 3) lastprivate(conditional : x)
        for (int i = 0; i < n; i++)
            if (i % m == 0)
                x = i * 2;
        /* something after the loop keeps it from being combined */
#pragma omp single
        x += 0;
    }
    check(x, 2 * want_last(N, 37), "dynamic,3: x");

    /* static (open-coded, GOMP_loop_start with istart NULL) with two
       conditional variables */
    x = -1;
    y = -2;
#pragma omp parallel
    {
#pragma omp for lastprivate(conditional : x, y)
        for (int i = 0; i < n; i++) {
            if (i % m == 0)
                x = i;
            if (i % 50 == 3)
                y = -i;
        }
#pragma omp single
        y += 0;
    }
    check(x, want_last(N, 37), "static two vars: x");
    check(y, -(((N - 4) / 50) * 50 + 3), "static two vars: y");

    /* no iteration assigns: the original keeps its value */
    x = 1234;
#pragma omp parallel
    {
#pragma omp for schedule(guided) lastprivate(conditional : x)
        for (int i = 0; i < n; i++)
            if (i < 0)
                x = i;
#pragma omp single
        x += 0;
    }
    check(x, 1234, "guided, never assigned: x");

    /* runtime and nowait. (One loop only: GCC 12 keeps the iteration
       counter that decides "last" in the parallel's frame, zeroed once per
       region, so a second conditional loop on x in the same region compares
       against the first one's counter; libgomp fails that too.) */
    x = -1;
#pragma omp parallel
    {
#pragma omp for schedule(runtime) lastprivate(conditional : x) nowait
        for (int i = 0; i < n; i++)
            if (i % (m + 2) == 0)
                x = i + 2;
#pragma omp barrier
    }
    check(x, want_last(N, 39) + 2, "runtime nowait: x");

    /* unsigned long long loop. (Counting up: for a loop counting down,
       GCC 12 numbers iterations by the raw unsigned counter, so "last"
       comes out wrong on libgomp as well.) */
    z = -1;
    unsigned long long un = (unsigned long long)n;
#pragma omp parallel
    {
#pragma omp for schedule(dynamic) lastprivate(conditional : z)
        for (unsigned long long u = 1; u <= un; u++)
            if (u % 41 == 0)
                z = (long)u;
#pragma omp single
        z += 0;
    }
    check(z, (N / 41) * 41, "ull up: z");

    /* ordered loop */
    x = -1;
    int seq = 0, order_bad = 0;
#pragma omp parallel
    {
#pragma omp for ordered schedule(guided) lastprivate(conditional : x)
        for (int i = 0; i < n; i++) {
            if (i % m == 1)
                x = i;
#pragma omp ordered
            {
                if (seq != i)
                    order_bad++;
                seq++;
            }
        }
#pragma omp single
        x += 0;
    }
    check(x, ((N - 2) / 37) * 37 + 1, "ordered guided: x");
    check(order_bad, 0, "ordered guided: ordered regions out of order");

    /* ordered, unsigned long long */
    z = -1;
    seq = 0;
    order_bad = 0;
#pragma omp parallel
    {
#pragma omp for ordered schedule(dynamic, 2) lastprivate(conditional : z)
        for (unsigned long long u = 0; u < un; u++) {
            if (u % 29 == 5)
                z = (long)u;
#pragma omp ordered
            {
                if (seq != (int)u)
                    order_bad++;
                seq++;
            }
        }
#pragma omp single
        z += 0;
    }
    check(z, ((N - 6) / 29) * 29 + 5, "ull ordered: z");
    check(order_bad, 0, "ull ordered: ordered regions out of order");

    /* doacross ordered(1), long and unsigned long long */
    static int a[N];
    x = -1;
#pragma omp parallel
    {
#pragma omp for ordered(1) schedule(dynamic, 4) lastprivate(conditional : x)
        for (int i = 0; i < n; i++) {
#pragma omp ordered depend(sink : i - 1)
            a[i] = (i ? a[i - 1] : 0) + 1;
            if (i % m == 0)
                x = a[i];
#pragma omp ordered depend(source)
        }
#pragma omp single
        x += 0;
    }
    check(x, want_last(N, 37) + 1, "doacross: x");
    for (int i = 0; i < N; i++)
        check(a[i], i + 1, "doacross: a[%d]", i);
    /* unsigned: starts at 1 so that the sink u - 1 of the first iteration
       is 0, below the iteration space, rather than a wrapped-around value
       (GCC 12's own check of a wrapped unsigned sink makes libgomp wait
       forever) */
    static int b[N + 1];
    z = -1;
#pragma omp parallel
    {
#pragma omp for ordered(1) schedule(guided) lastprivate(conditional : z)
        for (unsigned long long u = 1; u <= un; u++) {
#pragma omp ordered depend(sink : u - 1)
            b[u] = b[u - 1] + 2;
            if (u % 43 == 0)
                z = b[u];
#pragma omp ordered depend(source)
        }
#pragma omp single
        z += 0;
    }
    check(z, 2 * ((N / 43) * 43), "ull doacross: z");

    /* combined parallel for (the slot is kept in the parent frame) */
    x = -1;
#pragma omp parallel for schedule(dynamic) lastprivate(conditional : x)
    for (int i = 0; i < N; i++)
        if (i % 37 == 0)
            x = i;
    check(x, want_last(N, 37), "parallel for: x");

    return failures > 100 ? 100 : failures;
}
