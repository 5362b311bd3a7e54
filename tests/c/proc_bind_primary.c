// Checks proc_bind(primary) and its old spelling proc_bind(master) over 3 places ({1},{0},{1}): every thread of the team sits on the primary thread's place, bound to its CPUs, with the primary thread's partition, also in nested teams started from threads of close and spread teams.
// GOMP entry points: GOMP_parallel with proc_bind(master/primary), proc_bind(close) and proc_bind(spread) flags, nested (plus the omp_* place queries).
// pomp-test: env=OMP_PLACES={1},{0},{1} cflags=-D_GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>

#define P 3
#define MAXT 8

struct seat {
    int place, off, len;
};

static int step(int n, int len, int t)
{
    if (n <= len)
        return t;
    int per = n / len, full = n - n % len;
    return t < full ? t / per : len + (t - full);
}

static struct seat close_seat(int n, struct seat p, int t)
{
    struct seat s = p;
    s.place = p.off + (p.place - p.off + step(n, p.len, t)) % p.len;
    return s;
}

/* The seat the spec (and libgomp) gives thread t of n under spread. */
static struct seat spread_seat(int n, struct seat p, int t)
{
    struct seat s;
    if (n > p.len) {
        s.place = s.off = close_seat(n, p, t).place;
        s.len = 1;
        return s;
    }
    int size = p.len / n, rest = p.len % n, rel = p.place - p.off;
    int mine = rel < rest * (size + 1) ? rel / (size + 1) : rest + (rel - rest * (size + 1)) / size;
    int j = (mine + t) % n;
    s.off = p.off + j * size + (j < rest ? j : rest);
    s.len = size + (j < rest);
    s.place = t == 0 ? p.place : s.off;
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

static void check(const char *where, int n, const struct rec *r, struct seat want, int t, int bind)
{
    if (r->s.place != want.place || r->s.off != want.off || r->s.len != want.len || !r->contiguous
        || !r->bound_ok || r->bind != bind) {
        failures++;
        printf("FAIL: %s n=%d thread %d (got place %d partition %d+%d%s%s bind %d, want place %d "
               "partition %d+%d bind %d)\n",
               where, n, t, r->s.place, r->s.off, r->s.len, r->contiguous ? "" : " (gaps)",
               r->bound_ok ? "" : " (mask differs)", r->bind, want.place, want.off, want.len,
               bind);
    }
}

int main(void)
{
    static struct rec rec[MAXT], nested[MAXT][MAXT];
    struct seat all = {0, 0, P};

    if (omp_get_num_places() != P || omp_get_place_num() != 0) {
        printf("FAIL: setup (got %d places, place %d; want %d, 0)\n", omp_get_num_places(),
               omp_get_place_num(), P);
        return 1;
    }
    for (int n = 5; n >= 1; n -= 2) {
#pragma omp parallel num_threads(n) proc_bind(primary)
        record(&rec[omp_get_thread_num()]);
        for (int t = 0; t < n; t++)
            check("primary", n, &rec[t], all, t, omp_proc_bind_primary);
#pragma omp parallel num_threads(n) proc_bind(master)
        record(&rec[omp_get_thread_num()]);
        for (int t = 0; t < n; t++)
            check("master", n, &rec[t], all, t, omp_proc_bind_master);
    }

    omp_set_max_active_levels(2);
#pragma omp parallel num_threads(3) proc_bind(close)
    {
        int o = omp_get_thread_num();
#pragma omp parallel num_threads(4) proc_bind(primary)
        record(&nested[o][omp_get_thread_num()]);
    }
    for (int o = 0; o < 3; o++)
        for (int t = 0; t < 4; t++)
            check("close/primary", 4, &nested[o][t], close_seat(3, all, o), t,
                  omp_proc_bind_primary);
#pragma omp parallel num_threads(2) proc_bind(spread)
    {
        int o = omp_get_thread_num();
#pragma omp parallel num_threads(3) proc_bind(primary)
        record(&nested[o][omp_get_thread_num()]);
    }
    for (int o = 0; o < 2; o++)
        for (int t = 0; t < 3; t++)
            check("spread/primary", 3, &nested[o][t], spread_seat(2, all, o), t,
                  omp_proc_bind_primary);
    return failures > 100 ? 100 : failures;
}
