/*
 * syncbench: OpenMP construct-overhead microbenchmarks.
 *
 * Method (after the EPCC OpenMP microbenchmarks, written from their published
 * description): for every construct, time a *reference* loop that executes a
 * fixed-length delay() `innerreps` times without the construct, and a *test*
 * loop that executes the construct wrapped around the same delay `innerreps`
 * times.  The overhead of one construct is
 *
 *     (test time - reference time) / innerreps
 *
 * `innerreps` is adapted per construct so that one test measurement lasts
 * at least --target-us (1000 us by default; the calibration confirms with
 * the fastest of three tries that it was not misled by a stall).  Each measurement is repeated
 * --outer times (20 by default), reference and test interleaved, and the
 * median, minimum, maximum and quartiles of the per-construct overhead are
 * printed, in microseconds, one line per construct:
 *
 *   construct=barrier threads=2 median_us=... min_us=... max_us=... \
 *       q1_us=... q3_us=... ref_us=... innerreps=... reps=20
 *
 * Nothing else is written to stdout; progress and the identity of the
 * OpenMP runtime actually loaded go to stderr (`# runtime=PATH`).
 *
 * The loop-schedule constructs (schedbench style) time one whole work-sharing
 * loop of --iters-per-thread * threads iterations, each a delay(); their
 * reference is --iters-per-thread delays, and the overhead is per loop.
 *
 * Every test also checks its result (counts, sums, ordering); a wrong result
 * is reported on stderr and makes the program exit with status 3, so a broken
 * runtime cannot pass for a fast one.
 *
 * Build: gcc -O2 -fopenmp -o syncbench syncbench.c
 * Run:   OMP_NUM_THREADS=2 ./syncbench [--constructs a,b] [--outer N]
 *            [--target-us T] [--delay-us D] [--iters-per-thread K] [--list]
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Settings                                                            */
/* ------------------------------------------------------------------ */

static int outer_reps_opt = 20;     /* --outer */
static double target_us = 1000.0;   /* --target-us */
static double delay_us = 0.10;      /* --delay-us */
static long iters_per_thread = 128; /* --iters-per-thread (schedules) */

static long delay_iters;            /* calibrated from delay_us */
static int nthreads;                /* team size, from OMP_NUM_THREADS */
static int result_errors;           /* failed result checks */

/* ------------------------------------------------------------------ */
/* The delay                                                           */
/* ------------------------------------------------------------------ */

/*
 * A dependent chain of integer multiply-adds; the empty asm with the value
 * as an in/out operand makes the compiler treat every step as observed, so
 * the loop cannot be folded, vectorised or removed.
 */
__attribute__((noinline)) static void delay(long n)
{
    unsigned long x = 0x9e3779b97f4a7c15UL;
    for (long i = 0; i < n; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        __asm__ volatile("" : "+r"(x));
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(const double *sorted, int n, double q)
{
    double pos = q * (n - 1);
    int lo = (int)pos;
    if (lo >= n - 1)
        return sorted[n - 1];
    double frac = pos - lo;
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/* Number of delay() iterations that take delay_us, median of 11 tries. */
static void calibrate_delay(void)
{
    const long probe = 2000000;
    double t[11];
    delay(probe); /* warm up: page in, reach a steady clock */
    for (int i = 0; i < 11; i++) {
        double t0 = omp_get_wtime();
        delay(probe);
        t[i] = omp_get_wtime() - t0;
    }
    qsort(t, 11, sizeof t[0], cmp_double);
    double ns_per_iter = t[5] * 1e9 / probe;
    delay_iters = (long)(delay_us * 1000.0 / ns_per_iter + 0.5);
    if (delay_iters < 1)
        delay_iters = 1;
}

/* ------------------------------------------------------------------ */
/* Result checks                                                       */
/* ------------------------------------------------------------------ */

static void check(const char *what, long got, long want)
{
    if (got != want) {
        fprintf(stderr, "syncbench: %s: wrong result %ld, expected %ld\n", what, got, want);
        result_errors++;
    }
}

/* ------------------------------------------------------------------ */
/* Reference                                                           */
/* ------------------------------------------------------------------ */

/* `n` delays, one after the other, on the calling thread. */
static void reference(long n)
{
    for (long j = 0; j < n; j++)
        delay(delay_iters);
}

/* ------------------------------------------------------------------ */
/* Synchronisation constructs                                          */
/* ------------------------------------------------------------------ */

/* Each test runs `n` units; one unit is one execution of the construct with
 * one delay() on the critical path. */

static void test_parallel(long n)
{
    long count = 0;
    for (long j = 0; j < n; j++) {
#pragma omp parallel
        {
            delay(delay_iters);
            if (omp_get_thread_num() == 0)
                count++;
        }
    }
    check("parallel", count, n);
}

static void test_for(long n)
{
    long count = 0;
#pragma omp parallel reduction(+ : count)
    {
        for (long j = 0; j < n; j++) {
#pragma omp for
            for (int i = 0; i < nthreads; i++) {
                delay(delay_iters);
                count++;
            }
        }
    }
    check("for", count, n * nthreads);
}

static void test_parallel_for(long n)
{
    long count = 0;
    for (long j = 0; j < n; j++) {
#pragma omp parallel for reduction(+ : count)
        for (int i = 0; i < nthreads; i++) {
            delay(delay_iters);
            count++;
        }
    }
    check("parallel_for", count, n * nthreads);
}

static void test_barrier(long n)
{
    long count = 0;
#pragma omp parallel reduction(+ : count)
    {
        for (long j = 0; j < n; j++) {
            delay(delay_iters);
            count++;
#pragma omp barrier
        }
    }
    check("barrier", count, n * nthreads);
}

static void test_single(long n)
{
    long count = 0;
#pragma omp parallel reduction(+ : count)
    {
        for (long j = 0; j < n; j++) {
#pragma omp single
            {
                delay(delay_iters);
                count++;
            }
        }
    }
    check("single", count, n);
}

/* critical, lock and ordered serialise the delays: n units in total, shared
 * between the threads (n is a multiple of the thread count). */

static void test_critical(long n)
{
    long count = 0;
#pragma omp parallel
    {
        long mine = n / nthreads;
        for (long j = 0; j < mine; j++) {
#pragma omp critical
            {
                delay(delay_iters);
                count++; /* unprotected but for the critical section */
            }
        }
    }
    check("critical", count, n);
}

static omp_lock_t bench_lock;

static void test_lock(long n)
{
    long count = 0;
#pragma omp parallel
    {
        long mine = n / nthreads;
        for (long j = 0; j < mine; j++) {
            omp_set_lock(&bench_lock);
            delay(delay_iters);
            count++;
            omp_unset_lock(&bench_lock);
        }
    }
    check("lock", count, n);
}

/* One step of the bench's own spin-waits (lock_handoff): a pause, and a
 * yield now and then, so that an oversubscribed run still progresses. */
static inline void relax(long *spins)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
    if (++*spins % 1024 == 0)
        sched_yield();
}

/* lock_handoff: the lock passes from thread to thread in turn, each of the
 * n units one hold of one delay, with the next holder already waiting in
 * omp_set_lock when the lock is released. `lock` lets the releasing thread
 * take the lock straight back, so it rewards a lock that hands over rarely
 * (a waiter that polls less often); this row is what a hand-off costs. A
 * unit also pays for two flag writes of the bench's own reaching another
 * CPU (`turn`, then `queued`), the same on every runtime. */
static omp_lock_t handoff_lock;

static void test_lock_handoff(long n)
{
    long count = 0, out_of_turn = 0;
    long turn = 0;    /* the unit whose owner may start to queue for the lock */
    long queued = -1; /* the unit whose owner is about to call omp_set_lock */
#pragma omp parallel
    {
        long me = omp_get_thread_num(), spins = 0;
        for (long j = me; j < n; j += nthreads) {
            if (j > 0 && nthreads > 1) {
                while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != j)
                    relax(&spins);
                __atomic_store_n(&queued, j, __ATOMIC_RELEASE);
            }
            omp_set_lock(&handoff_lock);
            if (count != j) /* only unit j's owner can have been waiting */
                out_of_turn++;
            if (j + 1 < n && nthreads > 1) {
                /* Let the next owner queue, and release only once it has
                 * said it is calling omp_set_lock: its store reaching this
                 * CPU takes longer than its call takes to start waiting. */
                __atomic_store_n(&turn, j + 1, __ATOMIC_RELEASE);
                while (__atomic_load_n(&queued, __ATOMIC_ACQUIRE) != j + 1)
                    relax(&spins);
            }
            delay(delay_iters);
            count++;
            omp_unset_lock(&handoff_lock);
        }
    }
    check("lock_handoff", count, n);
    check("lock_handoff (holds out of turn)", out_of_turn, 0);
}

/* `n` iterations of `for ordered schedule(static, 1)`, each an ordered
 * delay, then, if `after`, a second delay outside the ordered region. */
static void ordered_loop(const char *what, long n, int after)
{
    long next = 0, bad = 0;
#pragma omp parallel
    {
#pragma omp for ordered schedule(static, 1)
        for (long j = 0; j < n; j++) {
#pragma omp ordered
            {
                delay(delay_iters);
                if (next != j)
                    bad++;
                next = j + 1;
            }
            if (after)
                delay(delay_iters);
        }
    }
    check(what, bad, 0);
    check(what, next, n);
}

static void test_ordered(long n)
{
    ordered_loop("ordered", n, 0);
}

/* ordered_overlap: as ordered, but each iteration has a second delay after
 * its ordered region. The ordered regions are serial; the second delays can
 * run beside them if the runtime hands the turn on when the region ends
 * (the chunk has nothing ordered left), and cannot if it waits for the
 * chunk's end. So the unit is one delay, and a runtime that waits for the
 * chunk's end pays about one more per unit at any team size. */
static void test_ordered_overlap(long n)
{
    ordered_loop("ordered_overlap", n, 1);
}

/* atomic: every thread runs n units, each a delay then an atomic update of a
 * shared double; GCC inlines it (a compare-and-swap loop), so the runtime is
 * not involved: this row is a control, equal for every runtime. */
static void test_atomic(long n)
{
    double sum = 0.0;
#pragma omp parallel
    {
        for (long j = 0; j < n; j++) {
            delay(delay_iters);
#pragma omp atomic
            sum += 1.0;
        }
    }
    check("atomic", (long)sum, n * nthreads);
}

/* atomic_rt: the same on a long double, which x86-64 has no lock-free
 * instruction for, so GCC brackets it with GOMP_atomic_start/GOMP_atomic_end:
 * the runtime's global atomic lock, under contention. */
static void test_atomic_rt(long n)
{
    long double sum = 0.0L;
#pragma omp parallel
    {
        for (long j = 0; j < n; j++) {
            delay(delay_iters);
#pragma omp atomic
            sum += 1.0L;
        }
    }
    check("atomic_rt", (long)sum, n * nthreads);
}

/* critical_atomic_rt: even threads take the unnamed critical section, odd
 * ones the runtime's atomic lock (a long double atomic), at once: two locks
 * that no thread takes together, so neither should slow the other. The
 * data each protects sits on a line of its own, so what is shared is
 * only what the runtime shares. */
static long crit_count __attribute__((aligned(128)));
static long double atomic_sum __attribute__((aligned(128)));

static void test_critical_atomic_rt(long n)
{
    crit_count = 0;
    atomic_sum = 0.0L;
#pragma omp parallel
    {
        int odd = omp_get_thread_num() % 2;
        for (long j = 0; j < n; j++) {
            delay(delay_iters);
            if (odd) {
#pragma omp atomic
                atomic_sum += 1.0L;
            } else {
#pragma omp critical
                crit_count++;
            }
        }
    }
    long odd_threads = nthreads / 2;
    check("critical_atomic_rt (critical)", crit_count, n * (nthreads - odd_threads));
    check("critical_atomic_rt (atomic)", (long)atomic_sum, n * odd_threads);
}

/* reduction: a parallel region with a reduction clause (so it includes the
 * fork/join of `parallel`: compare with that row). */
static void test_reduction(long n)
{
    long total = 0;
    for (long j = 0; j < n; j++) {
        long s = 0;
#pragma omp parallel reduction(+ : s)
        {
            delay(delay_iters);
            s += 1;
        }
        total += s;
    }
    check("reduction", total, n * nthreads);
}

/* ------------------------------------------------------------------ */
/* Loop schedules (schedbench style)                                   */
/* ------------------------------------------------------------------ */

/* One unit is one work-sharing loop of iters_per_thread * nthreads
 * iterations, each a delay(); the reference for a unit is iters_per_thread
 * delays (a perfectly balanced share). */
#define PRAGMA(...) _Pragma(#__VA_ARGS__)
#define SCHED_TEST(fname, label, ...)                                      \
    static void fname(long n)                                                \
    {                                                                        \
        long total = 0;                                                      \
        long iters = iters_per_thread * nthreads;                            \
        _Pragma("omp parallel reduction(+ : total)")                         \
        {                                                                    \
            long mine = 0;                                                   \
            for (long j = 0; j < n; j++) {                                   \
                PRAGMA(omp for schedule(__VA_ARGS__))                        \
                for (long i = 0; i < iters; i++) {                           \
                    delay(delay_iters);                                      \
                    mine++;                                                  \
                }                                                            \
            }                                                                \
            total += mine;                                                   \
        }                                                                    \
        check(label, total, n * iters);                                      \
    }

SCHED_TEST(test_static, "static", static)
SCHED_TEST(test_static_1, "static_1", static, 1)
SCHED_TEST(test_static_8, "static_8", static, 8)
SCHED_TEST(test_static_64, "static_64", static, 64)
SCHED_TEST(test_dynamic_1, "dynamic_1", dynamic, 1)
SCHED_TEST(test_dynamic_8, "dynamic_8", dynamic, 8)
SCHED_TEST(test_dynamic_64, "dynamic_64", dynamic, 64)
SCHED_TEST(test_guided_1, "guided_1", guided, 1)
SCHED_TEST(test_guided_8, "guided_8", guided, 8)
SCHED_TEST(test_guided_64, "guided_64", guided, 64)


/* ------------------------------------------------------------------ */
/* Tasks (taskbench style)                                             */
/* ------------------------------------------------------------------ */

/* One unit is one task per team thread, each running one delay(): with
 * perfect scheduling a unit costs one delay, like the reference. Tasks
 * count themselves on the executing thread's own padded counter, so the
 * check adds no shared-line traffic. */
#define MAX_COUNTERS 1024
static struct {
    long n;
    char pad[120];
} task_counts[MAX_COUNTERS];

static void count_task(void)
{
    int t = omp_get_thread_num();
    task_counts[t < MAX_COUNTERS ? t : 0].n++;
}

static long take_task_count(void)
{
    long s = 0;
    for (int t = 0; t < MAX_COUNTERS; t++) {
        s += task_counts[t].n;
        task_counts[t].n = 0;
    }
    return s;
}

static void delay_task(void)
{
    delay(delay_iters);
    count_task();
}

/* task_parallel: every thread creates its tasks. */
static void test_task_parallel(long n)
{
#pragma omp parallel
    {
        for (long j = 0; j < n; j++) {
#pragma omp task
            delay_task();
        }
    }
    check("task_parallel", take_task_count(), n * nthreads);
}

/* task_master: the primary thread creates every task; the others take
 * them at the end of the region. */
static void test_task_master(long n)
{
#pragma omp parallel
    {
#pragma omp master
        for (long j = 0; j < n * nthreads; j++) {
#pragma omp task
            delay_task();
        }
    }
    check("task_master", take_task_count(), n * nthreads);
}

/* task_conditional: if(0) tasks, run at once by their creator. */
static void test_task_conditional(long n)
{
    volatile int never = 0;
#pragma omp parallel
    {
        for (long j = 0; j < n; j++) {
#pragma omp task if (never)
            delay_task();
        }
    }
    check("task_conditional", take_task_count(), n * nthreads);
}

/* task_nested: every thread creates tasks that each create one task. */
static void test_task_nested(long n)
{
#pragma omp parallel
    {
        for (long j = 0; j < n; j++) {
#pragma omp task
            {
#pragma omp task
                delay_task();
            }
        }
    }
    check("task_nested", take_task_count(), n * nthreads);
}

/* task_master_nested: the primary thread creates tasks that each create
 * one task. */
static void test_task_master_nested(long n)
{
#pragma omp parallel
    {
#pragma omp master
        for (long j = 0; j < n * nthreads; j++) {
#pragma omp task
            {
#pragma omp task
                delay_task();
            }
        }
    }
    check("task_master_nested", take_task_count(), n * nthreads);
}

/* taskwait: every thread creates a task and waits for it. */
static void test_taskwait(long n)
{
#pragma omp parallel
    {
        for (long j = 0; j < n; j++) {
#pragma omp task
            delay_task();
#pragma omp taskwait
        }
    }
    check("taskwait", take_task_count(), n * nthreads);
}

/* taskgroup: every thread runs a taskgroup around one task. */
static void test_taskgroup(long n)
{
#pragma omp parallel
    {
        for (long j = 0; j < n; j++) {
#pragma omp taskgroup
            {
#pragma omp task
                delay_task();
            }
        }
    }
    check("taskgroup", take_task_count(), n * nthreads);
}

/* task_tree: every thread builds a binary tree of tasks with n leaves,
 * each leaf a delay. */
static void tree(long leaves)
{
    if (leaves <= 1) {
        delay_task();
        return;
    }
#pragma omp task
    tree(leaves / 2);
#pragma omp task
    tree(leaves - leaves / 2);
}

static void test_task_tree(long n)
{
#pragma omp parallel
    tree(n);
    check("task_tree", take_task_count(), n * nthreads);
}

/* task_fib30: fib(30) with two tasks and a taskwait per call and no
 * cutoff, the recursive pattern of task-parallel divide and conquer. One
 * unit is the whole computation (1,664,079 calls, 2 tasks each but the
 * leaves), with no reference: the row is its time. */
#define FIB_N 30
#define FIB_VALUE 832040

static long fib_task(int k)
{
    long a = 0, b = 0;
    if (k < 2)
        return k;
#pragma omp task shared(a) firstprivate(k)
    a = fib_task(k - 1);
#pragma omp task shared(b) firstprivate(k)
    b = fib_task(k - 2);
#pragma omp taskwait
    return a + b;
}

static void test_task_fib30(long n)
{
    for (long j = 0; j < n; j++) {
        long r = 0;
#pragma omp parallel shared(r)
#pragma omp single
        r = fib_task(FIB_N);
        check("task_fib30", r, FIB_VALUE);
    }
}

/* ------------------------------------------------------------------ */
/* The table of constructs                                             */
/* ------------------------------------------------------------------ */

/* Reference delays per unit: one, iters_per_thread, or none (the row is
 * the unit's whole time). */
enum { PER_UNIT_ONE, PER_UNIT_SCHED, PER_UNIT_NONE };

struct construct {
    const char *name;
    void (*test)(long);
    int ref_kind;      /* PER_UNIT_*: reference delays per unit */
    int team_multiple; /* innerreps must be a multiple of the team size */
    int max_outer;     /* at most this many outer repetitions (0: --outer) */
};

static const struct construct constructs[] = {
    {"parallel", test_parallel, PER_UNIT_ONE, 0, 0},
    {"for", test_for, PER_UNIT_ONE, 0, 0},
    {"parallel_for", test_parallel_for, PER_UNIT_ONE, 0, 0},
    {"barrier", test_barrier, PER_UNIT_ONE, 0, 0},
    {"single", test_single, PER_UNIT_ONE, 0, 0},
    {"critical", test_critical, PER_UNIT_ONE, 1, 0},
    {"lock", test_lock, PER_UNIT_ONE, 1, 0},
    {"lock_handoff", test_lock_handoff, PER_UNIT_ONE, 1, 0},
    {"ordered", test_ordered, PER_UNIT_ONE, 0, 0},
    {"ordered_overlap", test_ordered_overlap, PER_UNIT_ONE, 0, 0},
    {"atomic", test_atomic, PER_UNIT_ONE, 0, 0},
    {"atomic_rt", test_atomic_rt, PER_UNIT_ONE, 0, 0},
    {"critical_atomic_rt", test_critical_atomic_rt, PER_UNIT_ONE, 0, 0},
    {"reduction", test_reduction, PER_UNIT_ONE, 0, 0},
    {"static", test_static, PER_UNIT_SCHED, 0, 0},
    {"static_1", test_static_1, PER_UNIT_SCHED, 0, 0},
    {"static_8", test_static_8, PER_UNIT_SCHED, 0, 0},
    {"static_64", test_static_64, PER_UNIT_SCHED, 0, 0},
    {"dynamic_1", test_dynamic_1, PER_UNIT_SCHED, 0, 0},
    {"dynamic_8", test_dynamic_8, PER_UNIT_SCHED, 0, 0},
    {"dynamic_64", test_dynamic_64, PER_UNIT_SCHED, 0, 0},
    {"guided_1", test_guided_1, PER_UNIT_SCHED, 0, 0},
    {"guided_8", test_guided_8, PER_UNIT_SCHED, 0, 0},
    {"guided_64", test_guided_64, PER_UNIT_SCHED, 0, 0},
    {"task_parallel", test_task_parallel, PER_UNIT_ONE, 0, 0},
    {"task_master", test_task_master, PER_UNIT_ONE, 0, 0},
    {"task_conditional", test_task_conditional, PER_UNIT_ONE, 0, 0},
    {"task_nested", test_task_nested, PER_UNIT_ONE, 0, 0},
    {"task_master_nested", test_task_master_nested, PER_UNIT_ONE, 0, 0},
    {"taskwait", test_taskwait, PER_UNIT_ONE, 0, 0},
    {"taskgroup", test_taskgroup, PER_UNIT_ONE, 0, 0},
    {"task_tree", test_task_tree, PER_UNIT_ONE, 0, 0},
    /* Hundreds of ms a unit on some runtimes: a few repetitions suffice. */
    {"task_fib30", test_task_fib30, PER_UNIT_NONE, 0, 3},
};
#define NCONSTRUCTS ((int)(sizeof constructs / sizeof constructs[0]))

/* ------------------------------------------------------------------ */
/* Measurement                                                         */
/* ------------------------------------------------------------------ */

static long round_up(long n, long m)
{
    return (n + m - 1) / m * m;
}

static double time_test(const struct construct *c, long n)
{
    double t0 = omp_get_wtime();
    c->test(n);
    return omp_get_wtime() - t0;
}

static double time_reference(long delays)
{
    double t0 = omp_get_wtime();
    reference(delays);
    return omp_get_wtime() - t0;
}

static void measure(const struct construct *c)
{
    long per_unit = c->ref_kind == PER_UNIT_SCHED ? iters_per_thread
                    : c->ref_kind == PER_UNIT_NONE  ? 0
                                                    : 1;
    long step = c->team_multiple ? nthreads : 1;
    double target = target_us * 1e-6;
    int outer_reps = c->max_outer && c->max_outer < outer_reps_opt ? c->max_outer : outer_reps_opt;

    /* Warm up (first use of the construct), then grow innerreps until one
     * test measurement lasts at least the target time. */
    c->test(step);
    long innerreps = step;
    for (;;) {
        double t = time_test(c, innerreps);
        if (t >= target) {
            /* Confirm with the faster of two more tries: one measurement may
             * have hit a stall (a preempted thread costs a whole scheduler
             * tick), which would leave innerreps far too small. */
            double t2 = time_test(c, innerreps), t3 = time_test(c, innerreps);
            if (t2 < t)
                t = t2;
            if (t3 < t)
                t = t3;
            if (t >= target * 0.5)
                break;
        }
        if (innerreps > LONG_MAX / 16)
            break;
        long next;
        if (t <= 0.0)
            next = innerreps * 2;
        else {
            /* aim 10% past the target, but grow by at most 8x a step */
            double want = innerreps * (target / t) * 1.1;
            next = want > innerreps * 8.0 ? innerreps * 8 : (long)want;
            if (next <= innerreps)
                next = innerreps + 1;
        }
        innerreps = round_up(next, step);
    }

    double *ref = malloc(sizeof(double) * outer_reps);
    double *test = malloc(sizeof(double) * outer_reps);
    double *ovh = malloc(sizeof(double) * outer_reps);
    if (!ref || !test || !ovh) {
        fprintf(stderr, "syncbench: out of memory\n");
        exit(1);
    }
    for (int k = 0; k < outer_reps; k++) {
        ref[k] = time_reference(innerreps * per_unit);
        test[k] = time_test(c, innerreps);
    }
    qsort(ref, outer_reps, sizeof ref[0], cmp_double);
    double ref_med = quantile(ref, outer_reps, 0.5);
    for (int k = 0; k < outer_reps; k++)
        ovh[k] = (test[k] - ref_med) / innerreps * 1e6;
    qsort(ovh, outer_reps, sizeof ovh[0], cmp_double);

    printf("construct=%s threads=%d median_us=%.4f min_us=%.4f max_us=%.4f "
           "q1_us=%.4f q3_us=%.4f ref_us=%.4f innerreps=%ld reps=%d\n",
           c->name, nthreads, quantile(ovh, outer_reps, 0.5), ovh[0], ovh[outer_reps - 1],
           quantile(ovh, outer_reps, 0.25), quantile(ovh, outer_reps, 0.75),
           ref_med / innerreps * 1e6, innerreps, outer_reps);
    fflush(stdout);
    free(ref);
    free(test);
    free(ovh);
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: syncbench [options]   (threads: OMP_NUM_THREADS)\n"
            "  --constructs a,b,...   constructs to run (default: all; see --list)\n"
            "  --outer N              outer repetitions per construct (default %d)\n"
            "  --target-us T          target time of one measurement, us (default %.0f)\n"
            "  --delay-us D           length of the delay, us (default %.2f)\n"
            "  --iters-per-thread K   loop iterations per thread, schedules (default %ld)\n"
            "  --list                 print the construct names and exit\n"
            "  --help                 this text\n",
            outer_reps_opt, target_us, delay_us, iters_per_thread);
}

static void valid_names(FILE *f)
{
    for (int i = 0; i < NCONSTRUCTS; i++)
        fprintf(f, "%s%s", i ? "," : "", constructs[i].name);
    fprintf(f, "\n");
}

static int find_construct(const char *name, size_t len)
{
    for (int i = 0; i < NCONSTRUCTS; i++)
        if (strlen(constructs[i].name) == len && strncmp(constructs[i].name, name, len) == 0)
            return i;
    return -1;
}

/* The value of option `opt` at argv[*i] ("--opt V" or "--opt=V"), or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    const char *a = argv[*i];
    if (strncmp(a, opt, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "syncbench: %s needs a value\n", opt);
        exit(2);
    }
    return argv[++*i];
}

static double parse_num(const char *opt, const char *v, double lo)
{
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end != '\0' || !(x >= lo)) {
        fprintf(stderr, "syncbench: bad value '%s' for %s (need a number >= %g)\n", v, opt, lo);
        exit(2);
    }
    return x;
}

/* The file of the OpenMP runtime actually loaded (after LD_LIBRARY_PATH,
 * LD_PRELOAD and symlinks), so that a caller can check it got the runtime it
 * asked for. */
static void report_runtime(void)
{
    Dl_info info;
    void *sym = dlsym(RTLD_DEFAULT, "GOMP_parallel");
    if (sym && dladdr(sym, &info) && info.dli_fname) {
        char *real = realpath(info.dli_fname, NULL);
        fprintf(stderr, "# runtime=%s\n", real ? real : info.dli_fname);
        free(real);
    } else {
        fprintf(stderr, "# runtime=unknown\n");
    }
}

int main(int argc, char **argv)
{
    char selected[NCONSTRUCTS];
    memset(selected, 1, sizeof selected);

    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--list")) {
            for (int k = 0; k < NCONSTRUCTS; k++)
                printf("%s\n", constructs[k].name);
            return 0;
        } else if ((v = opt_value(argc, argv, &i, "--constructs"))) {
            memset(selected, 0, sizeof selected);
            const char *p = v;
            for (;;) {
                size_t len = strcspn(p, ",");
                if (len > 0) {
                    int k = find_construct(p, len);
                    if (k < 0) {
                        fprintf(stderr, "syncbench: unknown construct '%.*s'; valid: ", (int)len, p);
                        valid_names(stderr);
                        return 2;
                    }
                    selected[k] = 1;
                }
                if (p[len] == '\0')
                    break;
                p += len + 1;
            }
        } else if ((v = opt_value(argc, argv, &i, "--outer"))) {
            outer_reps_opt = (int)parse_num("--outer", v, 1);
        } else if ((v = opt_value(argc, argv, &i, "--target-us"))) {
            target_us = parse_num("--target-us", v, 1);
        } else if ((v = opt_value(argc, argv, &i, "--delay-us"))) {
            delay_us = parse_num("--delay-us", v, 0);
        } else if ((v = opt_value(argc, argv, &i, "--iters-per-thread"))) {
            iters_per_thread = (long)parse_num("--iters-per-thread", v, 1);
        } else {
            fprintf(stderr, "syncbench: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }

    report_runtime();
    /* The team size a parallel region really gets (OMP_NUM_THREADS). */
#pragma omp parallel
    {
#pragma omp single
        nthreads = omp_get_num_threads();
    }
    calibrate_delay();
    omp_init_lock(&bench_lock);
    omp_init_lock(&handoff_lock);
    fprintf(stderr,
            "# threads=%d outer=%d target_us=%.0f delay_us=%.3f delay_iters=%ld "
            "iters_per_thread=%ld\n",
            nthreads, outer_reps_opt, target_us, delay_us, delay_iters, iters_per_thread);

    for (int k = 0; k < NCONSTRUCTS; k++) {
        if (!selected[k])
            continue;
        fprintf(stderr, "# %s\n", constructs[k].name);
        measure(&constructs[k]);
    }
    omp_destroy_lock(&bench_lock);
    omp_destroy_lock(&handoff_lock);

    if (result_errors) {
        fprintf(stderr, "syncbench: %d wrong results: the runtime is broken\n", result_errors);
        return 3;
    }
    return 0;
}
