// Checks what omp_set_schedule(omp_sched_auto, chunk) does to the chunk libgomp reports: the kind becomes auto (with or without the monotonic bit) and the chunk stored by the previous call is kept, whatever chunk is passed.
// GOMP entry points: GOMP_parallel (plus omp_set_schedule, omp_get_schedule).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

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

static void expect(int kind, int chunk, const char *what)
{
    omp_sched_t k = (omp_sched_t)-1;
    int c = -99;
    omp_get_schedule(&k, &c);
    check((long)(unsigned)k, (long)(unsigned)kind, "%s: kind", what);
    check(c, chunk, "%s: chunk", what);
}

int main(void)
{
    const int mono = (int)omp_sched_monotonic;

    omp_set_schedule(omp_sched_guided, 9);
    omp_set_schedule(omp_sched_auto, 4);
    expect(omp_sched_auto, 9, "guided,9 then auto,4");
    omp_set_schedule(omp_sched_auto, -4);
    expect(omp_sched_auto, 9, "then auto,-4");

    omp_set_schedule(omp_sched_static, 0);
    omp_set_schedule(omp_sched_auto, 0);
    expect(omp_sched_auto, 0, "static,0 then auto,0");
    omp_set_schedule(omp_sched_auto, 100);
    expect(omp_sched_auto, 0, "then auto,100");

    omp_set_schedule(omp_sched_dynamic, 33);
    omp_set_schedule((omp_sched_t)(omp_sched_auto | mono), 1);
    expect(omp_sched_auto | mono, 33, "dynamic,33 then monotonic:auto,1");

    /* The same inside a region, on a thread's own copy. */
    int ok = 1;
#pragma omp parallel num_threads(2) reduction(&&:ok)
    {
        omp_set_schedule(omp_sched_static, 5 + omp_get_thread_num());
        omp_set_schedule(omp_sched_auto, 1);
        omp_sched_t k;
        int c;
        omp_get_schedule(&k, &c);
        ok = k == omp_sched_auto && c == 5 + omp_get_thread_num();
    }
    check(ok, 1, "per-thread auto keeps the thread's own chunk");
    expect(omp_sched_auto | mono, 33, "after the region");

    return failures > 100 ? 100 : failures;
}
