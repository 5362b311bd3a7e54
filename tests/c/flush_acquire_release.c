// Checks OpenMP 5 memory-order hand-offs: atomic write release / atomic read acquire, flush release / flush acquire around relaxed atomics, atomic capture acq_rel and seq_cst tickets; each consumer sees all plain data written before the release (skipped when the team has one thread).
// GOMP entry points: GOMP_parallel, GOMP_atomic_start/end (reduction merge); the memory-order clauses compile to inline instructions.
#include <omp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>

#define ROUNDS 300
#define ND 8
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

static int load_acquire(int *p)
{
    int v;
#pragma omp atomic read acquire
    v = *p;
    return v;
}

static int load_relaxed_then_flush(int *p)
{
    int v;
#pragma omp atomic read relaxed
    v = *p;
#pragma omp flush acquire
    return v;
}

int main(void)
{
    long bad1 = 0, bad2 = 0, seen = 0;
    int team = 0;

    /* Variant 1: release/acquire atomics. Variant 2: flush release before a
       relaxed atomic write, relaxed atomic read then flush acquire. */
    for (int variant = 1; variant <= 2; variant++) {
        flag = 0;
        ack = 0;
#pragma omp parallel reduction(+:bad1, bad2, seen)
        {
            int me = omp_get_thread_num();
            int n = omp_get_num_threads();
#pragma omp master
            team = n;
            if (n >= 2) {
                for (int r = 1; r <= ROUNDS; r++) {
                    if (me == 0) {
                        for (int k = 0; k < ND; k++)
                            data[k] = (long)r * 100 + k;
                        if (variant == 1) {
#pragma omp atomic write release
                            flag = r;
                            while (load_acquire(&ack) != r * (n - 1))
                                sched_yield();
                        } else {
#pragma omp flush release
#pragma omp atomic write relaxed
                            flag = r;
                            while (load_relaxed_then_flush(&ack) != r * (n - 1))
                                sched_yield();
                        }
                    } else {
                        long b = 0;
                        if (variant == 1) {
                            while (load_acquire(&flag) != r)
                                sched_yield();
                        } else {
                            while (load_relaxed_then_flush(&flag) != r)
                                sched_yield();
                        }
                        for (int k = 0; k < ND; k++)
                            b += data[k] != (long)r * 100 + k;
                        if (variant == 1)
                            bad1 += b;
                        else
                            bad2 += b;
                        seen++;
                        /* release: our reads of data happen before the
                           producer's next writes */
#pragma omp atomic update release
                        ack += 1;
                    }
                }
            }
        }
    }
    if (team >= 2) {
        check(bad1, 0, "release/acquire atomics: stale data");
        check(bad2, 0, "flush release/acquire: stale data");
        check(seen, 2L * ROUNDS * (team - 1), "rounds consumed");
    }

    /* acq_rel capture: a ticket lock built from atomics protects plain
       data; seq_cst capture hands out unique numbers. */
    static int next_ticket, now_serving, seq;
    static long plain_counter;
    static char seen_seq[MAXT * 200];
    long dup = 0;
    int nthr = omp_get_max_threads();
#pragma omp parallel
    {
        for (int i = 0; i < 200; i++) {
            int my;
#pragma omp atomic capture acq_rel
            my = next_ticket++;
            while (load_acquire(&now_serving) != my)
                sched_yield();
            plain_counter++;
#pragma omp atomic write release
            now_serving = my + 1;

            int s;
#pragma omp atomic capture seq_cst
            s = seq++;
            if (s >= 0 && s < MAXT * 200)
                __atomic_fetch_add(&seen_seq[s], 1, __ATOMIC_RELAXED);
        }
    }
    for (int k = 0; k < 200 * nthr && k < MAXT * 200; k++)
        dup += seen_seq[k] != 1;
    check(plain_counter, 200L * nthr, "counter under an acq_rel ticket lock");
    check(dup, 0, "seq_cst captured numbers not seen exactly once");
    return failures > 100 ? 100 : failures;
}
