// Checks firstprivate copies that stress the argument block: a 4 KiB struct, 64- and 128-byte aligned data (the copy inside the task keeps the alignment), and a variable-length array (GCC passes a copy function), in deferred and in if(0) tasks, each captured at creation.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (with arg_size/arg_align and cpyfn), GOMP_taskwait, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdint.h>
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

struct big {
    long tag;
    long v[510];
    long tail;
};

struct al64 {
    char c;
    double d[3];
} __attribute__((aligned(64)));

#define NT 40

static long big_sum(const struct big *b)
{
    long s = 0;
    for (int k = 0; k < 510; k++)
        s += b->v[k];
    return s + b->tail;
}

static void fill(struct big *b, long tag)
{
    b->tag = tag;
    for (int k = 0; k < 510; k++)
        b->v[k] = tag * 1000 + k;
    b->tail = -tag;
}

static long want_sum(long tag)
{
    return tag * 1000 * 510 + 509L * 510 / 2 - tag;
}

int main(void)
{
    long big_got[NT], big_tag[NT];
    int misal64 = 0, misal128 = 0, al_bad = 0;
    long vla_got[NT];
    int vla_bad_len = 0;
    volatile int zero = 0;
    int n = 37 + (int)(zero); /* run-time length: a real VLA */

#pragma omp parallel shared(big_got, big_tag, misal64, misal128, al_bad, vla_got, vla_bad_len)
#pragma omp single
    {
        for (int round = 0; round < 2; round++) {
            int deferred = round == 0; /* round 1: if(0), undeferred */
            struct big b;
            struct al64 a;
            double c128[4] __attribute__((aligned(128)));
            long vla[n];
            for (int i = 0; i < NT; i++) {
                fill(&b, i + 1);
                a.c = (char)i;
                a.d[0] = a.d[1] = a.d[2] = i * 0.5;
                for (int k = 0; k < 4; k++)
                    c128[k] = i + k;
                for (int k = 0; k < n; k++)
                    vla[k] = i * 100 + k;
#pragma omp task firstprivate(b, a, c128, vla, i) if(deferred) shared(big_got, big_tag, misal64, misal128, al_bad, vla_got, vla_bad_len)
                {
                    big_got[i] = big_sum(&b);
                    big_tag[i] = b.tag;
                    if ((uintptr_t)&a % 64 != 0)
                        __atomic_fetch_add(&misal64, 1, __ATOMIC_RELAXED);
                    if ((uintptr_t)c128 % 128 != 0)
                        __atomic_fetch_add(&misal128, 1, __ATOMIC_RELAXED);
                    if (a.c != (char)i || a.d[2] != i * 0.5 || c128[3] != i + 3)
                        __atomic_fetch_add(&al_bad, 1, __ATOMIC_RELAXED);
                    if (sizeof vla != (size_t)n * sizeof(long))
                        __atomic_fetch_add(&vla_bad_len, 1, __ATOMIC_RELAXED);
                    long s = 0;
                    for (int k = 0; k < n; k++)
                        s += vla[k];
                    vla_got[i] = s;
                    /* Scribble over the copies: the originals must not change. */
                    b.tag = -1;
                    vla[0] = -1;
                }
                /* Change everything right after creation. */
                fill(&b, 9999);
                a.c = 0;
                a.d[2] = -1;
                c128[3] = -1;
                for (int k = 0; k < n; k++)
                    vla[k] = -7;
            }
#pragma omp taskwait
            check(b.tag, 9999, "creator's struct after tasks wrote their copies (round %d)", round);
            check(vla[0], -7, "creator's VLA after tasks wrote their copies (round %d)", round);
            for (int i = 0; i < NT; i++) {
                check(big_tag[i], i + 1, "task %d big.tag (round %d)", i, round);
                check(big_got[i], want_sum(i + 1), "task %d big sum (round %d)", i, round);
                long vs = 0;
                for (int k = 0; k < n; k++)
                    vs += i * 100 + k;
                check(vla_got[i], vs, "task %d VLA sum (round %d)", i, round);
            }
            check(misal64, 0, "tasks whose aligned(64) copy was misaligned (round %d)", round);
            check(misal128, 0, "tasks whose aligned(128) copy was misaligned (round %d)", round);
            check(al_bad, 0, "tasks with wrong aligned data (round %d)", round);
            check(vla_bad_len, 0, "tasks with a wrong VLA length (round %d)", round);
        }

        /* Without the VLA there is no copy function: a plain copy of a
           large block with 64-byte alignment. */
        misal64 = al_bad = 0;
        for (int i = 0; i < NT; i++) {
            struct big b;
            struct al64 a;
            fill(&b, i + 7);
            a.c = (char)(i + 1);
            a.d[0] = a.d[1] = a.d[2] = i * 0.25;
#pragma omp task firstprivate(b, a, i) shared(big_got, misal64, al_bad)
            {
                big_got[i] = big_sum(&b);
                if ((uintptr_t)&a % 64 != 0)
                    __atomic_fetch_add(&misal64, 1, __ATOMIC_RELAXED);
                if (a.c != (char)(i + 1) || a.d[1] != i * 0.25)
                    __atomic_fetch_add(&al_bad, 1, __ATOMIC_RELAXED);
            }
            fill(&b, -3);
            a.c = 0;
        }
#pragma omp taskwait
        for (int i = 0; i < NT; i++)
            check(big_got[i], want_sum(i + 7), "task %d big sum without a copy function", i);
        check(misal64, 0, "tasks whose aligned(64) copy was misaligned (no copy function)");
        check(al_bad, 0, "tasks with wrong aligned data (no copy function)");
    }
    return failures > 100 ? 100 : failures;
}
