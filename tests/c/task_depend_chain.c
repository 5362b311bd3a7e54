// Checks task dependences that form chains among sibling tasks: inout on one variable serializes tasks in creation order, out/in/out orders a writer, its readers and the next writer, several independent chains interleave correctly, and in:a out:b pipelines pass values along; both in an implicit and in an explicit parent task.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_DEPEND), GOMP_taskwait, GOMP_barrier.
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

#define N 200
#define NCH 8
#define PER 40

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 100 * (k % 4); j++)
        s += j;
}

/* All dependences are among the children of the calling task. */
static void scenarios(const char *where)
{
    /* 1. A chain on x: unsynchronized appends must come out in order. */
    int x = 0, log[N], pos = 0;
    for (int i = 0; i < N; i++) {
#pragma omp task depend(inout: x) shared(log, pos, x) firstprivate(i)
        {
            spin(i);
            log[pos++] = i;
            x++;
        }
    }
#pragma omp taskwait
    check(pos, N, "%s: chain length", where);
    check(x, N, "%s: chain updates", where);
    int bad = 0;
    for (int i = 0; i < N; i++)
        bad += log[i] != i;
    check(bad, 0, "%s: chain entries out of order", where);

    /* 2. out, in x 10, out, in x 10. */
    int y = 0, readers_done = 0, r1_bad = 0, r2_bad = 0, w2_saw = -1;
#pragma omp task depend(out: y) shared(y)
    {
        spin(3);
        y = 1;
    }
    for (int i = 0; i < 10; i++) {
#pragma omp task depend(in: y) shared(y, readers_done, r1_bad) firstprivate(i)
        {
            spin(i);
            if (y != 1)
                __atomic_fetch_add(&r1_bad, 1, __ATOMIC_RELAXED);
            __atomic_fetch_add(&readers_done, 1, __ATOMIC_RELEASE);
        }
    }
#pragma omp task depend(out: y) shared(y, readers_done, w2_saw)
    {
        w2_saw = __atomic_load_n(&readers_done, __ATOMIC_ACQUIRE);
        y = 2;
    }
    for (int i = 0; i < 10; i++) {
#pragma omp task depend(in: y) shared(y, r2_bad)
        if (y != 2)
            __atomic_fetch_add(&r2_bad, 1, __ATOMIC_RELAXED);
    }
#pragma omp taskwait
    check(r1_bad, 0, "%s: readers that ran before the first writer", where);
    check(w2_saw, 10, "%s: readers complete when the second writer ran", where);
    check(r2_bad, 0, "%s: readers that ran before the second writer", where);

    /* 3. Interleaved independent chains. */
    int c[NCH], clog[NCH][PER], cpos[NCH];
    for (int k = 0; k < NCH; k++)
        c[k] = cpos[k] = 0;
    for (int i = 0; i < PER; i++)
        for (int k = 0; k < NCH; k++) {
#pragma omp task depend(inout: c[k]) shared(c, clog, cpos) firstprivate(i, k)
            {
                spin(i + k);
                clog[k][cpos[k]++] = i;
                c[k] += i;
            }
        }
#pragma omp taskwait
    bad = 0;
    for (int k = 0; k < NCH; k++) {
        bad += cpos[k] != PER;
        bad += c[k] != PER * (PER - 1) / 2;
        for (int i = 0; i < PER && i < cpos[k]; i++)
            bad += clog[k][i] != i;
    }
    check(bad, 0, "%s: errors in interleaved chains", where);

    /* 4. A pipeline: stage s reads v[s] and writes v[s+1]. */
    long v[6] = {5, 0, 0, 0, 0, 0};
    for (int s = 0; s < 5; s++) {
#pragma omp task depend(in: v[s]) depend(out: v[s + 1]) shared(v) firstprivate(s)
        {
            spin(5 - s);
            v[s + 1] = v[s] * 2 + 1;
        }
    }
#pragma omp taskwait
    check(v[5], 191, "%s: pipeline result", where);
}

int main(void)
{
#pragma omp parallel
    {
#pragma omp single
        scenarios("implicit parent");
#pragma omp single
        {
#pragma omp task
            scenarios("explicit parent");
#pragma omp task
            scenarios("second explicit parent");
        }
    }
    return failures > 100 ? 100 : failures;
}
