// Checks nonmonotonic dynamic loops whose threads arrive at different times (pomp's threads set their own ranges up as they enter, and a thread that finds another's range not yet set up for the loop sets it up and steals from it): a late thread, more nowait loops in a row than pomp's ring of constructs holds, and a nested parallel region inside a loop body; every iteration runs once, and the thread that ran the last iteration ran nothing after it.
// GOMP entry points: GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_end, GOMP_loop_end_nowait, GOMP_parallel, GOMP_barrier.
#include <omp.h>
#include <stdio.h>

#define N 2000
#define LOOPS 40
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

static int hits[LOOPS][N];
static long last[LOOPS][MAXT];
static int last_runner[LOOPS];

static void spin(int k)
{
    volatile long x = 0;
    for (int i = 0; i < k; i++)
        x += i;
}

static void ran(int l, long i, long n)
{
    int t = omp_get_thread_num();
#pragma omp atomic
    hits[l][i]++;
    if (t < MAXT)
        last[l][t] = i;
    if (i == n - 1)
        last_runner[l] = t;
}

static void reset(void)
{
    for (int l = 0; l < LOOPS; l++) {
        for (int i = 0; i < N; i++)
            hits[l][i] = 0;
        for (int t = 0; t < MAXT; t++)
            last[l][t] = -1;
        last_runner[l] = -1;
    }
}

static void expect_loop(int l, long n, const char *what)
{
    int bad = 0;
    for (long i = 0; i < n; i++)
        if (hits[l][i] != 1 && bad++ < 3)
            EXPECT(0, "%s loop %d: iteration %ld ran %d times", what, l, i, hits[l][i]);
    int r = last_runner[l];
    EXPECT(r >= 0 && r < MAXT && last[l][r] == n - 1,
           "%s loop %d: thread %d ran iteration %ld after the last one", what, l, r,
           r >= 0 && r < MAXT ? last[l][r] : -1L);
}

static volatile long vn = N;

int main(void)
{
    long n = vn;
    omp_set_max_active_levels(2);
    for (int rep = 0; rep < 5; rep++) {
        /* One thread arrives late: the others take its part. */
        for (int late = 0; late < 2; late++) {
            reset();
#pragma omp parallel
            {
                if (omp_get_thread_num() == (late ? omp_get_num_threads() - 1 : 0))
                    spin(200000);
#pragma omp for schedule(dynamic, 4)
                for (long i = 0; i < n; i++) {
                    spin(50);
                    ran(0, i, n);
                }
            }
            expect_loop(0, n, late ? "late last thread" : "late first thread");
        }

        /* More nowait loops in a row than the ring holds, of different
           lengths and chunks, the threads drifting apart. */
        reset();
#pragma omp parallel
        {
            int t = omp_get_thread_num();
            for (int l = 0; l < LOOPS; l++) {
                long m = n - 37 * l;
                int c = 1 + l % 5;
                if ((l + t) % 7 == 0)
                    spin(20000);
#pragma omp for schedule(dynamic, c) nowait
                for (long i = 0; i < m; i++) {
                    if ((i + t) % 97 == 0)
                        spin(2000);
                    ran(l, i, m);
                }
            }
        }
        for (int l = 0; l < LOOPS; l++)
            expect_loop(l, n - 37 * l, "nowait row");

        /* A nested region inside the loop's body, the loop then going on
           where it was. */
        reset();
        int inner_bad = 0;
#pragma omp parallel
        {
#pragma omp for schedule(dynamic, 2)
            for (long i = 0; i < n; i++) {
                if (i % 250 == 0) {
                    int sum = 0;
#pragma omp parallel num_threads(2) reduction(+ : sum)
                    sum += 1;
                    if (sum != 2 && sum != 1) {
#pragma omp atomic
                        inner_bad++;
                    }
                }
                ran(0, i, n);
            }
        }
        EXPECT(inner_bad == 0, "nested region: %d bad sums", inner_bad);
        expect_loop(0, n, "nested region");
    }
    if (failures)
        return 1;
    printf("ok\n");
    return 0;
}
