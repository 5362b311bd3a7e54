// Checks flush-based hand-off: a producer writes plain data, flushes, and sets a flag with an atomic write; consumers spin on an atomic read of the flag with flush (and a yield) and then must see all of the data; round trips with acknowledgements, for one consumer (team of 2) and for every other thread of the default team (skipped when the team has one thread).
// GOMP entry points: GOMP_parallel, GOMP_atomic_start/end (reduction merge); flush is an inline fence, no runtime call.
#include <omp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>

#define ROUNDS 400
#define ND 16
#define MAXT 64

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    failures++;
    if (failures > 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

static long data[ND];
static int flag, ack;

static int read_flag(int *p)
{
    int v;
#pragma omp flush
#pragma omp atomic read
    v = *p;
    return v;
}

/* Producer: thread 0. Consumers: threads 1..n-1. Round r publishes
   data[k] = r * 1000 + k, then waits for every consumer's acknowledgement. */
static void ping_pong(long *bad, long *rounds_seen)
{
    int me = omp_get_thread_num();
    int n = omp_get_num_threads();
    if (n < 2)
        return;
    for (int r = 1; r <= ROUNDS; r++) {
        if (me == 0) {
            for (int k = 0; k < ND; k++)
                data[k] = (long)r * 1000 + k;
#pragma omp flush
#pragma omp atomic write
            flag = r;
#pragma omp flush
            while (read_flag(&ack) != r * (n - 1))
                sched_yield();
        } else {
            while (read_flag(&flag) != r)
                sched_yield();
#pragma omp flush
            for (int k = 0; k < ND; k++)
                if (data[k] != (long)r * 1000 + k)
                    (*bad)++;
            (*rounds_seen)++;
            /* Acknowledge only after the check: the producer rewrites the
               data once all acknowledgements are in. The target
               r * (n - 1) is cumulative, so ack is never reset. */
#pragma omp atomic update
            ack += 1;
#pragma omp flush
        }
    }
}

int main(void)
{
    long bad = 0, seen = 0;
    int team = 0;
    flag = 0;
    ack = 0;
#pragma omp parallel num_threads(2) reduction(+:bad, seen)
    {
#pragma omp master
        team = omp_get_num_threads();
        long b = 0, s = 0;
        ping_pong(&b, &s);
        bad += b;
        seen += s;
    }
    if (team >= 2) {
        check(bad, 0, "team of 2: stale data after the flag");
        check(seen, (long)ROUNDS * (team - 1), "team of 2: rounds consumed");
    }

    flag = 0;
    ack = 0;
    bad = 0;
    seen = 0;
#pragma omp parallel reduction(+:bad, seen)
    {
#pragma omp master
        team = omp_get_num_threads();
        long b = 0, s = 0;
        ping_pong(&b, &s);
        bad += b;
        seen += s;
    }
    if (team >= 2) {
        check(bad, 0, "default team: stale data after the flag");
        check(seen, (long)ROUNDS * (team - 1), "default team: rounds consumed");
    }
    check(flag, team >= 2 ? ROUNDS : 0, "final flag");
    return failures > 100 ? 100 : failures;
}
