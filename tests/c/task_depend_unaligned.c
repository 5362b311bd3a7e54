// Checks dependences on unaligned addresses: the same odd address reached through different expressions ((char *)buf + 3, buf[3], a packed struct's int member at offset 1, an unaligned 4-byte section) orders tasks exactly like an aligned variable, while chains on neighbouring disjoint bytes also each keep their order.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task (GOMP_TASK_FLAG_DEPEND), GOMP_taskwait, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define PER 60
#define NCHAIN 5

struct __attribute__((packed)) packed {
    char c;
    int v; /* at offset 1 */
};

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 60 * (k % 7); j++)
        s += j;
}

int main(void)
{
    static char buf[64] __attribute__((aligned(64)));
    static struct packed ps[2];
    int log[NCHAIN][PER], pos[NCHAIN] = {0};

#pragma omp parallel shared(buf, ps, log, pos)
#pragma omp single
    {
        char *p3 = (char *)buf + 3;
        char *p8 = buf + 8;
        for (int i = 0; i < PER; i++) {
            /* Chain 0: byte 3, spelled three ways. */
            switch (i % 3) {
            case 0:
#pragma omp task depend(inout: p3[0]) shared(log, pos) firstprivate(i, p3)
                {
                    spin(i);
                    (*p3)++;
                    log[0][pos[0]++] = i;
                }
                break;
            case 1:
#pragma omp task depend(inout: buf[3]) shared(buf, log, pos) firstprivate(i)
                {
                    spin(i + 1);
                    buf[3]++;
                    log[0][pos[0]++] = i;
                }
                break;
            default:
#pragma omp task depend(inout: *((char *)buf + 3)) shared(buf, log, pos) firstprivate(i)
                {
                    spin(i + 2);
                    buf[3]++;
                    log[0][pos[0]++] = i;
                }
                break;
            }
            /* Chain 1: byte 4, right next to chain 0. */
#pragma omp task depend(inout: buf[4]) shared(buf, log, pos) firstprivate(i)
            {
                spin(i + 3);
                buf[4] += 2;
                log[1][pos[1]++] = i;
            }
            /* Chain 2: an unaligned 4-byte section at buf + 8 .. 11. */
            if (i % 2) {
#pragma omp task depend(inout: buf[8:4]) shared(buf, log, pos) firstprivate(i)
                {
                    spin(i + 4);
                    buf[9]++;
                    log[2][pos[2]++] = i;
                }
            } else {
#pragma omp task depend(inout: p8[0:4]) shared(log, pos) firstprivate(i, p8)
                {
                    spin(i + 4);
                    p8[1]++;
                    log[2][pos[2]++] = i;
                }
            }
            /* Chains 3 and 4: int members at odd addresses. */
            /* ps[1].v's address, computed without naming the member. */
            int *pv = (int *)((char *)ps + sizeof(struct packed) + 1);
            if (i % 2) {
#pragma omp task depend(inout: ps[0].v) shared(ps, log, pos) firstprivate(i)
                {
                    spin(i + 5);
                    ps[0].v += i;
                    log[3][pos[3]++] = i;
                }
#pragma omp task depend(inout: ps[1].v) shared(ps, log, pos) firstprivate(i)
                {
                    spin(i + 6);
                    ps[1].v += 1;
                    log[4][pos[4]++] = i;
                }
            } else {
#pragma omp task depend(inout: ps[0].v) shared(ps, log, pos) firstprivate(i)
                {
                    spin(i + 5);
                    ps[0].v += i;
                    log[3][pos[3]++] = i;
                }
#pragma omp task depend(inout: *pv) shared(ps, log, pos) firstprivate(i)
                {
                    spin(i + 6);
                    ps[1].v += 1;
                    log[4][pos[4]++] = i;
                }
            }
        }
    }
    int bad = 0;
    for (int c = 0; c < NCHAIN; c++) {
        check(pos[c], PER, "tasks in chain %d", c);
        for (int i = 0; i < PER && i < pos[c]; i++)
            bad += log[c][i] != i;
    }
    check(bad, 0, "tasks out of creation order in the unaligned chains");
    check(buf[3], PER, "byte 3");
    check(buf[4], 2 * PER, "byte 4");
    check(buf[9], PER, "byte 9");
    check(ps[0].v, (long)PER * (PER - 1) / 2, "packed member 0");
    check(ps[1].v, PER, "packed member 1");
    return failures > 100 ? 100 : failures;
}
