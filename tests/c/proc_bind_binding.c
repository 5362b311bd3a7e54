// Checks that binding really restricts threads: with OMP_PLACES={1},{0} the initial thread runs on CPU 1 from the start of main, each team thread's affinity mask is its place's CPUs (also when a reused thread changes place between regions), the primary thread keeps its mask after a region, and a thread the program creates itself sits on place 0 with the whole list as partition and places its own team from there.
// GOMP entry points: GOMP_parallel with proc_bind(close/spread/primary) flags, from the initial thread and from a pthread (plus the omp_* place queries).
// pomp-test: env=OMP_PLACES={1},{0};OMP_PROC_BIND=close cflags=-D_GNU_SOURCE,-pthread
#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static int failures;

/* The calling thread's mask as a bit set of CPUs 0..63, -1 on error. */
static long long mask(void)
{
    cpu_set_t s;
    if (sched_getaffinity(0, sizeof s, &s) != 0)
        return -1;
    long long m = 0;
    for (int c = 0; c < 64; c++)
        if (CPU_ISSET(c, &s))
            m |= 1LL << c;
    return CPU_COUNT(&s) == __builtin_popcountll((unsigned long long)m) ? m : -1;
}

/* Place p's CPUs as a bit set. */
static long long place_mask(int p)
{
    int ids[64], k = omp_get_place_num_procs(p);
    if (k <= 0 || k > 64)
        return -2;
    omp_get_place_proc_ids(p, ids);
    long long m = 0;
    for (int i = 0; i < k; i++)
        m |= 1LL << ids[i];
    return m;
}

static void check(const char *what, long long got, long long want)
{
    if (got != want) {
#pragma omp critical(report)
        {
            failures++;
            printf("FAIL: %s (got %lld, want %lld)\n", what, got, want);
        }
    }
}

/* Every thread of a team of n: bound to its place, which is `want`. */
static void team(const char *what, int n, int policy, const int *want)
{
    int place[8];
    long long m[8];
    switch (policy) {
    case 0:
#pragma omp parallel num_threads(n) proc_bind(close)
        place[omp_get_thread_num()] = omp_get_place_num(), m[omp_get_thread_num()] = mask();
        break;
    case 1:
#pragma omp parallel num_threads(n) proc_bind(spread)
        place[omp_get_thread_num()] = omp_get_place_num(), m[omp_get_thread_num()] = mask();
        break;
    default:
#pragma omp parallel num_threads(n) proc_bind(primary)
        place[omp_get_thread_num()] = omp_get_place_num(), m[omp_get_thread_num()] = mask();
        break;
    }
    for (int t = 0; t < n; t++) {
        char buf[96];
        snprintf(buf, sizeof buf, "%s: thread %d of %d place", what, t, n);
        check(buf, place[t], want[t]);
        snprintf(buf, sizeof buf, "%s: thread %d of %d mask", what, t, n);
        check(buf, m[t], place_mask(place[t]));
    }
}

static void *user_thread(void *arg)
{
    (void)arg;
    check("user thread place", omp_get_place_num(), 0);
    check("user thread partition", omp_get_partition_num_places(), 2);
    check("user thread mask", mask(), 2);
    static const int close4[] = {0, 0, 1, 1};
    team("user thread close", 4, 0, close4);
    check("user thread mask after", mask(), 2);
    return NULL;
}

int main(void)
{
    /* Place 0 is {1}: bound before main ran. */
    check("initial mask", mask(), 2);
    check("initial place", omp_get_place_num(), 0);
    check("places", omp_get_num_places(), 2);
    check("place 0 CPUs", place_mask(0), 2);
    check("place 1 CPUs", place_mask(1), 1);

    static const int close4[] = {0, 0, 1, 1}, close3[] = {0, 1, 0}, close2[] = {0, 1},
                     prim3[] = {0, 0, 0}, spread2[] = {0, 1};
    team("close", 4, 0, close4);
    check("initial mask after a region", mask(), 2);
    /* The same threads change places: primary puts them all on place 0,
       close moves them back. */
    team("primary", 3, 2, prim3);
    team("close", 3, 0, close3);
    team("spread", 2, 1, spread2);
    team("primary", 3, 2, prim3);
    team("close", 2, 0, close2);
    check("initial mask at the end", mask(), 2);

    pthread_t t;
    if (pthread_create(&t, NULL, user_thread, NULL) == 0)
        pthread_join(t, NULL);
    else
        check("pthread_create", 1, 0);
    check("initial mask after the user thread", mask(), 2);
    return failures > 100 ? 100 : failures;
}
