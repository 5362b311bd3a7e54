// Checks OMP_PROC_BIND=true without OMP_PLACES: one place per CPU of the process, in increasing order; the initial thread is bound to the first from the start; bind-var is true in every implicit task; teams are placed as close places them (consecutive places from the primary thread's, groups when threads outnumber places), each thread bound to its place.
// GOMP entry points: GOMP_parallel, nested (plus the omp_* place queries and omp_get_proc_bind).
// pomp-test: env=OMP_PROC_BIND=true cflags=-D_GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>

static int failures;

static void check(const char *what, int got, int want)
{
    if (got != want) {
#pragma omp critical(report)
        {
            failures++;
            printf("FAIL: %s (got %d, want %d)\n", what, got, want);
        }
    }
}

/* The single CPU the calling thread may run on, -1 if not one CPU. */
static int only_cpu(void)
{
    cpu_set_t s;
    if (sched_getaffinity(0, sizeof s, &s) != 0 || CPU_COUNT(&s) != 1)
        return -1;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &s))
            return c;
    return -1;
}

int main(void)
{
    int p = omp_get_num_places();
    check("places = procs", p, omp_get_num_procs());
    if (p < 1 || p > 256) {
        printf("FAIL: %d places\n", p);
        return 1;
    }
    int cpu[256], prev = -1;
    for (int i = 0; i < p; i++) {
        check("one CPU per place", omp_get_place_num_procs(i), 1);
        omp_get_place_proc_ids(i, &cpu[i]);
        if (cpu[i] <= prev)
            check("places in increasing CPU order", cpu[i], prev + 1);
        prev = cpu[i];
    }
    check("bind-var", omp_get_proc_bind(), omp_proc_bind_true);
    check("initial place", omp_get_place_num(), 0);
    check("initial thread bound to the first CPU", only_cpu(), cpu[0]);
    check("partition", omp_get_partition_num_places(), p);

    /* Largest team first (see proc_bind_close.c). */
    int sizes[] = {3 * p + 1, 2 * p, p, 1};
    for (int k = 0; k < 4; k++) {
        int n = sizes[k], place[1024], bound[1024], bind[1024];
        if (n > 1024)
            continue;
#pragma omp parallel num_threads(n)
        {
            int t = omp_get_thread_num();
            place[t] = omp_get_place_num();
            bound[t] = only_cpu();
            bind[t] = omp_get_proc_bind();
        }
        for (int t = 0; t < n; t++) {
            int step = t;
            if (n > p) {
                int per = n / p, full = n - n % p;
                step = t < full ? t / per : p + (t - full);
            }
            char what[64];
            snprintf(what, sizeof what, "n=%d thread %d place", n, t);
            check(what, place[t], step % p);
            /* Only fresh threads: libgomp leaves a reused thread on its
               previous CPU when a smaller team moves it to another place. */
            snprintf(what, sizeof what, "n=%d thread %d bound CPU", n, t);
            if (k == 0)
                check(what, bound[t], place[t] >= 0 && place[t] < p ? cpu[place[t]] : -2);
            snprintf(what, sizeof what, "n=%d thread %d bind-var", n, t);
            check(what, bind[t], omp_proc_bind_true);
        }
    }
    return failures > 100 ? 100 : failures;
}
