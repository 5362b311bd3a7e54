/* What the proc_bind_*.c tests share: the seat (place and partition) the
   spec gives thread t of a team of n under close and spread, what a thread
   reports of its own seat and binding, and the check of one against the
   other. A test includes <omp.h>, <sched.h> and <stdio.h>, defines P (the
   number of places) and MAXT, then includes this file. */
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

