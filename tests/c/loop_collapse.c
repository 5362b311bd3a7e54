// Checks collapse(2) and collapse(3) loops under static, dynamic, guided, runtime and monotonic schedules, with variable bounds, negative and non-unit steps, an empty inner dimension, unsigned long long variables, and non-rectangular (triangular) nests: every (i,j[,k]) exactly once and lastprivate values of all loop variables.
// GOMP entry points: GOMP_parallel, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_nonmonotonic_guided_start/_next, GOMP_loop_maybe_nonmonotonic_runtime_start/_next, GOMP_loop_dynamic_start/_next, GOMP_loop_ull_nonmonotonic_dynamic_start/_next, GOMP_loop_end, GOMP_loop_end_nowait.
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

#define NI 23
#define NJ 17
#define NK 5

static int h2[NI][NJ];
static int h3[NI][NJ][NK];
static volatile int vni = NI, vnj = NJ, vnk = NK, vzero = 0;

static void clear(void)
{
    for (int i = 0; i < NI; i++)
        for (int j = 0; j < NJ; j++) {
            h2[i][j] = 0;
            for (int k = 0; k < NK; k++)
                h3[i][j][k] = 0;
        }
}

static void check2(const char *what, int ni, int nj)
{
    for (int i = 0; i < NI; i++)
        for (int j = 0; j < NJ; j++)
            check(h2[i][j], i < ni && j < nj, "%s: h2[%d][%d]", what, i, j);
}

static void check3(const char *what)
{
    for (int i = 0; i < NI; i++)
        for (int j = 0; j < NJ; j++)
            for (int k = 0; k < NK; k++)
                check(h3[i][j][k], 1, "%s: h3[%d][%d][%d]", what, i, j, k);
}

int main(void)
{
    int ni = vni, nj = vnj, nk = vnk;
    int i, j, k;
    long li, lj;

    /* collapse(2), default (static) schedule. (lastprivate on a static
       collapsed loop makes GCC 12 warn about its own temporaries under
       -Wall, so it is checked on the runtime-scheduled loops below.) */
    clear();
#pragma omp parallel
#pragma omp for collapse(2)
    for (int a = 0; a < ni; a++)
        for (int b = 0; b < nj; b++)
            h2[a][b]++;
    check2("collapse(2) static", NI, NJ);

    /* collapse(2), dynamic,2, both loops counting down with steps */
    clear();
#pragma omp parallel
#pragma omp for collapse(2) schedule(dynamic, 2) lastprivate(li, lj)
    for (li = 3L * ni - 1; li >= 0; li -= 3)
        for (lj = 2L * nj; lj > 0; lj -= 2)
            h2[(3L * ni - 1 - li) / 3][(2L * nj - lj) / 2]++;
    check2("collapse(2) dynamic,2 down", NI, NJ);
    check(li, -1, "collapse(2) dynamic,2 down: lastprivate li");
    check(lj, 0, "collapse(2) dynamic,2 down: lastprivate lj");

    /* collapse(2), guided, mixed directions, nowait then collapse(3) runtime */
    clear();
#pragma omp parallel
    {
#pragma omp for collapse(2) schedule(guided) nowait
        for (int a = -ni; a < 0; a++)
            for (int b = nj - 1; b >= 0; b--)
                h2[a + ni][b]++;
#pragma omp for collapse(3) schedule(runtime) lastprivate(i, j, k)
        for (i = 0; i < ni; i++)
            for (j = 0; j < nj; j++)
                for (k = 10; k < 10 + 7 * nk; k += 7)
                    h3[i][j][(k - 10) / 7]++;
    }
    check2("collapse(2) guided", NI, NJ);
    check3("collapse(3) runtime");
    check(i, NI, "collapse(3) runtime: lastprivate i");
    check(j, NJ, "collapse(3) runtime: lastprivate j");
    check(k, 10 + 7 * NK, "collapse(3) runtime: lastprivate k");

    /* collapse(3), monotonic:dynamic,3: per-thread increasing flattened index */
    clear();
    int back = 0;
#pragma omp parallel reduction(+ : back)
    {
        long prev = -1;
#pragma omp for collapse(3) schedule(monotonic : dynamic, 3)
        for (int a = 0; a < ni; a++)
            for (int b = 0; b < nj; b++)
                for (int c = nk - 1; c >= 0; c--) {
                    long flat = ((long)a * nj + b) * nk + (nk - 1 - c);
                    if (flat <= prev)
                        back++;
                    prev = flat;
                    h3[a][b][c]++;
                }
    }
    check3("collapse(3) monotonic:dynamic,3");
    check(back, 0, "collapse(3) monotonic:dynamic,3: iterations seen out of order by a thread");

    /* an empty inner dimension: nothing runs */
    clear();
    int nz = vzero;
#pragma omp parallel
#pragma omp for collapse(2) schedule(dynamic)
    for (int a = 0; a < ni; a++)
        for (int b = 0; b < nz; b++)
            h2[a][b]++;
    check2("collapse(2) empty inner", NI, 0);

    /* unsigned long long variables with variable bounds */
    clear();
    unsigned long long ubase = (unsigned long long)vni << 40;
#pragma omp parallel
#pragma omp for collapse(2) schedule(dynamic, 4)
    for (unsigned long long a = ubase; a < ubase + (unsigned long long)ni; a++)
        for (unsigned long long b = (unsigned long long)nj; b > 0; b--)
            h2[a - ubase][b - 1]++;
    check2("collapse(2) ull dynamic,4", NI, NJ);

    /* non-rectangular: b runs up to a (static only in GCC 12) */
    static int tri[NI][3 * NI + 3];
#pragma omp parallel
#pragma omp for collapse(2)
    for (int a = 0; a < ni; a++)
        for (int b = 0; b <= a; b++)
            tri[a][b]++;
    for (int a = 0; a < NI; a++)
        for (int b = 0; b < 3 * NI + 3; b++)
            check(tri[a][b], b <= a, "collapse(2) triangular: tri[%d][%d]", a, b);

    /* non-rectangular with both inner bounds depending on the outer
       variable, outer loop counting down, inner step 2 */
    for (int a = 0; a < NI; a++)
        for (int b = 0; b < 3 * NI + 3; b++)
            tri[a][b] = 0;
#pragma omp parallel
#pragma omp for collapse(2)
    for (i = ni - 1; i >= 0; i--)
        for (j = i; j < 3 * i + 3; j += 2)
            tri[i][j]++;
    for (int a = 0; a < NI; a++)
        for (int b = 0; b < 3 * NI + 3; b++)
            check(tri[a][b], b >= a && b < 3 * a + 3 && (b - a) % 2 == 0,
                  "collapse(2) trapezoid: tri[%d][%d]", a, b);

    return failures > 100 ? 100 : failures;
}
