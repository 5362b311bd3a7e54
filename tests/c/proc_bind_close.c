// Checks proc_bind(close) over 7 places ({0},{1} repeated): thread i sits i places after the primary thread's place (wrapping around the partition) while threads fit, and in equal consecutive groups (the remainder one per place again) when they outnumber the places; the partition is unchanged; each thread is bound to its place's CPUs; nested close teams start from their primary thread's place.
// GOMP entry points: GOMP_parallel with a proc_bind(close) flag, nested (plus the omp_* place queries).
// pomp-test: env=OMP_PLACES={0},{1},{0},{1},{0},{1},{0} cflags=-D_GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>

#define P 7
#define MAXT 16

struct seat {
    int place, off, len;
};

/* The seat the spec (and libgomp) gives thread t of n under close. */
static struct seat close_seat(int n, struct seat p, int t)
{
    int k = t;
    if (n > p.len) {
        int per = n / p.len, full = n - n % p.len;
        k = t < full ? t / per : p.len + (t - full);
    }
    struct seat s = p;
    s.place = p.off + (p.place - p.off + k) % p.len;
    return s;
}

struct rec {
    struct seat s;
    int contiguous, bound_ok, bind;
};

/* What the calling thread reports. */
static void record(struct rec *r)
{
    int nums[64];
    r->s.place = omp_get_place_num();
    r->s.len = omp_get_partition_num_places();
    r->contiguous = r->s.len >= 0 && r->s.len <= 64;
    if (r->contiguous) {
        omp_get_partition_place_nums(nums);
        r->s.off = r->s.len > 0 ? nums[0] : -1;
        for (int i = 0; i < r->s.len; i++)
            r->contiguous &= nums[i] == r->s.off + i;
    }
    /* Bound to exactly the place's CPUs. */
    int ids[64], k = omp_get_place_num_procs(r->s.place);
    cpu_set_t want, got;
    CPU_ZERO(&want);
    if (k > 0 && k <= 64) {
        omp_get_place_proc_ids(r->s.place, ids);
        for (int i = 0; i < k; i++)
            CPU_SET(ids[i], &want);
    }
    r->bound_ok = sched_getaffinity(0, sizeof got, &got) == 0 && CPU_EQUAL(&want, &got);
    r->bind = omp_get_proc_bind();
}

static int failures;

static void check(const char *where, int n, const struct rec *r, struct seat want, int t)
{
    if (r->s.place != want.place || r->s.off != want.off || r->s.len != want.len || !r->contiguous
        || !r->bound_ok || r->bind != omp_proc_bind_close) {
        failures++;
        printf("FAIL: %s n=%d thread %d (got place %d partition %d+%d%s%s bind %d, want place %d "
               "partition %d+%d)\n",
               where, n, t, r->s.place, r->s.off, r->s.len, r->contiguous ? "" : " (gaps)",
               r->bound_ok ? "" : " (mask differs)", r->bind, want.place, want.off, want.len);
    }
}

int main(void)
{
    struct rec rec[MAXT], nested[3][MAXT];
    struct seat all = {0, 0, P};

    if (omp_get_num_places() != P || omp_get_place_num() != 0) {
        printf("FAIL: setup (got %d places, place %d; want %d, 0)\n", omp_get_num_places(),
               omp_get_place_num(), P);
        return 1;
    }
    /* Largest team first: libgomp places the threads it adds to a grown
       team differently from a fresh one when they outnumber the places. */
    static const int sizes[] = {16, 9, 8, 7, 5, 3, 2, 1};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int n = sizes[i];
#pragma omp parallel num_threads(n) proc_bind(close)
        record(&rec[omp_get_thread_num()]);
        for (int t = 0; t < n; t++)
            check("close", n, &rec[t], close_seat(n, all, t), t);
    }

    /* Nested: each of 3 threads (places 0, 1, 2) starts a close team. */
    omp_set_max_active_levels(2);
    static const int inner[] = {9, 3};
    for (unsigned i = 0; i < 2; i++) {
        int m = inner[i];
#pragma omp parallel num_threads(3) proc_bind(close)
        {
            int o = omp_get_thread_num();
#pragma omp parallel num_threads(m) proc_bind(close)
            record(&nested[o][omp_get_thread_num()]);
        }
        for (int o = 0; o < 3; o++) {
            struct seat primary = close_seat(3, all, o);
            for (int t = 0; t < m; t++)
                check("nested close", m, &nested[o][t], close_seat(m, primary, t), t);
        }
    }
    struct rec me;
    record(&me);
    if (me.s.place != 0 || me.s.len != P) {
        failures++;
        printf("FAIL: initial thread after the regions (got place %d partition %d)\n", me.s.place,
               me.s.len);
    }
    return failures > 100 ? 100 : failures;
}
