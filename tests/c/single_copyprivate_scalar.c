// Checks single copyprivate of scalars (int, char, long long, float, double, a pointer, and a threadprivate variable): after the construct every thread's private copy holds the value the executing thread produced, over many encounters, and the body runs exactly once per encounter.
// GOMP entry points: GOMP_parallel, GOMP_single_copy_start, GOMP_single_copy_end, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

#define ROUNDS 250

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

static int tp = -1;
#pragma omp threadprivate(tp)

static int targets[ROUNDS];
static int body_runs[ROUNDS];

int main(void)
{
    long bad_i = 0, bad_c = 0, bad_ll = 0, bad_f = 0, bad_d = 0, bad_p = 0,
         bad_tp = 0, bad_who = 0;
    static int executed_by[ROUNDS];

#pragma omp parallel
    {
        long my_bad_i = 0, my_bad_c = 0, my_bad_ll = 0, my_bad_f = 0,
             my_bad_d = 0, my_bad_p = 0, my_bad_tp = 0, my_bad_who = 0;
        int me = omp_get_thread_num();
        for (int r = 0; r < ROUNDS; r++) {
            /* Private variables, set to thread-specific junk first so a
               missing copy is detected. */
            int i = -1 - me;
            char c = (char)(me + 100);
            long long ll = -me;
            float f = -1.0f;
            double d = -2.0;
            int *p = NULL;
            int who = -1;
            tp = -100 - me;
#pragma omp single copyprivate(i, c, ll, f, d, p, tp, who)
            {
                who = me;
                executed_by[r] = me;
                __atomic_fetch_add(&body_runs[r], 1, __ATOMIC_RELAXED);
                i = r * 7 + 3;
                c = (char)('A' + r % 26);
                ll = 0x100000000LL * r + 5;
                f = 0.5f * r;
                d = 1.0 / 1024 * r + 1e10;
                p = &targets[r];
                tp = r ^ 0x55;
            }
            my_bad_i += i != r * 7 + 3;
            my_bad_c += c != (char)('A' + r % 26);
            my_bad_ll += ll != 0x100000000LL * r + 5;
            my_bad_f += f != 0.5f * r;
            my_bad_d += d != 1.0 / 1024 * r + 1e10;
            my_bad_p += p != &targets[r];
            my_bad_tp += tp != (r ^ 0x55);
            my_bad_who += who != executed_by[r];
        }
#pragma omp atomic
        bad_i += my_bad_i;
#pragma omp atomic
        bad_c += my_bad_c;
#pragma omp atomic
        bad_ll += my_bad_ll;
#pragma omp atomic
        bad_f += my_bad_f;
#pragma omp atomic
        bad_d += my_bad_d;
#pragma omp atomic
        bad_p += my_bad_p;
#pragma omp atomic
        bad_tp += my_bad_tp;
#pragma omp atomic
        bad_who += my_bad_who;
    }
    long multi = 0;
    for (int r = 0; r < ROUNDS; r++)
        if (body_runs[r] != 1) {
            if (multi++ < 5)
                check(body_runs[r], 1, "copyprivate single %d: body runs", r);
        }
    check(multi, 0, "copyprivate singles whose body did not run exactly once");
    check(bad_i, 0, "copyprivate int: wrong copies");
    check(bad_c, 0, "copyprivate char: wrong copies");
    check(bad_ll, 0, "copyprivate long long: wrong copies");
    check(bad_f, 0, "copyprivate float: wrong copies");
    check(bad_d, 0, "copyprivate double: wrong copies");
    check(bad_p, 0, "copyprivate pointer: wrong copies");
    check(bad_tp, 0, "copyprivate threadprivate int: wrong copies");
    check(bad_who, 0, "copyprivate executor id: wrong copies");

    /* Outside a parallel region copyprivate is trivial. */
    int x = 1;
#pragma omp single copyprivate(x)
    x = 42;
    check(x, 42, "copyprivate outside a parallel region");

    /* Team of 1 (if(0)). */
    int y = 0;
#pragma omp parallel if(0) firstprivate(y)
    {
#pragma omp single copyprivate(y)
        y = 17;
        check(y, 17, "copyprivate in an if(0) region");
    }
    return failures > 100 ? 100 : failures;
}
