// Checks the run-sched-var ICV through omp_set_schedule/omp_get_schedule: the default (dynamic, 1), each kind with positive chunks, chunk < 1 (static stores 0, dynamic/guided store 1), the monotonic modifier bit kept in the kind, invalid kinds ignored, and per-thread values inside a region that nested regions inherit and that do not leak out.
// GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_critical_name_start, GOMP_critical_name_end (plus omp_set_schedule, omp_get_schedule).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define MAXT 16

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
#pragma omp atomic
    failures++;
    va_list ap;
    va_start(ap, fmt);
#pragma omp critical(report)
    {
        printf("FAIL: ");
        vprintf(fmt, ap);
        printf(" (got %ld, want %ld)\n", got, want);
    }
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
    check(mono, (int)0x80000000u, "omp_sched_monotonic value");

    /* Default with OMP_SCHEDULE unset. */
    expect(omp_sched_dynamic, 1, "default");

    omp_set_schedule(omp_sched_static, 5);
    expect(omp_sched_static, 5, "static,5");
    omp_set_schedule(omp_sched_static, 0);
    expect(omp_sched_static, 0, "static,0");
    omp_set_schedule(omp_sched_static, -4);
    expect(omp_sched_static, 0, "static,-4");
    omp_set_schedule(omp_sched_dynamic, 17);
    expect(omp_sched_dynamic, 17, "dynamic,17");
    omp_set_schedule(omp_sched_dynamic, 0);
    expect(omp_sched_dynamic, 1, "dynamic,0");
    omp_set_schedule(omp_sched_dynamic, -100);
    expect(omp_sched_dynamic, 1, "dynamic,-100");
    omp_set_schedule(omp_sched_guided, 3);
    expect(omp_sched_guided, 3, "guided,3");
    omp_set_schedule(omp_sched_guided, 0);
    expect(omp_sched_guided, 1, "guided,0");
    omp_set_schedule(omp_sched_auto, 0);
    {
        omp_sched_t k;
        int c;
        omp_get_schedule(&k, &c);
        check(k, omp_sched_auto, "auto: kind");
    }

    /* Monotonic modifier. */
    omp_set_schedule((omp_sched_t)(omp_sched_dynamic | mono), 4);
    expect(omp_sched_dynamic | mono, 4, "monotonic:dynamic,4");
    omp_set_schedule((omp_sched_t)(omp_sched_static | mono), -1);
    expect(omp_sched_static | mono, 0, "monotonic:static,-1");
    omp_set_schedule((omp_sched_t)(omp_sched_guided | mono), 0);
    expect(omp_sched_guided | mono, 1, "monotonic:guided,0");
    omp_set_schedule((omp_sched_t)(omp_sched_guided | mono), 8);
    expect(omp_sched_guided | mono, 8, "monotonic:guided,8");

    /* Invalid kinds leave the ICV unchanged. */
    omp_set_schedule(omp_sched_dynamic, 6);
    omp_set_schedule((omp_sched_t)0, 2);
    expect(omp_sched_dynamic, 6, "after kind 0");
    omp_set_schedule((omp_sched_t)9, 2);
    expect(omp_sched_dynamic, 6, "after kind 9");
    omp_set_schedule((omp_sched_t)mono, 2);
    expect(omp_sched_dynamic, 6, "after the monotonic bit alone");

    /* Per-thread values inside a region. */
    omp_set_schedule(omp_sched_guided, 7);
    omp_set_max_active_levels(2);
    int kinds[MAXT], chunks[MAXT], inherited_ok[MAXT], ikinds[MAXT], ichunks[MAXT];
    for (int i = 0; i < MAXT; i++)
        kinds[i] = chunks[i] = inherited_ok[i] = ikinds[i] = ichunks[i] = -1;
    int nthr = 0;
#pragma omp parallel num_threads(3)
    {
        int me = omp_get_thread_num();
#pragma omp master
        nthr = omp_get_num_threads();
        omp_sched_t k;
        int c;
        omp_get_schedule(&k, &c);
        inherited_ok[me] = k == omp_sched_guided && c == 7;
#pragma omp barrier
        omp_set_schedule(me == 1 ? omp_sched_static : omp_sched_dynamic, 10 + me);
#pragma omp barrier
        omp_get_schedule(&k, &c);
        kinds[me] = k;
        chunks[me] = c;
#pragma omp parallel num_threads(2)
        {
            omp_sched_t k2;
            int c2;
            omp_get_schedule(&k2, &c2);
            if (omp_get_thread_num() == 1 || omp_get_num_threads() == 1) {
                ikinds[me] = k2;
                ichunks[me] = c2;
            }
        }
    }
    for (int t = 0; t < nthr; t++) {
        check(inherited_ok[t], 1, "thread %d: inherited guided,7", t);
        check(kinds[t], t == 1 ? omp_sched_static : omp_sched_dynamic, "thread %d: own kind", t);
        check(chunks[t], 10 + t, "thread %d: own chunk", t);
        check(ikinds[t], t == 1 ? omp_sched_static : omp_sched_dynamic, "thread %d: kind in nested region", t);
        check(ichunks[t], 10 + t, "thread %d: chunk in nested region", t);
    }
    expect(omp_sched_guided, 7, "after the region");

    return failures > 100 ? 100 : failures;
}
