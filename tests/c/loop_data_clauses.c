// Checks data-sharing clauses on work-sharing loops under static, dynamic and guided schedules: firstprivate (every thread's copy starts from the original), firstprivate+lastprivate on one variable, lastprivate of scalars, arrays and structs (value of the sequentially last iteration, also with nowait), and linear (value at every iteration and after the loop).
// GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_nonmonotonic_guided_start/_next, GOMP_loop_dynamic_start/_next, GOMP_loop_end, GOMP_loop_end_nowait.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

/* Called outside parallel regions (or by one thread at a time). */
static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    if (++failures > 30)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define N 500

struct pt {
    int a;
    long b;
    double c;
};

static volatile int vn = N;

int main(void)
{
    int n = vn;
    int bad = 0;

    /* firstprivate: first iteration each thread runs sees the original */
    int x = 100;
    int y = -1, first = 1;
#pragma omp parallel reduction(+ : bad)
    {
#pragma omp for schedule(dynamic, 7) firstprivate(x, first) lastprivate(y)
        for (int i = 0; i < n; i++) {
            if (first && x != 100)
                bad++;
            if (x < 100)
                bad++;
            first = 0;
            x = 100 + i;
            y = x * 2;
        }
    }
    check(bad, 0, "firstprivate dynamic: copies not starting at 100");
    check(x, 100, "firstprivate dynamic: original x unchanged");
    check(y, 2 * (100 + N - 1), "firstprivate dynamic: lastprivate y");

    /* firstprivate and lastprivate on the same variable */
    bad = 0;
    int z = 7;
#pragma omp parallel reduction(+ : bad)
    {
#pragma omp for schedule(guided, 3) firstprivate(z) lastprivate(z)
        for (int i = 0; i < n; i++) {
            if (z < 7)
                bad++;
            z = 7 + i;
        }
    }
    check(bad, 0, "first+lastprivate guided: copies below 7");
    check(z, 7 + N - 1, "first+lastprivate guided: z");

    /* lastprivate of an array and a struct, nowait, then a barrier */
    int arr[4] = {0, 0, 0, 0};
    struct pt p = {0, 0, 0.0};
#pragma omp parallel
    {
#pragma omp for schedule(monotonic : dynamic, 4) lastprivate(arr, p) nowait
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++)
                arr[k] = i * 10 + k;
            p.a = i;
            p.b = -i;
            p.c = i * 0.5;
        }
    }
    for (int k = 0; k < 4; k++)
        check(arr[k], (N - 1) * 10 + k, "lastprivate array: arr[%d]", k);
    check(p.a, N - 1, "lastprivate struct: p.a");
    check(p.b, -(N - 1), "lastprivate struct: p.b");
    check(p.c == (N - 1) * 0.5, 1, "lastprivate struct: p.c");

    /* lastprivate with static,5: the sequentially last iteration wins */
    long w = 0;
#pragma omp parallel
#pragma omp for schedule(static, 5) lastprivate(w)
    for (int i = 0; i < n; i++)
        w = (i % 2) ? -i : i;
    check(w, (N - 1) % 2 ? -(N - 1) : N - 1, "lastprivate static,5: w");

    /* linear(j:2) under three schedules: j is 11 + 2*i when iteration i
       starts, and the body advances it by the step */
    for (int s = 0; s < 3; s++) {
        int j = 11;
        bad = 0;
        static int seen[N];
        for (int i = 0; i < N; i++)
            seen[i] = 0;
#pragma omp parallel reduction(+ : bad)
        {
            if (s == 0) {
#pragma omp for linear(j : 2)
                for (int i = 0; i < n; i++) {
                    if (j != 11 + 2 * i)
                        bad++;
                    seen[i]++;
                    j += 2;
                }
            } else if (s == 1) {
#pragma omp for schedule(dynamic, 3) linear(j : 2)
                for (int i = 0; i < n; i++) {
                    if (j != 11 + 2 * i)
                        bad++;
                    seen[i]++;
                    j += 2;
                }
            } else {
#pragma omp for schedule(guided) linear(j : 2)
                for (int i = 0; i < n; i++) {
                    if (j != 11 + 2 * i)
                        bad++;
                    seen[i]++;
                    j += 2;
                }
            }
        }
        check(bad, 0, "linear (schedule %d): iterations with a wrong j", s);
        check(j, 11 + 2 * N, "linear (schedule %d): j after the loop", s);
        for (int i = 0; i < N; i++)
            check(seen[i], 1, "linear (schedule %d): seen[%d]", s, i);
    }

    return failures > 100 ? 100 : failures;
}
