// Checks schedule(dynamic) loops without a modifier (nonmonotonic, where pomp's threads take chunks from ranges of their own and steal from each other) with uneven work: every iteration runs exactly once, the thread that runs the last iteration runs nothing after it (GCC's lastprivate relies on it), lastprivate and reductions, long and unsigned long long loops, up and down, chunk sizes 1, 3 and 64, loops with nowait in a row.
// GOMP entry points: GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_ull_nonmonotonic_dynamic_start/_next, GOMP_loop_end, GOMP_loop_end_nowait, GOMP_parallel.
#include <omp.h>
#include <stdio.h>

#define N 3001
#define MAXT 256

static int failures;

#define EXPECT(cond, ...)                                                      \
    do {                                                                       \
        if (!(cond) && ++failures <= 30) {                                     \
            printf("FAIL: ");                                                  \
            printf(__VA_ARGS__);                                               \
            printf("\n");                                                      \
        }                                                                      \
    } while (0)

static int hits[N];
static int hits2[N];
/* Per thread: the logical iteration it ran last. */
static long last[MAXT];
/* The thread that ran the loop's last iteration. */
static int last_runner;

/* One third of the iterations (the lowest or the highest) costs 100 times
   the others, so that threads run out of their own chunks at different
   times. */
static void work(long logical, int heavy_high)
{
    int heavy = heavy_high ? logical >= 2 * N / 3 : logical < N / 3;
    volatile long x = 0;
    for (int k = 0; k < (heavy ? 1000 : 10); k++)
        x += k;
}

static void ran(int *h, long logical)
{
    int t = omp_get_thread_num();
#pragma omp atomic
    h[logical]++;
    if (t < MAXT)
        last[t] = logical;
    if (logical == N - 1)
        last_runner = t;
}

static void reset(void)
{
    for (int i = 0; i < N; i++)
        hits[i] = hits2[i] = 0;
    for (int t = 0; t < MAXT; t++)
        last[t] = -1;
    last_runner = -1;
}

static void expect_once(const int *h, const char *what, int c, int heavy)
{
    int bad = 0;
    for (int i = 0; i < N; i++)
        if (h[i] != 1 && bad++ < 3)
            EXPECT(0, "%s chunk %d heavy_high %d: iteration %d ran %d times", what, c, heavy, i,
                   h[i]);
    EXPECT(last_runner >= 0 && last_runner < MAXT && last[last_runner] == N - 1,
           "%s chunk %d heavy_high %d: thread %d ran iteration %ld after the last one", what, c,
           heavy, last_runner, last_runner >= 0 && last_runner < MAXT ? last[last_runner] : -1L);
}

static volatile long vn = N;

int main(void)
{
    long n = vn;
    static const int chunks[] = {1, 3, 64};
    for (int rep = 0; rep < 3; rep++) {
        for (int ci = 0; ci < 3; ci++) {
            for (int heavy = 0; heavy < 2; heavy++) {
                int c = chunks[ci];

                /* long, up, lastprivate */
                reset();
                long i = -5;
                long lp = -1;
#pragma omp parallel
                {
#pragma omp for schedule(dynamic, c) lastprivate(i, lp)
                    for (i = 0; i < n; i++) {
                        work(i, heavy);
                        ran(hits, i);
                        lp = 7 * i;
                    }
                }
                expect_once(hits, "long up", c, heavy);
                EXPECT(i == n, "long up chunk %d: lastprivate i = %ld", c, i);
                EXPECT(lp == 7 * (n - 1), "long up chunk %d: lastprivate lp = %ld", c, lp);

                /* unsigned long long, down, lastprivate, then a second
                   loop after nowait */
                reset();
                unsigned long long u = 12345;
                long after = -1;
#pragma omp parallel
                {
#pragma omp for schedule(nonmonotonic : dynamic, c) lastprivate(u) nowait
                    for (u = (unsigned long long)n; u > 0; u--) {
                        long logical = n - (long)u;
                        work(logical, heavy);
                        ran(hits, logical);
                    }
#pragma omp for schedule(dynamic, c) lastprivate(after)
                    for (long j = 0; j < n; j++) {
#pragma omp atomic
                        hits2[j]++;
                        after = j;
                    }
                }
                expect_once(hits, "ull down", c, heavy);
                EXPECT(u == 0, "ull down chunk %d: lastprivate u = %llu", c, u);
                EXPECT(after == n - 1, "second loop chunk %d: lastprivate = %ld", c, after);
                for (int j = 0; j < N; j++)
                    if (hits2[j] != 1) {
                        EXPECT(0, "second loop chunk %d: iteration %d ran %d times", c, j,
                               hits2[j]);
                        break;
                    }

                /* combined parallel for with a reduction */
                long sum = 0;
#pragma omp parallel for schedule(dynamic, c) reduction(+ : sum)
                for (long k = 0; k < n; k++) {
                    work(k, heavy);
                    sum += k;
                }
                EXPECT(sum == n * (n - 1) / 2, "parallel for chunk %d: sum %ld", c, sum);
            }
        }
    }
    if (failures)
        return 1;
    printf("ok\n");
    return 0;
}
