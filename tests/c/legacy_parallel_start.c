// Checks the GOMP_1.0 split parallel ABI that GCC before 4.9 emitted, called directly: GOMP_parallel_start starts the team, the caller runs the body as thread 0, GOMP_parallel_end joins; team size (0 = the nthreads ICV, an explicit count), thread numbers 0..n-1 each once, level queries, a nested split region, a barrier inside, and GOMP_parallel_sections_start with GOMP_sections_next.
// GOMP entry points: GOMP_parallel_start, GOMP_parallel_end, GOMP_parallel_sections_start, GOMP_sections_next, GOMP_sections_end_nowait, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

extern void GOMP_parallel_start(void (*fn)(void *), void *data, unsigned num_threads);
extern void GOMP_parallel_end(void);
extern void GOMP_parallel_sections_start(void (*fn)(void *), void *data, unsigned num_threads,
                                         unsigned count);
extern unsigned GOMP_sections_next(void);
extern void GOMP_sections_end_nowait(void);
extern void GOMP_barrier(void);

#define MAXT 64

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

struct record {
    int seen[MAXT];
    int nthr[MAXT];
    int level[MAXT];
    int active[MAXT];
    int after_barrier[MAXT];
    int arrived;
    int magic;
};

static void body(void *p)
{
    struct record *r = p;
    int me = omp_get_thread_num();
    if (me < 0 || me >= MAXT || r->magic != 0x5eed)
        return;
    __atomic_fetch_add(&r->seen[me], 1, __ATOMIC_RELAXED);
    r->nthr[me] = omp_get_num_threads();
    r->level[me] = omp_get_level();
    r->active[me] = omp_get_active_level();
    __atomic_fetch_add(&r->arrived, 1, __ATOMIC_RELAXED);
    GOMP_barrier();
    /* Every thread arrived before anyone passes the barrier. */
    r->after_barrier[me] = __atomic_load_n(&r->arrived, __ATOMIC_RELAXED);
}

static void run_split(unsigned req, int want)
{
    static struct record r;
    memset(&r, 0, sizeof r);
    r.magic = 0x5eed;
    GOMP_parallel_start(body, &r, req);
    body(&r); /* the encountering thread is thread 0 */
    GOMP_parallel_end();
    int distinct = 0;
    for (int t = 0; t < MAXT; t++)
        distinct += r.seen[t] != 0;
    check(distinct, want, "split region num_threads=%u: distinct thread numbers", req);
    for (int t = 0; t < want && t < MAXT; t++) {
        check(r.seen[t], 1, "split region num_threads=%u: thread %d ran once", req, t);
        check(r.nthr[t], want, "split region num_threads=%u: team size in thread %d", req, t);
        check(r.level[t], 1, "split region num_threads=%u: level in thread %d", req, t);
        check(r.active[t], want > 1, "split region num_threads=%u: active level in thread %d", req, t);
        check(r.after_barrier[t], want, "split region num_threads=%u: arrivals seen after barrier by %d", req, t);
    }
    check(omp_get_level(), 0, "level after GOMP_parallel_end");
    check(omp_in_parallel(), 0, "omp_in_parallel after GOMP_parallel_end");
}

/* A split region nested inside a split region (inactive: max-active-levels
   defaults to 1). */
static int nested_levels[MAXT];
static int nested_sizes[MAXT];

static void inner_body(void *p)
{
    int outer = *(int *)p;
    if (omp_get_thread_num() == 0 && outer >= 0 && outer < MAXT) {
        nested_levels[outer] = omp_get_level();
        nested_sizes[outer] = omp_get_num_threads();
    }
}

static void outer_body(void *p)
{
    (void)p;
    int me = omp_get_thread_num();
    GOMP_parallel_start(inner_body, &me, 2);
    inner_body(&me);
    GOMP_parallel_end();
}

/* Legacy combined parallel sections. */
static int sec_hits[10];
static int sec_bad;

static void sections_body(void *p)
{
    (void)p;
    unsigned s;
    while ((s = GOMP_sections_next()) != 0) {
        if (s >= 1 && s <= 10)
            __atomic_fetch_add(&sec_hits[s - 1], 1, __ATOMIC_RELAXED);
        else
            __atomic_fetch_add(&sec_bad, 1, __ATOMIC_RELAXED);
    }
    GOMP_sections_end_nowait();
}

int main(void)
{
    int def = omp_get_max_threads();
    if (def < 1 || def >= MAXT) {
        printf("FAIL: omp_get_max_threads() = %d out of range\n", def);
        return 1;
    }
    run_split(0, def);
    for (unsigned n = 1; n <= 5; n++)
        run_split(n, (int)n);
    for (int i = 0; i < 10; i++)
        run_split(0, def);
    omp_set_num_threads(3);
    run_split(0, 3);
    omp_set_num_threads(def);

    for (int t = 0; t < MAXT; t++)
        nested_levels[t] = nested_sizes[t] = -1;
    GOMP_parallel_start(outer_body, NULL, 2);
    outer_body(NULL);
    GOMP_parallel_end();
    for (int t = 0; t < 2; t++) {
        check(nested_levels[t], 2, "nested split region under outer thread %d: level", t);
        check(nested_sizes[t], 1, "nested split region under outer thread %d: team size", t);
    }

    for (unsigned count = 0; count <= 10; count += 5) {
        memset(sec_hits, 0, sizeof sec_hits);
        sec_bad = 0;
        GOMP_parallel_sections_start(sections_body, NULL, 0, count);
        sections_body(NULL);
        GOMP_parallel_end();
        for (unsigned s = 0; s < 10; s++)
            check(sec_hits[s], s < count, "legacy sections count=%u: section %u", count, s + 1);
        check(sec_bad, 0, "legacy sections count=%u: out-of-range section numbers", count);
    }

    return failures > 100 ? 100 : failures;
}
