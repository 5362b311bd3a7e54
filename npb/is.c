/*
 * NPB IS -- Integer Sort kernel, OpenMP C.
 *
 * Written for the pomp project from the problem definition in
 * NASA RNR-94-007 section 2.6 ("Integer sort benchmark") and the class
 * parameters and verification data of NAS-95-020 / NPB 3.x.
 *
 * N keys in [0, Bmax) are made from the NPB generator (seed 314159265,
 * a = 5^13): key_i = floor(Bmax/4 * (r_{4i+1} + r_{4i+2} + r_{4i+3} +
 * r_{4i+4})), which gives a roughly Gaussian distribution.  Each of 10
 * iterations changes two keys (key[it] = it, key[it+10] = Bmax - it)
 * and then ranks all keys: rank(k) = number of keys smaller than k.
 * Five keys at fixed positions are checked against the published ranks
 * (partial verification); after the last iteration the keys are put in
 * sorted order using the ranks and the order is checked (full
 * verification).
 *
 * Ranking is a two-level counting sort.  Keys are first grouped into
 * 2^b buckets by their top bits: every thread counts its own slice of the
 * keys per bucket, then copies them into its own segment of the bucketed
 * array (the segment has the slice's place and size), grouped by bucket.
 * A thread writes only its own segment, so no two threads write one page
 * (what keeps a distributed run from moving pages back and forth on every
 * key).  Then each bucket covers its own range of key values: bucket b is
 * the b-th group of every segment, and buckets are counted and
 * prefix-summed independently under a dynamic schedule.
 */
#include "common/npb.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITERATIONS 10
#define NUM_TESTS 5
#define MAX_BUCKETS_LOG2 10
#define MAX_BUCKETS (1 << MAX_BUCKETS_LOG2)

#define IS_SEED 314159265.0

typedef struct {
    char klass;
    int keys_log2, maxkey_log2, buckets_log2;
    long test_index[NUM_TESTS];
    long test_rank[NUM_TESTS];
    /* the published rank of test key t moves by sign[t]*(iteration+delta[t]) */
    int sign[NUM_TESTS];
    int delta[NUM_TESTS];
} is_class;

/* partial verification data: NPB reference values (see README.md) */
static const is_class is_classes[] = {
    {'S', 16, 11, 9,
     {48427, 17148, 23627, 62548, 4431},
     {0, 18, 346, 64917, 65463},
     {+1, +1, +1, -1, -1}, {0, 0, 0, 0, 0}},
    {'W', 20, 16, 10,
     {357773, 934767, 875723, 898999, 404505},
     {1249, 11698, 1039987, 1043896, 1048018},
     {+1, +1, -1, -1, -1}, {-2, -2, 0, 0, 0}},
    {'A', 23, 19, 10,
     {2112377, 662041, 5336171, 3642833, 4250760},
     {104, 17523, 123928, 8288932, 8388264},
     {+1, +1, +1, -1, -1}, {-1, -1, -1, -1, -1}},
    {'B', 25, 21, 10,
     {41869, 812306, 5102857, 18232239, 26860214},
     {33422937, 10244, 59149, 33135281, 99},
     {-1, +1, +1, -1, +1}, {0, 0, 0, 0, 0}},
    {'C', 27, 23, 10,
     {44172927, 72999161, 74326391, 129606274, 21736814},
     {61147, 882988, 266290, 133997595, 133525895},
     {+1, +1, +1, -1, -1}, {0, 0, 0, 0, 0}},
};

/* problem */
static const is_class *cls;
static long nkeys;
static int max_key, bucket_shift, nbuckets;

/* data */
static int *keys;          /* the keys being ranked */
static int *bucketed;      /* keys grouped by bucket */
static int *rank_end;      /* rank_end[k] = number of keys <= k */
static int bucket_start[MAX_BUCKETS + 1];
static int test_key[NUM_TESTS];
static int passed;

/* per-thread bucket bookkeeping: each thread's counts and group starts
   are rows of shared tables (other threads read them), its next slots are
   private.  A row is MAX_BUCKETS ints, 4 KiB: one page per thread. */
static int my_bucket_next[MAX_BUCKETS];
#pragma omp threadprivate(my_bucket_next)
static int *count_rows;    /* row t: thread t's keys per bucket */
static int *start_rows;    /* row t: where they start in bucketed */
static int rank_threads;   /* the team size of the last ranking */
#define ROW MAX_BUCKETS

static void slice(long n, int t, int nt, long *lo, long *hi)
{
    long base = n / nt, extra = n % nt;
    *lo = t * base + (t < extra ? t : extra);
    *hi = *lo + base + (t < extra ? 1 : 0);
}

static void make_keys(void)
{
    const double scale = (double)(max_key / 4);
#pragma omp parallel
    {
        long lo, hi;
        slice(nkeys, omp_get_thread_num(), omp_get_num_threads(), &lo, &hi);
        double state = npb_rand_skip(IS_SEED, NPB_A_5POW13, 4 * lo);
        double r[4];
        for (long i = lo; i < hi; i++) {
            npb_rand_fill(&state, NPB_A_5POW13, r, 4);
            keys[i] = (int)(scale * (r[0] + r[1] + r[2] + r[3]));
        }
    }
}

static void check_partial(int iteration)
{
    for (int t = 0; t < NUM_TESTS; t++) {
        int k = test_key[t];
        if (k <= 0 || k > nkeys - 1)
            continue;
        long got = rank_end[k - 1];
        long want = cls->test_rank[t] + cls->sign[t] * (iteration + cls->delta[t]);
        if (got == want)
            passed++;
        else
            printf(" Failed partial verification: iteration %d, test key %d "
                   "(rank %ld, expected %ld)\n", iteration, t, got, want);
    }
}

static void rank_keys(int iteration)
{
    keys[iteration] = iteration;
    keys[iteration + ITERATIONS] = max_key - iteration;
    for (int t = 0; t < NUM_TESTS; t++)
        test_key[t] = keys[cls->test_index[t]];

#pragma omp parallel
    {
        const int me = omp_get_thread_num();
        const int nt = omp_get_num_threads();
        long lo, hi;
        slice(nkeys, me, nt, &lo, &hi);

        /* 1. count my keys per bucket, and group them by bucket in my
         *    segment (bucketed[lo..hi)) */
        int counts[MAX_BUCKETS];
        memset(counts, 0, sizeof(int) * nbuckets);
        for (long i = lo; i < hi; i++)
            counts[keys[i] >> bucket_shift]++;
        int *my_count = count_rows + (long)me * ROW;
        int *my_start = start_rows + (long)me * ROW;
        int at = (int)lo;
        for (int b = 0; b < nbuckets; b++) {
            my_count[b] = counts[b];
            my_start[b] = at;
            my_bucket_next[b] = at;
            at += counts[b];
        }
        for (long i = lo; i < hi; i++) {
            int k = keys[i];
            bucketed[my_bucket_next[k >> bucket_shift]++] = k;
        }
#pragma omp barrier

        /* 2. the rank of each bucket's first key: all keys of lower
         *    buckets */
#pragma omp single
        {
            int offset = 0;
            for (int b = 0; b < nbuckets; b++) {
                bucket_start[b] = offset;
                for (int t = 0; t < nt; t++)
                    offset += count_rows[(long)t * ROW + b];
            }
            bucket_start[nbuckets] = offset;
            rank_threads = nt;
        }

        /* 3. buckets hold disjoint key ranges: count and prefix-sum each
         *    bucket on its own */
        const int span = 1 << bucket_shift;
#pragma omp for schedule(dynamic, 1)
        for (int b = 0; b < nbuckets; b++) {
            int *cnt = rank_end + (long)b * span;
            memset(cnt, 0, sizeof(int) * span);
            for (int t = 0; t < nt; t++) {
                int from = start_rows[(long)t * ROW + b];
                int to = from + count_rows[(long)t * ROW + b];
                for (int i = from; i < to; i++)
                    cnt[bucketed[i] - b * span]++;
            }
            int run = bucket_start[b];
            for (int k = 0; k < span; k++) {
                run += cnt[k];
                cnt[k] = run;
            }
        }

        /* 4. partial verification of this iteration */
#pragma omp single
        check_partial(iteration);
    }
}

/* Put the keys in order by their ranks and check the order. */
static int full_verify(void)
{
    long disorder = 0;
    long long sum_before = 0, sum_after = 0;

#pragma omp parallel
    {
#pragma omp for reduction(+:sum_before) schedule(static)
        for (long i = 0; i < nkeys; i++)
            sum_before += keys[i];

        /* keys of value k occupy positions [rank_end[k-1], rank_end[k]) */
#pragma omp for schedule(dynamic, 1)
        for (int b = 0; b < nbuckets; b++) {
            for (int t = 0; t < rank_threads; t++) {
                int from = start_rows[(long)t * ROW + b];
                int to = from + count_rows[(long)t * ROW + b];
                for (int i = from; i < to; i++) {
                    int k = bucketed[i];
                    keys[--rank_end[k]] = k;
                }
            }
        }

#pragma omp for reduction(+:disorder, sum_after) schedule(static)
        for (long i = 0; i < nkeys; i++) {
            if (i > 0 && keys[i - 1] > keys[i])
                disorder++;
            sum_after += keys[i];
        }
    }
    if (disorder != 0)
        printf(" Full verification: %ld keys out of order\n", disorder);
    if (sum_before != sum_after)
        printf(" Full verification: key sum changed (%lld -> %lld)\n",
               sum_before, sum_after);
    return disorder == 0 && sum_before == sum_after;
}

int main(int argc, char **argv)
{
    char klass = npb_class_from_args(argc, argv, "IS", "SWABC");
    for (size_t i = 0; i < sizeof is_classes / sizeof is_classes[0]; i++)
        if (is_classes[i].klass == klass)
            cls = &is_classes[i];

    nkeys = 1L << cls->keys_log2;
    max_key = 1 << cls->maxkey_log2;
    nbuckets = 1 << cls->buckets_log2;
    bucket_shift = cls->maxkey_log2 - cls->buckets_log2;

    keys = npb_alloc(sizeof(int) * nkeys);
    bucketed = npb_alloc(sizeof(int) * nkeys);
    rank_end = npb_alloc(sizeof(int) * max_key);
    count_rows = npb_alloc_pages(sizeof(int) * ROW * omp_get_max_threads());
    start_rows = npb_alloc_pages(sizeof(int) * ROW * omp_get_max_threads());

    printf("\n\n NAS Parallel Benchmarks (pomp, written from the spec) - IS Benchmark\n\n");
    printf(" Size:  %ld  (class %c)\n", nkeys, klass);
    printf(" Iterations:  %d\n", ITERATIONS);
    printf(" Number of available threads:  %d\n\n", omp_get_max_threads());

    make_keys();

    /* one untimed ranking to warm up, as NPB prescribes */
    rank_keys(1);
    passed = 0;

    printf("   iteration\n");
    double t0 = npb_wtime();
    for (int it = 1; it <= ITERATIONS; it++) {
        if (klass != 'S')
            printf("        %d\n", it);
        rank_keys(it);
    }
    double seconds = npb_wtime() - t0;

    if (full_verify())
        passed++;

    int verified = passed == NUM_TESTS * ITERATIONS + 1;
    printf("\n Verification checks passed: %d of %d\n", passed,
           NUM_TESTS * ITERATIONS + 1);

    char size[32];
    snprintf(size, sizeof size, "%ld", nkeys);
    npb_result r = {
        .kernel = "IS",
        .klass = klass,
        .size = size,
        .iterations = ITERATIONS,
        .seconds = seconds,
        .mops = (double)ITERATIONS * nkeys / seconds / 1.0e6,
        .op_type = "keys ranked",
        .verified = verified,
    };
    return npb_report(&r);
}
