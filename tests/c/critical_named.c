// Checks named critical: sections with the same name exclude each other across code sites and an orphaned function, differently named sections can be nested inside one another (and inside unnamed critical) without deadlock, and every protected counter is exact.
// GOMP entry points: GOMP_parallel, GOMP_critical_name_start, GOMP_critical_name_end, GOMP_critical_start, GOMP_critical_end.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define ITERS 3000

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

struct guarded {
    int inside;
    long overlaps;
    volatile long count;
};

static struct guarded ga, gb, gc, gu;

static inline void enter(struct guarded *g)
{
    if (__atomic_fetch_add(&g->inside, 1, __ATOMIC_RELAXED) != 0)
        __atomic_fetch_add(&g->overlaps, 1, __ATOMIC_RELAXED);
}

static inline void leave(struct guarded *g)
{
    long c = g->count;
    g->count = c + 1;
    __atomic_fetch_sub(&g->inside, 1, __ATOMIC_RELAXED);
}

static void __attribute__((noinline)) orphan_alpha(void)
{
#pragma omp critical(alpha)
    {
        enter(&ga);
        leave(&ga);
    }
}

int main(void)
{
    int nthr = omp_get_max_threads();
#pragma omp parallel
    {
        int me = omp_get_thread_num();
        for (int i = 0; i < ITERS; i++) {
            switch ((i + me) % 5) {
            case 0:
#pragma omp critical(alpha)
                {
                    enter(&ga);
                    leave(&ga);
                }
                break;
            case 1:
                orphan_alpha();
                break;
            case 2:
                /* alpha, then beta nested inside it */
#pragma omp critical(alpha)
                {
                    enter(&ga);
#pragma omp critical(beta)
                    {
                        enter(&gb);
                        leave(&gb);
                    }
                    leave(&ga);
                }
                break;
            case 3:
                /* unnamed -> gamma -> beta: a consistent nesting order */
#pragma omp critical
                {
                    enter(&gu);
#pragma omp critical(gamma)
                    {
                        enter(&gc);
#pragma omp critical(beta)
                        {
                            enter(&gb);
                            leave(&gb);
                        }
                        leave(&gc);
                    }
                    leave(&gu);
                }
                break;
            default:
#pragma omp critical(gamma)
                {
                    enter(&gc);
                    leave(&gc);
                }
                break;
            }
        }
    }
    /* Count how often each case ran over all threads. */
    long want[5] = {0, 0, 0, 0, 0};
    for (int t = 0; t < nthr; t++)
        for (int i = 0; i < ITERS; i++)
            want[(i + t) % 5]++;
    check(ga.overlaps, 0, "critical(alpha) overlaps");
    check(gb.overlaps, 0, "critical(beta) overlaps");
    check(gc.overlaps, 0, "critical(gamma) overlaps");
    check(gu.overlaps, 0, "unnamed critical overlaps");
    check(ga.count, want[0] + want[1] + want[2], "critical(alpha) count");
    check(gb.count, want[2] + want[3], "critical(beta) count");
    check(gc.count, want[3] + want[4], "critical(gamma) count");
    check(gu.count, want[3], "unnamed critical count");
    return failures > 100 ? 100 : failures;
}
